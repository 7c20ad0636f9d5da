"""Typed columns (SPSS, Parquet) as the text a person would have typed into a CSV file.

Whole numbers lose their `.0` (SPSS stores every number as a float: 9.0 is the answer 9), dates
become ISO dates, and a timestamp at midnight becomes its date.
"""

from __future__ import annotations

import polars as pl

from cxbench.ingest.readers.common import RejectedFile

# Beyond this a float is no longer an exact integer; keep its own notation.
EXACT_INTEGER = 2**53


def number_text(value: pl.Expr) -> pl.Expr:
    """Floats as text: 9.0 -> "9", 7.5 -> "7.5", NaN -> null."""
    value = value.fill_nan(None)
    whole = value.is_finite() & (value == value.round(0)) & (value.abs() < EXACT_INTEGER)
    return (
        pl.when(whole)
        .then(value.cast(pl.Int64, strict=False).cast(pl.Utf8))
        .otherwise(value.cast(pl.Utf8))
    )


def _column_text(name: str, dtype: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if dtype.is_float():
        return number_text(column)
    if dtype == pl.Date:
        return column.dt.to_string("%Y-%m-%d")
    if isinstance(dtype, pl.Datetime):
        midnight = column.dt.time() == pl.time(0)
        return (
            pl.when(midnight)
            .then(column.dt.to_string("%Y-%m-%d"))
            .otherwise(column.dt.to_string("%Y-%m-%d %H:%M:%S"))
        )
    if dtype.is_nested() or dtype == pl.Binary or dtype == pl.Object:
        raise RejectedFile(f"column {name!r} holds {dtype} values, not survey answers")
    return column.cast(pl.Utf8)


def as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Every column as text (pl.Utf8), names unchanged."""
    return frame.select(
        _column_text(name, dtype).alias(name) for name, dtype in frame.schema.items()
    )
