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
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from cxbench import duckdb_connections
from cxbench.dbt_vars import with_vars
from cxbench.descriptions import literal, model_tables
from cxbench.settings import DataHome

ENGINE_ENV = "CXBENCH_ENGINE"
ENGINES = ("duckdb", "spark")
SPARK_DIR_ENV = "CXBENCH_SPARK_DIR"
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


def dbt_args(home: DataHome, args: list[str]) -> list[str]:
    """`args` of a dbt command for the Spark target: `--target spark` and var cxbench_lake
    (merged into a `--vars` the command already has)."""
    args = with_vars(args, {"cxbench_lake": str(lake_dir(home))})
    return [*args, "--target", "spark"]


def prepare_environment(home: DataHome) -> None:
    """Point dbt's spark profile at this data home (warehouse dir, Derby metastore)."""
    folder = spark_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[SPARK_DIR_ENV] = str(folder)


def export_sources(home: DataHome) -> dict[str, int]:
    """Write every dbt source from the warehouse to the lake as Parquet; rows per source."""
    lake = lake_dir(home)
    written: dict[str, int] = {}
    con = duckdb_connections.connect(str(home.warehouse), read_only=True)
    try:
        for (schema, table), partitions in SOURCES.items():
            folder = lake / schema / table
            staged = folder.with_name(f".{table}.incoming")
            shutil.rmtree(staged, ignore_errors=True)
            staged.parent.mkdir(parents=True, exist_ok=True)
            options = "format parquet, compression zstd"
            if partitions:
                staged.mkdir()
                options += f", partition_by ({', '.join(partitions)})"
                target = staged
            else:
                staged.mkdir()
                target = staged / "part-0.parquet"
            con.execute(f"copy (select * from {schema}.{table}) to '{target}' ({options})")
            (written[f"{schema}.{table}"],) = con.execute(
                f"select count(*) from {schema}.{table}"
            ).fetchone()
            shutil.rmtree(folder, ignore_errors=True)
            staged.rename(folder)
    finally:
        con.close()
    return written


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
