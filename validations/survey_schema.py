"""The pandera contract every survey row must satisfy (docs/contract.md §3).

Rows arrive as text exactly as delivered, so a value that is not even a number is reported as
such instead of breaking the read. Each check has a stable name (`check_name` in
`audit.quarantined_rows`) and a sentence a data manager can act on.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass

import polars as pl

from validations.canonical import REQUIRED_COLUMNS
from validations.sectors import MARKETS, sectors

# pandera imports pyspark.pandas at its own import whenever pyspark is installed (the spark extra,
# docs/scale-out.md): a tenth of a second and a pandas-3 FutureWarning on every run's stderr, for
# pyspark DataFrames this project never validates (Spark runs in dbt's own process). The import
# is refused while pandera loads, and allowed again after.
_REFUSED = "pyspark.pandas" not in sys.modules
if _REFUSED:
    sys.modules["pyspark.pandas"] = None  # type: ignore[assignment]
try:
    import pandera.polars as pa
    from pandera.errors import SchemaErrors
finally:
    if _REFUSED:
        del sys.modules["pyspark.pandas"]

FIRST_PLAUSIBLE_YEAR = 1990
# Identifiers are codes: no spreadsheet formulas (=HYPERLINK(...)), no control characters.
CODE_PATTERN = r"^[^=+@\-\s\x00-\x1f][^\x00-\x1f]{0,127}$"

# Several deliveries may be validated as one frame, told apart by this column; a respondent must
# be unique within its delivery's organisation x year.
DELIVERY_COLUMN = "__delivery"
STUDY_COLUMNS = ("organisation_id", "year", DELIVERY_COLUMN)

RULES: dict[str, str] = {
    "not_nullable": "is required but empty",
    "code_format": "is not a plain code (max 128 characters, no formula, no control characters)",
    "known_sector": "is not a known sector code or alias",
    "sector_in_market": "belongs to the other market",
    "known_market": "must be B2B or B2C",
    "plausible_year": "must be a whole year from {first} to {last}",
    "iso_date": "must be a date as YYYY-MM-DD",
    "integer_0_10": "must be a whole number from 0 to 10",
    "number_1_10": "must be a number from 1 to 10",
    "integer_1_5": "must be a whole number from 1 to 5",
    "positive_weight": "must be a number greater than 0",
    "unique_respondent": "repeats a respondent_id already used in this organisation and year",
}


def _number(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Float64, strict=False)


def _valid_or_empty(data: pa.PolarsData, valid: pl.Expr) -> pl.LazyFrame:
    """A cell passes when it is empty or satisfies `valid`; a failed cast counts as invalid."""
    return data.lazyframe.select(pl.col(data.key).is_null() | valid.fill_null(False))


def _check(name: str, valid) -> pa.Check:
    return pa.Check(lambda data: _valid_or_empty(data, valid(data.key)), name=name, error=name)


def _first_in_study(data: pa.PolarsData) -> pl.LazyFrame:
    """Whether each row is the first with its respondent_id in its study (and delivery).

    A window per study: the same as `pl.struct(study, key).is_first_distinct()` (nulls are
    values alike), without encoding every row as a struct.
    """
    names = data.lazyframe.collect_schema().names()
    study = [c for c in STUDY_COLUMNS if c in names]
    first = pl.col(data.key).is_first_distinct()
    return _valid_or_empty(data, first.over(study) if study else first)


def _whole_number_between(name: str, low: int, high: int) -> pa.Check:
    def valid(key: str) -> pl.Expr:
        value = _number(key)
        return value.is_between(low, high) & (value == value.round(0))

    return _check(name, valid)


def _last_plausible_year() -> int:
    return dt.date.today().year + 1


def _schema() -> pa.DataFrameSchema:
    codes = list(sectors())
    code_market = {code: sector.market for code, sector in sectors().items()}
    required_text = {"dtype": pl.Utf8, "nullable": False}
    return pa.DataFrameSchema(
        {
            "respondent_id": pa.Column(
                checks=[
                    pa.Check.str_matches(CODE_PATTERN, name="code_format", error="code_format"),
                    pa.Check(_first_in_study, name="unique_respondent", error="unique_respondent"),
                ],
                **required_text,
            ),
            "organisation_id": pa.Column(
                checks=pa.Check.str_matches(CODE_PATTERN, name="code_format", error="code_format"),
                **required_text,
            ),
            "sector": pa.Column(
                checks=[
                    pa.Check.isin(codes, name="known_sector", error="known_sector"),
                    _check(
                        "sector_in_market",
                        lambda key: (
                            ~pl.col(key).is_in(codes)
                            | (
                                pl.col(key).replace_strict(code_market, default=None)
                                == pl.col("market")
                            )
                            | ~pl.col("market").is_in(MARKETS)
                        ),
                    ),
                ],
                **required_text,
            ),
            "market": pa.Column(
                checks=pa.Check.isin(MARKETS, name="known_market", error="known_market"),
                **required_text,
            ),
            "year": pa.Column(
                checks=_whole_number_between(
                    "plausible_year", FIRST_PLAUSIBLE_YEAR, _last_plausible_year()
                ),
                **required_text,
            ),
            "response_date": pa.Column(
                pl.Utf8,
                _check(
                    "iso_date",
                    lambda key: pl.col(key).str.to_date("%Y-%m-%d", strict=False).is_not_null(),
                ),
                nullable=True,
                required=False,
            ),
            "recommend": pa.Column(
                pl.Utf8, _whole_number_between("integer_0_10", 0, 10), nullable=True, required=False
            ),
            "weight": pa.Column(
                pl.Utf8,
                _check(
                    "positive_weight", lambda key: _number(key).is_finite() & (_number(key) > 0)
                ),
                nullable=True,
                required=False,
            ),
            r"^grade_.+$": pa.Column(
                pl.Utf8,
                _check("number_1_10", lambda key: _number(key).is_between(1, 10)),
                nullable=True,
                required=False,
                regex=True,
            ),
            r"^(touch|agree)_.+$": pa.Column(
                pl.Utf8,
                _whole_number_between("integer_1_5", 1, 5),
                nullable=True,
                required=False,
                regex=True,
            ),
        },
        strict=False,
    )


SURVEY_ROW_SCHEMA = _schema()

FAILURE_COLUMNS = {
    "row_index": pl.Int64,
    "column_name": pl.Utf8,
    "check_name": pl.Utf8,
    "bad_value": pl.Utf8,
    "reason": pl.Utf8,
}


@dataclass(frozen=True)
class RowValidation:
    """Rows that passed (cast to their canonical types) and one record per failed check."""

    accepted: pl.DataFrame
    failures: pl.DataFrame  # FAILURE_COLUMNS; row_index is 0-based within the validated frame


def rule_reason(check_name: str) -> str:
    text = RULES.get(check_name, check_name)
    return text.format(first=FIRST_PLAUSIBLE_YEAR, last=_last_plausible_year())


def missing_required_columns(frame: pl.DataFrame) -> list[str]:
    return [c for c in REQUIRED_COLUMNS if c not in frame.columns]


def validate_rows(frame: pl.DataFrame) -> RowValidation:
    """Validate text rows in canonical layout; every column of `REQUIRED_COLUMNS` must exist.

    A `DELIVERY_COLUMN` (integer) may tell several deliveries apart; it is kept as is.
    """
    missing = missing_required_columns(frame)
    if missing:
        raise ValueError(f"missing required column(s): {', '.join(missing)}")
    if all(dtype == pl.Utf8 for name, dtype in frame.schema.items() if name != DELIVERY_COLUMN):
        text = frame  # text already (as ingest delivers it): no cast to run
    else:
        text = frame.with_columns(pl.all().exclude(DELIVERY_COLUMN).cast(pl.Utf8))
    try:
        SURVEY_ROW_SCHEMA.validate(text, lazy=True)
        failures = pl.DataFrame(schema=FAILURE_COLUMNS)
    except SchemaErrors as errors:
        failures = _failures(errors.failure_cases)
    if failures.height:
        bad_rows = failures.get_column("row_index").unique()
        accepted = (
            text.with_row_index("row_index")
            .filter(~pl.col("row_index").is_in(bad_rows.implode()))
            .drop("row_index")
        )
    else:
        accepted = text
    return RowValidation(accepted=cast_canonical(accepted), failures=failures)


def _failures(cases: pl.DataFrame) -> pl.DataFrame:
    unexpected = cases.filter(pl.col("index").is_null())
    if unexpected.height:
        # A schema-level failure has no row: the caller must have excluded it (e.g. dtypes).
        raise ValueError(f"survey schema failed without a row: {unexpected.to_dicts()[0]}")
    return (
        cases.select(
            pl.col("index").cast(pl.Int64).alias("row_index"),
            pl.col("column").alias("column_name"),
            pl.col("check").alias("check_name"),
            pl.col("failure_case").alias("bad_value"),
        )
        .with_columns(
            pl.col("check_name").map_elements(rule_reason, return_dtype=pl.Utf8).alias("reason")
        )
        .with_columns(pl.format("{} {}", pl.col("column_name"), pl.col("reason")).alias("reason"))
        .sort("row_index", "column_name")
    )


def cast_canonical(frame: pl.DataFrame) -> pl.DataFrame:
    """Give validated text rows their canonical types (every cast is known to succeed)."""
    casts = []
    for column in frame.columns:
        if column == "year":
            casts.append(_number(column).cast(pl.Int32))
        elif column == "recommend" or column.startswith(("touch_", "agree_")):
            casts.append(_number(column).cast(pl.Int16))
        elif column.startswith("grade_"):
            casts.append(_number(column))
        elif column == "weight":
            casts.append(_number(column).fill_null(1.0))
        elif column == "response_date":
            casts.append(pl.col(column).str.to_date("%Y-%m-%d"))
    frame = frame.with_columns(casts)
    if "weight" not in frame.columns:
        frame = frame.with_columns(pl.lit(1.0).alias("weight"))
    return frame
