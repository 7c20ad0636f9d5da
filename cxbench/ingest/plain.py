"""Plain CSV deliveries read together: one parse and one mapping for many files.

Most deliveries are plain CSV files: ASCII, comma-separated, no quotes, blanks, blank lines or
header rows beyond the first, no manifest. Reading each alone costs polars a fixed ~0.4 ms per
call besides the parsing, and mapping it onto the canonical layout another few calls; at 2,000
files that is seconds. Files with the same header line are therefore parsed in one polars call
(one source per file, each with its own header) and mapped once, then split into their files.

Only files whose bytes make the result certain to equal reading each alone take this path (see
`plain_header`): one row per line, so each file's rows are its lines after the header. Anything
unexpected in a group (a parse error, a rejected mapping, an empty row) sends its files down the
per-file path, which decides their outcome exactly as before.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import polars as pl

from cxbench.ingest.landing import Delivery
from cxbench.ingest.normalise import CanonicalRows, to_canonical
from cxbench.ingest.readers import layout_of
from cxbench.ingest.readers.common import DeliveredTable, RejectedFile
from cxbench.ingest.readers.encoding import control_bytes
from cxbench.ingest.readers.text import HEAD_BYTES, plain_cells, sniff_delimiter

LAYOUT = "text (utf-8, ',', decimal '.')"  # what the text reader reports for such a file
R = TypeVar("R")


@dataclass(frozen=True)
class PlainCsv:
    """A plain CSV delivery waiting to be read with others of the same header."""

    delivery: Delivery
    hashes: tuple[str, str | None]
    data: bytes
    header: bytes  # its first line, line end included
    rows: int  # its lines after the header: one row each

    @classmethod
    def of(cls, delivery: Delivery, hashes: tuple[str, str | None], data: bytes | None):
        """The delivery as a plain CSV file, or None when it must be read alone."""
        header = plain_header(delivery.path, delivery.manifest, data)
        if header is None or data is None:
            return None
        return cls(delivery, hashes, data, header, data.count(b"\n") - 1)


def plain_header(path: Path, manifest: Path | None, data: bytes | None) -> bytes | None:
    """The header line of a delivery that can be read with others, else None.

    The text reader's own tests, taken whole-file: no manifest; named .csv and no other layout;
    ASCII (so no byte-order mark and UTF-8) and no control bytes in the part the reader sniffs;
    cells polars parses clean (`plain_cells`: no quotes, blanks or lone carriage returns); a
    comma-separated header on the first line; the last line complete; no "@" (identifiers need no
    e-mail scan); no "ImportId" in the lines a survey tool's header rows would take; at least one
    data row. Each test is a scan in C: a few hundred microseconds per file at most. A blank line
    needs no scan: it is an empty row, which sends its group down the per-file path.
    """
    if manifest is not None or data is None or path.suffix.lower() != ".csv":
        return None
    if not data.endswith(b"\n") or data.startswith((b"\n", b"\r")) or b"@" in data:
        return None
    if not plain_cells(data, ",") or control_bytes(data[:HEAD_BYTES]):
        return None
    if b"ImportId" in data[: _line_end(data, _line_end(data, _line_end(data, 0)))]:
        return None
    try:
        if layout_of(path, data) != "text":
            return None
    except RejectedFile:
        return None
    end = _line_end(data, 0)
    header = data[:end]
    if end == len(data) or sniff_delimiter(header.decode("ascii").rstrip("\r\n")) != ",":
        return None
    return header


def _line_end(data: bytes, start: int) -> int:
    """Where the line starting at `start` ends (after its "\\n"), or the end of `data`."""
    end = data.find(b"\n", start)
    return len(data) if end < 0 else end + 1


def read_plain(
    files: list[PlainCsv],
    read: Callable[[PlainCsv, CanonicalRows], R],
    alone: Callable[[PlainCsv], R],
) -> list[R]:
    """Per file, in the order given: `read(file, its canonical rows)`, or `alone(file)` for the
    files of a group that could not be read together."""
    groups: dict[bytes, list[int]] = {}
    for i, file in enumerate(files):
        groups.setdefault(file.header, []).append(i)
    results: dict[int, R] = {}
    for members in groups.values():
        group = [files[i] for i in members]
        together = _together(group)
        for k, (i, file) in enumerate(zip(members, group, strict=True)):
            results[i] = alone(file) if together is None else read(file, together[k])
    return [results[i] for i in range(len(files))]


def _together(group: list[PlainCsv]) -> list[CanonicalRows] | None:
    """The group's files read and mapped as one table, split per file; None if not possible."""
    heights = [file.rows for file in group]
    try:
        frame = pl.scan_csv(
            [io.BytesIO(file.data) for file in group],
            separator=",",
            infer_schema=False,
            encoding="utf8",
            truncate_ragged_lines=False,
        ).collect()
        if frame.height != sum(heights) or not all(dtype == pl.Utf8 for dtype in frame.dtypes):
            return None
        rows = to_canonical(DeliveredTable(frame=frame, layout=LAYOUT, clean=True, at_sign=False))
    except (Exception, pl.exceptions.PanicException):  # each file alone says what is wrong
        return None
    if rows.frame.height != frame.height:
        return None  # empty rows were left out: row numbers per file need the per-file path
    split, start = [], 0
    for height in heights:
        split.append(
            CanonicalRows(
                frame=rows.frame.slice(start, height),
                as_delivered=rows.as_delivered.slice(start, height),
                row_numbers=pl.int_range(1, height + 1, eager=True, dtype=pl.Int64),
                ignored_columns=rows.ignored_columns,
                personal_data_columns=rows.personal_data_columns,
            )
        )
        start += height
    return split
