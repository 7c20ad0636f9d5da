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
import numpy as np
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
    FileRecord,
    logged_file_hashes,
    logged_files,
    record_batch,
    warehouse,
)
from validations.canonical import E_MAIL
from validations.survey_schema import DELIVERY_COLUMN, missing_required_columns, validate_rows

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


# Deliveries are validated and written together up to this many rows: pandera's fixed cost per
# call and DuckDB's per-statement cost are paid once per batch instead of once per file.
BATCH_ROWS = 500_000
# A file up to this size is read once into memory, hashed and parsed from there; a larger one is
# hashed in blocks and parsed from disk, so that no gigabyte file is held twice.
WHOLE_FILE_BYTES = 256 << 20


@dataclass(frozen=True)
class Prepared:
    """A delivery read and mapped onto the canonical layout, waiting for validation."""

    base: dict
    rows: CanonicalRows


def ingest_landing(landing: Path, warehouse_path: Path) -> IngestSummary:
    """Ingest the deliveries not yet logged (a file is known by its path and content hash)."""
    summary = IngestSummary()
    with warehouse(warehouse_path) as con:
        seen = logged_files(con)
        copies = logged_file_hashes(con)
        pending: list[Prepared | FileOutcome] = []
        pending_rows = 0
        for delivery in scan_landing(landing):
            data = _bytes(delivery)
            hashes = _hashes(delivery, data)
            if hashes is None:
                continue
            content_hash, file_hash = hashes
            if delivery.source_file in seen.get(content_hash, ()):
                continue  # already ingested: incremental runs skip it
            earlier = copies.get(file_hash or content_hash, set()) - {delivery.source_file}
            item = _prepare(delivery, hashes, earlier, data)
            seen.setdefault(content_hash, set()).add(delivery.source_file)
            copies.setdefault(file_hash or content_hash, set()).add(delivery.source_file)
            pending.append(item)
            pending_rows += item.rows.frame.height if isinstance(item, Prepared) else 0
            if pending_rows >= BATCH_ROWS:
                summary.outcomes += _record(con, pending)
                pending, pending_rows = [], 0
        if pending:
            summary.outcomes += _record(con, pending)
    for outcome in summary.outcomes:
        log.info(
            "%s: %s (%d accepted, %d quarantined)%s",
            outcome.source_file,
            outcome.status,
            outcome.rows_accepted,
            outcome.rows_quarantined,
            f": {outcome.reason}" if outcome.reason else "",
        )
    return summary


def _bytes(delivery: Delivery) -> bytes | None:
    """The delivery's bytes, read once for hashing and parsing; None for a file too large to
    hold twice or one that cannot be read (hashing meets the same error and decides)."""
    if delivery.size > WHOLE_FILE_BYTES:
        return None
    try:
        return delivery.path.read_bytes()
    except OSError:
        return None


def _hashes(delivery: Delivery, data: bytes | None = None) -> tuple[str, str | None] | None:
    """The delivery's hashes; None when it vanished since the scan (the next run sees it).

    A file that cannot be opened (permissions) is known by its name, size and time, so that it
    is logged once as rejected and read again once it changes.
    """
    try:
        return delivery.hashes(data)
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


def _prepare(
    delivery: Delivery,
    hashes: tuple[str, str | None],
    copies_of: set[str],
    data: bytes | None = None,
) -> Prepared | FileOutcome:
    """Read one delivery onto the canonical layout, or decide its outcome without validation
    (a duplicate, or a file that cannot be used); `copies_of` are earlier files of these bytes,
    `data` the delivery's bytes when they have been read already."""
    base = {
        "source_file": delivery.source_file,
        "content_hash": hashes[0],
        "file_hash": hashes[1],
        "file_size": delivery.size,
    }
    if copies_of:
        first = sorted(copies_of)[0]
        return FileOutcome(
            status=DUPLICATE,
            rows_read=0,
            rows_accepted=0,
            rows_quarantined=0,
            reason=f"identical to {first}, already ingested",
            **base,
        )
    rows_read = 0
    try:
        manifest = load_manifest(delivery.manifest, delivery.manifest_file or "")
        try:
            table = read_delivery(delivery.path, manifest, data)
            rows_read = table.frame.height
            rows = to_canonical(table, manifest)
        except ManifestMismatch as error:
            raise RejectedFile(
                f"manifest {delivery.manifest_file} does not fit the file: {error}"
            ) from error
        rows_read = rows.frame.height
        if rows_read == 0:
            raise RejectedFile("file has a header but no data rows")
        missing = missing_required_columns(rows.frame)
        if missing:
            raise RejectedFile(f"missing required column(s): {', '.join(missing)}")
        return Prepared(base=base, rows=rows)
    except (Exception, pl.exceptions.PanicException) as error:  # a bad file never stops the run
        return _rejected(base, rows_read, _reason(error))


