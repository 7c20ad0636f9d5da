"""Ingest every new delivery in landing/: read, map to canonical, validate, load or quarantine.

A bad row or a bad file never stops the run: each file ends in `audit.file_log` with a status,
and rows_read = rows_accepted + rows_quarantined for every file. Quarantine records show each
bad value as the file holds it (before recodes), never an e-mail address.
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import duckdb
import numpy as np
import polars as pl

from cxbench.ingest import known_hashes
from cxbench.ingest.known_hashes import Hashes
from cxbench.ingest.landing import Delivery, scan_landing
from cxbench.ingest.manifest import load_manifest
from cxbench.ingest.normalise import CanonicalRows, to_canonical
from cxbench.ingest.notes import spanning_sectors
from cxbench.ingest.plain import PlainCsv, read_plain
from cxbench.ingest.readers import ManifestMismatch, RejectedFile, read_delivery
from cxbench.ingest.timing import StageTimes
from cxbench.ingest.warehouse import (
    DUPLICATE,
    LOADED,
    PARTIALLY_LOADED,
    REJECTED,
    Batch,
    FileOutcome,
    FileRecord,
    logged_file_hashes,
    logged_files,
    record_batch,
    warehouse,
)
from validations.canonical import E_MAIL
from validations.survey_schema import (
    DELIVERY_COLUMN,
    RowValidation,
    missing_required_columns,
    validate_rows,
)

log = logging.getLogger(__name__)
R = TypeVar("R")
REDACTED = "<e-mail address removed>"


@dataclass
class IngestSummary:
    outcomes: list[FileOutcome] = field(default_factory=list)
    times: StageTimes = field(default_factory=StageTimes)

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
# Files are read (hashed, parsed, mapped) by READ_THREADS threads while the batch before is
# validated and the one before that written: polars, hashlib, file reads and DuckDB release the
# GIL. Reading runs ahead by at most READ_AHEAD_BYTES of files (and READ_AHEAD_FILES), so memory
# stays bounded whatever the landing holds; results are taken in delivery order, so the outcome
# does not depend on which thread finishes first. A reading thread waits part of the time (on
# disk, on polars' own threads): two per CPU the process may use keep the CPUs busy (on 2 CPUs,
# 4 threads measured ~6% faster than 2). A container may allow fewer CPUs than the machine has.
# Plain CSV files (plain.py) are only hashed there, then parsed per batch, many in one call.
CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
READ_THREADS = min(8, 2 * CPUS)
READ_AHEAD_BYTES = 64 << 20
READ_AHEAD_FILES = 512
# A file up to this size is read once into memory, hashed and parsed from there; a larger one is
# hashed in blocks and parsed from disk, so that no gigabyte file is held twice.
WHOLE_FILE_BYTES = 256 << 20


@dataclass(frozen=True)
class Prepared:
    """A delivery read and mapped onto the canonical layout, waiting for validation."""

    base: dict
    rows: CanonicalRows


@dataclass(frozen=True)
class Read:
    """What a reading thread learnt of one delivery: its hashes (None: it vanished) and, unless
    it was known before this run (logged, or a copy of a logged file), its prepared rows."""

    delivery: Delivery
    hashes: tuple[str, str | None] | None
    item: Prepared | PlainCsv | FileOutcome | None = None


def ingest_landing(
    landing: Path, warehouse_path: Path, progress: Callable[[int, int], None] | None = None
) -> IngestSummary:
    """Ingest the deliveries not yet logged (a file is known by its path and content hash).

    `progress(done, total)` is called as each delivery has been looked at.
    """
    summary = IngestSummary()
    deliveries = list(scan_landing(landing))
    known = known_hashes.load(warehouse_path)
    hashed: dict[str, tuple[str, Hashes]] = {}
    done = 0
    times = summary.times
    with times.whole(), warehouse(warehouse_path) as con:
        logged, logged_copies = logged_files(con), logged_file_hashes(con)
        # This run's bookkeeping starts from the log; the reading threads only see the log.
        seen = {key: set(files) for key, files in logged.items()}
        copies = {key: set(files) for key, files in logged_copies.items()}
        pending: list[Prepared | PlainCsv | FileOutcome] = []
        pending_rows = 0
        with (
            _Writer(con, times) as writer,
            ThreadPoolExecutor(READ_THREADS, "ingest-read") as pool,
            closing(  # leaving early (an error) cancels the reads not yet started
                _in_order(
                    pool,
                    lambda d: times.timed("read", _read, d, logged, logged_copies, known),
                    deliveries,
                    READ_AHEAD_BYTES,
                    READ_AHEAD_FILES,
                )
            ) as reads,
        ):
            for read in reads:
                done += 1
                if progress is not None:
                    progress(done, len(deliveries))
                delivery = read.delivery
                if read.hashes is None:
                    continue
                hashed[delivery.source_file] = (delivery.stamp, read.hashes)
                content_hash, file_hash = read.hashes
                if delivery.source_file in seen.get(content_hash, ()):
                    continue  # already ingested: incremental runs skip it
                earlier = copies.get(file_hash or content_hash, set()) - {delivery.source_file}
                item = _duplicate(delivery, read.hashes, earlier) if earlier else read.item
                assert item is not None  # a file is left unread only when it is a copy
                seen.setdefault(content_hash, set()).add(delivery.source_file)
                copies.setdefault(file_hash or content_hash, set()).add(delivery.source_file)
                pending.append(item)
                pending_rows += _rows(item)
                if pending_rows >= BATCH_ROWS:
                    summary.outcomes += _write_batch(pending, writer, times)
                    pending, pending_rows = [], 0
            if pending:
                summary.outcomes += _write_batch(pending, writer, times)
    known_hashes.save(warehouse_path, hashed)
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


def _write_batch(
    pending: list[Prepared | PlainCsv | FileOutcome], writer: _Writer, times: StageTimes
) -> list[FileOutcome]:
    """Read the batch's plain CSV files, validate the batch, hand it to the writing thread."""
    ready = times.timed("read", _read_plain, pending)
    return writer.write(times.timed("validate", _batch, ready))


