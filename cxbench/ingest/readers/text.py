"""Delimited text deliveries: canonical CSV, Dutch Excel CSV, tab-separated, survey-tool exports.

Recognised from the file: the encoding (see `encoding`), the delimiter (the most frequent of
`, ; TAB |` in the header line), the decimal mark (a comma in files not separated by commas, as
Dutch Excel writes them), old Mac line ends, blank lines above the header and Qualtrics' extra
header rows. The manifest overrides each. Files that are not valid UTF-8 are read as cp1252,
whatever their delimiter: Excel on Dutch Windows writes it, and a user expects the file to load.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv

from cxbench.ingest.readers.common import DeliveredTable, RejectedFile
from cxbench.ingest.readers.encoding import decoded, detect_encoding
from cxbench.ingest.readers.header import drop_extra_header_rows, unique_names
from validations.manifest_schema import StudyManifest

HEAD_BYTES = 1 << 16
DELIMITERS = (",", ";", "\t", "|")
QUOTED = re.compile(r'"[^"]*"')
# pyarrow names the field counts of a ragged row; nothing of the row's content is repeated.
FIELD_COUNT = re.compile(r"Expected (\d+) columns, got (\d+)")


def sniff_delimiter(header_line: str) -> str:
    """The most frequent candidate outside quotes; a comma when the line has none."""
    unquoted = QUOTED.sub("", header_line)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _fields(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def _check_complete(text_tail: str, delimiter: str, header_fields: int) -> None:
    """A file that stops in the middle of its last row was cut off in transfer."""
    if not text_tail.strip() or text_tail.endswith(("\n", "\r")):
        return
    fields = len(_fields(text_tail.splitlines()[-1], delimiter))
    if fields < header_fields:
        raise RejectedFile(
            f"file is truncated: its last row stops after {fields} of {header_fields} columns"
        )


def plain_cells(data: bytes, delimiter: str) -> bool:
    """Whether no cell polars parses from `data` can have surrounding blanks or be "".

    True for plain ASCII without quotes (an empty field is then null, never "") and without
    blanks (a space, a tab that does not delimit, a vertical tab or form feed, a carriage return
    that does not end a line): then every cell is clean already. Single-byte searches only, far
    cheaper than stripping every cell; a file with blanks in its values is simply cleaned.
    """
    if delimiter in (" ", "\r", "\n", "\x0b", "\x0c") or len(delimiter) != 1:
        return False
    if not data.isascii() or b'"' in data or b" " in data or b"\x0b" in data or b"\x0c" in data:
        return False
    if delimiter != "\t" and b"\t" in data:
        return False
    return b"\r" not in data or data.count(b"\r") == data.count(b"\r\n")


def _edge(path: Path, tail: bool) -> bytes:
    with path.open("rb") as handle:
        if tail:
            handle.seek(max(0, path.stat().st_size - HEAD_BYTES))
        return handle.read(HEAD_BYTES)


def _parse(source: Path | io.BytesIO, delimiter: str, skip_lines: int) -> tuple[pl.DataFrame, str]:
    """Text cells, and which parser read them: polars', else pyarrow's, which reads what polars'
    refuses (a stray quote in a value)."""
    try:
        frame = pl.read_csv(
            source,
            separator=delimiter,
            infer_schema=False,
            skip_lines=skip_lines,  # plain lines: polars' skip_rows passes over empty ones
            encoding="utf8",
            truncate_ragged_lines=False,
        )
        return frame, "polars"
    except pl.exceptions.NoDataError as error:
        raise RejectedFile("file is empty") from error
    except pl.exceptions.ComputeError:
        if isinstance(source, io.BytesIO):
            source.seek(0)
    try:
        table = pa_csv.read_csv(
            source,
            read_options=pa_csv.ReadOptions(skip_rows=skip_lines),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types=_all_text(source, delimiter, skip_lines)
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        counts = FIELD_COUNT.search(str(error))
        detail = (
            f"a row has {counts[2]} fields where the header has {counts[1]}"
            if counts
            else "unbalanced quotes or an invalid byte"
        )
        raise RejectedFile(f"not a readable CSV file: {detail}") from error
    return pl.from_arrow(table.rename_columns(unique_names(tuple(table.column_names)))), "pyarrow"


def _all_text(source: Path | io.BytesIO, delimiter: str, skip_lines: int) -> dict:
    """Every header name typed as text, so that pyarrow infers nothing."""
    if isinstance(source, io.BytesIO):
        lines = source.getvalue()[:HEAD_BYTES].decode("utf-8", "ignore").splitlines()
    else:
        lines = _edge(source, tail=False).decode("utf-8", "ignore").splitlines()
    header = lines[skip_lines] if len(lines) > skip_lines else ""
    return {name: pa.string() for name in _fields(header.lstrip("\ufeff"), delimiter)}


def read_text(path: Path, manifest: StudyManifest, data: bytes | None = None) -> DeliveredTable:
    """`data`: the file's bytes when they are in memory already (else the file is read)."""
    head = _edge(path, tail=False) if data is None else data[:HEAD_BYTES]
    encoding = manifest.encoding or detect_encoding(path, head, data)
    utf8 = encoding in ("utf-8", "utf-8-sig")
    old_mac = b"\r" in head and b"\n" not in head  # lines end in a lone CR
    text = None if utf8 and not old_mac else decoded(path, encoding, data)
    if old_mac:
        text = text.replace("\r", "\n")
    text_head = head.decode("utf-8", errors="ignore") if text is None else text[:HEAD_BYTES]
    lines = text_head.lstrip("\ufeff").splitlines()[manifest.skip_rows :]
    blank = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    header_line = lines[blank] if blank < len(lines) else ""
    delimiter = manifest.delimiter or sniff_delimiter(header_line)
    if text is None:
        edge = _edge(path, tail=True) if data is None else data[-HEAD_BYTES:]
        tail = edge.decode("utf-8", "ignore")
    else:
        tail = text[-HEAD_BYTES:]
    _check_complete(tail, delimiter, len(_fields(header_line, delimiter)))
    if text is not None:
        source: Path | io.BytesIO = io.BytesIO(text.encode("utf-8"))
    else:
        source = path if data is None else io.BytesIO(data)
    frame, parser = _parse(source, delimiter, manifest.skip_rows + blank)
    decimal = manifest.decimal or ("." if delimiter == "," else ",")
    clean = (
        parser == "polars"
        and text is None
        and data is not None
        and all(dtype == pl.Utf8 for dtype in frame.dtypes)
        and plain_cells(data, delimiter)
    )
    return DeliveredTable(
        frame=drop_extra_header_rows(frame, manifest),
        layout=f"text ({encoding}, {delimiter!r}, decimal {decimal!r})",
        decimal_comma=decimal == ",",
        clean=clean,
        # Parsed from the UTF-8 bytes themselves: an "@" in a cell is an "@" byte in the file.
        at_sign=not (text is None and data is not None and b"@" not in data),
    )
