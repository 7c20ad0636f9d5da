"""Map delivered text columns onto the canonical survey layout (contract section 3)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from validations.canonical import is_canonical, is_personal_data, normalise_column_name
from validations.sectors import alias_key, alias_lookup


@dataclass(frozen=True)
class CanonicalRows:
    frame: pl.DataFrame  # canonical columns only, as text, empty cells as null
    ignored_columns: tuple[str, ...]  # unknown columns, reported in file_log
    personal_data_columns: tuple[str, ...]  # dropped before anything is stored


def to_canonical(frame: pl.DataFrame) -> CanonicalRows:
    renamed = frame.rename({c: normalise_column_name(c) for c in frame.columns})
    personal = tuple(c for c in renamed.columns if is_personal_data(c))
    ignored = tuple(c for c in renamed.columns if not is_canonical(c) and c not in personal)
    kept = renamed.select(c for c in renamed.columns if is_canonical(c))
    return CanonicalRows(
        frame=_normalise_codes(_blank_to_null(kept)),
        ignored_columns=ignored,
        personal_data_columns=personal,
    )


def _blank_to_null(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(c).cast(pl.Utf8).str.strip_chars().replace("", None) for c in frame.columns
    )


def _normalise_codes(frame: pl.DataFrame) -> pl.DataFrame:
    """Sector aliases become codes and market case is ignored; unknown values stay as delivered."""
    updates = []
    if "sector" in frame.columns:
        lookup = alias_lookup()
        codes = {
            value: lookup.get(alias_key(value), value)
            for value in frame.get_column("sector").drop_nulls().unique().to_list()
        }
        updates.append(pl.col("sector").replace_strict(codes, default=pl.col("sector")))
    if "market" in frame.columns:
        upper = pl.col("market").str.to_uppercase()
        updates.append(pl.when(upper.is_in(["B2B", "B2C"])).then(upper).otherwise(pl.col("market")))
    return frame.with_columns(updates) if updates else frame
