"""Publication: the benchmark snapshot BI tools read (docs/contract.md §1, §9).

Layout of `published/` (the contract's paths are the first ones):

    benchmark.duckdb -> current/benchmark.duckdb     fixed symlinks, made once
    parquet          -> current/parquet
    restricted/<table>.parquet -> ../current/restricted/<table>.parquet
    current          -> versions/snapshot/<id>        swapped with one rename(2)
    versions/snapshot/<id>/   a complete publication: benchmark.duckdb, parquet/, restricted/

A publication is written in full under `versions/snapshot/.incoming-<pid>-<id>/`, flushed to
disk, renamed to `<id>/` and made current by renaming a new `current` symlink over the old one.
Whoever opens a published path gets the old or the new publication, never a half-written file;
a reader holding the old snapshot open keeps reading it (a version is deleted only
KEEP_VERSIONS publications later, and an open file outlives its deletion). A process killed at
any moment leaves the last publication intact; the next publication removes its leftovers.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb

from cxbench import duckdb_connections
from cxbench.descriptions import literal
from cxbench.settings import DataHome

PUBLIC_TABLES = (
    "nps_by_sector_year",
    "grades_by_sector_year",
    "touchpoints_by_sector_year",
    "statements_by_sector_year",
    "top_performers_by_year",
    "drivers_by_year",
    "publication_info",
)
RESTRICTED_TABLES = ("organisation_positions", "organisation_grades")
# The snapshot's tables sit in DuckDB's default schema, so that `benchmark.<table>` (the file
# attached under its own name) and a bare `<table>` both work in BI tools.
PUBLIC_SCHEMA = "main"
MARTS_SCHEMA = "marts"

# DuckDB storage format of the snapshot, for BI tools embedding an older DuckDB, e.g. v1.5.0.
STORAGE_VERSION_ENV = "CXBENCH_SNAPSHOT_STORAGE_VERSION"
STORAGE_VERSION = re.compile(r"^v\d+\.\d+\.\d+$")
# The current publication and the ones before it, for readers that resolved a path just before
# a swap and open it just after.
KEEP_VERSIONS = 3
INCOMING = ".incoming-"
SNAPSHOT_FILE = "benchmark.duckdb"
T = TypeVar("T")
# Fixed paths under published/ -> their symlink target. restricted/ stays a real folder (client
# reports are written there on demand), only its tables swap with the snapshot.
ENTRY_POINTS = {
    SNAPSHOT_FILE: f"current/{SNAPSHOT_FILE}",
    "parquet": "current/parquet",
    **{f"restricted/{t}.parquet": f"../current/restricted/{t}.parquet" for t in RESTRICTED_TABLES},
}


@dataclass(frozen=True)
class Publication:
    snapshot: Path
    parquet_files: tuple[Path, ...]
    restricted_files: tuple[Path, ...]
    row_counts: dict[str, int]
    published_at: dt.datetime
    version: str


def publish(home: DataHome, storage_version: str | None = None) -> Publication:
    """Copy the marts into a new version of the snapshot and Parquet files, then swap it in.

    `storage_version` (default: $CXBENCH_SNAPSHOT_STORAGE_VERSION) writes the snapshot in an
    older DuckDB storage format, e.g. `v1.5.0`.
    """
    storage_version = storage_version or os.environ.get(STORAGE_VERSION_ENV) or None
    if storage_version and not STORAGE_VERSION.match(storage_version):
        raise ValueError(f"{STORAGE_VERSION_ENV} must look like v1.5.0, not {storage_version!r}")
    home.ensure()
    published_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)

    def write(folder: Path) -> dict[str, int]:
        (folder / "parquet").mkdir()
        (folder / "restricted").mkdir()
        return _write_snapshot(home.warehouse, folder, published_at, storage_version)

    version, row_counts = publish_version(
        home.published / "versions" / "snapshot", home.published / "current", write
    )
    remove_leftovers(home.restricted)
    for name, target in ENTRY_POINTS.items():
        _ensure_entry_point(home.published / name, Path(target))
    return Publication(
        snapshot=home.snapshot,
        parquet_files=tuple(home.parquet / f"{t}.parquet" for t in PUBLIC_TABLES),
        restricted_files=tuple(home.restricted / f"{t}.parquet" for t in RESTRICTED_TABLES),
        row_counts=row_counts,
        published_at=published_at,
        version=version,
    )


def publish_version(
    store: Path, link: Path, write: Callable[[Path], T], keep: int = KEEP_VERSIONS
) -> tuple[str, T]:
    """Write a new version folder under `store` with `write(folder)`, then point `link` at it.

    The folder is written as `.incoming-<pid>-<id>`, flushed to disk and renamed to `<id>`; the
    symlink `link` is then replaced in one rename. Returns the version id and what `write`
    returned. Leftovers of killed processes and versions beyond `keep` are removed.
    """
    store.mkdir(parents=True, exist_ok=True)
    remove_leftovers(store)
    remove_leftovers(link.parent)
    version = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}"
    staged = incoming(store, version)
    staged.mkdir()
    try:
        written = write(staged)
        _sync_tree(staged)
        os.rename(staged, store / version)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    swap_symlink(link, Path(os.path.relpath(store / version, link.parent)))
    retire_versions(store, keep=keep, current=link)
    return version, written


def swap_symlink(link: Path, target: Path) -> None:
    """Point `link` at `target` (relative to the link's folder) with one atomic rename."""
    temporary = incoming(link.parent, uuid.uuid4().hex)
    os.symlink(target, temporary)
    os.replace(temporary, link)
    _sync_dir(link.parent)


def _ensure_entry_point(path: Path, target: Path) -> None:
    """A fixed path of the contract as a symlink into `current` (once; it never changes)."""
    if path.is_symlink() and Path(os.readlink(path)) == target:
        return
    if path.is_dir() and not path.is_symlink():
        # Data homes published before versioning have real folders here: move them aside,
        # then link (the only moment the path is briefly absent, once per data home).
        aside = incoming(path.parent, f"old-{path.name}")
        os.rename(path, aside)
        swap_symlink(path, target)
        shutil.rmtree(aside, ignore_errors=True)
        return
    swap_symlink(path, target)  # a regular file (older layout) is replaced atomically


def retire_versions(versions: Path, keep: int, current: Path) -> None:
    """Delete all but the newest `keep` versions, never the current one."""
    live = current.resolve().name if current.is_symlink() else None
    finished = sorted(
        (p for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.name,
        reverse=True,
    )
    for old in finished[keep:]:
        if old.name != live:
            shutil.rmtree(old, ignore_errors=True)


def incoming(folder: Path, label: str) -> Path:
    """A path in `folder` for something being written by this process: `.incoming-<pid>-<label>`,
    the name remove_leftovers recognises once the process is gone."""
    return folder / f"{INCOMING}{os.getpid()}-{label}"


def remove_leftovers(folder: Path) -> None:
    """Remove `.incoming-<pid>-…` entries whose process is gone (killed mid-publication)."""
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if not entry.name.startswith(INCOMING):
            continue
        pid = entry.name[len(INCOMING) :].split("-", 1)[0]
        if pid.isdigit() and _alive(int(pid)):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # an earlier publication of this process did not finish its cleanup
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sync_tree(folder: Path) -> None:
    """Flush every file and folder below `folder` to disk before it is swapped in."""
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
        else:
            _sync_dir(path)
    _sync_dir(folder)


def _sync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_snapshot(
    warehouse: Path, folder: Path, published_at: dt.datetime, storage_version: str | None
) -> dict[str, int]:
    # Written through the alias `snapshot`; readers attach the file as `benchmark`.
    con = duckdb_connections.connect()
    options = f" (storage_version '{storage_version}')" if storage_version else ""
    try:
        con.execute(f"attach '{folder / SNAPSHOT_FILE}' as snapshot{options}")
        con.execute(f"attach '{warehouse}' as warehouse (read_only)")
        counts = {}
        for table in PUBLIC_TABLES:
            source = f"warehouse.{MARTS_SCHEMA}.{table}"
            columns = [
                c
                for (c,) in con.execute(
                    "select column_name from duckdb_columns() "
                    "where database_name = 'warehouse' and schema_name = ? and table_name = ?",
                    [MARTS_SCHEMA, table],
                ).fetchall()
            ]
            if "organisation_id" in columns:
                raise ValueError(f"public table {table} must not contain organisation_id")
            select = (
                "select * replace (cast(? as timestamp) as published_at)"
                if table == ("publication_info")
                else "select *"
            )
            params = [published_at] if table == "publication_info" else []
            # Keys come first, so ordering by every column gives a stable, readable order.
            con.execute(
                f"create table snapshot.{PUBLIC_SCHEMA}.{table} as "
                f"{select} from {source} order by all",
                params,
            )
            _copy_comments(con, table)
            counts[table] = con.execute(
                f"select count(*) from snapshot.{PUBLIC_SCHEMA}.{table}"
            ).fetchone()[0]
            con.execute(
                f"copy snapshot.{PUBLIC_SCHEMA}.{table} to '{folder / 'parquet' / table}.parquet' "
                "(format parquet)"
            )
        for table in RESTRICTED_TABLES:
            con.execute(
                f"copy (select * from warehouse.{MARTS_SCHEMA}.{table}) "
                f"to '{folder / 'restricted' / table}.parquet' (format parquet)"
            )
        con.execute("detach warehouse")
        con.execute("checkpoint snapshot")
        con.execute("detach snapshot")
        return counts
    finally:
        con.close()


def _copy_comments(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Table and column descriptions (cxbench.descriptions) travel with the data to BI tools."""
    (comment,) = con.execute(
        "select comment from duckdb_tables() "
        "where database_name = 'warehouse' and schema_name = ? and table_name = ?",
        [MARTS_SCHEMA, table],
    ).fetchone()
    if comment:
        con.execute(f"comment on table snapshot.{PUBLIC_SCHEMA}.{table} is {literal(comment)}")
    for column, column_comment in con.execute(
        "select column_name, comment from duckdb_columns() "
        "where database_name = 'warehouse' and schema_name = ? and table_name = ? "
        "and comment is not null",
        [MARTS_SCHEMA, table],
    ).fetchall():
        con.execute(
            f'comment on column snapshot.{PUBLIC_SCHEMA}.{table}."{column}" '
            f"is {literal(column_comment)}"
        )
