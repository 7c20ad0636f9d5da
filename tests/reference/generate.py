"""Deterministic respondent-level survey data in the canonical layout, for statistics tests.

:func:`make_survey_frame` builds rows shaped like docs/contract.md §3 (one row per respondent).
Its *structure* is fixed, so every seed has the awkward cases a benchmark must handle; the seed
only moves sizes, weights, answers and which ordinary organisations skip a year.

Fixed structure (40 organisations, codes ``ORG01`` … ``ORG40``):

==========  ====================  =====  ======================================================
market      sector                orgs   notes
==========  ====================  =====  ======================================================
B2B         industry              7      years 2022–2024
B2B         wholesale             6
B2B         ict                   6      ``ORG14`` has 3 respondents in 2022
B2B         waste                 1      exactly one organisation, every year
B2B         financial_services    3      ``ORG23`` skips 2023: two organisations in 2023
B2C         telecom               6      years 2023–2024 (no 2022)
B2C         banking               5      ``ORG34`` weights are all 1
B2C         housing               6      ``ORG35`` has 400 / 380 respondents: > 50% of sector
==========  ====================  =====  ======================================================

Other organisations have 8–250 respondents (log-normal), a few skip one year at random but are
present in at least one. About a quarter of the organisations have all weights 1; the others
have uneven respondent weights in [0.3, 3.0].
"""

from __future__ import annotations

import numpy as np
import pandas as pd

B2B_YEARS = (2022, 2023, 2024)
B2C_YEARS = (2023, 2024)

# (market, sector, number of organisations), in organisation-code order.
_SECTORS: tuple[tuple[str, str, int], ...] = (
    ("B2B", "industry", 7),
    ("B2B", "wholesale", 6),
    ("B2B", "ict", 6),
    ("B2B", "waste", 1),
    ("B2B", "financial_services", 3),
    ("B2C", "telecom", 6),
    ("B2C", "banking", 5),
    ("B2C", "housing", 6),
)

SINGLE_ORGANISATION_SECTOR = ("B2B", "waste")
TWO_ORGANISATION_CELL = ("B2B", "financial_services", 2023)
DOMINANT_ORGANISATION = ("B2C", "housing", "ORG35")
SMALLEST_ORGANISATION = ("ORG14", 2022)  # 3 respondents
ALL_ONES_WEIGHT_ORGANISATION = "ORG34"

# Organisations whose presence or size is part of the fixed structure.
_FIXED_YEARS: dict[str, tuple[int, ...]] = {
    "ORG20": B2B_YEARS,  # the single waste organisation
    "ORG21": B2B_YEARS,
    "ORG22": B2B_YEARS,
    "ORG23": (2022, 2024),  # financial_services has two organisations in 2023
    "ORG35": B2C_YEARS,
    "ORG14": B2B_YEARS,
}
_FIXED_SIZES: dict[tuple[str, int], int] = {
    ("ORG35", 2023): 400,
    ("ORG35", 2024): 380,
    ("ORG14", 2022): 3,
}
_HOUSING_OTHERS_MAX = 60  # 5 × 60 = 300 < 380: ORG35 always supplies > 50% of housing

TOUCH_MOMENTS = ("payment", "complaint", "question")
STATEMENTS = ("welcome", "valued")


def _organisations() -> list[tuple[str, str, str]]:
    """(organisation_id, market, sector) for the fixed 40 organisations."""
    orgs: list[tuple[str, str, str]] = []
    for market, sector, count in _SECTORS:
        for _ in range(count):
            orgs.append((f"ORG{len(orgs) + 1:02d}", market, sector))
    return orgs


def _with_missing(values: np.ndarray, share: float, rng: np.random.Generator) -> pd.Series:
    """Integer answers as nullable ``Int64`` with about ``share`` of them missing."""
    out = pd.Series(values.astype("int64"), dtype="Int64")
    out[rng.random(len(values)) < share] = pd.NA
    return out


