"""`cxbench run` end to end: landing files in, published snapshot, Parquet and summary out."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from cxbench.settings import DBT_PROJECT_DIR
from orchestration.dbt import DBT_EXECUTABLE, INVOCATIONS_KEPT, dbt_environment
from tests.conftest import Publication, run_cxbench, run_dbt, write_studies
from tests.reference.generate import make_survey_frame

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_like(tmp_path_factory):
    """Generated studies plus one delivery of 100 rows with 3 bad rows."""
    respondents = make_survey_frame(5)
    home = tmp_path_factory.mktemp("e2e")
    landing = home / "landing"
    write_studies(respondents, landing)
    rows = [f"B{i:03d},ORG-X,wholesale,B2B,2024,{i % 11},{1 + i % 10}" for i in range(100)]
    rows[3] = rows[3].replace(",B2B,2024,3,", ",B2B,2024,11,")
    rows[50] = rows[50].replace(",wholesale,", ",unknown_sector,")
    rows[99] = "," + rows[99].split(",", 1)[1]
    header = "respondent_id,organisation_id,sector,market,year,recommend,grade_overall"
    (landing / "bad_rows.csv").write_text("\n".join([header, *rows]) + "\n")
    accepted = (
        pd.DataFrame(
            [r.split(",") for i, r in enumerate(rows) if i not in (3, 50, 99)],
            columns=header.split(","),
        )
        .astype({"year": int, "recommend": int, "grade_overall": float})
        .assign(weight=1.0)
    )
    publication = Publication(home=home, run=run_cxbench(home, "run", check=True))
    return respondents, accepted, publication


def test_run_exits_zero_and_prints_where_and_what(demo_like):
    _, _, publication = demo_like
    assert publication.run.returncode == 0, publication.run.stderr
    out = publication.run.stdout
    assert "benchmark.duckdb" in out and "parquet" in out
    assert "Net Promoter Score" in out
    assert "rows quarantined - see audit.file_log" in out  # the 3 bad rows are not hidden
    assert publication.run.stderr == ""


def test_bad_rows_are_quarantined_and_the_run_goes_on(demo_like):
    _, _, publication = demo_like
    log = publication.warehouse(
        "select status, rows_read, rows_accepted, rows_quarantined from audit.file_log "
        "where source_file = 'bad_rows.csv'"
    ).iloc[0]
    assert (log.status, log.rows_read, log.rows_accepted, log.rows_quarantined) == (
        "partially_loaded",
        100,
        97,
        3,
    )


def test_published_nps_equals_an_independent_computation(demo_like):
    respondents, extra, publication = demo_like
    everything = pd.concat([respondents, extra], ignore_index=True)
    answered = everything[everything["recommend"].notna()].copy()
    recommend = answered["recommend"].astype(int)
    answered["score"] = np.where(recommend >= 9, 100.0, np.where(recommend <= 6, -100.0, 0.0))
    answered["wy"] = answered["weight"] * answered["score"]
    by_market = answered.groupby(["market", "year"])
    expected = (by_market["wy"].sum() / by_market["weight"].sum()).rename("expected")
    published = publication.table("nps_by_sector_year")
    totals = published[published["sector"] == "ALL"].set_index(["market", "year"])
    joined = totals.join(expected, how="outer")
    assert len(joined) == len(expected)
    assert np.allclose(joined["nps"], joined["expected"], rtol=1e-12)
    counts = by_market.size().rename("n")
    assert (totals["n_respondents"] == counts.reindex(totals.index)).all()


def test_snapshot_parquet_and_publication_info(demo_like):
    _, _, publication = demo_like
    published = publication.home / "published"
    con = duckdb.connect(str(published / "benchmark.duckdb"), read_only=True)
    tables = {
        t
        for (t,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'main'"
        ).fetchall()
    }
    info = con.execute("select * from benchmark.publication_info").df()
    # The models' descriptions reach BI tools as comments (cxbench/descriptions.py).
    (table_comment,) = con.execute(
        "select comment from duckdb_tables() where table_name = 'nps_by_sector_year'"
    ).fetchone()
    column_comments = dict(
        con.execute(
            "select column_name, comment from duckdb_columns() "
            "where table_name = 'nps_by_sector_year' and comment is not null"
        ).fetchall()
    )
    con.close()
    assert "Net Promoter Score" in table_comment
    assert {"nps", "nps_se", "n_organisations"} <= column_comments.keys()
    expected = {
        "nps_by_sector_year",
        "grades_by_sector_year",
        "touchpoints_by_sector_year",
        "statements_by_sector_year",
        "top_performers_by_year",
        "drivers_by_year",
        "publication_info",
    }
    assert tables == expected
    for table in expected:
        parquet = pd.read_parquet(published / "parquet" / f"{table}.parquet")
        assert len(parquet) == len(publication.table(table))
        assert "organisation_id" not in parquet.columns
    assert (published / "restricted" / "organisation_positions.parquet").exists()
    assert len(info) == 1
    row = info.iloc[0]
    assert row.min_respondents == 30 and row.min_organisations == 3
    assert row.max_organisation_share == 0.5
    assert len(row.data_fingerprint) == 32
    assert not list(published.glob(".incoming-*"))


def _builds(home: Path) -> list[Path]:
    return [p for p in home.joinpath("dbt").glob("build-*") if (p / "run_results.json").exists()]


def _reparsed(home: Path) -> list[str]:
    """What dbt said of its parse state in the last run (from its output, in the run's log)."""
    log = (home / "logs" / "last-run.log").read_text()
    assert "Running with dbt=" in log  # dbt's output is there to read
    return [line for line in log.splitlines() if "Unable to do partial parsing" in line]


def _touch_a_delivery(home: Path) -> None:
    """A delivery copied in again: new file times, the same bytes (nothing new to ingest)."""
    delivery = next(p for p in sorted((home / "landing").rglob("*.csv")))
    os.utime(delivery)


def test_the_run_log_shows_each_stage(demo_like):
    _, _, publication = demo_like
    log = (publication.home / "logs" / "last-run.log").read_text()
    stages = [line.split("] ", 1)[1] for line in log.splitlines() if line.startswith("[")]
    assert stages[0].startswith("ingest 1/") and any(s.startswith("dbt ") for s in stages)
    assert stages[-3:] == ["quality gate", "publication", "report"]
    # The data home's first build reused the parse state `dbt parse` left beside the code.
    assert _reparsed(publication.home) == []


def test_a_second_run_with_nothing_new_says_it_is_up_to_date(demo_like):
    _, _, publication = demo_like
    before = publication.table("nps_by_sector_year")
    builds = _builds(publication.home)
    again = run_cxbench(publication.home, "run")
    assert again.returncode == 0, again.stderr
    assert "publication is up to date" in again.stdout
    assert _builds(publication.home) == builds  # no dbt build, no Dagster run
    pd.testing.assert_frame_equal(before, publication.table("nps_by_sector_year"))


def test_a_run_after_a_touched_delivery_rebuilds_the_same_figures(demo_like):
    _, _, publication = demo_like
    before = publication.table("nps_by_sector_year")
    _touch_a_delivery(publication.home)
    again = run_cxbench(publication.home, "run", "--quiet")
    assert again.returncode == 0, again.stderr
    after = publication.table("nps_by_sector_year")
    pd.testing.assert_frame_equal(before, after)
    # dbt reused the parse state the first run left (orchestration/dbt.py keep_partial_parse).
    assert _reparsed(publication.home) == []


def _checkout_status(repository: Path) -> list[str]:
    return subprocess.run(
        ["git", "-C", str(repository), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()


def test_runs_leave_their_dbt_artefacts_in_the_data_home_not_the_checkout(demo_like):
    """Every run's dbt folder lives under the data home's dbt/, pruned to the last few; the code
    checkout holds only what `dbt parse` made for the code location, whatever the runs."""
    _, _, publication = demo_like
    repository = DBT_PROJECT_DIR.parent
    before = _checkout_status(repository)
    for _ in range(INVOCATIONS_KEPT + 1 - 2):  # demo_like and the test above ran two builds
        _touch_a_delivery(publication.home)
        run_cxbench(publication.home, "run", "--quiet", check=True)
    builds = [p for p in publication.home.joinpath("dbt").iterdir() if p.is_dir()]
    assert len(builds) == INVOCATIONS_KEPT
    assert all((p / "run_results.json").exists() for p in builds)
    target = DBT_PROJECT_DIR / "target"
    assert not [p for p in target.iterdir() if p.is_dir()]
    assert not (DBT_PROJECT_DIR / "logs").exists()
    # Nothing the runs wrote shows in git (ignored files would not: target/ is checked above).
    assert _checkout_status(repository) == before


def test_the_dbt_unit_tests_pass_on_the_built_warehouse(demo_like, tmp_path):
    """Production builds skip dbt's unit tests (orchestration/dbt.py); `make test` runs them."""
    _, _, publication = demo_like
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    defined = set(manifest.get("unit_tests", {}))
    assert len(defined) >= 9
    run_dbt(["test", "--select", "test_type:unit"], publication.home / "warehouse.duckdb", tmp_path)
    results = json.loads((tmp_path / "run_results.json").read_text())["results"]
    # The project's on-run-start hook (the Spark engine's sources; a no-op on DuckDB) runs too.
    unit_tests = [r for r in results if not r["unique_id"].startswith("operation.")]
    assert {r["unique_id"] for r in unit_tests} == defined
    assert all(r["status"] == "pass" for r in unit_tests)


def test_accepted_ranges_fails_on_a_value_out_of_any_declared_range(demo_like, tmp_path):
    """One accepted_ranges test per model checks all its columns' ranges, inclusive bounds by
    default, exclusive where declared, nulls passing."""
    _, _, publication = demo_like
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(publication.home / "warehouse.duckdb", warehouse)
    with duckdb.connect(str(warehouse)) as con:
        market, year, sector = con.execute(
            "select market, year, sector from marts.nps_by_sector_year "
            "where not suppressed and sector <> 'ALL' order by all limit 1"
        ).fetchone()
        cell = "where market = ? and year = ? and sector = ?"
        # one published NPS just above 100, and the bound itself (allowed) in its total
        con.execute(
            f"update marts.nps_by_sector_year set nps = 100.5 {cell}", [market, year, sector]
        )
        con.execute(f"update marts.nps_by_sector_year set nps = 100 {cell}", [market, year, "ALL"])
        con.execute("update marts.grades_by_sector_year set mean_grade = null")  # nulls pass
        con.execute(  # weight must be > 0: zero is outside the exclusive bound
            "update raw.survey_responses set weight = 0 where row_number = 1 "
            "and source_file = (select min(source_file) from raw.survey_responses)"
        )
    env = {**dbt_environment(), "CXBENCH_WAREHOUSE": str(warehouse)}
    env.pop("DBT_TARGET_PATH", None)
    subprocess.run(
        [DBT_EXECUTABLE, "test", "--select", "test_name:accepted_ranges"]
        + ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "target")],
        cwd=DBT_PROJECT_DIR,
        env={**env, "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR)},
        capture_output=True,
        timeout=600,
    )
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    failures = {r["unique_id"].split(".")[2]: r["failures"] for r in results}
    assert len(failures) >= 7
    failed = {test: n for test, n in failures.items() if n}
    assert failed == {
        "nps_by_sector_year_accepted_ranges": 1,
        "stg_survey__responses_accepted_ranges": 1,
    }, failures


def test_a_failing_dbt_test_blocks_the_publication(demo_like, tmp_path):
    """dbt's exit code reaches Dagster through cxbench-dbt: a failed dbt test stops the run before
    anything is published, and the one-line reason names the test."""
    _, _, publication = demo_like
    home = tmp_path / "home"
    shutil.copytree(publication.home, home, symlinks=True)
    snapshot = (home / "published" / "benchmark.duckdb").resolve()
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute("update raw.survey_responses set weight = 0 where row_number = 1")

    run = run_cxbench(home, "run")

    assert run.returncode == 1
    assert "stg_survey__responses_accepted_ranges" in run.stderr
    # The reason names the table, the cell (keys of the row) and the value (issue 14).
    assert "staging.stg_survey__responses: " in run.stderr
    assert "row_number=1" in run.stderr and "weight = 0.0 (allowed > 0)" in run.stderr
    assert (home / "published" / "benchmark.duckdb").resolve() == snapshot


def test_the_marts_enforce_their_not_null_columns_in_the_warehouse(demo_like):
    """not_null is a constraint of the marts' contracts, not a test: the warehouse table refuses a
    null. A constraint on a model without an enforced contract would be silently ignored."""
    _, _, publication = demo_like
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    declared = {
        (node["name"], column)
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        for column, spec in node["columns"].items()
        if any(c["type"] == "not_null" for c in spec.get("constraints", []))
    }
    unenforced = {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and not node["config"]["contract"]["enforced"]
        and any(spec.get("constraints") for spec in node["columns"].values())
    }
    assert len(declared) >= 50 and not unenforced
    with duckdb.connect(str(publication.home / "warehouse.duckdb"), read_only=True) as con:
        not_nullable = set(
            con.execute(
                "select table_name, column_name from information_schema.columns "
                "where table_schema = 'marts' and is_nullable = 'NO'"
            ).fetchall()
        )
    assert declared <= not_nullable


def test_a_second_run_while_one_holds_the_data_home_stops_with_one_line(demo_like, tmp_path):
    import fcntl

    _, _, publication = demo_like
    with (publication.home / ".cxbench-run.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        blocked = run_cxbench(publication.home, "run")
    assert blocked.returncode == 75
    assert len(blocked.stderr.strip().splitlines()) == 1
    assert "another cxbench run" in blocked.stderr
    assert "Traceback" not in blocked.stderr


def test_an_empty_landing_folder_still_publishes(tmp_path: Path):
    home = tmp_path / "empty"
    (home / "landing").mkdir(parents=True)
    result = run_cxbench(home, "run")
    assert result.returncode == 0, result.stderr
    assert (home / "published" / "benchmark.duckdb").exists()


def test_disclosure_thresholds_can_be_set_per_run(demo_like):
    """Runs last in this module: it republishes with a threshold that suppresses every cell."""
    _, _, publication = demo_like
    strict = run_cxbench(
        publication.home, "run", "--quiet", "--var", "cxbench_min_respondents=1000000"
    )
    assert strict.returncode == 0, strict.stderr
    nps = publication.table("nps_by_sector_year")
    assert nps["suppressed"].all() and nps["nps"].isna().all()
    assert (nps["suppression_reason"] == "fewer than 1000000 respondents").all()
    info = publication.table("publication_info").iloc[0]
    assert info.min_respondents == 1_000_000
