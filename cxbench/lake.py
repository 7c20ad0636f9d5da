"""The Spark engine's exchange with the DuckDB warehouse (docs/scale-out.md).

DuckDB stays the warehouse of record: ingest writes there, and the disclosure completion, the
quality gate and the publication read the marts there. For `--engine spark` the dbt sources go
out to a lake of Parquet files Spark reads (`export_sources`), and the tables Spark built come
back into the warehouse's intermediate and marts schemas (`import_models`), so that everything
after dbt runs unchanged.

Layout under the data home's spark/ folder (CXBENCH_SPARK_DIR for dbt's profile):
  lake/<source>/<table>/            Parquet per dbt source; raw.survey_responses partitioned
                                    by market and year (hive style: market=B2B/year=2020/)
  warehouse/<schema>.db/<table>/    the tables Spark builds (spark.sql.warehouse.dir)
  metastore_db/                     the session's Derby metastore (one per data home)

The lake can live elsewhere (CXBENCH_LAKE_URI: a path, file:///path or an object store such as
s3://bucket/prefix, written through pyarrow's file systems). A file system that renames folders
(local paths) gets each table staged beside its folder and swapped in; an object store, which
cannot rename, gets each export under a fresh prefix, exports/<id>/<source>/<table>/, and the
pointer object _current_export names the one dbt reads.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import duckdb

from cxbench import duckdb_connections
from cxbench.dbt_vars import with_vars
from cxbench.descriptions import literal, model_tables
from cxbench.settings import DataHome

ENGINE_ENV = "CXBENCH_ENGINE"
ENGINES = ("duckdb", "spark")
SPARK_DIR_ENV = "CXBENCH_SPARK_DIR"
LAKE_URI_ENV = "CXBENCH_LAKE_URI"
# On an object store: exports/<id>/ holds each export, _current_export names the one to read.
EXPORTS = "exports"
CURRENT_EXPORT = "_current_export"
# Rows per Arrow batch and Parquet row group: what the export holds in memory per table, whatever
# the number of rows (about 50 MB for a wide survey).
BATCH_ROWS = 131_072
# S3 is s3:// to pyarrow and s3a:// to Spark (Hadoop's S3A file system, from hadoop-aws, which
# the cluster provides: the pyspark wheel has none). The setting may use either.
ARROW_SCHEMES = {"s3a": "s3"}
SPARK_SCHEMES = {"s3": "s3a"}
# dbt source (schema, table) -> the columns its Parquet folder is partitioned by.
SOURCES: dict[tuple[str, str], tuple[str, ...]] = {
    ("raw", "survey_responses"): ("market", "year"),
    ("audit", "file_log"): (),
    ("audit", "quarantined_rows"): (),
    ("audit", "exclusions"): (),
}
# The schemas whose tables come back from Spark: what the disclosure completion and audit, the
# quality gate and the publication read.
IMPORTED_SCHEMAS = ("intermediate", "marts")


def engine() -> str:
    """The engine dbt runs on: CXBENCH_ENGINE (`cxbench run --engine` sets it), else duckdb."""
    name = (os.environ.get(ENGINE_ENV) or "duckdb").strip().lower()
    if name not in ENGINES:
        raise ValueError(f"{ENGINE_ENV} must be one of {', '.join(ENGINES)}, not {name!r}")
    return name


def spark_dir(home: DataHome) -> Path:
    return home.root / "spark"


def lake_dir(home: DataHome) -> Path:
    return spark_dir(home) / "lake"


def spark_warehouse(home: DataHome) -> Path:
    return spark_dir(home) / "warehouse"


@dataclass(frozen=True)
class Lake:
    """Where the lake lives: the file system and path pyarrow writes to, and the URI Spark reads
    (var cxbench_lake)."""

    uri: str  # as configured, without credentials or query (for messages)
    filesystem: object  # a pyarrow.fs.FileSystem
    path: str
    spark_uri: str

    @property
    def renames(self) -> bool:
        """Folders can be renamed (staged, then swapped in); object stores cannot."""
        from pyarrow import fs

        return isinstance(self.filesystem, fs.LocalFileSystem)

    def current_export(self) -> str | None:
        """The id of the export dbt reads on an object store (None before the first)."""
        from pyarrow import fs

        pointer = f"{self.path}/{CURRENT_EXPORT}"
        if self.filesystem.get_file_info(pointer).type != fs.FileType.File:
            return None
        with self.filesystem.open_input_stream(pointer) as stream:
            return stream.read().decode("utf-8").strip() or None

    def source_root(self) -> str:
        """The URI Spark reads the sources under: the lake, or on an object store the current
        export's prefix."""
        if self.renames:
            return self.spark_uri
        current = self.current_export()
        if current is None:
            raise FileNotFoundError(
                f"the lake {self.uri} holds no export yet ({CURRENT_EXPORT} is missing)"
            )
        return f"{self.spark_uri}/{EXPORTS}/{current}"


