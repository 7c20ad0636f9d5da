"""Editions: a frozen, reproducible copy of the benchmark of a fieldwork year.

The nightly benchmark moves as deliveries arrive; an edition does not. Freezing copies the
published snapshot (and Parquet files) into `published/editions/<edition>/` with a
`manifest.json` naming the exact delivered files (path and content hash) behind it, their data
fingerprint, the rules applied and the software, so the edition can be rebuilt and compared later.

An edition is built by the `edition` job: the whole benchmark with the dbt var `cxbench_edition`
set to the edition's name (so `publication_info.edition` names it), then the `published/edition`
asset freezes it. The name travels as the run tag `cxbench/edition`, which `cxbench edition`, the
yearly schedule and a launch from the UI set.
"""

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata as package_metadata
from pathlib import Path

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSelection,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
    define_asset_job,
    in_process_executor,
)

from orchestration.ingest.warehouse import COUNTED, warehouse
from orchestration.instance import WAREHOUSE_POOL
from orchestration.publish import PUBLIC_SCHEMA, PUBLIC_TABLES
from orchestration.resources import DataHomeResource
from orchestration.settings import REPO_ROOT, DataHome

EDITION_TAG = "cxbench/edition"
THROUGH_YEAR_TAG = "cxbench/edition_through_year"
EDITION_KEY = AssetKey(["published", "edition"])
SNAPSHOT_KEY = AssetKey(["published", "benchmark_snapshot"])
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


def edition_tags(name: str, through_year: int | None = None) -> dict[str, str]:
    """The run tags that make a run of the `edition` job build and freeze edition `name`."""
    tags = {EDITION_TAG: check_name(name)}
    if through_year is not None:
        tags[THROUGH_YEAR_TAG] = str(int(through_year))
    return tags


def with_edition_vars(dbt_args: list[str], tags: Mapping[str, str]) -> list[str]:
    """dbt arguments with `cxbench_edition` set when the run builds an edition."""
    name = tags.get(EDITION_TAG)
    if not name:
        return dbt_args
    args = list(dbt_args)
    if "--vars" in args:
        at = args.index("--vars") + 1
        args[at] = json.dumps({**json.loads(args[at]), EDITION_VAR: name})
    else:
        args += ["--vars", json.dumps({EDITION_VAR: name})]
    return args


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
    con = duckdb.connect(str(snapshot))
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
    return {
        "edition": name,
        "through_year": through_year,
        "frozen_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "data_fingerprint": info.get("data_fingerprint"),
        "publication_info": {k: _jsonable(v) for k, v in info.items()},
        "files": files,
        "tables": {
            table: {"rows": rows[table], "sha256": _sha256(folder / "parquet" / f"{table}.parquet")}
            for table in PUBLIC_TABLES
        },
        "software": _software(),
        "reproduce": (
            "Check out software.git_commit, put the files listed under `files` (same "
            "content_hash) in the landing/ folder of an empty CXBENCH_HOME and run "
            f"`cxbench edition {name}"
            + (f" --year {through_year}" if through_year is not None else "")
            + "`: the new edition's data_fingerprint and table rows equal this manifest's "
            "(publication_info differs only in published_at)."
        ),
    }


def _software() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for package in ("cxbench", "dagster", "dagster-dbt", "dbt-core", "dbt-duckdb", "duckdb"):
        try:
            versions[package] = package_metadata.version(package)
        except package_metadata.PackageNotFoundError:
            versions[package] = None
    try:
        versions["git_commit"] = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"],
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


def edition_from_tags(tags: Mapping[str, str]) -> tuple[str, int | None]:
    """The edition a run builds, from its tags; a run without them cannot freeze anything."""
    name = tags.get(EDITION_TAG)
    if not name:
        raise Failure(
            description=(
                f"launch the edition job with the run tag {EDITION_TAG}=<name> "
                f"(and optionally {THROUGH_YEAR_TAG}=<year>), or run `cxbench edition <name>`"
            )
        )
    through_year = tags.get(THROUGH_YEAR_TAG)
    return check_name(name), int(through_year) if through_year else None


