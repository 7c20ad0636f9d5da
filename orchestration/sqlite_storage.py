"""Dagster's SQLite storage without a wait for the disk on every event.

Dagster opens, commits and closes a SQLite connection for each event it stores, a few thousand a
run (every dbt test is an asset check). Each commit, and each close that leaves a file without
connections (a WAL checkpoint), waits for the disk: ~1 ms on an idle disk, several under load,
seconds a run. With synchronous=NORMAL a commit in WAL mode does not wait, and while one
connection to a file stays open the other closes do not checkpoint. A killed process loses
nothing; a power cut may lose the last events, never the consistency of the files.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

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
    _hold_open(path)


def install() -> None:
    """Apply to every SQLite connection SQLAlchemy opens in this process under $DAGSTER_HOME."""
    if not event.contains(Engine, "connect", _on_connect):
        event.listen(Engine, "connect", _on_connect)


def held_files() -> list[str]:
    with _lock:
        return list(_held)