def _rows(item: Prepared | PlainCsv | FileOutcome) -> int:
    if isinstance(item, Prepared):
        return item.rows.frame.height
    return item.rows if isinstance(item, PlainCsv) else 0


def _read_plain(pending: list[Prepared | PlainCsv | FileOutcome]) -> list[Prepared | FileOutcome]:
    """The batch with its plain CSV files read (together where they can be), in order."""
    plain = [item for item in pending if isinstance(item, PlainCsv)]
    if not plain:
        return pending  # type: ignore[return-value]
    read = iter(
        read_plain(
            plain,
            read=lambda file, rows: Prepared(base=_base(file.delivery, file.hashes), rows=rows),
            alone=lambda file: _prepare(file.delivery, file.hashes, file.data),
        )
    )
    return [next(read) if isinstance(item, PlainCsv) else item for item in pending]


def _in_order(
    pool: ThreadPoolExecutor,
    work: Callable[[Delivery], R],
    deliveries: Iterable[Delivery],
    ahead_bytes: int,
    ahead_files: int,
) -> Iterator[R]:
    """`work` over `deliveries` on the pool, results in delivery order; the files in flight
    (submitted, not yet taken) stay within `ahead_bytes` and `ahead_files`, one file at least."""
    pending = iter(deliveries)
    futures: deque[tuple[Future[R], int]] = deque()
    in_flight = 0
    upcoming = next(pending, None)
    try:
        while True:
            while upcoming is not None and (
                not futures
                or (in_flight + upcoming.size <= ahead_bytes and len(futures) < ahead_files)
            ):
                futures.append((pool.submit(work, upcoming), upcoming.size))
                in_flight += upcoming.size
                upcoming = next(pending, None)
            if not futures:
                return
            future, size = futures.popleft()
            in_flight -= size
            yield future.result()
    finally:
        for future, _ in futures:
            future.cancel()


def _read(
    delivery: Delivery,
    logged: dict[str, set[str]],
    logged_copies: dict[str, set[str]],
    known: dict[str, tuple[str, Hashes]],
) -> Read:
    """Read one delivery's bytes once: hash them and, unless the log knows the file already,
    prepare its rows (the caller decides in delivery order whether it is a copy of this run).
    A logged file whose stamp is unchanged since its hashes were recorded is not read."""
    stamp, hashes = known.get(delivery.source_file, ("", None))
    if hashes is not None and stamp == delivery.stamp and delivery.stamp:
        content_hash, file_hash = hashes
        if delivery.source_file in logged.get(content_hash, ()):
            return Read(delivery, hashes)
    data = None
    if delivery.size <= WHOLE_FILE_BYTES:
        try:
            data = delivery.path.read_bytes()
        except OSError:
            data = None  # hashing meets the same error and decides what it means
    hashes = _hashes(delivery, data)
    if hashes is None:
        return Read(delivery, None)
    content_hash, file_hash = hashes
    if delivery.source_file in logged.get(content_hash, ()):
        return Read(delivery, hashes)
    if logged_copies.get(file_hash or content_hash, set()) - {delivery.source_file}:
        return Read(delivery, hashes)
    plain = PlainCsv.of(delivery, hashes, data)  # read later, with the batch's other plain files
    return Read(delivery, hashes, plain or _prepare(delivery, hashes, data))


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