def _rejected(base: dict, rows_read: int, reason: str) -> FileOutcome:
    return FileOutcome(
        status=REJECTED,
        rows_read=rows_read,
        rows_accepted=0,
        rows_quarantined=rows_read,
        reason=reason[:500],
        **base,
    )


def _record(
    con: duckdb.DuckDBPyConnection, pending: list[Prepared | FileOutcome]
) -> list[FileOutcome]:
    """Validate the prepared deliveries together and record the batch in delivery order."""
    prepared = [item for item in pending if isinstance(item, Prepared)]
    checked = dict(zip(map(id, prepared), _validate(prepared), strict=True))
    records = [
        checked[id(item)] if isinstance(item, Prepared) else FileRecord(item) for item in pending
    ]
    record_batch(con, records)
    return [record.outcome for record in records]


def _validate(prepared: list[Prepared]) -> list[FileRecord]:
    """One pandera pass over every prepared delivery; should the batch itself fail to validate,
    each delivery is validated alone so that one odd file cannot take the others with it."""
    if not prepared:
        return []
    try:
        frames = [
            p.rows.frame.with_columns(pl.lit(i, dtype=pl.Int64).alias(DELIVERY_COLUMN))
            for i, p in enumerate(prepared)
        ]
        validation = validate_rows(pl.concat(frames, how="diagonal"))
    except Exception:  # noqa: BLE001 - fall back to files one by one, which isolate the culprit
        return [_validate_alone(p) for p in prepared]
    offsets = np.cumsum([0] + [p.rows.frame.height for p in prepared])
    failures = validation.failures.with_columns(
        pl.Series(
            DELIVERY_COLUMN,
            np.searchsorted(offsets, validation.failures["row_index"], side="right") - 1,
            dtype=pl.Int64,
        )
    )
    failures_by = failures.partition_by(DELIVERY_COLUMN, as_dict=True, include_key=False)
    accepted_by = validation.accepted.partition_by(DELIVERY_COLUMN, as_dict=True, include_key=False)
    records = []
    for i, item in enumerate(prepared):
        own_failures = failures_by.get((i,), failures.clear().drop(DELIVERY_COLUMN))
        own_failures = own_failures.with_columns(pl.col("row_index") - int(offsets[i]))
        own_accepted = accepted_by.get((i,), validation.accepted.clear().drop(DELIVERY_COLUMN))
        records.append(_file_record(item, own_accepted, own_failures))
    return records


def _validate_alone(item: Prepared) -> FileRecord:
    try:
        validation = validate_rows(item.rows.frame)
    except (Exception, pl.exceptions.PanicException) as error:
        return FileRecord(_rejected(item.base, item.rows.frame.height, _reason(error)))
    return _file_record(item, validation.accepted, validation.failures)


def _file_record(item: Prepared, accepted: pl.DataFrame, failures: pl.DataFrame) -> FileRecord:
    """One delivery's outcome from its validated rows (row_index local to the delivery)."""
    rows = item.rows
    rows_read = rows.frame.height
    failures = _as_delivered(failures, rows)
    bad = failures.get_column("row_index").unique().implode()
    accepted = accepted.with_columns(
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
        **item.base,
    )
    return FileRecord(outcome, accepted, failures)


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