def lake_location(home: DataHome) -> Lake:
    """The lake of CXBENCH_LAKE_URI (a path, file:///path, s3://bucket/prefix or another URI
    pyarrow.fs.FileSystem.from_uri reads), else the data home's spark/lake folder.

    A plain path is taken from the working folder, like CXBENCH_HOME. Spark gets the same
    location without the URI's query (pyarrow's options, e.g. ?endpoint_override=...) and
    with s3:// as s3a://, Hadoop's S3 file system.
    """
    from pyarrow import fs

    configured = (os.environ.get(LAKE_URI_ENV) or "").strip()
    if not configured:
        path = lake_dir(home)
        return Lake(str(path), fs.LocalFileSystem(), path.as_posix(), str(path))
    parts = urlsplit(configured)
    if len(parts.scheme) <= 1:  # no scheme (or a Windows drive letter): a path
        path = Path(configured).expanduser().resolve()
        return Lake(configured, fs.LocalFileSystem(), path.as_posix(), str(path))
    scheme = ARROW_SCHEMES.get(parts.scheme.lower(), parts.scheme.lower())
    # Credentials (s3://key:secret@bucket) and pyarrow's options stay out of messages and dbt.
    host = parts.netloc.rpartition("@")[2]
    shown = urlunsplit((parts.scheme, host, parts.path, "", ""))
    arrow_uri = scheme + configured[len(parts.scheme) :]
    try:
        filesystem, path = fs.FileSystem.from_uri(arrow_uri)
    except (ValueError, OSError) as error:
        reason = str(error).replace(arrow_uri, shown).replace(configured, shown)
        raise ValueError(
            f"{LAKE_URI_ENV}={shown!r} is not a lake pyarrow can write: {reason}"
        ) from None
    path = path.rstrip("/")
    if isinstance(filesystem, fs.LocalFileSystem):
        return Lake(shown, filesystem, path, f"file://{path}")
    spark = urlunsplit((SPARK_SCHEMES.get(scheme, scheme), host, parts.path.rstrip("/"), "", ""))
    return Lake(shown, filesystem, path, spark)


def dbt_args(home: DataHome, args: list[str]) -> list[str]:
    """`args` of a dbt command for the Spark target: `--target spark` and var cxbench_lake, the
    URI Spark reads the sources under (merged into a `--vars` the command already has)."""
    args = with_vars(args, {"cxbench_lake": lake_location(home).source_root()})
    return [*args, "--target", "spark"]


def prepare_environment(home: DataHome) -> None:
    """Point dbt's spark profile at this data home (warehouse dir, Derby metastore)."""
    folder = spark_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[SPARK_DIR_ENV] = str(folder)


def export_sources(home: DataHome, batch_rows: int = BATCH_ROWS) -> dict[str, int]:
    """Write every dbt source from the warehouse to the lake as Parquet; rows per source.

    Rows stream from DuckDB to Parquet in Arrow batches of `batch_rows`, one partition folder
    at a time, so memory does not grow with the number of rows (DuckDB keeps within the bound
    of every cxbench connection, CXBENCH_DUCKDB_MEMORY_LIMIT). On a local file system every
    table is written beside its folder, and once all are written each is swapped in by two
    renames; on an object store the export goes to a fresh prefix and _current_export is
    pointed at it once every table is written (the export before stays, older ones are
    deleted). An export that fails leaves the lake as the last one left it.
    """
    lake = lake_location(home)
    con = duckdb_connections.connect(home.warehouse, read_only=True)
    try:
        if lake.renames:
            return _export_and_swap(con, lake, batch_rows)
        return _export_to_fresh_prefix(con, lake, batch_rows)
    finally:
        con.close()


def _export_and_swap(con: duckdb.DuckDBPyConnection, lake: Lake, batch_rows: int) -> dict[str, int]:
    filesystem = lake.filesystem
    written: dict[str, int] = {}
    staged: dict[str, str] = {}  # a table's folder -> where its new files are written
    try:
        for (schema, table), partitions in SOURCES.items():
            incoming = f"{lake.path}/{schema}/.{table}.incoming"
            staged[f"{lake.path}/{schema}/{table}"] = incoming
            _delete_dir(filesystem, incoming)
            written[f"{schema}.{table}"] = _write_table(
                con, schema, table, partitions, filesystem, incoming, batch_rows
            )
    except BaseException:
        for incoming in staged.values():
            _delete_dir(filesystem, incoming)
        raise
    # Every table is written: only now do they replace the last export's.
    for folder, incoming in staged.items():
        _swap(filesystem, incoming, folder)
    return written


def _export_to_fresh_prefix(
    con: duckdb.DuckDBPyConnection, lake: Lake, batch_rows: int
) -> dict[str, int]:
    filesystem = lake.filesystem
    previous = lake.current_export()
    export_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]
    base = f"{lake.path}/{EXPORTS}/{export_id}"
    written: dict[str, int] = {}
    try:
        for (schema, table), partitions in SOURCES.items():
            folder = f"{base}/{schema}/{table}"
            written[f"{schema}.{table}"] = _write_table(
                con, schema, table, partitions, filesystem, folder, batch_rows
            )
    except BaseException:
        _delete_dir(filesystem, base)  # never pointed at: readers never saw it
        raise
    # One PUT replaces the pointer whole: dbt reads the new export from here on.
    with filesystem.open_output_stream(f"{lake.path}/{CURRENT_EXPORT}") as pointer:
        pointer.write(export_id.encode("utf-8"))
    _prune_exports(filesystem, f"{lake.path}/{EXPORTS}", keep={export_id, previous})
    return written


