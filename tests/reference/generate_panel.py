"""Deterministic panel survey data for the tests of changes and key drivers against R.

:func:`make_panel_frame` builds canonical respondent rows (contract section 3) where
organisations take part year after year, with a lasting level of their own (so a cell's
estimates in consecutive years are correlated, the case the two-year design is for), drop in and
out, and whose respondents grade several aspects that are correlated with each other and with
the recommend answer (the key-driver regression). The structure is fixed, so every seed has the
extremes; the seed moves sizes, weights, answers and which ordinary organisations skip a year.

Fixed structure (41 organisations, ``P01`` … ``P41``):

==========  ====================  =====  ======================================================
market      sector                orgs   notes
==========  ====================  =====  ======================================================
B2B         industry              8      years 2021–2024; ``P01`` alone is asked the
                                         statement ``agree_welcome``, in 2021 and 2022 (a
                                         two-year design with one organisation)
B2B         wholesale             5      ``P09`` takes part in 2022 only
B2B         ict                   7
B2B         waste                 1      one organisation: a single-cluster domain
B2B         financial_services    3      weights 1, every respondent recommends 10 and grades
                                         knows_customer 8.0: constant answers (se 0, an
                                         aspect aliased with the intercept in the sector)
B2C         telecom               7      years 2022–2024; ``P25`` is B2C's only organisation
                                         in 2022 (a single-cluster market-year)
B2C         banking               6
B2C         housing               4
==========  ====================  =====  ======================================================

Other organisations skip a year now and then (15%) but take part at least once.

Aspects: ``grade_overall`` (not a driver), ``grade_customer_service``,
``grade_complaint_handling`` (often missing), ``grade_knows_customer``, and ``grade_app`` asked in
B2C from 2023 only (so B2C's model has one aspect more from 2023).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

B2B_YEARS = (2021, 2022, 2023, 2024)
B2C_YEARS = (2022, 2023, 2024)
APP_FROM = 2023

_SECTORS: tuple[tuple[str, str, int], ...] = (
    ("B2B", "industry", 8),
    ("B2B", "wholesale", 5),
    ("B2B", "ict", 7),
    ("B2B", "waste", 1),
    ("B2B", "financial_services", 3),
    ("B2C", "telecom", 7),
    ("B2C", "banking", 6),
    ("B2C", "housing", 4),
)
ONE_YEAR_ONLY = ("P09", 2022)
WELCOME_ONLY = ("P01", (2021, 2022))
SOLE_B2C_2022 = "P25"
CONSTANT_SECTOR = ("B2B", "financial_services")
SINGLE_ORGANISATION_SECTOR = ("B2B", "waste")
ASPECTS = ("customer_service", "complaint_handling", "knows_customer", "app")
# aspect: (intercept, slope on the latent, noise sd, share missing)
_GRADES = {
    "overall": (3.6, 0.55, 0.6, 0.03),
    "customer_service": (2.8, 0.65, 0.9, 0.08),
    "complaint_handling": (1.5, 0.70, 1.3, 0.35),
    "knows_customer": (3.5, 0.45, 1.0, 0.08),
    "app": (4.0, 0.40, 1.2, 0.10),
}


def _organisations() -> list[tuple[str, str, str]]:
    orgs: list[tuple[str, str, str]] = []
    for market, sector, count in _SECTORS:
        for _ in range(count):
            orgs.append((f"P{len(orgs) + 1:02d}", market, sector))
    return orgs


def _years(org: str, market: str, rng: np.random.Generator) -> tuple[int, ...]:
    if org == ONE_YEAR_ONLY[0]:
        return (ONE_YEAR_ONLY[1],)
    if org == SOLE_B2C_2022:
        return B2C_YEARS
    if org == WELCOME_ONLY[0]:
        return B2B_YEARS
    candidates = B2B_YEARS if market == "B2B" else B2C_YEARS[1:]
    skip = rng.random(len(candidates)) < 0.15
    if skip.all():
        skip[rng.integers(len(candidates))] = False
    return tuple(y for y, s in zip(candidates, skip, strict=True) if not s)


def _study(
    org: str, market: str, sector: str, year: int, level: float, rng: np.random.Generator
) -> pd.DataFrame:
    n = int(rng.integers(25, 140))
    latent = level + rng.normal(0, 0.3) + rng.normal(0, 1.8, n)
    columns: dict[str, object] = {
        "respondent_id": [f"R{i + 1:04d}" for i in range(n)],
        "organisation_id": org,
        "sector": sector,
        "market": market,
        "year": year,
    }
    raw = {}
    for aspect, (intercept, slope, noise, missing) in _GRADES.items():
        grade = np.clip(np.round(intercept + slope * latent + rng.normal(0, noise, n), 1), 1, 10)
        raw[aspect] = grade
        if aspect == "app" and (market != "B2C" or year < APP_FROM):
            grade = np.full(n, np.nan)
        else:
            grade = np.where(rng.random(n) < missing, np.nan, grade)
        columns[f"grade_{aspect}"] = grade
    recommend = np.clip(
        np.rint(
            0.5
            + 0.45 * latent
            + 0.35 * raw["customer_service"]
            + 0.2 * raw["complaint_handling"]
            + rng.normal(0, 1.5, n)
        ),
        0,
        10,
    )
    weight = np.clip(np.exp(rng.normal(0.0, 0.5, n)), 0.3, 3.0)
    if (market, sector) == CONSTANT_SECTOR:
        recommend = np.full(n, 10.0)
        columns["grade_knows_customer"] = np.full(n, 8.0)
        weight = np.ones(n)
    asked = org == WELCOME_ONLY[0] and year in WELCOME_ONLY[1]
    welcome = np.clip(np.rint(latent / 2), 1, 5) if asked else np.full(n, np.nan)
    columns["agree_welcome"] = pd.Series(welcome, dtype="float64").astype("Int64")
    recommend_column = pd.Series(recommend.astype("int64"), dtype="Int64")
    recommend_column[rng.random(n) < 0.05] = pd.NA
    columns["recommend"] = recommend_column
    columns["weight"] = weight
    return pd.DataFrame(columns)


def make_panel_frame(seed: int) -> pd.DataFrame:
    """Respondent rows of the fixed panel structure (module docstring), deterministic per seed.

    Columns: respondent_id (unique within organisation × year), organisation_id, sector,
    market, year, recommend (0–10, nullable Int64, ~5% missing), grade_overall,
    grade_customer_service, grade_complaint_handling, grade_knows_customer, grade_app (1–10,
    one decimal, NaN when missing or not asked), agree_welcome (1–5, Int64, P01 in 2021–2022
    only) and weight (uneven in [0.3, 3.0]; 1 in financial_services).
    """
    rng = np.random.default_rng(seed)
    studies = []
    for org, market, sector in _organisations():
        level = rng.normal(7.0, 0.6)
        for year in _years(org, market, rng):
            studies.append(_study(org, market, sector, year, level, rng))
    frame = pd.concat(studies, ignore_index=True)
    return frame[
        [
            "respondent_id",
            "organisation_id",
            "sector",
            "market",
            "year",
            "recommend",
            *(f"grade_{a}" for a in _GRADES),
            "agree_welcome",
            "weight",
        ]
    ]
