"""Series 3, section C: Customeyes grade trends (B2C) 2007-2013, about 2,500 customers a year.

Grades only: `grade_overall`, `grade_knows_customer` (every year) and `grade_service_orientation`
(asked from 2010). Each grade's intercept is solved per year for its all-sector target.
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

SERIES = 3


@dataclass(frozen=True)
class CustomeyesYear:
    """The plan of one year: who is surveyed, how many respondents, the grade intercepts."""

    year: int
    present: np.ndarray
    sizes: np.ndarray
    intercepts: dict[str, float]  # the grade items asked that year


def expected_grade(aspect: str, intercept: float, effects: np.ndarray, sizes: np.ndarray) -> float:
    """Expected weighted mean grade (clipped to 1-10) of organisations with these effects."""
    item = p.CEY_GRADES[aspect]
    centre = intercept + item.organisation_slope * effects
    sd = float(np.hypot(item.respondent_slope, item.noise_sd))
    return weighted_mean(clipped_normal_mean(centre, sd, 1.0, 10.0), sizes)


def plan_year(seed: int, year: int, orgs: Organisations) -> CustomeyesYear:
    """Draw the year's design, then solve the intercept of each grade asked that year."""
    rng = np.random.default_rng([seed, SERIES, year])
    present = surveyed(rng, orgs, p.CEY_PRESENCE)
    sizes = study_sizes(rng, orgs, present, p.CEY_SIZE_YEARLY_SIGMA, p.CEY_SIZE_RANGE)
    effects = orgs.effects[present]
    intercepts = {}
    for aspect, item in p.CEY_GRADES.items():
        if year in item.targets:
            intercepts[aspect] = solve_increasing(
                lambda b, a=aspect: expected_grade(a, b, effects, sizes), item.targets[year]
            )
    return CustomeyesYear(year, present, sizes, intercepts)


def studies(seed: int, scale: float) -> Iterator[StudyTable]:
    """Every Customeyes study, one organisation x year at a time."""
    spec = UniverseSpec(
        prefix=p.CEY_PREFIX,
        counts=organisation_counts(p.CEY_SECTORS, scale),
        effect_sd=p.CEY_ORGANISATION_SD,
        size_median=p.CEY_SIZE_MEDIAN,
        size_sigma=p.CEY_SIZE_SIGMA,
        decimal_share=p.CEY_DECIMAL_SHARE,
        weighted_share=p.CEY_WEIGHTED_SHARE,
    )
    orgs = organisations(np.random.default_rng([seed, SERIES]), spec)
    for year in p.CEY_YEARS:
        plan = plan_year(seed, year, orgs)
        yield from planned_studies(seed, SERIES, orgs, plan, study)


def study(
    rng: np.random.Generator, orgs: Organisations, org: int, plan: CustomeyesYear, index: int
) -> StudyTable:
    n = int(plan.sizes[index])
    dates = response_dates(rng, plan.year, p.CEY_FIELDWORK_MONTHS, n)
    columns = identity_columns(orgs, org, "B2C", plan.year, dates)
    person = stratified_normal(rng, n)
    decimals = int(orgs.decimals[org])
    for aspect, intercept in plan.intercepts.items():
        item = p.CEY_GRADES[aspect]
        latent = (
            intercept
            + item.organisation_slope * orgs.effects[org]
            + item.respondent_slope * person
            + item.noise_sd * stratified_normal(rng, n)
        )
        values = blank(grades(latent, decimals), rng.random(n) >= item.answered)
        columns[f"grade_{aspect}"] = format_numbers(values, decimals)
    columns["weight"] = weight_cells(rng, bool(orgs.weighted[org]), n)
    return study_table(p.CEY_SOURCE, "B2C", plan.year, orgs.codes[org], columns)