@asset(
    key=EDITION_KEY,
    deps=[SNAPSHOT_KEY],
    group_name="publication",
    pool=WAREHOUSE_POOL,  # reads the file log of the warehouse
    kinds={"duckdb", "parquet"},
    description=(
        "published/editions/<edition>/: a frozen copy of the benchmark (snapshot, Parquet, "
        "manifest.json with the data fingerprint and the delivered files behind it)."
    ),
)
def benchmark_edition(
    context: AssetExecutionContext, data_home: DataHomeResource
) -> MaterializeResult:
    """Freeze the snapshot this run published as the edition named by the run's tags."""
    name, through_year = edition_from_tags(context.run.tags)
    try:
        edition = freeze_edition(data_home.home(), name, through_year)
    except EditionError as error:
        raise Failure(description=str(error)) from error
    manifest = edition.manifest
    return MaterializeResult(
        metadata={
            "edition": name,
            "through_year": through_year if through_year is not None else "all years",
            "path": MetadataValue.path(str(edition.folder)),
            "data_fingerprint": manifest["data_fingerprint"],
            "files": len(manifest["files"]),
            **{f"rows_{t}": v["rows"] for t, v in manifest["tables"].items()},
        }
    )


# The benchmark job plus the freeze; the edition's name comes from the run tags.
edition_job = define_asset_job(
    "edition",
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    description=(
        "Build the benchmark as edition <name> and freeze it under published/editions/<name>/. "
        f"Launch with the run tag {EDITION_TAG}=<name> (optionally {THROUGH_YEAR_TAG}=<year>), "
        "or use `cxbench edition <name>`."
    ),
)


def run_edition(
    home: DataHome, name: str, through_year: int | None, quiet: bool = False, wait: bool = False
) -> int:
    """`cxbench edition`: one in-process run of the edition job, under the data home's lock."""
    from dagster import DagsterInstance

    from orchestration.instance import prepare_instance
    from orchestration.recovery import OWNER_ENV, OWNER_TAG, launch_tags, recover_killed_runs
    from orchestration.run import EXIT_BLOCKED, EXIT_BUSY, DataHomeBusy, failure_reason, writer_lock

    try:
        tags = edition_tags(name, through_year)
    except EditionError as error:
        print(f"cxbench: {error}", file=sys.stderr)
        return 2
    if (editions_folder(home) / name).exists():
        print(
            f"cxbench: edition {name} is already frozen in {editions_folder(home) / name}; "
            "editions never change",
            file=sys.stderr,
        )
        return EXIT_BLOCKED
    try:
        with writer_lock(home, wait):
            home.ensure()
            prepare_instance(home)
            from orchestration.definitions import defs

            log_file = home.root / "logs" / "last-run.log"
            log_file.parent.mkdir(parents=True, exist_ok=True)
            with log_file.open("w") as log, DagsterInstance.get() as instance:
                with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
                    # Like `cxbench run`: a killed earlier run is closed first, and this one is
                    # tagged so that a later run can do the same for it.
                    recover_killed_runs(instance)
                    launch = launch_tags()
                    os.environ[OWNER_ENV] = launch[OWNER_TAG]
                    result = defs.resolve_job_def("edition").execute_in_process(
                        instance=instance, tags={**launch, **tags}, raise_on_error=False
                    )
    except DataHomeBusy:
        print(
            f"cxbench: another cxbench run is updating {home.root}; nothing was changed "
            "(use --wait to queue behind it)",
            file=sys.stderr,
        )
        return EXIT_BUSY
    manifest_file = editions_folder(home) / name / "manifest.json"
    # A failed blocking check skips the publication and the freeze without failing the run.
    if not result.success or not manifest_file.exists():
        print(
            f"cxbench: edition {name} not frozen: {failure_reason(result)} (log: {log_file})",
            file=sys.stderr,
        )
        return EXIT_BLOCKED
    if not quiet:
        manifest = json.loads(manifest_file.read_text())
        years = f"fieldwork through {through_year}" if through_year is not None else "all years"
        print(
            f"Froze edition {name} ({years}) in {editions_folder(home) / name}\n"
            f"  data fingerprint: {manifest['data_fingerprint']} "
            f"({len(manifest['files'])} files)"
        )
    return 0
