"""Series 2, section B: the Klantbelevingsonderzoek (B2C) 2011-2012.

Six contact moments rated 1-5 (empty when not experienced) and four statements rated 1-5. Every
latent is `organisation effect + respondent effect + noise` plus, for contact moments, a sector
location and a moment offset. At scale 1 the 2012 files hold exactly 4,021 respondents and
22,873 rated contact moments: the "not experienced" cells are allocated to studies exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from cxbench.demo import studies as p
from cxbench.demo.model import (
    allocate,
    blank,
    format_numbers,
    norm_cdf,
    norm_sf,
    organisation_counts,
    response_dates,
    solve_increasing,
    stratified_normal,
    stratified_normals,
    to_scale,
    weighted_mean,
)
from cxbench.demo.organisations import (
    Organisations,
    StudyTable,
    UniverseSpec,
    identity_columns,
    organisations,
    planned_studies,
    study_table,
    surveyed,
    weight_cells,
)

SERIES = 2
MOMENTS = tuple(p.KBO_MOMENTS)
TOUCH_SD = float(np.hypot(p.KBO_TOUCH_RESPONDENT_SD, p.KBO_TOUCH_NOISE_SD))
STATEMENT_SD = float(np.hypot(p.KBO_STATEMENT_RESPONDENT_SD, p.KBO_STATEMENT_NOISE_SD))
POSITIVE_FROM = p.KBO_TOUCH_CUTS[2]  # touchpoint latent of a 4 or 5
MISSING_CHANCE = np.array([p.KBO_MOMENTS[m][2] for m in MOMENTS])
MISSING_CHANCE = MISSING_CHANCE / MISSING_CHANCE.sum()


@dataclass(frozen=True)
class KboYear:
    """The plan of one year: design, "not experienced" cells per study, solved calibration."""

    year: int
    present: np.ndarray
    sizes: np.ndarray
    blanks: np.ndarray  # contact moments not experienced, per study
    sector_locations: dict[str, float]
    moment_offsets: np.ndarray
    statement_cuts: dict[str, tuple[float, float, float, float]]


def sector_locations(
    year: int,
    sectors: np.ndarray,
    effects: np.ndarray,
    sizes: np.ndarray,
    rated: np.ndarray,
    offsets: np.ndarray,
) -> dict[str, float]:
    """Solve each sector's location so its pooled positive share is the target of that year."""
    centre = offsets[None, :] + p.KBO_TOUCH_ORGANISATION_SLOPE * effects[:, None]

    def positive_share(location: float, members: np.ndarray) -> float:
        share = norm_sf((POSITIVE_FROM - location - centre[members]) / TOUCH_SD) @ rated
        return 100.0 * weighted_mean(share / rated.sum(), sizes[members])

    locations = {}
    for sector in dict.fromkeys(sectors.tolist()):
        members = sectors == sector
        target = p.KBO_SECTORS[sector][1][year]
        locations[sector] = solve_increasing(lambda x, m=members: positive_share(x, m), target)
    return locations


def statement_cuts(
    year: int, effects: np.ndarray, sizes: np.ndarray
) -> dict[str, tuple[float, float, float, float]]:
    """Solve the 2|3 and 3|4 cut points of each statement for its disagree and agree targets."""
    centre = p.KBO_STATEMENT_ORGANISATION_SLOPE * effects

    def disagree(cut: float) -> float:
        return 100.0 * weighted_mean(norm_cdf((cut - centre) / STATEMENT_SD), sizes)

    def agree_below(cut: float) -> float:  # increasing in cut: 100 - agree share
        return 100.0 - 100.0 * weighted_mean(norm_sf((cut - centre) / STATEMENT_SD), sizes)

    cuts = {}
    for statement, targets in p.KBO_STATEMENTS.items():
        agree_share, disagree_share = targets[year]
        low = solve_increasing(disagree, disagree_share)
        high = solve_increasing(agree_below, 100.0 - agree_share)
        cuts[statement] = (low - 0.9, low, high, high + 0.9)
    return cuts


