"""Dagster's SQLite files under $DAGSTER_HOME: commits without waiting for the disk, and the
event log's files kept open between events."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from dagster import AssetKey, AssetMaterialization, DagsterInstance
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.test_utils import create_run_for_test

from orchestration import sqlite_storage
from orchestration.instance import write_instance_config
from orchestration.sqlite_storage import HELD_FILES


def _synchronous(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.exec_driver_sql("pragma synchronous").scalar_one()


def _wal_database(path: Path) -> sa.Engine:
    engine = sa.create_engine(f"sqlite:///{path}", poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("pragma journal_mode=wal")
        conn.exec_driver_sql("create table if not exists events (id integer)")
    return engine


def test_instance_files_commit_without_fsync_and_stay_open(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    (tmp_path / "dagster").mkdir()
    sqlite_storage.install()
    sqlite_storage.install()  # twice is once
    instance_db = tmp_path / "dagster" / "runs.db"
    other_db = tmp_path / "elsewhere.db"

    inside, outside = _wal_database(instance_db), _wal_database(other_db)

    assert _synchronous(inside) == 1  # NORMAL
    assert _synchronous(outside) == 2  # FULL, SQLite's default: not ours to change
    assert str(instance_db) in sqlite_storage.held_files()
    assert str(other_db) not in sqlite_storage.held_files()
    # Dagster closed its connection, the held one keeps the WAL: no checkpoint on every close.
    with inside.begin() as conn:
        conn.exec_driver_sql("insert into events values (1)")
    assert Path(f"{instance_db}-wal").exists()
    with inside.connect() as conn:
        assert conn.exec_driver_sql("select count(*) from events").scalar_one() == 1


def test_the_oldest_held_file_is_let_go(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    sqlite_storage.install()
    paths = [tmp_path / f"run-{i}.db" for i in range(sqlite_storage.HELD_FILES + 2)]
    for path in paths:
        _synchronous(_wal_database(path))
    held = sqlite_storage.held_files()
    assert len([h for h in held if h.startswith(str(tmp_path))]) == sqlite_storage.HELD_FILES
    assert str(paths[0]) not in held and str(paths[-1]) in held


@pytest.fixture
def pooled(tmp_path: Path, monkeypatch):
    """An instance whose event log is cxbench's pooled storage (as dagster.yaml says)."""
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    write_instance_config(tmp_path)
    with DagsterInstance.from_config(str(tmp_path)) as instance:
        yield instance


@contextmanager
def _connects(path: Path) -> Iterator[list[str]]:
    """The SQLAlchemy connections opened to `path` while in the block."""
    opened: list[str] = []

    def count(dbapi_connection, _record) -> None:
        if dbapi_connection.execute("pragma database_list").fetchone()[2] == str(path):
            opened.append(str(path))

    sa.event.listen(sa.engine.Engine, "connect", count)
    try:
        yield opened
    finally:
        sa.event.remove(sa.engine.Engine, "connect", count)


def test_the_event_log_keeps_one_connection_per_file(pooled, tmp_path):
    run = create_run_for_test(pooled, job_name="benchmark")
    pooled.report_engine_event("first", run)  # creates the run's file
    with _connects(tmp_path / "history" / "runs" / f"{run.run_id}.db") as opened:
        for i in range(20):
            pooled.report_engine_event(f"event {i}", run)
            materialized = AssetMaterialization(asset_key=AssetKey(["marts", f"table_{i % 3}"]))
            pooled.report_runless_asset_event(materialized)
    assert opened == []  # Dagster's own storage connects for every event
    assert len(pooled.all_logs(run.run_id)) == 21
    assert pooled.get_latest_materialization_event(AssetKey(["marts", "table_2"])) is not None


def test_another_process_reads_what_the_pooled_storage_wrote(pooled, tmp_path):
    """The files stay Dagster's: its own storage (the UI's, a switched-back instance) reads them."""
    run = create_run_for_test(pooled, job_name="benchmark")
    for i in range(5):
        pooled.report_engine_event(f"event {i}", run)
    reader = SqliteEventLogStorage(str(tmp_path / "history" / "runs"))
    assert [e.message for e in reader.get_logs_for_run(run.run_id)] == [
        f"event {i}" for i in range(5)
    ]


def test_threads_take_turns_on_the_held_connection(pooled):
    run = create_run_for_test(pooled, job_name="benchmark")

    def report(thread: int) -> None:
        for i in range(25):
            pooled.report_engine_event(f"{thread}-{i}", run)

    workers = [threading.Thread(target=report, args=(t,)) for t in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(pooled.all_logs(run.run_id)) == 100


def test_only_the_most_recent_files_stay_open_and_wipe_closes_them(pooled, tmp_path):
    storage = pooled.event_log_storage
    runs = [create_run_for_test(pooled, job_name="benchmark") for _ in range(HELD_FILES + 3)]
    for run in runs:
        pooled.report_engine_event("event", run)
    open_files = set(storage._engines)
    assert len(open_files) == HELD_FILES
    assert runs[-1].run_id in open_files and runs[0].run_id not in open_files
    storage.wipe()
    assert not list((tmp_path / "history" / "runs").glob("*-*.db"))  # the run files are gone
    pooled.report_engine_event("after the wipe", runs[-1])  # a new file, not the deleted one
    assert [e.message for e in pooled.all_logs(runs[-1].run_id)] == ["after the wipe"]


@pytest.mark.parametrize("storage", ["cxbench's pooled event log", "Dagster's own event log"])
def test_the_ui_follows_a_run_live(storage, tmp_path, monkeypatch):
    """The UI's live log watches a run while another process stores its events. Dagster's
    SQLite storage waits for writes to the run's file, which a connection held open leaves in
    the WAL: the pooled storage polls instead, and the files of Dagster's own are not held."""
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    sqlite_storage.install()
    write_instance_config(tmp_path)
    if storage == "Dagster's own event log":
        (tmp_path / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    seen: list[str] = []
    with DagsterInstance.from_config(str(tmp_path)) as run_process:
        run = create_run_for_test(run_process, job_name="benchmark")
        run_process.report_engine_event("first", run)
        with DagsterInstance.from_config(str(tmp_path)) as ui:
            ui.watch_event_logs(run.run_id, None, lambda entry, _: seen.append(entry.message))
            time.sleep(0.5)
            for i in range(3):
                run_process.report_engine_event(f"event {i}", run)
            deadline = time.monotonic() + 10
            while len(seen) < 4 and time.monotonic() < deadline:
                time.sleep(0.1)
    assert seen == ["first", "event 0", "event 1", "event 2"]
