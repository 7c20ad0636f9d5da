"""Rebuilding per study (dbt_project/macros/study_increments.sql, issue 19).

A run after new deliveries or new exclusions recomputes the respondent-level models only for the
studies (market x year x organisation) they touch, int_driver_sums for their market-years, and
its tables equal those of a full build of the same inputs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests.conftest import CXBENCH, REPO, cxbench_environment, run_cxbench, write_studies

# The models that read respondent rows and keep each study's rows between runs.
PER_STUDY = (
    "int_recommend_sums",
    "int_grade_sums",
    "int_touchpoint_sums",
    "int_statement_sums",
    "int_organisation_nps",
)
# Kept per market-year: the aspects of a market-year's key-driver model depend on all its studies.
PER_MARKET_YEAR = ("int_driver_sums",)
INCREMENTAL = PER_STUDY + PER_MARKET_YEAR
MARKET_YEARS = (("B2B", 2019, ("ict", "wholesale")), ("B2B", 2020, ("ict", "wholesale")),
                ("B2C", 2020, ("banking", "insurance")))  # fmt: skip

Study = tuple[str, int, str]  # market, year, organisation_id


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


def _priced_study(seed: int, organisation: str, sector: str, market: str, year: int):
    """A study that also grades price (grade_price)."""
    frame = _study(np.random.default_rng(seed), organisation, sector, market, year)
    frame["grade_price"] = np.round(np.random.default_rng(seed + 1).uniform(3, 10, len(frame)), 1)
    return frame


def _landing(seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    studies = []
    for market, year, sectors in MARKET_YEARS:
        for k in range(8):
            organisation = f"{market}-{k:03d}"
            studies.append(_study(rng, organisation, sectors[k % 2], market, year))
    return pd.concat(studies, ignore_index=True)


def _built_by(home: Path) -> dict[str, dict[Study, set[str]]]:
    """Per incremental model, the dbt invocations that built each study's rows."""
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return {
            model: {
                (market, year, organisation): set(invocations)
                for market, year, organisation, invocations in con.execute(
                    "select market, year, organisation_id, list(distinct built_by) "
                    f"from intermediate.{model} group by all"
                ).fetchall()
            }
            for model in INCREMENTAL
        }
    finally:
        con.close()


def _rebuilt(before: dict, after: dict, models: tuple[str, ...] = INCREMENTAL) -> set[Study]:
    """The studies whose rows one of `models` built anew."""
    return {
        key
        for model in models
        for key, invocations in after[model].items()
        if invocations != before[model].get(key)
    }


def _studies(built: dict, models: tuple[str, ...] = INCREMENTAL) -> set[Study]:
    """Every study with rows in one of `models`."""
    return {key for model in models for key in built[model]}


def _in(market: str, year: int, studies: set[Study]) -> set[Study]:
    return {key for key in studies if key[:2] == (market, year)}


def _last_build(home: Path) -> str:
    """The invocation id of the newest dbt build on `home` (orchestration/dbt.py keeps its
    run_results.json)."""
    builds = [p for p in (home / "dbt").glob("build-*") if (p / "run_results.json").exists()]
    newest = max(builds, key=lambda p: p.stat().st_mtime)
    return json.loads((newest / "run_results.json").read_text())["metadata"]["invocation_id"]


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


