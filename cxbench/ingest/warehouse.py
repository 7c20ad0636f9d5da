"""The warehouse side of ingest: raw respondent rows and the audit tables (docs/contract.md §8).

Each delivered file is written in one transaction (its rows, its quarantine records and its
file_log entry), so a run stopped at any moment never leaves a file half-loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from cxbench import duckdb_connections

RAW_TABLE = "raw.survey_responses"
FILE_LOG = "audit.file_log"
QUARANTINE = "audit.quarantined_rows"
STUDY_DELIVERIES = "audit.study_deliveries"
EXCLUSIONS_TABLE = "audit.exclusions"

# Statuses of docs/contract.md §8; rows of `COUNTED` files make up the benchmark.
LOADED, PARTIALLY_LOADED, REJECTED, DUPLICATE, SUPERSEDED = (
    "loaded",
    "partially_loaded",
    "rejected",
    "duplicate",
    "superseded",
)
COUNTED = (LOADED, PARTIALLY_LOADED)
# A counted file an analyst keeps out of the benchmark (cxbench/exclusions.py): its rows
# stay in raw.survey_responses, staging leaves them out.
EXCLUDED = "excluded"
HOLDING_ROWS = (*COUNTED, EXCLUDED)  # files whose accepted rows are in raw.survey_responses

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
-- notes: what is valid but unusual about the delivery (a study whose respondents span sectors);
-- exclusion_reason: why an analyst keeps (part of) it out (cxbench/exclusions.py).
alter table {FILE_LOG} add column if not exists notes varchar;
alter table {FILE_LOG} add column if not exists exclusion_reason varchar;
-- Which file currently provides each study (organisation x year): small, so a new delivery
-- finds the one it supersedes without scanning the respondent rows.
create table if not exists {STUDY_DELIVERIES} (
    organisation_id varchar not null,
    year integer not null,
    source_file varchar not null,
    content_hash varchar not null,
    n_rows bigint not null
);
-- The analyst exclusions of the last run (cxbench/exclusions.py), read by dbt's staging.
create table if not exists {EXCLUSIONS_TABLE} (
    position integer not null,
    kind varchar not null,
    organisation_id varchar,
    year integer,
    source_file varchar,
    reason varchar not null,
    entry_json varchar not null,
    matched_files bigint not null,
    matched_rows bigint not null
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
    con = duckdb_connections.connect(str(path), read_only=read_only)
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
    notes: str | None = None  # valid but unusual (cxbench/ingest/notes.py)


def logged_files(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """content_hash -> the source files it was logged under."""
    return _sources_by(con, "content_hash")


def logged_file_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Hash of the file's bytes alone -> the source files it was logged under (duplicates)."""
    return _sources_by(con, "coalesce(file_hash, content_hash)")


def _sources_by(con: duckdb.DuckDBPyConnection, key: str) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    for value, source_file in con.execute(f"select {key}, source_file from {FILE_LOG}").fetchall():
        seen.setdefault(value, set()).add(source_file)
    return seen


@dataclass(frozen=True)
class FileRecord:
    """What one delivery leaves in the warehouse: its outcome, accepted rows, failed checks."""

    outcome: FileOutcome
    accepted: pl.DataFrame | None = None
    failures: pl.DataFrame | None = None


Study = tuple[str, int]  # organisation_id, year


@dataclass(frozen=True)
class Batch:
    """Several deliveries as they are recorded together, each part in delivery order.

    `rows` and `failures` carry source_file and content_hash on every row; `studies` has, per
    delivery with accepted rows, its (source_file, content_hash) and rows per study.
    """

    outcomes: list[FileOutcome]
    rows: pl.DataFrame | None = None
    failures: pl.DataFrame | None = None
    studies: list[tuple[tuple[str, str], dict[Study, int]]] = field(default_factory=list)

    @classmethod
    def of(cls, records: list[FileRecord]) -> Batch:
        """A batch of records made file by file."""
        loaded = [r for r in records if r.accepted is not None and r.accepted.height]
        failed = [r for r in records if r.failures is not None and r.failures.height]
        return cls(
            outcomes=[r.outcome for r in records],
            rows=pl.concat([_tagged(r, r.accepted) for r in loaded], how="diagonal")
            if loaded
            else None,
            failures=pl.concat([_tagged(r, r.failures) for r in failed]) if failed else None,
            studies=[
                ((r.outcome.source_file, r.outcome.content_hash), rows_per_study(r.accepted))
                for r in loaded
            ],
        )


