"""The pandera survey contract: good rows pass with canonical types, each bad value is named."""

from __future__ import annotations

import polars as pl
import pytest

from validations.survey_schema import validate_rows

GOOD = {
    "respondent_id": ["r1", "r2", "r3"],
    "organisation_id": ["ORG-1", "ORG-1", "ORG-2"],
    "sector": ["wholesale", "ict", "waste"],
    "market": ["B2B", "B2B", "B2B"],
    "year": ["2020", "2020", "2019"],
    "response_date": ["2020-03-01", None, "2019-12-31"],
    "recommend": ["10", "0", None],
    "grade_overall": ["7.5", "1", "10"],
    "touch_payment": ["5", None, "1"],
    "agree_welcome": ["4", "3", None],
    "weight": ["1.25", None, "0.5"],
}


def frame(**changes: list) -> pl.DataFrame:
    return pl.DataFrame({**GOOD, **changes}, schema={c: pl.Utf8 for c in {**GOOD, **changes}})


def test_good_rows_pass_with_canonical_types():
    result = validate_rows(frame())
    assert result.failures.height == 0
    accepted = result.accepted
    assert accepted.height == 3
    assert accepted.schema["year"] == pl.Int32
    assert accepted.schema["recommend"] == pl.Int16
    assert accepted.schema["grade_overall"] == pl.Float64
    assert accepted.schema["response_date"] == pl.Date
    assert accepted.get_column("weight").to_list() == [1.25, 1.0, 0.5]  # default weight 1
    assert accepted.get_column("recommend").to_list() == [10, 0, None]


@pytest.mark.parametrize(
    ("column", "bad", "check"),
    [
        ("recommend", "11", "integer_0_10"),
        ("recommend", "-1", "integer_0_10"),
        ("recommend", "8.5", "integer_0_10"),
        ("recommend", "nine", "integer_0_10"),
        ("grade_overall", "0.5", "number_1_10"),
        ("grade_overall", "10.1", "number_1_10"),
        ("grade_overall", "7,5", "number_1_10"),
        ("touch_payment", "6", "integer_1_5"),
        ("touch_payment", "0", "integer_1_5"),
        ("agree_welcome", "x", "integer_1_5"),
        ("weight", "0", "positive_weight"),
        ("weight", "-2", "positive_weight"),
        ("weight", "inf", "positive_weight"),
        ("sector", "bakery", "known_sector"),
        ("sector", "banking", "sector_in_market"),
        ("market", "B2G", "known_market"),
        ("year", "1850", "plausible_year"),
        ("year", "2020.5", "plausible_year"),
        ("year", "20xx", "plausible_year"),
        ("response_date", "01-03-2020", "iso_date"),
        ("organisation_id", '=HYPERLINK("http://x")', "code_format"),
        ("respondent_id", "+31612345678", "code_format"),
        ("respondent_id", None, "not_nullable"),
        ("organisation_id", None, "not_nullable"),
    ],
)
def test_each_bad_value_is_reported_with_row_column_and_rule(column, bad, check):
    values = list(GOOD[column])
    values[1] = bad
    result = validate_rows(frame(**{column: values}))
    failure = result.failures.row(0, named=True)
    assert result.failures.height == 1
    assert failure["row_index"] == 1
    assert failure["column_name"] == column
    assert failure["check_name"] == check
    assert failure["bad_value"] == bad
    assert failure["reason"].startswith(column)
    assert result.accepted.get_column("respondent_id").to_list() == ["r1", "r3"]


def test_duplicate_respondent_within_organisation_year_keeps_the_first():
    result = validate_rows(frame(respondent_id=["r1", "r1", "r1"]))
    # r1 of ORG-1 2020 repeats; r1 of ORG-2 2019 is another study and fine.
    assert result.failures.get_column("row_index").to_list() == [1]
    assert result.failures.get_column("check_name").to_list() == ["unique_respondent"]
    assert result.accepted.height == 2


def test_a_row_failing_several_checks_is_quarantined_once_with_each_failure():
    result = validate_rows(frame(recommend=["10", "12", None], sector=["ict", "bakery", "waste"]))
    assert sorted(result.failures.get_column("check_name").to_list()) == [
        "integer_0_10",
        "known_sector",
    ]
    assert result.accepted.height == 2


def test_missing_required_column_is_an_error_for_the_whole_file():
    with pytest.raises(ValueError, match="missing required column.*year"):
        validate_rows(frame().drop("year"))
