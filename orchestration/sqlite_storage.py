"""Dagster's SQLite storage without a wait for the disk, or a new engine, on every event.

Dagster opens, commits and closes a SQLite connection for each event it stores, ~500 a run
(every dbt test is an asset check). Each commit, and each close that leaves a file without
connections (a WAL checkpoint), waits for the disk: ~1 ms on an idle disk, several under load,
seconds a run. With synchronous=NORMAL a commit in WAL mode does not wait, and while one
connection to a file stays open the other closes do not checkpoint. A killed process loses
nothing; a power cut may lose the last events, never the consistency of the files.

The event log also builds a SQLAlchemy engine and connects anew for every event (and again for
the index when it is an asset's): ~1 ms of CPU each, ~0.7 s of a one-study run.
`PooledSqliteEventLogStorage`, which cxbench's dagster.yaml names (orchestration/instance.py),
keeps one engine and connection per file.

A file held open keeps its writes in the WAL until a checkpoint, and Dagster's SQLite event log
follows a run live (the UI's run page) by watching the file itself: the pooled storage follows
runs by polling instead, and the event log's files are never held for Dagster's own storage.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from dagster._core.storage.event_log.polling_event_watcher import SqlPollingEventWatcher
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool, StaticPool

# The event log's folder under $DAGSTER_HOME/history/: a file per run, and the index.
EVENT_LOG_FOLDER = "runs"
# Files held open at once: the run's own event file, the index, runs and schedules. A long-lived
# process (the code server) closes the oldest beyond this.
HELD_FILES = 8

_held: OrderedDict[str, sqlite3.Connection] = OrderedDict()
_lock = threading.Lock()


@lru_cache(maxsize=64)
def _in_instance(path: str, dagster_home: str) -> bool:
    """Whether the database file `path` lies under `dagster_home` (cached: Dagster connects
    a few times per event it stores, and resolving paths is most of the listener's cost)."""
    return Path(path).resolve().is_relative_to(Path(dagster_home).resolve())


def _hold_open(path: str) -> None:
    """Keep one idle connection to `path` so that closing Dagster's connections skips the
    checkpoint. It holds the WAL only if the file was in WAL mode when it read (Dagster switches a
    new file on its first connection), so until then it is opened again on the next connect."""
    with _lock:
        if path in _held:
            _held.move_to_end(path)
            return
        keeper = sqlite3.connect(path, check_same_thread=False)
        if keeper.execute("pragma journal_mode").fetchone()[0] != "wal":
            keeper.close()
            return
        _held[path] = keeper
        while len(_held) > HELD_FILES:
            _held.popitem(last=False)[1].close()


def _on_connect(dbapi_connection, _connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dagster_home = os.environ.get("DAGSTER_HOME")
    databases = dbapi_connection.execute("pragma database_list").fetchall()
    path = databases[0][2] if databases else ""
    if not dagster_home or not path or not _in_instance(path, dagster_home):
        return  # not the Dagster instance's storage: left as it is
    dbapi_connection.execute("pragma synchronous=NORMAL")
    if Path(path).parent.name != EVENT_LOG_FOLDER:
        # Dagster's own event log follows a run by watching its file for writes, which a held
        # connection leaves in the WAL: its files are not held (the pooled one holds its own).
        _hold_open(path)


def install() -> None:
    """Apply to every SQLite connection SQLAlchemy opens in this process under $DAGSTER_HOME."""
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)


def held_files() -> list[str]:
    with _lock:
        return list(_held)


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's run-sharded SQLite event log, with one engine per file kept open.

    Each engine holds one connection (StaticPool), used under the storage's lock as Dagster uses
    its per-event connections, so threads take turns as before. Up to HELD_FILES files stay
    open; a long-lived process (the UI) closes the least recently used. Files are the same as
    Dagster's own storage writes: switching back is a matter of dagster.yaml.
    """

    def __init__(self, base_dir: str, inst_data=None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._tables: set[str] = set()
        self._poller: SqlPollingEventWatcher | None = None
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is not None:
            self._engines.move_to_end(shard)
            return engine
        url = self.conn_string_for_shard(shard)
        timeout = {"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
        if shard not in self._initialized_dbs:
            # Creating or checking the schema opens connections of its own: not the held one.
            setup = sa.create_engine(url, poolclass=NullPool, connect_args=timeout)
            self._initdb(setup)
            setup.dispose()
            self._initialized_dbs.add(shard)
        engine = sa.create_engine(
            url, poolclass=StaticPool, connect_args={**timeout, "check_same_thread": False}
        )
        self._engines[shard] = engine
        while len(self._engines) > HELD_FILES:
            self._engines.popitem(last=False)[1].dispose()
        return engine

    def has_table(self, table_name: str) -> bool:
        """Dagster asks before storing each asset check event; a table, once there, stays."""
        if table_name in self._tables:
            return True
        if found := super().has_table(table_name):
            self._tables.add(table_name)
        return found

    def watch(self, run_id: str, cursor: str | None, callback) -> None:
        """Follow a run (the UI's live log) by polling, as Dagster's PostgreSQL storage does.

        Dagster's SQLite storage waits for writes to the run's file, which in WAL mode reach it
        only at a checkpoint: with connections kept open, rarely during a run."""
        with self._db_lock:
            if self._poller is None:
                self._poller = SqlPollingEventWatcher(self)
        self._poller.watch_run(run_id, cursor, callback)

    def end_watch(self, run_id: str, handler) -> None:
        if self._poller is not None:
            self._poller.unwatch_run(run_id, handler)

    def _close_files(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        self._close_files()  # before the files are deleted
        super().wipe()

    def dispose(self) -> None:
        if self._poller is not None:
            self._poller.close()
        super().dispose()
        self._close_files()