def rows_per_study(rows: pl.DataFrame) -> dict[Study, int]:
    """Rows per study (organisation x year) of one delivery's accepted rows."""
    return {
        (organisation, year): n
        for organisation, year, n in rows.group_by("organisation_id", "year").len().iter_rows()
    }


def record_batch(con: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    """Write several files in one transaction, in delivery order: a run stopped at any moment
    leaves each file either wholly recorded or not at all, and later deliveries of a study
    supersede earlier ones even within the batch."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute("begin transaction")
    try:
        # The log first: supersession within the batch updates entries of this batch.
        _insert_file_log(con, batch.outcomes, now)
        if batch.rows is not None and batch.rows.height:
            _insert_rows(con, batch.rows)
            _supersede(con, batch.studies)
        if batch.failures is not None and batch.failures.height:
            _insert_failures(con, batch.failures, now)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _tagged(record: FileRecord, frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit(record.outcome.source_file).alias("source_file"),
        pl.lit(record.outcome.content_hash).alias("content_hash"),
    )


def _insert_file_log(
    con: duckdb.DuckDBPyConnection, outcomes: list[FileOutcome], now: dt.datetime
) -> None:
    entries = pl.DataFrame(
        [
            {
                "source_file": o.source_file,
                "content_hash": o.content_hash,
                "status": o.status,
                "rows_read": o.rows_read,
                "rows_accepted": o.rows_accepted,
                "rows_quarantined": o.rows_quarantined,
                "reason": o.reason,
                "ingested_at": now,
                "file_size": o.file_size,
                "ignored_columns": ",".join(o.ignored_columns) or None,
                "personal_data_columns": ",".join(o.personal_data_columns) or None,
                "file_hash": o.file_hash,
                "notes": o.notes,
            }
            for o in outcomes
        ],
        schema={
            "source_file": pl.Utf8,
            "content_hash": pl.Utf8,
            "status": pl.Utf8,
            "rows_read": pl.Int64,
            "rows_accepted": pl.Int64,
            "rows_quarantined": pl.Int64,
            "reason": pl.Utf8,
            "ingested_at": pl.Datetime("us"),
            "file_size": pl.Int64,
            "ignored_columns": pl.Utf8,
            "personal_data_columns": pl.Utf8,
            "file_hash": pl.Utf8,
            "notes": pl.Utf8,
        },
    ).to_arrow()
    con.register("logged_files", entries)
    try:
        con.execute(f"insert into {FILE_LOG} by name select * from logged_files")
    finally:
        con.unregister("logged_files")


def _insert_rows(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame) -> None:
    """Append accepted rows (tagged with their file), adding item columns new deliveries bring."""
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
    # Arrow string views, as polars holds them: no copy into large strings, and DuckDB appends
    # them faster.
    con.register("delivered_rows", rows.to_arrow(compat_level=pl.CompatLevel.newest()))
    try:
        con.execute(f"insert into {RAW_TABLE} by name select * from delivered_rows")
    finally:
        con.unregister("delivered_rows")


def _supersede(
    con: duckdb.DuckDBPyConnection, loaded: list[tuple[tuple[str, str], dict[Study, int]]]
) -> None:
    """A newer delivery of a study (organisation x year) replaces the earlier rows of that study;
    an earlier version of the same file is replaced as a whole. Files left with no counted rows
    are marked superseded. Decided on the small study index, in delivery order, so respondent
    rows are only touched when a study really arrives again. `loaded`: per delivery with rows in
    this batch, (source_file, content_hash) and its rows per study."""
    provider: dict[Study, tuple[str, str]] = {}
    studies_of: dict[tuple[str, str], dict[Study, int]] = {}
    versions: dict[str, set[tuple[str, str]]] = {}  # source_file -> its keys in studies_of
    for organisation, year, source_file, content_hash, n_rows in con.execute(
        f"select organisation_id, year, source_file, content_hash, n_rows from {STUDY_DELIVERIES}"
    ).fetchall():
        provider[(organisation, year)] = (source_file, content_hash)
        studies_of.setdefault((source_file, content_hash), {})[(organisation, year)] = n_rows
        versions.setdefault(source_file, set()).add((source_file, content_hash))
    for delivered, delivered_studies in loaded:
        studies = dict(delivered_studies)
        earlier = {provider[s] for s in studies if s in provider} | {
            f for f in versions.get(delivered[0], ()) if f[1] != delivered[1]
        }
        for previous in sorted(earlier - {delivered}):
            held = studies_of[previous]
            withdrawn = set(held) if previous[0] == delivered[0] else set(held) & set(studies)
            _withdraw(
                con, previous, withdrawn, superseded=len(withdrawn) == len(held), by=delivered[0]
            )
            for study in withdrawn:
                del held[study]
                if provider.get(study) == previous:
                    del provider[study]
        studies_of[delivered] = studies
        versions.setdefault(delivered[0], set()).add(delivered)
        provider.update(dict.fromkeys(studies, delivered))
    batch = list(dict.fromkeys(delivered for delivered, _ in loaded))  # in delivery order
    index = pl.DataFrame(
        [
            (organisation, year, source_file, content_hash, n)
            for (source_file, content_hash) in batch
            for (organisation, year), n in sorted(studies_of[(source_file, content_hash)].items())
        ],
        schema={
            "organisation_id": pl.Utf8,
            "year": pl.Int32,
            "source_file": pl.Utf8,
            "content_hash": pl.Utf8,
            "n_rows": pl.Int64,
        },
        orient="row",
    )
    con.register("new_study_deliveries", index.to_arrow())
    try:
        con.execute(f"insert into {STUDY_DELIVERIES} select * from new_study_deliveries")
    finally:
        con.unregister("new_study_deliveries")


def _withdraw(
    con: duckdb.DuckDBPyConnection,
    delivery: tuple[str, str],
    studies: set[tuple[str, int]],
    superseded: bool,
    by: str,
) -> None:
    """Remove a delivery's rows of `studies`; log it superseded once nothing of it counts."""
    withdrawn = pl.DataFrame(
        list(studies), schema={"organisation_id": pl.Utf8, "year": pl.Int32}, orient="row"
    )
    params = {"file": delivery[0], "hash": delivery[1]}
    match = (
        "source_file = $file and content_hash = $hash and (organisation_id, year) in "
        "(select organisation_id, year from withdrawn_studies)"
    )
    con.register("withdrawn_studies", withdrawn.to_arrow())
    try:
        con.execute(f"delete from {RAW_TABLE} where {match}", params)
        con.execute(f"delete from {STUDY_DELIVERIES} where {match}", params)
    finally:
        con.unregister("withdrawn_studies")
    if superseded:
        con.execute(
            f"""
            update {FILE_LOG} set status = '{SUPERSEDED}', superseded_by = $by,
                exclusion_reason = null
            where source_file = $file and content_hash = $hash
              and status in ('{LOADED}', '{PARTIALLY_LOADED}', '{EXCLUDED}')
            """,
            {**params, "by": by},
        )


def _insert_failures(
    con: duckdb.DuckDBPyConnection, failures: pl.DataFrame, now: dt.datetime
) -> None:
    batch = failures.select(
        "source_file",
        "content_hash",
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
