"""Editions: a frozen, reproducible copy of the benchmark of a fieldwork year.

The nightly benchmark moves as deliveries arrive; an edition does not. Freezing copies the
published snapshot (and Parquet files) into `published/editions/<edition>/` with a
`manifest.json` naming the exact delivered files (path and content hash) behind it, their data
fingerprint, the rules applied and the software, so the edition can be rebuilt and compared later.

This module is the freeze itself and knows nothing of Dagster. The `edition` job
(orchestration/jobs.py) builds the whole benchmark with the dbt var `cxbench_edition` set to the
edition's name (so `publication_info.edition` names it); its `published/edition` asset
(orchestration/assets/edition.py) then calls `freeze_edition`.
"""

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from importlib import metadata as package_metadata
from pathlib import Path

from cxbench import duckdb_connections, lake
from cxbench.ingest.warehouse import COUNTED, warehouse
from cxbench.publication import PUBLIC_SCHEMA, PUBLIC_TABLES
from cxbench.settings import DataHome, checkout_root

EDITION_VAR = "cxbench_edition"

# A folder name on every platform, and a value that is safe inside a dbt var.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class EditionError(Exception):
    """An edition that cannot be frozen: bad name, already frozen, inconsistent snapshot."""


@dataclass(frozen=True)
class Edition:
    name: str
    folder: Path
    manifest: dict


def editions_folder(home: DataHome) -> Path:
    return home.published / "editions"


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise EditionError(
            f"edition name {name!r} must be letters, digits, '.', '_' or '-' (e.g. 2025)"
        )
    return name


def freeze_edition(home: DataHome, name: str, through_year: int | None = None) -> Edition:
    """Copy the published snapshot into published/editions/<name>/ with its manifest.

    With `through_year`, the edition keeps fieldwork years up to that year only. The folder
    appears whole or not at all (built beside it, then renamed), and is never overwritten.
    """
    check_name(name)
    target = editions_folder(home) / name
    if target.exists():
        raise EditionError(f"edition {name} is already frozen in {target}; editions never change")
    if not home.snapshot.exists():
        raise EditionError(f"nothing published yet ({home.snapshot} is missing)")
    incoming = editions_folder(home) / f".incoming-{uuid.uuid4().hex}"
    (incoming / "parquet").mkdir(parents=True)
    try:
        snapshot = incoming / "benchmark.duckdb"
        shutil.copyfile(home.snapshot, snapshot)
        info, rows = _trim_and_export(snapshot, incoming / "parquet", through_year)
        if info.get("edition") != name:
            raise EditionError(
                f"the published snapshot is edition {info.get('edition')!r}, not {name!r}: "
                f"build it with `cxbench edition {name}`"
            )
        files = _counted_files(home.warehouse)
        _check_fingerprint(info.get("data_fingerprint"), files)
        manifest = _manifest(name, through_year, info, files, rows, incoming)
        (incoming / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        for path in incoming.rglob("*"):
            if path.is_file():
                path.chmod(0o444)  # frozen: a reminder that nobody edits an edition in place
        os.rename(incoming, target)
    finally:
        shutil.rmtree(incoming, ignore_errors=True)
    return Edition(name=name, folder=target, manifest=manifest)


def _trim_and_export(
    snapshot: Path, parquet: Path, through_year: int | None
) -> tuple[dict, dict[str, int]]:
    """Drop years after `through_year`, export Parquet; publication_info and row counts."""
    con = duckdb_connections.connect(str(snapshot))
    try:
        catalog = con.execute("select current_database()").fetchone()[0]
        rows = {}
        for table in PUBLIC_TABLES:
            qualified = f'"{catalog}".{PUBLIC_SCHEMA}.{table}'
            if through_year is not None and table != "publication_info":
                con.execute(f"delete from {qualified} where year > ?", [through_year])
            rows[table] = con.execute(f"select count(*) from {qualified}").fetchone()[0]
            con.execute(f"copy {qualified} to '{parquet / table}.parquet' (format parquet)")
        cursor = con.execute(f'select * from "{catalog}".{PUBLIC_SCHEMA}.publication_info')
        names = [d[0] for d in cursor.description]
        info = dict(zip(names, cursor.fetchone(), strict=True))
        con.execute("checkpoint")
    finally:
        con.close()
    return info, rows


def _counted_files(warehouse_path: Path) -> list[dict]:
    """The deliveries the benchmark is made of: what a rebuild needs in its landing folder."""
    with warehouse(warehouse_path, read_only=True) as con:
        rows = con.execute(
            "select source_file, content_hash, status, rows_accepted from audit.file_log "
            "where status in (select unnest(?::varchar[])) order by source_file, content_hash",
            [list(COUNTED)],
        ).fetchall()
    return [
        {"source_file": f, "content_hash": h, "status": s, "rows_accepted": n}
        for f, h, s, n in rows
    ]


def data_fingerprint(files: list[dict]) -> str | None:
    """publication_info.data_fingerprint recomputed: md5 of 'file=hash' pairs, sorted, joined."""
    if not files:
        return None
    pairs = sorted((f["source_file"], f["content_hash"]) for f in files)
    return hashlib.md5(",".join(f"{s}={h}" for s, h in pairs).encode()).hexdigest()


def _check_fingerprint(published: str | None, files: list[dict]) -> None:
    """The manifest's file list must be exactly the data the snapshot was computed from."""
    if data_fingerprint(files) != published:
        raise EditionError(
            "the warehouse changed since the snapshot was published (data fingerprint "
            f"{published} != {data_fingerprint(files)}); build the edition again"
        )


def _manifest(
    name: str,
    through_year: int | None,
    info: dict,
    files: list[dict],
    rows: dict[str, int],
    folder: Path,
) -> dict:
    engine = lake.engine()  # the engine dbt built this run's tables on
    return {
        "edition": name,
        "through_year": through_year,
        "engine": engine,
        "frozen_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "data_fingerprint": info.get("data_fingerprint"),
        "publication_info": {k: _jsonable(v) for k, v in info.items()},
        "files": files,
        "tables": {
            table: {"rows": rows[table], "sha256": _sha256(folder / "parquet" / f"{table}.parquet")}
            for table in PUBLIC_TABLES
        },
        "software": _software(engine),
        "reproduce": (
            "Check out software.git_commit, put the files listed under `files` (same "
            "content_hash) in the landing/ folder of an empty CXBENCH_HOME and run "
            f"`cxbench edition {name}"
            + (f" --year {through_year}" if through_year is not None else "")
            + (f" --engine {engine}" if engine != "duckdb" else "")
            + "`: the new edition's data_fingerprint and table rows equal this manifest's "
            "(publication_info differs only in published_at)."
        ),
    }


def _software(engine: str = "duckdb") -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    packages = ["cxbench", "dagster", "dagster-dbt", "dbt-core", "dbt-duckdb", "duckdb"]
    if engine == "spark":
        packages += ["dbt-spark", "pyspark"]
    for package in packages:
        try:
            versions[package] = package_metadata.version(package)
        except package_metadata.PackageNotFoundError:
            versions[package] = None
    root = checkout_root()
    if root is None:
        versions["git_commit"] = None  # an installed copy: its version says what it is
        return versions
    try:
        versions["git_commit"] = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        versions["git_commit"] = None  # an installed copy without its git history
    return versions


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _jsonable(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value
