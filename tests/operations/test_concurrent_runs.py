"""Two `cxbench run`s started together, and a frozen edition: real processes, real Dagster runs."""

from __future__ import annotations

import json
import subprocess

import duckdb
import pandas as pd
import pytest
from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from orchestration.instance import WAREHOUSE_POOL
from tests.conftest import CXBENCH, REPO
from tests.operations.conftest import OperatedHome

pytestmark = pytest.mark.slow


def query(path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def cxbench(home: OperatedHome, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CXBENCH, *args], cwd=REPO, env=home.env(), capture_output=True, text=True, timeout=600
    )


def test_one_run_publishes_and_the_other_stops_with_one_line(operated_home):
    winner, loser = sorted(operated_home.runs, key=lambda r: r.returncode)
    assert (winner.returncode, loser.returncode) == (0, 75), [r.stderr for r in operated_home.runs]
    assert "Net Promoter Score" in winner.stdout
    assert loser.stdout == ""
    assert len(loser.stderr.strip().splitlines()) == 1
    assert "another cxbench run is updating" in loser.stderr
    for run in operated_home.runs:
        assert "Traceback" not in run.stderr + run.stdout


def test_the_publication_is_readable_and_complete(operated_home):
    snapshot = operated_home.root / "published" / "benchmark.duckdb"
    (n,) = query(snapshot, "select count(*) from benchmark.nps_by_sector_year")[0]
    assert n > 0
    [(fingerprint, edition)] = query(
        snapshot, "select data_fingerprint, edition from benchmark.publication_info"
    )
    assert len(fingerprint) == 32 and edition == "current"


def test_the_dagster_instance_has_one_finished_run_and_no_held_slot(operated_home, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(operated_home.root / "dagster"))
    with DagsterInstance.get() as instance:
        runs = instance.get_runs(filters=RunsFilter(job_name="benchmark"))
        assert [r.status for r in runs] == [DagsterRunStatus.SUCCESS]  # the loser never started
        info = instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL)
        assert info.slot_count == 1 and info.claimed_slots == [] and info.pending_steps == []


def test_an_edition_freezes_the_benchmark_with_its_fingerprint(operated_home):
    result = cxbench(operated_home, "edition", "E2023", "--year", "2023")
    assert result.returncode == 0, result.stderr
    assert "Froze edition E2023 (fieldwork through 2023)" in result.stdout
    folder = operated_home.root / "published" / "editions" / "E2023"
    manifest = json.loads((folder / "manifest.json").read_text())
    [(edition, fingerprint)] = query(
        folder / "benchmark.duckdb",
        "select edition, data_fingerprint from benchmark.publication_info",
    )
    assert edition == "E2023"  # dbt var cxbench_edition
    assert manifest["data_fingerprint"] == fingerprint
    # dbt's fingerprint equals the one recomputed from the manifest's file list.
    assert len(manifest["files"]) == manifest["publication_info"]["n_files"]
    current = query(
        operated_home.root / "published" / "benchmark.duckdb",
        "select max(year) from benchmark.nps_by_sector_year",
    )[0][0]
    frozen = pd.read_parquet(folder / "parquet" / "nps_by_sector_year.parquet")
    assert current == 2024 and frozen["year"].max() == 2023
    assert manifest["tables"]["nps_by_sector_year"]["rows"] == len(frozen)


def test_an_edition_cannot_be_frozen_twice(operated_home):
    if not (operated_home.root / "published" / "editions" / "E2023").exists():
        first = cxbench(operated_home, "edition", "E2023", "--year", "2023")  # run on its own
        assert first.returncode == 0, first.stderr
    again = cxbench(operated_home, "edition", "E2023")
    assert again.returncode == 1
    assert again.stderr.strip().splitlines() == [
        f"cxbench: edition E2023 is already frozen in "
        f"{operated_home.root / 'published' / 'editions' / 'E2023'}; editions never change"
    ]
