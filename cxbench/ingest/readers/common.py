"""What every reader returns, and the one exception that rejects a file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl


class RejectedFile(Exception):
    """The file as a whole cannot be used; the message is the one reason logged for it."""


class ManifestMismatch(RejectedFile):
    """The file's manifest asks for something the file does not have (a column, a sheet)."""


@dataclass(frozen=True)
class DeliveredTable:
    """A delivered file as text, before mapping onto the canonical layout.

    `frame` holds delivered column names and text cells (empty cells may be "" or null); row i
    is data row i + 1 of the file, whatever header rows the layout has.
    """

    frame: pl.DataFrame
    layout: str  # how it was read, e.g. "text (cp1252, ';')", for logs and tests
    decimal_comma: bool = False  # numbers are written 7,5
    value_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # code -> label
    # Every cell is text (pl.Utf8) without surrounding blanks and no cell is "": cleaning the
    # cells would change nothing, so it is skipped (known from the bytes of a plain CSV file).
    clean: bool = False
    # Some cell may hold an "@" (False: the bytes the cells come from have none).
    at_sign: bool = True


def first_line(error: BaseException) -> str:
    """The first line of a library's error message, short enough for a file_log reason."""
    lines = str(error).strip().splitlines()
    return lines[0][:200] if lines else type(error).__name__
