"""Benchmark landing sets: N respondents in canonical study files, streamed one file at a time.

Sized like the performance issue: 10 million respondents in 2,000 files (5,000 per study).
Organisation effects and uneven weights give the estimator real work; the content is random.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

B2B_SECTORS = [
    "industry",
    "wholesale",
    "transport_logistics",
    "ict",
    "professional_services",
    "financial_services",
    "construction_installation",
    "facility_services",
    "waste",
]
RESPONDENTS_PER_FILE = 5_000
YEARS = (2019, 2020)


def parse_count(text: str) -> int:
    """'1M', '10M', '250k' or a plain number."""
    units = {"k": 1_000, "m": 1_000_000}
    text = text.strip().lower()
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def write_study(path: Path, organisation: int, year: int, n: int, rng: np.random.Generator) -> None:
    effect = rng.normal(0, 1.2)
    recommend = np.clip(np.round(rng.normal(7.2 + effect, 2.0, n)), 0, 10).astype(np.int64)
    grade = np.clip(np.round(rng.normal(7.6 + effect / 3, 1.0, n), 1), 1, 10)
    frame = pl.DataFrame(
        {
            "respondent_id": [f"R{i:06d}" for i in range(n)],
            "organisation_id": f"BENCH-{organisation:05d}",
            "sector": B2B_SECTORS[organisation % len(B2B_SECTORS)],
            "market": "B2B",
            "year": year,
            "recommend": pl.Series(recommend).set(pl.Series(rng.random(n) < 0.05), None),
            "grade_overall": grade,
            "touch_question": rng.integers(1, 6, n),
            "weight": np.round(rng.uniform(0.5, 1.5, n), 3),
        }
    )
    frame.write_csv(path)


def write_landing(dest: Path, respondents: int, seed: int = 7) -> list[Path]:
    """Studies of RESPONDENTS_PER_FILE respondents (the last one smaller), alternating years."""
    dest.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    written, remaining, study = [], respondents, 0
    while remaining > 0:
        n = min(RESPONDENTS_PER_FILE, remaining)
        year = YEARS[study % len(YEARS)]
        organisation = study // len(YEARS)
        path = dest / f"bench_{organisation:05d}_{year}.csv"
        write_study(path, organisation, year, n, rng)
        written.append(path)
        remaining -= n
        study += 1
    return written
