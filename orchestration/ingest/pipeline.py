"""Ingest every new delivery in landing/: read, map to canonical, validate, load or quarantine.

A bad row or a bad file never stops the run: each file ends in `audit.file_log` with a status,
and rows_read = rows_accepted + rows_quarantined for every file. Quarantine records show each
bad value as the file holds it (before recodes), never an e-mail address.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from orchestration.ingest.landing import Delivery, scan_landing
from orchestration.ingest.manifest import load_manifest
from orchestration.ingest.normalise import CanonicalRows, to_canonical
from orchestration.ingest.readers import ManifestMismatch, RejectedFile, read_delivery
from orchestration.ingest.warehouse import (
    DUPLICATE,
    LOADED,
    PARTIALLY_LOADED,
    REJECTED,
    FileOutcome,
    logged_file_hashes,
    logged_files,
    record_file,
    warehouse,
)
from validations.canonical import E_MAIL
from validations.survey_schema import validate_rows

log = logging.getLogger(__name__)
REDACTED = "<e-mail address removed>"


@dataclass
class IngestSummary:
    outcomes: list[FileOutcome] = field(default_factory=list)

    @property
    def by_status(self) -> dict[str, int]:
        return dict(Counter(o.status for o in self.outcomes))

    @property
    def rows_accepted(self) -> int:
        return sum(o.rows_accepted for o in self.outcomes)

    @property
    def rows_quarantined(self) -> int:
        return sum(o.rows_quarantined for o in self.outcomes)


def ingest_landing(landing: Path, warehouse_path: Path) -> IngestSummary:
    """Ingest the deliveries not yet logged (a file is known by its path and content hash)."""
    summary = IngestSummary()
    with warehouse(warehouse_path) as con:
        seen = logged_files(con)
        copies = logged_file_hashes(con)
        for delivery in scan_landing(landing):
            hashes = _hashes(delivery)
            if hashes is None:
                continue
            content_hash, file_hash = hashes
            if delivery.source_file in seen.get(content_hash, ()):
                continue  # already ingested: incremental runs skip it
            earlier = copies.get(file_hash or content_hash, set()) - {delivery.source_file}
            outcome = _ingest_one(con, delivery, hashes, earlier)
            seen.setdefault(content_hash, set()).add(delivery.source_file)
            copies.setdefault(file_hash or content_hash, set()).add(delivery.source_file)
            summary.outcomes.append(outcome)
            log.info(
                "%s: %s (%d accepted, %d quarantined)%s",
                outcome.source_file,
                outcome.status,
                outcome.rows_accepted,
                outcome.rows_quarantined,
                f": {outcome.reason}" if outcome.reason else "",
            )
    return summary


def _hashes(delivery: Delivery) -> tuple[str, str | None] | None:
    """The delivery's hashes; None when it vanished since the scan (the next run sees it).

    A file that cannot be opened (permissions) is known by its name, size and time, so that it
    is logged once as rejected and read again once it changes.
    """
    try:
        return delivery.hashes()
    except FileNotFoundError:
        log.warning("%s: skipped, removed while ingesting", delivery.source_file)
        return None
    except OSError:
        stamp = f"unreadable\0{delivery.source_file}\0{delivery.size}\0{delivery.modified}"
        return hashlib.sha256(stamp.encode()).hexdigest(), None


def _reason(error: BaseException) -> str:
    if isinstance(error, RejectedFile):
        return str(error)
    if isinstance(error, OSError):
        return f"file cannot be read: {error.strerror or error}"
    return f"unreadable file: {error!r}"


def _ingest_one(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    hashes: tuple[str, str | None],
    copies_of: set[str],
) -> FileOutcome:
    """Read, validate and record one delivery; `copies_of` are earlier files of the same bytes."""
    base = {
        "source_file": delivery.source_file,
        "content_hash": hashes[0],
        "file_hash": hashes[1],
        "file_size": delivery.size,
    }
    if copies_of:
        first = sorted(copies_of)[0]
        outcome = FileOutcome(
            status=DUPLICATE,
            rows_read=0,
            rows_accepted=0,
            rows_quarantined=0,
            reason=f"identical to {first}, already ingested",
            **base,
        )
        record_file(con, outcome)
        return outcome
    rows_read = 0
    try:
        manifest = load_manifest(delivery.manifest, delivery.manifest_file or "")
        try:
            table = read_delivery(delivery.path, manifest)
            rows_read = table.frame.height
            rows = to_canonical(table, manifest)
        except ManifestMismatch as error:
            raise RejectedFile(
                f"manifest {delivery.manifest_file} does not fit the file: {error}"
            ) from error
        rows_read = rows.frame.height
        if rows_read == 0:
            raise RejectedFile("file has a header but no data rows")
        try:
            validation = validate_rows(rows.frame)
        except ValueError as error:
            raise RejectedFile(str(error)) from error
    except (Exception, pl.exceptions.PanicException) as error:  # a bad file never stops the run
        outcome = FileOutcome(
            status=REJECTED,
            rows_read=rows_read,
            rows_accepted=0,
            rows_quarantined=rows_read,
            reason=_reason(error)[:500],
            **base,
        )
        record_file(con, outcome)
        return outcome

    failures = _as_delivered(validation.failures, rows)
    bad = failures.get_column("row_index").unique().implode()
    accepted = validation.accepted.with_columns(
        rows.row_numbers.filter(~pl.int_range(rows_read, eager=True).is_in(bad)).alias("row_number")
    )
    quarantined = rows_read - accepted.height
    if accepted.height == 0:
        status, reason = REJECTED, f"all {rows_read} rows failed validation"
    elif quarantined:
        status, reason = PARTIALLY_LOADED, f"{quarantined} of {rows_read} rows quarantined"
    else:
        status, reason = LOADED, None
    outcome = FileOutcome(
        status=status,
        rows_read=rows_read,
        rows_accepted=accepted.height,
        rows_quarantined=quarantined,
        reason=reason,
        ignored_columns=rows.ignored_columns,
        personal_data_columns=rows.personal_data_columns,
        **base,
    )
    record_file(con, outcome, accepted, failures)
    return outcome


def _as_delivered(failures: pl.DataFrame, rows: CanonicalRows) -> pl.DataFrame:
    """Failures with the file's row number and the bad value as delivered (e-mail removed)."""
    delivered = rows.as_delivered
    columns = [c for c in failures.get_column("column_name").unique() if c in delivered.columns]
    cells = []
    for column in columns:  # a handful of columns, each gathered in one go
        failed = failures.filter(pl.col("column_name") == column).select("row_index", "column_name")
        cell = delivered.get_column(column).gather(failed.get_column("row_index"))
        cells.append(failed.with_columns(cell.alias("cell")))
    schema = {"row_index": pl.Int64, "column_name": pl.Utf8, "cell": pl.Utf8}
    lookup = pl.concat([pl.DataFrame(schema=schema), *cells]).unique(["row_index", "column_name"])
    value = (
        pl.when(pl.col("column_name").is_in(columns))
        .then(pl.col("cell"))
        .otherwise(pl.col("bad_value"))
    )
    return (
        failures.join(lookup, on=["row_index", "column_name"], how="left", maintain_order="left")
        .with_columns(
            pl.when(value.str.contains(E_MAIL))
            .then(pl.lit(REDACTED))
            .otherwise(value)
            .alias("bad_value"),
            rows.row_numbers.gather(failures.get_column("row_index")).alias("row_number"),
        )
        .drop("cell")
    )
