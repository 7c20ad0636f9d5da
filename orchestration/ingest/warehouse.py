"""The warehouse side of ingest: raw respondent rows and the audit tables (contract section 8).

Each delivered file is written in one transaction (its rows, its quarantine records and its
file_log entry), so a run stopped at any moment never leaves a file half-loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

RAW_TABLE = "raw.survey_responses"
FILE_LOG = "audit.file_log"
QUARANTINE = "audit.quarantined_rows"
STUDY_DELIVERIES = "audit.study_deliveries"

# Statuses of contract section 8; rows of `COUNTED` files make up the benchmark.
LOADED, PARTIALLY_LOADED, REJECTED, DUPLICATE, SUPERSEDED = (
    "loaded",
    "partially_loaded",
    "rejected",
    "duplicate",
    "superseded",
)
COUNTED = (LOADED, PARTIALLY_LOADED)

DDL = f"""
create schema if not exists raw;
create schema if not exists audit;
create table if not exists {RAW_TABLE} (
    source_file varchar not null,
    content_hash varchar not null,
    row_number bigint not null,
    respondent_id varchar not null,
    organisation_id varchar not null,
    sector varchar not null,
    market varchar not null,
    year integer not null,
    response_date date,
    recommend smallint,
    weight double not null
);
create table if not exists {FILE_LOG} (
    source_file varchar not null,
    content_hash varchar not null,
    status varchar not null,
    rows_read bigint not null,
    rows_accepted bigint not null,
    rows_quarantined bigint not null,
    reason varchar,
    ingested_at timestamp not null,
    file_size bigint,
    ignored_columns varchar,
    personal_data_columns varchar,
    superseded_by varchar,
    file_hash varchar
);
-- file_hash: the file's bytes alone, set when content_hash also covers its manifest (null:
-- content_hash is the bytes' hash). Added here to warehouses from before manifests.
alter table {FILE_LOG} add column if not exists file_hash varchar;
-- Which file currently provides each study (organisation x year): small, so a new delivery
-- finds the one it supersedes without scanning the respondent rows.
create table if not exists {STUDY_DELIVERIES} (
    organisation_id varchar not null,
    year integer not null,
    source_file varchar not null,
    content_hash varchar not null,
    n_rows bigint not null
);
create table if not exists {QUARANTINE} (
    source_file varchar not null,
    content_hash varchar not null,
    row_number bigint not null,
    column_name varchar,
    check_name varchar not null,
    bad_value varchar,
    reason varchar not null,
    logged_at timestamp not null
);
"""

# Item columns are added as deliveries bring them (grade_<aspect>, touch_<moment>, ...).
ITEM_TYPES = {"grade_": "double", "touch_": "smallint", "agree_": "smallint"}


@contextmanager
def warehouse(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        if not read_only:
            con.execute(DDL)
        yield con
    finally:
        con.close()


@dataclass(frozen=True)
class FileOutcome:
    source_file: str
    content_hash: str
    status: str
    rows_read: int
    rows_accepted: int
    rows_quarantined: int
    reason: str | None = None
    file_size: int | None = None
    ignored_columns: tuple[str, ...] = ()
    personal_data_columns: tuple[str, ...] = ()
    file_hash: str | None = None  # the file's bytes alone, when content_hash has its manifest


def logged_files(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """content_hash -> the source files it was logged under."""
    seen: dict[str, set[str]] = {}
    for content_hash, source_file in con.execute(
        f"select content_hash, source_file from {FILE_LOG}"
    ).fetchall():
        seen.setdefault(content_hash, set()).add(source_file)
    return seen


def logged_file_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Hash of the file's bytes alone -> the source files it was logged under (duplicates)."""
    seen: dict[str, set[str]] = {}
    for file_hash, source_file in con.execute(
        f"select coalesce(file_hash, content_hash), source_file from {FILE_LOG}"
    ).fetchall():
        seen.setdefault(file_hash, set()).add(source_file)
    return seen


