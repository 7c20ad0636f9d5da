"""Generated benchmarks for the disclosure tests: respondents, true cells, and the tables as
the contract's rules before this audit published them.

Weights are all 1 (the reader's best case), so the estimator's weighted means are plain means
and every true value satisfies the reader's equations exactly: the audit's intervals must hold
them. `today` applies the rules the pipeline had before the audit: primary suppression, then
along each margin a group with one suppressed cell beside a published total loses its smallest
published cell (one pass along sectors; five alternating passes in the touchpoint table).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

MOMENTS = ("payment", "complaint", "question")
MIN_RESPONDENTS, MIN_ORGANISATIONS, MAX_SHARE = 30, 3, 0.5


@dataclass(frozen=True)
class Sector:
    """A sector: its organisations' sizes and how good it is (latent 0-10 level)."""

    name: str
    sizes: Sequence[int]
    level: float


def respondents(sectors: Sequence[Sector], seed: int, market: str = "B2C", year: int = 2024):
    """One row per respondent: recommend 0-10, grade 1-10, touch_<moment> 1-5 or missing."""
    rng = np.random.default_rng(seed)
    rows = []
    for sector in sectors:
        for k, size in enumerate(sector.sizes):
            org_level = sector.level + rng.normal(0, 0.8)
            latent = np.clip(org_level + rng.normal(0, 1.8, size), 0, 10)
            frame = pd.DataFrame(
                {
                    "market": market,
                    "year": year,
                    "sector": sector.name,
                    "organisation_id": f"{sector.name}-{k}",
                    "recommend": np.clip(np.rint(latent + rng.normal(0, 0.7, size)), 0, 10),
                    "grade": np.clip(
                        np.round(4.0 + 0.55 * latent + rng.normal(0, 0.8, size), 1), 1, 10
                    ),
                }
            )
            for shift, moment in enumerate(MOMENTS):
                answer = np.clip(np.rint(latent / 2.2 + 0.6 + rng.normal(0, 0.8, size)), 1, 5)
                missing = rng.random(size) < 0.3 + 0.1 * shift
                frame[f"touch_{moment}"] = np.where(missing, np.nan, answer)
            rows.append(frame)
    return pd.concat(rows, ignore_index=True)


def _counts(rows: pd.DataFrame) -> dict:
    per_org = rows.groupby("organisation_id").size()
    return {
        "n_respondents": len(rows),
        "n_organisations": len(per_org),
        "largest_organisation_share": per_org.max() / len(rows),
    }


def _domains(rows: pd.DataFrame):
    yield "ALL", rows
    yield from rows.groupby("sector", sort=True)


def true_tables(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The unsuppressed cells of nps, grades and touchpoints (equal weights: plain means)."""
    market, year = rows["market"].iloc[0], int(rows["year"].iloc[0])
    nps, grades, touch = [], [], []
    for sector, part in _domains(rows):
        r = part["recommend"]
        promoters, detractors = 100 * (r >= 9).mean(), 100 * (r <= 6).mean()
        nps.append(
            {
                "market": market,
                "sector": sector,
                "year": year,
                **_counts(part),
                "pct_promoters": promoters,
                "pct_passives": 100 * r.between(7, 8).mean(),
                "pct_detractors": detractors,
                "nps": promoters - detractors,
            }
        )
        grades.append(
            {
                "market": market,
                "sector": sector,
                "year": year,
                "aspect": "overall",
                **_counts(part),
                "mean_grade": part["grade"].mean(),
                "pct_sufficient": 100 * (part["grade"] >= 5.5).mean(),
            }
        )
        ratings = []
        for moment in MOMENTS:
            rated = part[part[f"touch_{moment}"].notna()]
            values = rated[f"touch_{moment}"]
            ratings.append(values)
            touch.append(_touch_cell(market, year, sector, moment, rated, values))
        answered = part[part[[f"touch_{m}" for m in MOMENTS]].notna().any(axis=1)]
        pooled = pd.concat(ratings)
        cell = _touch_cell(market, year, sector, "ALL", answered, pooled)
        touch.append(cell)
    return {
        "nps_by_sector_year": pd.DataFrame(nps),
        "grades_by_sector_year": pd.DataFrame(grades),
        "touchpoints_by_sector_year": pd.DataFrame(touch),
    }


def _touch_cell(market, year, sector, moment, rated: pd.DataFrame, values: pd.Series) -> dict:
    return {
        "market": market,
        "sector": sector,
        "year": year,
        "touchpoint": moment,
        "n_ratings": len(values),
        **_counts(rated),
        "pct_positive": 100 * (values >= 4).mean(),
        "pct_negative": 100 * (values <= 2).mean(),
    }


MEASURES = {
    "nps_by_sector_year": ("pct_promoters", "pct_passives", "pct_detractors", "nps"),
    "grades_by_sector_year": ("mean_grade", "pct_sufficient"),
    "touchpoints_by_sector_year": ("pct_positive", "pct_negative"),
}
ITEM = {"grades_by_sector_year": "aspect", "touchpoints_by_sector_year": "touchpoint"}


def primary_reason(cell: Mapping) -> str | None:
    if cell["n_respondents"] < MIN_RESPONDENTS:
        return f"fewer than {MIN_RESPONDENTS} respondents"
    if cell["n_organisations"] < MIN_ORGANISATIONS:
        return f"fewer than {MIN_ORGANISATIONS} organisations"
    if cell["largest_organisation_share"] > MAX_SHARE:
        return "one organisation supplies more than 50% of respondents"
    return None


def _pass(table: pd.DataFrame, margin: str, other: str | None) -> None:
    """Today's complementary pass along `margin` (smallest published cell), in place."""
    groups = (
        table.groupby(["market", "year", other]) if other else table.groupby(["market", "year"])
    )
    for _, group in groups:
        members = group[group[margin] != "ALL"]
        total = group[group[margin] == "ALL"]
        if members["reason"].notna().sum() != 1 or total.empty or total["reason"].notna().any():
            continue
        published = members[members["reason"].isna()].sort_values(["n_respondents", margin])
        if len(published):
            table.loc[published.index[0], "reason"] = (
                f"complementary: would reveal a suppressed {margin} through the total"
            )


def today(truth: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables as published before the audit: estimates null where suppressed."""
    out = {}
    for table, frame in truth.items():
        frame = frame.copy()
        frame["reason"] = [primary_reason(row) for row in frame.to_dict("records")]
        item = ITEM.get(table)
        if table == "touchpoints_by_sector_year":
            for margin in ("sector", "touchpoint", "sector", "touchpoint", "sector"):
                _pass(frame, margin, "touchpoint" if margin == "sector" else "sector")
        else:
            _pass(frame, "sector", item)
        out[table] = published(frame)
    return out


def published(frame: pd.DataFrame) -> pd.DataFrame:
    """Suppression columns from `reason`, and the measures nulled where suppressed."""
    table = next(t for t, ms in MEASURES.items() if set(ms) <= set(frame.columns))
    frame = frame.copy()
    frame["suppressed"] = frame["reason"].notna()
    frame["suppression_reason"] = frame["reason"]
    for measure in MEASURES[table]:
        frame[measure] = frame[measure].where(~frame["suppressed"])
    return frame.drop(columns=["reason", "largest_organisation_share"], errors="ignore")


def truth_by_row(truth: pd.DataFrame, table: str) -> dict[tuple, float]:
    """(row label, measure) -> true value, for disclosure.system.true_values."""
    return {
        (label, measure): float(value)
        for measure in MEASURES[table]
        for label, value in truth[measure].items()
    }
