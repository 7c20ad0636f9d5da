"""Dagster's SQLite files under $DAGSTER_HOME: commits without waiting for the disk."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from orchestration import sqlite_storage


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