class FullBuild:
    """The landing files and exclusions `home` has now, built from scratch in `full` (`cxbench
    run` in the background, on the other core, while the test goes on with `home`)."""

    def __init__(self, home: Path, full: Path) -> None:
        self.expected = _tables(home)  # the incremental builds' tables at this step
        self.full = full
        full.mkdir(parents=True)
        shutil.copytree(home / "landing", full / "landing")
        if (home / "exclusions.yml").exists():
            shutil.copy(home / "exclusions.yml", full / "exclusions.yml")
        self.process = subprocess.Popen(
            [CXBENCH, "run", "--quiet"],
            cwd=REPO,
            env=cxbench_environment(full),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def assert_equal(self) -> None:
        """Wait for the full build: its tables equal the incremental builds', to the last digit
        that matters."""
        out, err = self.process.communicate(timeout=600)
        assert self.process.returncode == 0, f"the full build failed:\n{out}\n{err}"
        left, right = self.expected, _tables(self.full)
        assert left.keys() == right.keys()
        for name in left:
            pd.testing.assert_frame_equal(
                left[name], right[name], check_exact=False, rtol=1e-12, atol=1e-12, obj=name
            )


@pytest.fixture
def full_builds():
    """The full builds a test started; compared at its end, each having run beside the next
    incremental step. One the test did not wait for (it failed first) is stopped."""
    builds: list[FullBuild] = []
    yield builds
    for build in builds:
        if build.process.poll() is None:
            build.process.kill()
            build.process.communicate()


def test_new_deliveries_and_exclusions_rebuild_only_their_studies(tmp_path: Path, full_builds):
    home = tmp_path / "incremental"
    respondents = _landing()
    write_studies(respondents, home / "landing")
    run_cxbench(home, "run", "--quiet", check=True)
    first = _built_by(home)
    assert set(first["int_recommend_sums"]) == {
        (m, y, f"{m}-{k:03d}") for m, y, _ in MARKET_YEARS for k in range(8)
    }

    # A new study in B2B 2020: only it is recomputed; the key drivers recompute B2B 2020.
    new = ("B2B", 2020, "B2B-900")
    write_studies(_study(np.random.default_rng(11), new[2], "ict", *new[:2]), home / "landing")
    run_cxbench(home, "run", "--quiet", check=True)
    second, build = _built_by(home), _last_build(home)
    assert _rebuilt(first, second, PER_STUDY) == {new}
    assert _rebuilt(first, second, PER_MARKET_YEAR) == _in("B2B", 2020, _studies(second))
    # The grain: the other organisations of B2B 2020 keep the rows the first build made, the new
    # study's rows are this build's.
    others = _in("B2B", 2020, _studies(first, PER_STUDY))
    assert len(others) == 8
    for model in PER_STUDY:
        assert second[model][new] == {build}
        assert all(second[model][key] == first[model][key] != {build} for key in others)
    assert all(second["int_driver_sums"][key] == {build} for key in others)
    full_builds.append(FullBuild(home, tmp_path / "full-1"))

    # The analyst excludes one B2C 2020 study and every B2B 2019 study: their rows go, no other
    # study is recomputed (the key drivers recompute B2C 2020), nothing is left of B2B 2019.
    entries = [{"organisation_id": "B2C-003", "year": 2020, "reason": "fieldwork incomplete"}]
    entries += [
        {"organisation_id": f"B2B-{k:03d}", "year": 2019, "reason": "wrong questionnaire"}
        for k in range(8)
    ]
    (home / "exclusions.yml").write_text(json.dumps({"version": 1, "exclusions": entries}))
    run_cxbench(home, "run", "--quiet", check=True)
    third = _built_by(home)
    excluded = {("B2C", 2020, "B2C-003")} | _in("B2B", 2019, _studies(second))
    assert _rebuilt(second, third, PER_STUDY) == set()
    assert _rebuilt(second, third, PER_MARKET_YEAR) == _in("B2C", 2020, _studies(third))
    for model in PER_STUDY:
        assert set(third[model]) == set(second[model]) - excluded
    assert not _in("B2B", 2019, _studies(third))
    full_builds.append(FullBuild(home, tmp_path / "full-2"))

    # A study with a grade no delivery had before: the respondent columns change, so every
    # study is rebuilt (the key drivers gain an aspect everywhere).
    write_studies(_priced_study(12, "B2C-900", "banking", "B2C", 2020), home / "landing")
    run_cxbench(home, "run", "--quiet", check=True)
    fourth = _built_by(home)
    assert _rebuilt(third, fourth) == _studies(fourth)
    full_builds.append(FullBuild(home, tmp_path / "full-3"))

    # A study in B2B 2020 that grades price, which no other study there did: the per-study
    # models recompute it alone. Price joins B2B 2020's key-driver model, so the other
    # organisations' respondents (no price grade) are no longer complete cases and their
    # int_driver_sums rows go: why the key drivers are kept per market-year.
    write_studies(_priced_study(14, "B2B-901", "wholesale", "B2B", 2020), home / "landing")
    run_cxbench(home, "run", "--quiet", check=True)
    fifth = _built_by(home)
    assert _rebuilt(fourth, fifth, PER_STUDY) == {("B2B", 2020, "B2B-901")}
    assert len(_in("B2B", 2020, set(fourth["int_driver_sums"]))) == 9
    assert _in("B2B", 2020, set(fifth["int_driver_sums"])) == {("B2B", 2020, "B2B-901")}
    full_builds.append(FullBuild(home, tmp_path / "full-4"))

    # Another var (the build version changes with it): every study is recomputed. (Its tables
    # are those of a full build by construction: nothing is kept; no second build for it.)
    run_cxbench(home, "run", "--quiet", "--var", "cxbench_min_respondents=20", check=True)
    sixth = _built_by(home)
    assert _rebuilt(fifth, sixth) == _studies(sixth) == _studies(fifth)
    for build in full_builds:
        build.assert_equal()
