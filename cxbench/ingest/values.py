"""Delivered values onto canonical values: labels, recodes, scales, decimals, dates, codes.

Every step is a column expression over the whole file. A value a step does not recognise is
left as delivered, so that validation reports it as the file holds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import polars as pl

from cxbench.ingest.readers.typed import number_text
from validations.canonical import answer_range, is_numeric
from validations.manifest_schema import StudyManifest
from validations.sectors import alias_key, alias_lookup

DECIMAL_COMMA = r"^([+-]?\d*),(\d+)$"
ISO_TIMESTAMP = r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
MARKET_ALIASES = {
    "b2b": "B2B",
    "business": "B2B",
    "zakelijk": "B2B",
    "zakelijke markt": "B2B",
    "b2c": "B2C",
    "consumer": "B2C",
    "consumers": "B2C",
    "consument": "B2C",
    "consumenten": "B2C",
    "particulier": "B2C",
    "particulieren": "B2C",
}
# Labels are the only sensible reading of a coded sector or market: no number is a sector.
LABELLED_BY_DEFAULT = ("sector", "market")


def labelled_columns(
    labels: Mapping[str, Mapping[str, str]], listed: set[str], manifest: StudyManifest
) -> set[str]:
    """Columns read as their value labels: sector and market, those the manifest lists, and
    those whose recode is written in labels (`"Zeer waarschijnlijk": 10`)."""
    chosen = set(listed)
    for column, codes in labels.items():
        keys = set(manifest.recode_text(column))
        by_recode = bool(keys & set(codes.values())) and not keys & set(codes)
        if codes and (column in LABELLED_BY_DEFAULT or by_recode):
            chosen.add(column)
    return chosen


def _shifted(column: str, low: int, high: int) -> pl.Expr:
    """Codes `low..high` moved onto the canonical scale; grades may be fractional."""
    value = pl.col(column).cast(pl.Float64, strict=False)
    shift = answer_range(column)[0] - low
    code = value.is_between(low, high)
    if not column.startswith("grade_"):
        code = code & (value == value.round(0))
    return pl.when(code).then(number_text(value + shift)).otherwise(pl.col(column))


def _response_date(date_format: str | None) -> pl.Expr:
    column = pl.col("response_date")
    if date_format:
        parsed = column.str.strptime(pl.Date, date_format, strict=False)
        return pl.when(parsed.is_not_null()).then(parsed.dt.to_string("%Y-%m-%d")).otherwise(column)
    return column.str.replace(ISO_TIMESTAMP, "$1")


def _codes(frame: pl.DataFrame, column: str) -> pl.Expr | None:
    """Known spellings (by `alias_key`) become codes; the unique values are few. None when every
    value is a code already (nothing to replace)."""
    found = {}
    for value in frame.get_column(column).unique().to_list():
        code = None if value is None else _alias_code(column, value)
        if code is not None and code != value:
            found[value] = code
    return pl.col(column).replace(found) if found else None


@lru_cache(maxsize=1 << 16)
def _alias_code(column: str, value: str) -> str | None:
    """The code a spelling of a sector or market stands for; the same few recur in every file."""
    lookup = alias_lookup() if column == "sector" else MARKET_ALIASES
    return lookup.get(alias_key(value))


def canonical_values(
    frame: pl.DataFrame,
    manifest: StudyManifest,
    labels: Mapping[str, Mapping[str, str]],
    listed: set[str],
    decimal_comma: bool,
) -> pl.DataFrame:
    """Apply, in order: missing markers, value labels, recodes, decimal commas, scale shifts,
    dates, codes."""
    # Each step sees the result of the one before; they run as one query, steps without work
    # are left out.
    steps: list[list[pl.Expr]] = []
    if manifest.missing_values:
        steps.append([pl.all().replace(manifest.missing_text)])
    chosen = labelled_columns(labels, listed, manifest)
    steps.append([pl.col(c).replace(dict(labels.get(c, {}))) for c in chosen])
    steps.append([pl.col(c).replace(manifest.recode_text(c)) for c in manifest.recode])
    if decimal_comma:
        numeric = [c for c in frame.columns if is_numeric(c)]
        steps.append([pl.col(c).str.replace(DECIMAL_COMMA, "$1.$2") for c in numeric])
    steps.append([_shifted(c, *spec.from_) for c, spec in manifest.scale.items()])
    if "response_date" in frame.columns:
        steps.append([_response_date(manifest.date_format)])
    steps = [step for step in steps if step]
    if steps:
        query = frame.lazy()
        for step in steps:
            query = query.with_columns(step)
        frame = query.collect(engine="in-memory")  # one small frame: no streaming
    codes = [c for c in (_codes(frame, "sector"), _codes(frame, "market")) if c is not None]
    return frame.with_columns(codes) if codes else frame
