"""What the three series share: the organisation universe, yearly study plans and file layout.

A series yields one `StudyTable` (one organisation x year) at a time, so at most one study's
respondents are in memory. Random numbers come from `numpy.random.default_rng` keyed by
(seed, series, year, organisation), so a study's rows do not depend on the order of generation
or on the other studies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

import numpy as np

from cxbench.demo.model import format_numbers, poststrat_weights, stratified_normal


@dataclass(frozen=True)
class StudyTable:
    """One study (organisation x year): its canonical path and its columns as CSV cells.

    `path` is where the study lands as a canonical CSV file; other layouts keep its folder and
    stem. `source` names the series (integron, kbo, customeyes).
    """

    path: PurePosixPath
    columns: dict[str, list[str]]
    source: str = ""
    year: int = 0
    organisation: str = ""
    position: int = 0  # among the series' studies of that year, in the order they are written
    year_studies: int = 1  # how many studies the series has that year

    @property
    def n_rows(self) -> int:
        """Respondents in the study."""
        return len(self.columns["respondent_id"])


@dataclass(frozen=True)
class Organisations:
    """The organisation universe of a series and each organisation's persistent traits."""

    codes: list[str]
    sectors: np.ndarray
    effects: np.ndarray  # organisation random effect (stratified normal within each sector)
    size_levels: np.ndarray  # typical study size (respondents)
    decimals: np.ndarray  # 1: grades asked with one decimal, 0: whole numbers
    weighted: np.ndarray  # delivers post-stratification weights

    def in_year_order(self, members: np.ndarray) -> np.ndarray:
        """Members sorted by organisation code (the order in which files are written)."""
        return members[np.argsort([self.codes[m] for m in members], kind="stable")]


@dataclass(frozen=True)
class UniverseSpec:
    """How a series' organisation universe is drawn."""

    prefix: str
    counts: dict[str, int]  # organisations per sector
    effect_sd: float
    size_median: float
    size_sigma: float
    decimal_share: float
    weighted_share: float


def organisations(rng: np.random.Generator, spec: UniverseSpec) -> Organisations:
    """Pseudonymous codes in random order, so a code does not reveal the sector."""
    sectors = np.repeat(np.array(list(spec.counts)), list(spec.counts.values()))
    total = len(sectors)
    width = max(4, len(str(total)))
    numbers = rng.permutation(total) + 1
    effects = [stratified_normal(rng, n, spec.effect_sd) for n in spec.counts.values()]
    return Organisations(
        codes=[f"{spec.prefix}-{number:0{width}d}" for number in numbers],
        sectors=sectors,
        effects=np.concatenate(effects),
        size_levels=np.exp(rng.normal(np.log(spec.size_median), spec.size_sigma, total)),
        decimals=(rng.random(total) < spec.decimal_share).astype(int),
        weighted=rng.random(total) < spec.weighted_share,
    )


def surveyed(rng: np.random.Generator, orgs: Organisations, presence: float) -> np.ndarray:
    """Organisations that run a study this year: a fixed share of each sector, chosen at random."""
    chosen = []
    for sector in dict.fromkeys(orgs.sectors.tolist()):
        members = np.flatnonzero(orgs.sectors == sector)
        k = max(1, round(presence * len(members)))
        chosen.append(rng.choice(members, size=k, replace=False))
    return orgs.in_year_order(np.concatenate(chosen))


def study_sizes(
    rng: np.random.Generator,
    orgs: Organisations,
    present: np.ndarray,
    yearly_sigma: float,
    size_range: tuple[int, int],
) -> np.ndarray:
    """This year's respondents per study: the organisation's usual size, varied a little."""
    wobble = np.exp(rng.normal(0.0, yearly_sigma, len(present)))
    return np.clip(np.round(orgs.size_levels[present] * wobble), *size_range).astype(int)


def study_rng(seed: int, series: int, year: int, org: int) -> np.random.Generator:
    """The random stream of one study, independent of every other study."""
    return np.random.default_rng([seed, series, year, int(org)])


def identity_columns(
    orgs: Organisations, org: int, market: str, year: int, dates: list[str]
) -> dict[str, list[str]]:
    """The leading columns of every file: who answered, about whom, when."""
    n = len(dates)
    width = max(4, len(str(n)))
    return {
        "respondent_id": [f"R{i:0{width}d}" for i in range(1, n + 1)],
        "organisation_id": [orgs.codes[org]] * n,
        "sector": [str(orgs.sectors[org])] * n,
        "market": [market] * n,
        "year": [str(year)] * n,
        "response_date": dates,
    }


def weight_cells(rng: np.random.Generator, weighted: bool, n: int) -> list[str]:
    """The weight column: 1 for unweighted studies, else post-stratification weights."""
    if not weighted:
        return ["1"] * n
    return format_numbers(poststrat_weights(rng, n), 4)


def study_table(
    source: str, market: str, year: int, code: str, columns: dict[str, list[str]]
) -> StudyTable:
    """File `<market>/<year>/<source>_<organisation>_<year>.csv`."""
    path = PurePosixPath(market.lower(), str(year), f"{source}_{code}_{year}.csv")
    return StudyTable(path, columns, source=source, year=year, organisation=code)


def planned_studies(
    seed: int, series: int, orgs: Organisations, plan, study: Callable[..., StudyTable]
) -> Iterator[StudyTable]:
    """The studies of a planned series-year, one per present organisation, each drawn from its
    own random stream and placed among the year's studies. `plan` has `year` and `present`."""
    for index, org in enumerate(plan.present):
        table = study(study_rng(seed, series, plan.year, org), orgs, org, plan, index)
        yield placed(table, index, len(plan.present))


def placed(table: StudyTable, position: int, year_studies: int) -> StudyTable:
    """The study with its place among the `year_studies` studies of its series-year."""
    return replace(table, position=position, year_studies=year_studies)