def _likert(latent: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """1–5 answers from a latent 0–10 satisfaction score."""
    return np.clip(np.rint(latent / 2.2 + 0.6 + rng.normal(0, 0.8, len(latent))), 1, 5)


def _study(
    org: str,
    market: str,
    sector: str,
    year: int,
    n: int,
    org_level: float,
    uneven_weights: bool,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Respondent rows of one organisation in one year."""
    latent = np.clip(org_level + rng.normal(0, 1.8, n), 0, 10)
    recommend = np.clip(np.rint(latent + rng.normal(0, 0.7, n)), 0, 10)
    grade = np.clip(np.round(4.0 + 0.55 * latent + rng.normal(0, 0.8, n), 1), 1.0, 10.0)
    grade[rng.random(n) < 0.15] = np.nan

    touch_complaint = _with_missing(_likert(latent - 1.5, rng), 0.8, rng)
    # Complaint handling is graded mostly by those who had a complaint.
    has_complaint = touch_complaint.notna().to_numpy()
    complaint_grade = np.clip(np.round(3.0 + 0.6 * latent + rng.normal(0, 1.0, n), 1), 1.0, 10.0)
    graded = np.where(has_complaint, rng.random(n) < 0.8, rng.random(n) < 0.02)
    complaint_grade[~graded] = np.nan

    if uneven_weights:
        weight = np.clip(np.exp(rng.normal(0.0, 0.55, n)), 0.3, 3.0)
    else:
        weight = np.ones(n)

    return pd.DataFrame(
        {
            "respondent_id": [f"R{i + 1:04d}" for i in range(n)],
            "organisation_id": org,
            "sector": sector,
            "market": market,
            "year": year,
            "recommend": _with_missing(recommend, 0.10, rng),
            "grade_overall": grade,
            "grade_complaint_handling": complaint_grade,
            "touch_payment": _with_missing(_likert(latent, rng), 0.5, rng),
            "touch_complaint": touch_complaint,
            "touch_question": _with_missing(_likert(latent + 0.5, rng), 0.6, rng),
            "agree_welcome": _with_missing(_likert(latent + 1.0, rng), 0.12, rng),
            "agree_valued": _with_missing(_likert(latent, rng), 0.18, rng),
            "weight": weight,
        }
    )


def make_survey_frame(seed: int) -> pd.DataFrame:
    """Respondent-level canonical survey rows for statistics tests, deterministic for ``seed``.

    Columns: ``respondent_id`` (``R0001`` …, unique within organisation × year only — it
    restarts in every study), ``organisation_id``, ``sector``, ``market``, ``year``,
    ``recommend`` (0–10, ~10% missing), ``grade_overall`` (1–10 with one decimal, ~15% missing),
    ``grade_complaint_handling`` (mostly missing), ``touch_payment`` / ``touch_complaint`` /
    ``touch_question`` (1–5, 50–80% missing), ``agree_welcome`` / ``agree_valued`` (1–5, some
    missing) and ``weight`` (uneven in [0.3, 3.0]; some organisations all 1). Integer answers
    are nullable ``Int64``; grades and weight are ``float64`` with NaN for missing.

    Both markets: B2B in 2022–2024, B2C in 2023–2024; 40 organisations with 3 to 400
    respondents per study; some organisations skip a year. Always present whatever the seed
    (see the module docstring): a sector with exactly one organisation (B2B ``waste``), a
    sector-year with two organisations (B2B ``financial_services`` 2023), an organisation with
    more than 50% of its sector's respondents (``ORG35`` in B2C ``housing``). An organisation
    always has the same sector and market.
    """
    rng = np.random.default_rng(seed)
    studies: list[pd.DataFrame] = []
    for index, (org, market, sector) in enumerate(_organisations()):
        years = B2B_YEARS if market == "B2B" else B2C_YEARS
        if org in _FIXED_YEARS:
            present = _FIXED_YEARS[org]
        else:
            skip = rng.random(len(years)) < 0.15
            if skip.all():
                skip[rng.integers(len(years))] = False
            present = tuple(y for y, s in zip(years, skip, strict=True) if not s)
        org_level = rng.normal(7.0, 0.9)
        base_size = float(np.exp(rng.normal(np.log(55), 0.8)))
        uneven_weights = index % 4 != 1 and org != ALL_ONES_WEIGHT_ORGANISATION
        for year in present:
            size = _FIXED_SIZES.get((org, year))
            if size is None:
                size = int(np.clip(round(base_size * rng.uniform(0.8, 1.2)), 8, 250))
                if sector == "housing":
                    size = min(size, _HOUSING_OTHERS_MAX)
            studies.append(_study(org, market, sector, year, size, org_level, uneven_weights, rng))
    frame = pd.concat(studies, ignore_index=True)
    return frame.astype(
        {
            "respondent_id": "str",
            "organisation_id": "str",
            "sector": "str",
            "market": "str",
            "year": "int64",
            "weight": "float64",
            "grade_overall": "float64",
            "grade_complaint_handling": "float64",
        }
    )