def plan_year(seed: int, year: int, orgs: Organisations, scale: float) -> KboYear:
    """Draw the year's design (exact totals), then solve sector locations and statement cuts."""
    rng = np.random.default_rng([seed, SERIES, year])
    present = surveyed(rng, orgs, p.KBO_PRESENCE)
    respondents = max(len(present), round(p.KBO_RESPONDENTS[year] * scale))
    cells = respondents * len(MOMENTS)
    missing = cells - min(cells, round(p.KBO_RATED_MOMENTS[year] * scale))
    wobble = np.exp(rng.normal(0.0, p.KBO_SIZE_SIGMA / 2, len(present)))
    relative = np.clip(orgs.size_levels[present] * wobble, *p.KBO_SIZE_RANGE)
    sizes = 1 + allocate(respondents - len(present), relative)  # every study has a respondent
    blanks = allocate(missing, sizes.astype(float))
    rated = 1.0 - missing / cells * len(MOMENTS) * MISSING_CHANCE
    offsets = np.array([p.KBO_MOMENTS[m][p.KBO_YEARS.index(year)] for m in MOMENTS])
    effects = orgs.effects[present]
    return KboYear(
        year=year,
        present=present,
        sizes=sizes,
        blanks=blanks,
        sector_locations=sector_locations(
            year, orgs.sectors[present], effects, sizes, rated, offsets
        ),
        moment_offsets=offsets,
        statement_cuts=statement_cuts(year, effects, sizes),
    )


def studies(seed: int, scale: float) -> Iterator[StudyTable]:
    """Every KBO study, one organisation x year at a time."""
    spec = UniverseSpec(
        prefix=p.KBO_PREFIX,
        counts=organisation_counts({s: c for s, (c, _) in p.KBO_SECTORS.items()}, scale),
        effect_sd=p.KBO_ORGANISATION_SD,
        size_median=1.0,
        size_sigma=p.KBO_SIZE_SIGMA,
        decimal_share=0.0,
        weighted_share=p.KBO_WEIGHTED_SHARE,
    )
    orgs = organisations(np.random.default_rng([seed, SERIES]), spec)
    for year in p.KBO_YEARS:
        plan = plan_year(seed, year, orgs, scale)
        yield from planned_studies(seed, SERIES, orgs, plan, study)


def study(
    rng: np.random.Generator, orgs: Organisations, org: int, plan: KboYear, index: int
) -> StudyTable:
    n, effect = int(plan.sizes[index]), orgs.effects[org]
    dates = response_dates(rng, plan.year, p.KBO_FIELDWORK_MONTHS, n)
    columns = identity_columns(orgs, org, "B2C", plan.year, dates)
    person = stratified_normal(rng, n)  # the respondent's general mood, shared by all items
    recommend = p.KBO_RECOMMEND_LOCATION + 1.2 * effect + person + stratified_normal(rng, n)
    columns["recommend"] = format_numbers(np.clip(np.rint(recommend), 0, 10))

    touch_latent = (
        plan.sector_locations[str(orgs.sectors[org])]
        + plan.moment_offsets[None, :]
        + p.KBO_TOUCH_ORGANISATION_SLOPE * effect
        + p.KBO_TOUCH_RESPONDENT_SD * person[:, None]
        + p.KBO_TOUCH_NOISE_SD * stratified_normals(rng, n, len(MOMENTS))
    )
    touch = to_scale(touch_latent, p.KBO_TOUCH_CUTS).astype(float)
    chance = np.tile(MISSING_CHANCE, n)
    not_experienced = rng.choice(
        touch.size, size=int(plan.blanks[index]), replace=False, p=chance / chance.sum()
    )
    touch.flat[not_experienced] = np.nan
    for position, moment in enumerate(MOMENTS):
        columns[f"touch_{moment}"] = format_numbers(touch[:, position])

    for statement, cuts in plan.statement_cuts.items():
        latent = (
            p.KBO_STATEMENT_ORGANISATION_SLOPE * effect
            + p.KBO_STATEMENT_RESPONDENT_SD * person
            + p.KBO_STATEMENT_NOISE_SD * stratified_normal(rng, n)
        )
        answers = blank(to_scale(latent, cuts), rng.random(n) < p.KBO_STATEMENT_MISSING)
        columns[f"agree_{statement}"] = format_numbers(answers)
    columns["weight"] = weight_cells(rng, bool(orgs.weighted[org]), n)
    return study_table(p.KBO_SOURCE, "B2C", plan.year, orgs.codes[org], columns)