def _write_table(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    partitions: tuple[str, ...],
    filesystem,
    folder: str,
    batch_rows: int,
) -> int:
    """One source table into `folder`: part-0.parquet, or one per partition folder (hive style,
    the partition columns in the path only, as Spark and DuckDB's COPY lay them out)."""
    qualified = f"{schema}.{table}"
    filesystem.create_dir(folder, recursive=True)
    if not partitions:
        query = con.sql(f"select * from {qualified}")
        return _write_parquet(query, filesystem, f"{folder}/part-0.parquet", batch_rows)
    columns = ", ".join(partitions)
    keys = con.execute(f"select distinct {columns} from {qualified} order by all").fetchall()
    condition = " and ".join(f"{column} = ${i}" for i, column in enumerate(partitions, start=1))
    written = 0
    for values in keys:
        if any(value is None for value in values):
            raise ValueError(f"{qualified} has rows without {columns}: they cannot be partitioned")
        subfolder = "/".join(
            f"{c}={_partition_value(v)}" for c, v in zip(partitions, values, strict=True)
        )
        query = con.sql(
            f"select * exclude ({columns}) from {qualified} where {condition}", params=list(values)
        )
        written += _write_parquet(
            query, filesystem, f"{folder}/{subfolder}/part-0.parquet", batch_rows
        )
    [(total,)] = con.execute(f"select count(*) from {qualified}").fetchall()
    if written != total:
        raise RuntimeError(f"exported {written} of {total} rows of {qualified}")
    return written


def _write_parquet(query: duckdb.DuckDBPyRelation, filesystem, path: str, batch_rows: int) -> int:
    """Stream a query's rows into one Parquet file, a row group per batch (an empty table gives
    a file with the schema only, from which Spark still reads the columns)."""
    import pyarrow.parquet as pq

    reader = query.to_arrow_reader(batch_rows)
    rows = 0
    filesystem.create_dir(path.rpartition("/")[0], recursive=True)
    with (
        filesystem.open_output_stream(path) as out,
        pq.ParquetWriter(out, reader.schema, compression="zstd") as writer,
    ):
        for batch in reader:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


_HIVE_ESCAPED = set("\"#%'*/:=?\\\x7f{[]^") | {chr(c) for c in range(32)}


def _partition_value(value: object) -> str:
    """A partition folder's value as Hive writes it: characters that would break the path
    escaped as %XX (market codes and years never need it)."""
    return "".join(f"%{ord(ch):02X}" if ch in _HIVE_ESCAPED else ch for ch in str(value))


def _delete_dir(filesystem, path: str) -> None:
    from pyarrow import fs

    if filesystem.get_file_info(path).type != fs.FileType.NotFound:
        filesystem.delete_dir(path)


def _swap(filesystem, staged: str, folder: str) -> None:
    """Put the staged folder where `folder` is: two renames, never a half-written table."""
    from pyarrow import fs

    parent, _, name = folder.rpartition("/")
    aside = f"{parent}/.{name}.previous"
    _delete_dir(filesystem, aside)
    if filesystem.get_file_info(folder).type != fs.FileType.NotFound:
        filesystem.move(folder, aside)
    filesystem.move(staged, folder)
    _delete_dir(filesystem, aside)


def _prune_exports(filesystem, exports: str, keep: set[str | None]) -> None:
    """Delete the exports on an object store but the current one and the one before it (a
    query still reading that one is not cut short)."""
    from pyarrow import fs

    for info in filesystem.get_file_info(fs.FileSelector(exports, allow_not_found=True)):
        if info.type == fs.FileType.Directory and info.base_name not in keep:
            filesystem.delete_dir(info.path)


def import_models(home: DataHome, manifest_path: Path) -> list[str]:
    """Replace the warehouse's intermediate and marts tables with those Spark built (read from
    their Parquet folders). One transaction: a failure leaves the warehouse as it was. The
    descriptions follow (cxbench.descriptions), as after a DuckDB build."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    built = spark_warehouse(home)
    imported = []
    con = duckdb_connections.connect(str(home.warehouse))
    try:
        con.execute("begin")
        for node in model_tables(manifest, IMPORTED_SCHEMAS):
            schema, name = node["schema"], node["name"]
            folder = built / f"{schema}.db" / name
            if not folder.is_dir():
                raise FileNotFoundError(f"Spark did not build {schema}.{name} ({folder})")
            con.execute(f"create schema if not exists {schema}")
            con.execute(
                f"create or replace table {schema}.{name} as "
                f"select * from read_parquet({literal(str(folder / '*.parquet'))})"
            )
            imported.append(f"{schema}.{name}")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        con.close()
    return imported
