"""A study's cells in file order, and the same cells typed the way spreadsheets and tools hold them.

The generator produces every answer as the text of a canonical CSV cell ("7.5", "" for no
answer). Layouts with typed cells (workbooks, SPSS, Parquet) convert that text into numbers and
dates that read back as exactly the same text, so a study's values do not depend on its layout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

# docs/contract.md §3: the order in which the canonical columns appear in a file.
LEADING = ("respondent_id", "organisation_id", "sector", "market", "year", "response_date")
ITEM_ORDER = ("recommend", "grade_overall", "grade_", "touch_", "agree_", "weight")
# Columns with one value per study: what a manifest can state for a file that lacks them.
CONSTANTS = ("organisation_id", "sector", "market", "year")
# Columns that hold whole numbers, and those that hold decimals (written 7,5 in Dutch files).
WHOLE_NUMBERS = ("year", "recommend", "touch_", "agree_")
DECIMALS = ("grade_", "weight")

Cell = str | int | float | dt.date | None


def column_order(columns: list[str]) -> list[str]:
    """Identity columns, then recommend, grades, contact moments, statements, weight."""

    def rank(column: str) -> tuple[int, int]:
        if column in LEADING:
            return 0, LEADING.index(column)
        for position, prefix in enumerate(ITEM_ORDER):
            if column == prefix or (prefix.endswith("_") and column.startswith(prefix)):
                return 1, position
        return 2, 0

    return sorted(columns, key=rank)


def rows(columns: dict[str, list[str]], names: list[str]) -> Iterator[tuple[str, ...]]:
    """The cells of `names`, one tuple per respondent."""
    return zip(*(columns[name] for name in names), strict=True)


def is_decimal(column: str) -> bool:
    """Whether a canonical column holds decimal numbers (grades and weights)."""
    return column.startswith(DECIMALS)


def typed(column: str, cell: str) -> Cell:
    """A canonical text cell as a typed value: whole numbers, decimals, dates, text, or None."""
    if cell == "":
        return None
    if column == "response_date":
        return dt.date.fromisoformat(cell)
    if column.startswith(WHOLE_NUMBERS):
        return int(cell)
    if is_decimal(column):
        return float(cell)
    return cell


def is_weighted(columns: dict[str, list[str]]) -> bool:
    """Whether a study carries sampling weights other than 1."""
    return any(cell != "1" for cell in columns.get("weight", ()))


def constants(columns: dict[str, list[str]]) -> dict[str, str]:
    """The study's organisation, sector, market and year (from its first row)."""
    return {column: columns[column][0] for column in CONSTANTS}
