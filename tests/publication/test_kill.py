"""kill -9 during ingest, during dbt and during publication: the last publication stays readable
and unchanged, and the next `cxbench run` completes (DuckDB recovers its WAL, leftovers go)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests.conftest import CXBENCH, REPO, run_cxbench, write_studies
from tests.publication.homes import copy_home, new_organisations
from tests.quality.test_blocked_run import published_state

pytestmark = pytest.mark.slow


def read_snapshot(home: Path) -> tuple[int, int]:
    """What a BI tool does: open read-only and read. Files counted, NPS rows."""
    con = duckdb.connect(str(home / "published" / "benchmark.duckdb"), read_only=True)
    try:
        (files,) = con.execute("select n_files from benchmark.publication_info").fetchone()
        (rows,) = con.execute("select count(*) from benchmark.nps_by_sector_year").fetchone()
        return files, rows
    finally:
        con.close()


def run_until(home: Path, moment: Callable[[], bool], timeout: float = 300) -> str:
    """Start `cxbench run`, kill -9 it as soon as `moment()` holds; return its log."""
    (home / "logs" / "last-run.log").unlink(missing_ok=True)  # the moment is this run's
    env = {**os.environ, "CXBENCH_HOME": str(home), "DO_NOT_TRACK": "1"}
    process = subprocess.Popen(
        [CXBENCH, "run", "--quiet"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + timeout
    try:
        while not moment():
            assert process.poll() is None, "the run ended before the moment to kill it"
            assert time.monotonic() < deadline, "the moment to kill never came"
            time.sleep(0.005)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    return (home / "logs" / "last-run.log").read_text(errors="replace")


def log_says(home: Path, text: str) -> Callable[[], bool]:
    log = home / "logs" / "last-run.log"
    return lambda: log.exists() and text in log.read_text(errors="replace")


def after(seconds: float, first: Callable[[], bool]) -> Callable[[], bool]:
    started: list[float] = []

    def moment() -> bool:
        if not started and first():
            started.append(time.monotonic())
        return bool(started) and time.monotonic() - started[0] >= seconds

    return moment


def owned_processes(home: Path) -> list[int]:
    """Processes started by a `cxbench run` of this data home (Linux /proc)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            environment = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"CXBENCH_HOME={home}".encode() in environment and any(
            v.startswith(b"CXBENCH_RUN_OWNER=") for v in environment
        ):
            found.append(int(entry.name))
    return found


def incoming_publication(home: Path) -> Callable[[], bool]:
    versions = home / "published" / "versions" / "snapshot"
    return lambda: versions.is_dir() and any(versions.glob(".incoming-*"))


@pytest.fixture(scope="module")
def killed_three_times(published_home: Path, tmp_path_factory: pytest.TempPathFactory):
    home = copy_home(published_home, tmp_path_factory.mktemp("killed") / "home")
    # Enough new studies that ingest lasts a while: batched, it reads ~7,000 rows in 0.5 s.
    for batch in range(4):
        write_studies(new_organisations(seed=12 + batch, prefix=f"K{batch}"), home / "landing")
    before = published_state(home)
    readable = read_snapshot(home)
    outcomes = {}
    # 1. During ingest: new files are being validated and loaded.
    log = run_until(
        home, after(0.2, log_says(home, 'Started execution of step "survey_deliveries"'))
    )
    outcomes["ingest"] = (log, published_state(home), read_snapshot(home))
    # 2. During dbt: it is building the tables in the warehouse.
    log = run_until(home, after(1.0, log_says(home, "START sql table model")))
    outcomes["dbt"] = (log, published_state(home), read_snapshot(home))
    orphans = owned_processes(home)  # dbt outlives the run that started it
    # 3. During publication: the new version is being written beside the current one.
    log = run_until(home, incoming_publication(home))
    leftovers = list((home / "published" / "versions" / "snapshot").glob(".incoming-*"))
    outcomes["publish"] = (log, published_state(home), read_snapshot(home))
    final = run_cxbench(home, "run", "--quiet")
    return home, before, readable, outcomes, leftovers, final, orphans


def test_each_kill_came_at_its_moment(killed_three_times):
    _, _, _, outcomes, leftovers, _, _ = killed_three_times
    ingest_log = outcomes["ingest"][0]
    assert 'Started execution of step "survey_deliveries"' in ingest_log
    assert 'Finished execution of step "survey_deliveries"' not in ingest_log
    dbt_log = outcomes["dbt"][0]
    assert "START sql table model" in dbt_log
    assert 'Finished execution of step "benchmark_models"' not in dbt_log
    assert leftovers, "the third kill came before the publication started writing"


@pytest.mark.parametrize("moment", ["ingest", "dbt", "publish"])
def test_the_last_publication_stays_readable_and_unchanged(killed_three_times, moment):
    _, before, readable, outcomes, _, _, _ = killed_three_times
    _, state, read = outcomes[moment]
    assert state == before
    assert read == readable


def test_the_next_run_completes_and_cleans_up(killed_three_times):
    home, before, readable, _, _, final, _ = killed_three_times
    assert final.returncode == 0, final.stderr
    files, rows = read_snapshot(home)
    assert files > readable[0]  # the new organisations' files are in
    assert published_state(home)["current"] != before["current"]
    assert not list((home / "published").rglob(".incoming-*"))


def test_the_dbt_a_killed_run_left_behind_is_stopped(killed_three_times):
    home, *_, orphans = killed_three_times
    assert orphans, "killed during dbt, the dbt process should have outlived its run"
    assert owned_processes(home) == []


def test_the_killed_runs_are_marked_failed_for_the_ui(killed_three_times):
    from dagster import DagsterInstance, DagsterRunStatus

    home = killed_three_times[0]
    with DagsterInstance.from_config(str(home / "dagster")) as instance:
        runs = instance.get_runs(limit=4)
    assert [r.status for r in runs] == [DagsterRunStatus.SUCCESS] + [DagsterRunStatus.FAILURE] * 3