def _base(delivery: Delivery, hashes: tuple[str, str | None]) -> dict:
    return {
        "source_file": delivery.source_file,
        "content_hash": hashes[0],
        "file_hash": hashes[1],
        "file_size": delivery.size,
    }


def _duplicate(
    delivery: Delivery, hashes: tuple[str, str | None], copies_of: set[str]
) -> FileOutcome:
    """The outcome of a delivery whose bytes arrived before (`copies_of`: those files)."""
    first = sorted(copies_of)[0]
    return FileOutcome(
        status=DUPLICATE,
        rows_read=0,
        rows_accepted=0,
        rows_quarantined=0,
        reason=f"identical to {first}, already ingested",
        **_base(delivery, hashes),
    )


def _prepare(
    delivery: Delivery, hashes: tuple[str, str | None], data: bytes | None = None
) -> Prepared | FileOutcome:
    """Read one delivery onto the canonical layout, or decide its outcome without validation
    (a file that cannot be used); `data` are its bytes when they have been read already."""
    base = _base(delivery, hashes)
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


class _Writer:
    """Records batches on a thread of its own, in the order they are given, while the next
    batch is read and validated (DuckDB releases the GIL). At most one batch waits, so memory
    stays bounded; a failed write stops the run with its error, as a write in line would."""

    def __init__(self, con: duckdb.DuckDBPyConnection, times: StageTimes) -> None:
        self._con = con
        self._times = times
        self._queue: queue.Queue[Batch | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="ingest-write", daemon=True)

    def __enter__(self) -> _Writer:
        self._thread.start()
        return self

    def __exit__(self, kind, error, traceback) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None and error is None:
            raise self._error

    def write(self, batch: Batch) -> list[FileOutcome]:
        if self._error is not None:
            raise self._error
        self._queue.put(batch)
        return batch.outcomes

    def _run(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._times.timed("load", record_batch, self._con, batch)
                except BaseException as error:  # noqa: BLE001 - handed to the ingesting thread
                    self._error = error


def _batch(pending: list[Prepared | FileOutcome]) -> Batch:
    """Validate the prepared deliveries together in one pandera pass: the batch to record, in
    delivery order. Should the batch itself fail to validate, each delivery is validated alone
    so that one odd file cannot take the others with it."""
    prepared = [item for item in pending if isinstance(item, Prepared)]
    if not prepared:
        return Batch(outcomes=list(pending))
    try:
        frame = pl.concat([p.rows.frame for p in prepared], how="diagonal")
        delivery = np.repeat(np.arange(len(prepared)), [p.rows.frame.height for p in prepared])
        validation = validate_rows(frame.with_columns(pl.Series(DELIVERY_COLUMN, delivery)))
    except Exception:  # noqa: BLE001 - fall back to files one by one, which isolate the culprit
        records = {id(p): _validate_alone(p) for p in prepared}
        return Batch.of(
            [records[id(item)] if id(item) in records else FileRecord(item) for item in pending]
        )
    checked = _checked(prepared, validation)
    outcomes = iter(checked.outcomes)
    return Batch(
        outcomes=[next(outcomes) if isinstance(item, Prepared) else item for item in pending],
        rows=checked.rows,
        failures=checked.failures,
        studies=checked.studies,
    )


def _checked(prepared: list[Prepared], validation: RowValidation) -> Batch:
    """The prepared deliveries' batch from their validation as one frame."""
    heights = [p.rows.frame.height for p in prepared]
    offsets = np.cumsum([0, *heights])
    failures = validation.failures.with_columns(
        pl.Series(
            DELIVERY_COLUMN,
            np.searchsorted(offsets, validation.failures["row_index"], side="right") - 1,
            dtype=pl.Int64,
        )
    )
    # Rows per delivery that failed a check, and each failing delivery's failed checks.
    bad_rows = dict(
        failures.group_by(DELIVERY_COLUMN).agg(pl.col("row_index").n_unique()).iter_rows()
    )
    failures_by = failures.partition_by(DELIVERY_COLUMN, as_dict=True, include_key=False)
    notes = spanning_sectors(validation.accepted, DELIVERY_COLUMN)
    outcomes, failed = [], []
    for i, item in enumerate(prepared):
        rows_read = heights[i]
        quarantined = bad_rows.get(i, 0)
        outcomes.append(
            _outcome(item, rows_read, rows_read - quarantined, quarantined, notes.get(i))
        )
        if quarantined:
            own = failures_by[(i,)].with_columns(pl.col("row_index") - int(offsets[i]))
            failed.append(_tagged(_as_delivered(own, item.rows), item))
    # The accepted rows of every delivery at once: each row's file, hash and row number.
    accepted = validation.accepted
    delivery = accepted.get_column(DELIVERY_COLUMN)
    numbers = pl.concat([p.rows.row_numbers for p in prepared])
    if failures.height:
        bad = failures.get_column("row_index").unique().implode()
        numbers = numbers.filter(~pl.int_range(int(offsets[-1]), eager=True).is_in(bad))
    rows = accepted.drop(DELIVERY_COLUMN).with_columns(
        numbers.alias("row_number"),
        _per_delivery(prepared, "source_file").gather(delivery).alias("source_file"),
        _per_delivery(prepared, "content_hash").gather(delivery).alias("content_hash"),
    )
    loaded = [i for i, outcome in enumerate(outcomes) if outcome.rows_accepted]
    studies = _studies(accepted, {i: outcomes[i] for i in loaded})
    return Batch(
        outcomes=outcomes,
        rows=rows if rows.height else None,
        failures=pl.concat(failed) if failed else None,
        studies=[studies[i] for i in loaded],
    )


def _per_delivery(prepared: list[Prepared], key: str) -> pl.Series:
    return pl.Series(key, [p.base[key] for p in prepared], dtype=pl.Utf8)


def _studies(
    accepted: pl.DataFrame, loaded: dict[int, FileOutcome]
) -> dict[int, tuple[tuple[str, str], dict[tuple[str, int], int]]]:
    """Per delivery with accepted rows: (source_file, content_hash) and its rows per study."""
    studies: dict[int, dict[tuple[str, int], int]] = {i: {} for i in loaded}
    counts = accepted.group_by(DELIVERY_COLUMN, "organisation_id", "year").len()
    for i, organisation, year, n in counts.iter_rows():
        studies[i][(organisation, year)] = n
    return {i: ((o.source_file, o.content_hash), studies[i]) for i, o in loaded.items()}


def _tagged(failures: pl.DataFrame, item: Prepared) -> pl.DataFrame:
    return failures.with_columns(
        pl.lit(item.base["source_file"]).alias("source_file"),
        pl.lit(item.base["content_hash"]).alias("content_hash"),
    )


def _validate_alone(item: Prepared) -> FileRecord:
    try:
        validation = validate_rows(item.rows.frame)
    except (Exception, pl.exceptions.PanicException) as error:
        return FileRecord(_rejected(item.base, item.rows.frame.height, _reason(error)))
    return _file_record(item, validation.accepted, validation.failures)


def _outcome(
    item: Prepared, rows_read: int, accepted: int, quarantined: int, notes: str | None = None
) -> FileOutcome:
    """A validated delivery's outcome from its row counts (and notes on its accepted rows)."""
    if accepted == 0:
        status, reason = REJECTED, f"all {rows_read} rows failed validation"
    elif quarantined:
        status, reason = PARTIALLY_LOADED, f"{quarantined} of {rows_read} rows quarantined"
    else:
        status, reason = LOADED, None
    return FileOutcome(
        status=status,
        rows_read=rows_read,
        rows_accepted=accepted,
        rows_quarantined=quarantined,
        reason=reason,
        ignored_columns=item.rows.ignored_columns,
        personal_data_columns=item.rows.personal_data_columns,
        notes=notes if accepted else None,
        **item.base,
    )


def _file_record(item: Prepared, accepted: pl.DataFrame, failures: pl.DataFrame) -> FileRecord:
    """One delivery's outcome from its validated rows (row_index local to the delivery)."""
    rows = item.rows
    rows_read = rows.frame.height
    failures = _as_delivered(failures, rows)
    bad = failures.get_column("row_index").unique().implode()
    accepted = accepted.with_columns(
        rows.row_numbers.filter(~pl.int_range(rows_read, eager=True).is_in(bad)).alias("row_number")
    )
    notes = spanning_sectors(accepted).get(None)
    outcome = _outcome(item, rows_read, accepted.height, rows_read - accepted.height, notes)
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
