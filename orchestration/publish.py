"""Publication: the benchmark snapshot BI tools read (contract sections 1 and 9).

Everything is written beside the previous publication and swapped in with a rename, so a reader
sees the old or the new snapshot, never a half-written one.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.settings import DataHome

PUBLIC_TABLES = (
    "nps_by_sector_year",
    "grades_by_sector_year",
    "touchpoints_by_sector_year",
    "statements_by_sector_year",
    "top_performers_by_year",
    "publication_info",
)
RESTRICTED_TABLES = ("organisation_positions",)
PUBLIC_SCHEMA = "benchmark"
MARTS_SCHEMA = "marts"


@dataclass(frozen=True)
class Publication:
    snapshot: Path
    parquet_files: tuple[Path, ...]
    restricted_files: tuple[Path, ...]
    row_counts: dict[str, int]
    published_at: dt.datetime


def publish(home: DataHome) -> Publication:
    """Copy the marts into a fresh snapshot and Parquet files, then swap them in."""
    home.ensure()
    incoming = home.published / f".incoming-{uuid.uuid4().hex}"
    (incoming / "parquet").mkdir(parents=True)
    (incoming / "restricted").mkdir()
    published_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    try:
        row_counts = _write_snapshot(home.warehouse, incoming, published_at)
        parquet = [home.parquet / f"{t}.parquet" for t in PUBLIC_TABLES]
        restricted = [home.restricted / f"{t}.parquet" for t in RESTRICTED_TABLES]
        for target in [*parquet, *restricted]:
            os.replace(incoming / target.parent.name / target.name, target)
        os.replace(incoming / "benchmark.duckdb", home.snapshot)
    finally:
        shutil.rmtree(incoming, ignore_errors=True)
    return Publication(home.snapshot, tuple(parquet), tuple(restricted), row_counts, published_at)


def _write_snapshot(warehouse: Path, folder: Path, published_at: dt.datetime) -> dict[str, int]:
    # The file is benchmark.duckdb with schema benchmark: a catalog named like the schema makes
    # `benchmark.<table>` ambiguous, so write through the alias `snapshot`.
    con = duckdb.connect()
    try:
        con.execute(f"attach '{folder / 'benchmark.duckdb'}' as snapshot")
        con.execute(f"attach '{warehouse}' as warehouse (read_only)")
        con.execute(f"create schema snapshot.{PUBLIC_SCHEMA}")
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
    """Table and column descriptions (dbt persist_docs) travel with the data to BI tools."""
    (comment,) = con.execute(
        "select comment from duckdb_tables() "
        "where database_name = 'warehouse' and schema_name = ? and table_name = ?",
        [MARTS_SCHEMA, table],
    ).fetchone()
    if comment:
        con.execute(f"comment on table snapshot.{PUBLIC_SCHEMA}.{table} is {_literal(comment)}")
    for column, column_comment in con.execute(
        "select column_name, comment from duckdb_columns() "
        "where database_name = 'warehouse' and schema_name = ? and table_name = ? "
        "and comment is not null",
        [MARTS_SCHEMA, table],
    ).fetchall():
        con.execute(
            f'comment on column snapshot.{PUBLIC_SCHEMA}.{table}."{column}" '
            f"is {_literal(column_comment)}"
        )


def _literal(text: str) -> str:
    """A SQL string literal (COMMENT ON takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"
