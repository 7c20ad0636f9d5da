"""Rebuilding by market-year (dbt_project/macros/market_year_increments.sql, issue 19).

A run after new deliveries or new exclusions recomputes the respondent-level models only for the
market-years they touch, and its tables equal those of a full build of the same inputs.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from tests.conftest import run_cxbench, write_studies

# The models that read respondent rows and keep their market-years between runs.
INCREMENTAL = (
    "int_recommend_sums",
    "int_grade_sums",
    "int_touchpoint_sums",
    "int_statement_sums",
    "int_driver_sums",
    "int_organisation_nps",
)
MARKET_YEARS = (("B2B", 2019, ("ict", "wholesale")), ("B2B", 2020, ("ict", "wholesale")),
                ("B2C", 2020, ("banking", "insurance")))  # fmt: skip


def _study(rng: np.random.Generator, organisation: str, sector: str, market: str, year: int):
    n = int(rng.integers(12, 40))
    frame = pd.DataFrame(
        {
            "respondent_id": [f"R{i:04d}" for i in range(n)],
            "organisation_id": organisation,
            "sector": sector,
            "market": market,
            "year": year,
            "recommend": rng.integers(0, 11, n),
            "grade_overall": np.round(rng.uniform(3, 10, n), 1),
            "grade_service": np.round(rng.uniform(3, 10, n), 1),
            "touch_phone": rng.integers(1, 6, n),
            "agree_trust": rng.integers(1, 6, n),
            "weight": np.round(rng.uniform(0.5, 2.0, n), 3),
        }
    )
    frame.loc[rng.random(n) < 0.1, "touch_phone"] = None
    return frame


def _landing(seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    studies = []
    for market, year, sectors in MARKET_YEARS:
        for k in range(8):
            organisation = f"{market}-{k:03d}"
            studies.append(_study(rng, organisation, sectors[k % 2], market, year))
    return pd.concat(studies, ignore_index=True)


def _built_by(home: Path) -> dict[str, dict[tuple[str, int], set[str]]]:
    """Per incremental model, the dbt invocations that built each market-year's rows."""
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return {
            model: {
                (market, year): set(invocations)
                for market, year, invocations in con.execute(
                    f"select market, year, list(distinct built_by) from intermediate.{model} "
                    "group by all"
                ).fetchall()
            }
            for model in INCREMENTAL
        }
    finally:
        con.close()


def _rebuilt(before: dict, after: dict) -> set[tuple[str, int]]:
    """The market-years whose rows some model built anew."""
    return {
        key
        for model, years in after.items()
        for key, invocations in years.items()
        if invocations != before[model].get(key)
    }


def _tables(home: Path) -> dict[str, pd.DataFrame]:
    """Every intermediate and marts table, sorted, without the columns that name a run."""
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        names = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('intermediate', 'marts') and table_type = 'BASE TABLE'"
        ).fetchall()
        tables = {}
        for (name,) in names:
            frame = con.execute(f"select * from {name}").df()
            frame = frame.drop(columns=["built_by", "published_at"], errors="ignore")
            # A column a new delivery brings is appended to a kept table (on_schema_change), so
            # columns are compared by name; the published marts are rebuilt whole, in order.
            frame = frame[sorted(frame.columns)]
            tables[name] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
        return tables
    finally:
        con.close()


def _assert_same_tables(incremental: Path, full: Path) -> None:
    left, right = _tables(incremental), _tables(full)
    assert left.keys() == right.keys()
    for name in left:
        pd.testing.assert_frame_equal(
            left[name], right[name], check_exact=False, rtol=1e-12, atol=1e-12, obj=name
        )


def test_new_deliveries_and_exclusions_rebuild_only_their_market_years(tmp_path: Path):
    home = tmp_path / "incremental"
    respondents = _landing()
    write_studies(respondents, home / "landing")
    run_cxbench(home, "run", "--quiet", check=True)
    first = _built_by(home)
    assert set(first["int_recommend_sums"]) == {(m, y) for m, y, _ in MARKET_YEARS}

    # A new study in B2B 2020: only that market-year is recomputed.
    new = _study(np.random.default_rng(11), "B2B-900", "ict", "B2B", 2020)
    write_studies(new, home / "landing")
    run_cxbench(home, "run", "--quiet", check=True)
    second = _built_by(home)
    assert _rebuilt(first, second) == {("B2B", 2020)}

    # The analyst excludes one B2C 2020 study and every B2B 2019 study: B2C 2020 is recomputed,
    # B2B 2019 has no rows left anywhere, B2B 2020 keeps its rows.
    entries = [{"organisation_id": "B2C-003", "year": 2020, "reason": "fieldwork incomplete"}]
    entries += [
        {"organisation_id": f"B2B-{k:03d}", "year": 2019, "reason": "wrong questionnaire"}
        for k in range(8)
    ]
    (home / "exclusions.yml").write_text(json.dumps({"version": 1, "exclusions": entries}))
    run_cxbench(home, "run", "--quiet", check=True)
    third = _built_by(home)
    assert _rebuilt(second, third) == {("B2C", 2020)}
    assert all(("B2B", 2019) not in years for years in third.values())
    assert third["int_recommend_sums"][("B2B", 2020)] == second["int_recommend_sums"][("B2B", 2020)]

    # A study with a grade no delivery had before: the respondent columns change, so every
    # market-year is rebuilt (the key drivers gain an aspect everywhere).
    priced = _study(np.random.default_rng(12), "B2C-900", "banking", "B2C", 2020)
    priced["grade_price"] = np.round(np.random.default_rng(13).uniform(3, 10, len(priced)), 1)
    write_studies(priced, home / "landing")
    run_cxbench(home, "run", "--quiet", check=True)
    fourth = _built_by(home)
    assert _rebuilt(third, fourth) == set(third["int_recommend_sums"])
    third = fourth

    # The same inputs built from scratch give the same tables, to the last digit that matters.
    full = tmp_path / "full"
    shutil.copytree(home / "landing", full / "landing")
    shutil.copy(home / "exclusions.yml", full / "exclusions.yml")
    run_cxbench(full, "run", "--quiet", check=True)
    _assert_same_tables(home, full)

    # Another var (the build version changes with it): every market-year is recomputed, and the
    # tables still equal a full build with that var.
    run_cxbench(home, "run", "--quiet", "--var", "cxbench_min_respondents=20", check=True)
    fifth = _built_by(home)
    assert _rebuilt(third, fifth) == set(third["int_recommend_sums"])
    run_cxbench(full, "run", "--quiet", "--var", "cxbench_min_respondents=20", check=True)
    _assert_same_tables(home, full)