def record_file(
    con: duckdb.DuckDBPyConnection,
    outcome: FileOutcome,
    accepted: pl.DataFrame | None = None,
    failures: pl.DataFrame | None = None,
) -> None:
    """Write one file's rows, quarantine records and file_log entry in one transaction."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute("begin transaction")
    try:
        if accepted is not None and accepted.height:
            _insert_rows(con, outcome, accepted)
            _supersede_earlier(con, outcome, accepted)
        if failures is not None and failures.height:
            _insert_failures(con, outcome, failures, now)
        con.execute(
            f"""
            insert into {FILE_LOG} (
                source_file, content_hash, status, rows_read, rows_accepted, rows_quarantined,
                reason, ingested_at, file_size, ignored_columns, personal_data_columns, file_hash
            ) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                outcome.source_file,
                outcome.content_hash,
                outcome.status,
                outcome.rows_read,
                outcome.rows_accepted,
                outcome.rows_quarantined,
                outcome.reason,
                now,
                outcome.file_size,
                ",".join(outcome.ignored_columns) or None,
                ",".join(outcome.personal_data_columns) or None,
                outcome.file_hash,
            ],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _insert_rows(con: duckdb.DuckDBPyConnection, outcome: FileOutcome, rows: pl.DataFrame) -> None:
    existing = {
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'raw' and table_name = 'survey_responses'"
        ).fetchall()
    }
    for column in rows.columns:
        if column not in existing:
            sql_type = next(t for prefix, t in ITEM_TYPES.items() if column.startswith(prefix))
            con.execute(f'alter table {RAW_TABLE} add column "{column}" {sql_type}')
    batch = rows.with_columns(
        pl.lit(outcome.source_file).alias("source_file"),
        pl.lit(outcome.content_hash).alias("content_hash"),
    ).to_arrow()
    con.register("delivered_rows", batch)
    try:
        con.execute(f"insert into {RAW_TABLE} by name select * from delivered_rows")
    finally:
        con.unregister("delivered_rows")


def _supersede_earlier(
    con: duckdb.DuckDBPyConnection, outcome: FileOutcome, rows: pl.DataFrame
) -> None:
    """A newer delivery of a study (organisation x year) replaces the earlier rows of that study.

    An earlier version of the same file is replaced as a whole. Files left with no counted rows
    are marked superseded.
    """
    studies = rows.group_by("organisation_id", "year").len("n_rows").to_arrow()
    con.register("delivered_studies", studies)
    try:
        earlier = con.execute(
            f"""
            select distinct d.source_file, d.content_hash
            from {STUDY_DELIVERIES} as d
            left join delivered_studies as s
                on d.organisation_id = s.organisation_id and d.year = s.year
            where d.content_hash <> $hash and (s.year is not null or d.source_file = $file)
            """,
            {"hash": outcome.content_hash, "file": outcome.source_file},
        ).fetchall()
        for source_file, content_hash in earlier:
            _withdraw_studies(con, source_file, content_hash, outcome.source_file)
        con.execute(
            f"insert into {STUDY_DELIVERIES} select organisation_id, year, $file, $hash, n_rows "
            "from delivered_studies",
            {"hash": outcome.content_hash, "file": outcome.source_file},
        )
    finally:
        con.unregister("delivered_studies")


def _withdraw_studies(
    con: duckdb.DuckDBPyConnection, source_file: str, content_hash: str, superseded_by: str
) -> None:
    """Remove an earlier file's rows of the newly delivered studies (all of them when it is an
    earlier version of the same file); mark it superseded once nothing of it is counted."""
    same_file = source_file == superseded_by
    withdrawn = (
        "true"
        if same_file
        else "(organisation_id, year) in (select organisation_id, year from delivered_studies)"
    )
    params = {"file": source_file, "hash": content_hash}
    con.execute(
        f"delete from {RAW_TABLE} where source_file = $file and content_hash = $hash "
        f"and {withdrawn}",
        params,
    )
    con.execute(
        f"delete from {STUDY_DELIVERIES} where source_file = $file and content_hash = $hash "
        f"and {withdrawn}",
        params,
    )
    con.execute(
        f"""
        update {FILE_LOG}
        set status = '{SUPERSEDED}', superseded_by = $by
        where source_file = $file and content_hash = $hash
          and status in ('{LOADED}', '{PARTIALLY_LOADED}')
          and not exists (
            select 1 from {STUDY_DELIVERIES} as d
            where d.source_file = $file and d.content_hash = $hash
          )
        """,
        {**params, "by": superseded_by},
    )


def _insert_failures(
    con: duckdb.DuckDBPyConnection, outcome: FileOutcome, failures: pl.DataFrame, now: dt.datetime
) -> None:
    batch = failures.select(
        pl.lit(outcome.source_file).alias("source_file"),
        pl.lit(outcome.content_hash).alias("content_hash"),
        "row_number",
        "column_name",
        "check_name",
        "bad_value",
        "reason",
        pl.lit(now).alias("logged_at"),
    ).to_arrow()
    con.register("failed_checks", batch)
    try:
        con.execute(f"insert into {QUARANTINE} by name select * from failed_checks")
    finally:
        con.unregister("failed_checks")
