"""Reading a delivered file into text columns, before any interpretation.

Everything is read as text so validation can report the value exactly as delivered.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl


class RejectedFile(Exception):
    """The file as a whole cannot be used; the message is the one reason logged for it."""


def read_canonical_csv(path: Path) -> pl.DataFrame:
    """A canonical-v1 CSV (contract section 3): UTF-8, comma-separated, one header row."""
    head = path.open("rb").read(4096)
    if not head.strip():
        raise RejectedFile("file is empty")
    if b"\x00" in head:
        raise RejectedFile("file is binary, not a CSV text file")
    try:
        frame = pl.read_csv(
            path,
            infer_schema=False,
            encoding="utf8",
            truncate_ragged_lines=False,
        )
    except pl.exceptions.ComputeError as error:
        raise RejectedFile(f"not a readable UTF-8 CSV file: {_first_line(error)}") from error
    except pl.exceptions.NoDataError as error:
        raise RejectedFile("file is empty") from error
    return frame


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:200]
