"""Ingest every new delivery in landing/: read, map to canonical, validate, load or quarantine.

A bad row or a bad file never stops the run: each file ends in `audit.file_log` with a status,
and rows_read = rows_accepted + rows_quarantined for every file.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from orchestration.ingest.landing import Delivery, scan_landing
from orchestration.ingest.normalise import to_canonical
from orchestration.ingest.readers import RejectedFile, read_canonical_csv
from orchestration.ingest.warehouse import (
    DUPLICATE,
    LOADED,
    PARTIALLY_LOADED,
    REJECTED,
    FileOutcome,
    logged_files,
    record_file,
    warehouse,
)
from validations.survey_schema import validate_rows

log = logging.getLogger(__name__)


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
        for delivery in scan_landing(landing):
            content_hash = delivery.content_hash()
            if delivery.source_file in seen.get(content_hash, ()):
                continue  # already ingested: incremental runs skip it
            outcome = _ingest_one(con, delivery, content_hash, seen)
            seen.setdefault(content_hash, set()).add(delivery.source_file)
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


def _ingest_one(
    con: duckdb.DuckDBPyConnection,
    delivery: Delivery,
    content_hash: str,
    seen: dict[str, set[str]],
) -> FileOutcome:
    base = {
        "source_file": delivery.source_file,
        "content_hash": content_hash,
        "file_size": delivery.size,
    }
    if content_hash in seen:
        first = sorted(seen[content_hash])[0]
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
        delivered = read_canonical_csv(delivery.path)
        rows_read = delivered.height
        canonical = to_canonical(delivered)
        if rows_read == 0:
            raise RejectedFile("file has a header but no data rows")
        try:
            validation = validate_rows(canonical.frame)
        except ValueError as error:
            raise RejectedFile(str(error)) from error
    except Exception as error:  # a file we cannot use must never stop the run
        reason = str(error) if isinstance(error, RejectedFile) else f"unreadable file: {error!r}"
        outcome = FileOutcome(
            status=REJECTED,
            rows_read=rows_read,
            rows_accepted=0,
            rows_quarantined=rows_read,
            reason=reason[:500],
            **base,
        )
        record_file(con, outcome)
        return outcome

    failures = validation.failures.with_columns((pl.col("row_index") + 1).alias("row_number"))
    accepted = validation.accepted.with_columns(
        pl.Series(
            "row_number",
            _accepted_row_numbers(rows_read, failures.get_column("row_index")),
            dtype=pl.Int64,
        )
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
        ignored_columns=canonical.ignored_columns,
        personal_data_columns=canonical.personal_data_columns,
        **base,
    )
    record_file(con, outcome, accepted, failures)
    return outcome


def _accepted_row_numbers(rows_read: int, failed_index: pl.Series) -> pl.Series:
    """1-based row numbers (1 = first data row) of the rows that passed, in file order."""
    numbers = pl.int_range(1, rows_read + 1, eager=True)
    return numbers.filter(~(numbers - 1).is_in(failed_index.unique().implode()))
