"""Series 1, section A: the Integron B2B benchmark 2018-2020, about 205 client studies a year.

Each respondent has a latent `location of the organisation + respondent term`; the answer to
`recommend` is that latent rounded to 0-10. Grades load on the same organisation location (so
top performers grade higher) and on the respondent term (so promoters grade higher).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from cxbench.demo import studies as p
from cxbench.demo.model import (
    blank,
    clipped_normal_mean,
    format_numbers,
    grades,
    norm_cdf,
    norm_sf,
    organisation_counts,
    response_dates,
    solve_increasing,
    stratified_normal,
    weighted_mean,
)
from cxbench.demo.organisations import (
    Organisations,
    StudyTable,
    UniverseSpec,
    identity_columns,
    organisations,
    planned_studies,
    study_sizes,
    study_table,
    surveyed,
    weight_cells,
)

SERIES = 1
PROMOTER_FROM, DETRACTOR_BELOW = 8.5, 6.5  # on the recommend latent: answers 9-10 and 0-6


@dataclass(frozen=True)
class IntegronYear:
    """The plan of one year: who is surveyed, how many respondents, the solved calibration."""

    year: int
    present: np.ndarray
    sizes: np.ndarray
    locations: np.ndarray  # recommend latent location per surveyed organisation
    intercepts: dict[str, float]  # grade intercept per aspect


def expected_nps(locations: np.ndarray, sizes: np.ndarray) -> float:
    """Expected pooled NPS of organisations at these latent locations."""
    weights, means, sds = p.B2B_RESPONDENT.arrays()
    centre = locations[:, None] + means[None, :]
    promoters = norm_sf((PROMOTER_FROM - centre) / sds) @ weights
    detractors = norm_cdf((DETRACTOR_BELOW - centre) / sds) @ weights
    return 100.0 * weighted_mean(promoters - detractors, sizes)


def answer_chances(aspect: str) -> np.ndarray:
    """Share of each respondent component that answers the grade item."""
    item = p.B2B_GRADES[aspect]
    weights = p.B2B_RESPONDENT.arrays()[0]
    if aspect == "complaint_handling":
        return weights * np.asarray(p.B2B_COMPLAINED) * item.answered
    return weights * item.answered


def expected_grade(
    aspect: str, intercept: float, locations: np.ndarray, sizes: np.ndarray
) -> float:
    """Expected weighted mean grade (clipped to 1-10) of organisations at these locations."""
    item = p.B2B_GRADES[aspect]
    chances = answer_chances(aspect)
    _, means, sds = p.B2B_RESPONDENT.arrays()
    centre = (
        intercept
        + item.organisation_slope * (locations[:, None] - p.B2B_GRADE_CENTRE)
        + item.respondent_slope * means[None, :]
    )
    sd = np.hypot(item.respondent_slope * sds, item.noise_sd)
    means = clipped_normal_mean(centre, sd[None, :], 1.0, 10.0) @ chances / chances.sum()
    return weighted_mean(means, sizes)


def plan_year(seed: int, year: int, orgs: Organisations) -> IntegronYear:
    """Draw the year's design, then solve the year shift (NPS) and the grade intercepts."""
    rng = np.random.default_rng([seed, SERIES, year])
    present = surveyed(rng, orgs, p.B2B_PRESENCE)
    sizes = study_sizes(rng, orgs, present, p.B2B_SIZE_YEARLY_SIGMA, p.B2B_SIZE_RANGE)
    sectors = orgs.sectors[present]
    effects = orgs.effects[present].copy()
    for sector in np.unique(sectors):  # centre organisation effects within each sector-year
        members = sectors == sector
        effects[members] -= weighted_mean(effects[members], sizes[members])
    base = np.array([p.B2B_SECTORS[s][1] for s in sectors]) + effects
    shift = solve_increasing(lambda x: expected_nps(base + x, sizes), p.B2B_NPS[year])
    locations = base + shift
    intercepts = {}
    for aspect, item in p.B2B_GRADES.items():
        intercepts[aspect] = solve_increasing(
            lambda b, a=aspect: expected_grade(a, b, locations, sizes), item.targets[year]
        )
    return IntegronYear(year, present, sizes, locations, intercepts)


def studies(seed: int, scale: float) -> Iterator[StudyTable]:
    """Every B2B study, one organisation x year at a time."""
    spec = UniverseSpec(
        prefix=p.B2B_PREFIX,
        counts=organisation_counts({s: c for s, (c, _) in p.B2B_SECTORS.items()}, scale),
        effect_sd=p.B2B_ORGANISATION_SD,
        size_median=p.B2B_SIZE_MEDIAN,
        size_sigma=p.B2B_SIZE_SIGMA,
        decimal_share=p.B2B_DECIMAL_SHARE,
        weighted_share=p.B2B_WEIGHTED_SHARE,
    )
    orgs = organisations(np.random.default_rng([seed, SERIES]), spec)
    for year in p.B2B_YEARS:
        plan = plan_year(seed, year, orgs)
        yield from planned_studies(seed, SERIES, orgs, plan, study)


def study(
    rng: np.random.Generator, orgs: Organisations, org: int, plan: IntegronYear, index: int
) -> StudyTable:
    n, location = int(plan.sizes[index]), plan.locations[index]
    dates = response_dates(rng, plan.year, p.B2B_FIELDWORK_MONTHS, n)
    columns = identity_columns(orgs, org, "B2B", plan.year, dates)
    component, term = p.B2B_RESPONDENT.draw(rng, n)
    recommend = np.clip(np.rint(location + term), 0, 10)
    columns["recommend"] = format_numbers(blank(recommend, rng.random(n) < p.B2B_RECOMMEND_MISSING))
    complained = rng.random(n) < np.asarray(p.B2B_COMPLAINED)[component]
    decimals = int(orgs.decimals[org])
    for aspect, item in p.B2B_GRADES.items():
        latent = (
            plan.intercepts[aspect]
            + item.organisation_slope * (location - p.B2B_GRADE_CENTRE)
            + item.respondent_slope * term
            + item.noise_sd * stratified_normal(rng, n)
        )
        answered = rng.random(n) < item.answered
        if aspect == "complaint_handling":
            answered &= complained
        columns[f"grade_{aspect}"] = format_numbers(
            blank(grades(latent, decimals), ~answered), decimals
        )
    columns["weight"] = weight_cells(rng, bool(orgs.weighted[org]), n)
    return study_table(p.B2B_SOURCE, "B2B", plan.year, orgs.codes[org], columns)
