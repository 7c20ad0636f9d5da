"""The Great Expectations gate, in-process, on the marts of a real run (copied, then spoiled)."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from validations.gx import gate
from validations.gx.gate import read_tables, validate_frames, validate_warehouse
from validations.gx.rules import NPS_ESTIMATES, PUBLIC_RULES, TABLES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def frames(published_home: Path) -> dict[str, pd.DataFrame]:
    return read_tables(published_home / "warehouse.duckdb")


def failed(report) -> set[tuple[str, str]]:
    return {(f.table, f.expectation) for f in report.failures}


def test_the_marts_of_a_run_pass_every_table(frames):
    report = validate_frames(frames)
    assert report.success, report.summary()
    assert {t.table for t in report.tables} == {r.table for r in TABLES}
    assert all(t.evaluated >= 10 for t in report.tables if t.table != "publication_info")
    assert report.thresholds.min_respondents == 30


def test_a_corrupted_warehouse_fails_naming_each_expectation(published_home, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(published_home / "warehouse.duckdb", warehouse)
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(
            "update marts.nps_by_sector_year set nps = 150 "
            "where market = 'B2B' and sector = 'ALL' and year = 2023"
        )
        con.execute(
            "update marts.grades_by_sector_year set suppressed = true, "
            "suppression_reason = 'fewer than 30 respondents' "
            "where market = 'B2C' and sector = 'ALL' and year = 2024 and aspect = 'overall'"
        )
        con.execute(
            "update marts.statements_by_sector_year set sector = 'banking' "
            "where market = 'B2B' and sector = 'ict'"
        )
        con.execute(
            "insert into marts.touchpoints_by_sector_year "
            "select * from marts.touchpoints_by_sector_year limit 1"
        )
        con.execute("update marts.publication_info set min_organisations = 0")
    finally:
        con.close()

    report = validate_warehouse(warehouse)

    assert not report.success
    failures = failed(report)
    assert ("nps_by_sector_year", "expect_column_values_to_be_between(nps, -100..100)") in failures
    assert (
        "grades_by_sector_year",
        "expect_column_values_to_be_null(mean_grade where suppressed == True)",
    ) in failures
    assert (
        "statements_by_sector_year",
        "expect_column_values_to_be_in_set(sector where market == B2B)",
    ) in failures
    assert (
        "touchpoints_by_sector_year",
        "expect_compound_columns_to_be_unique(market, sector, year, touchpoint)",
    ) in failures
    assert (
        "publication_info",
        "expect_column_values_to_be_between(min_organisations, 1..)",
    ) in failures
    assert report.table("top_performers_by_year").success
    line = report.summary()
    assert "\n" not in line and line.startswith("expectation failed: ")
    nps = next(f for f in report.failures if "(nps, -100..100)" in f.expectation)
    # The failure names the table, the cell (its keys) and the value.
    assert nps.table == "nps_by_sector_year"
    assert nps.detail == (
        f"1 of {report.table(nps.table).rows} rows, "
        "e.g. cell market=B2B, sector=ALL, year=2023: nps = 150.0"
    )
    duplicate = next(f for f in report.failures if "compound_columns" in f.expectation)
    assert "cell market=" in duplicate.detail and "touchpoint=" in duplicate.detail


def test_a_failed_table_is_documented_once_with_its_unexpected_value_counts(frames, tmp_path):
    """Passed tables are validated in BASIC detail; a failed one again in SUMMARY, replacing it."""
    spoiled = frames["nps_by_sector_year"].copy()
    spoiled.loc[0, "nps"] = 150.0
    docs = tmp_path / "docs"
    report = validate_frames({**frames, "nps_by_sector_year": spoiled}, docs)
    assert not report.table("nps_by_sector_year").success
    pages = {p.name: p for p in (docs / "validations").rglob("*.html")}
    # One validation per public table, not the BASIC one beside it (the restricted table's
    # pages are in a site of their own, not asked for here).
    assert len(pages) == len(PUBLIC_RULES)
    page = pages["warehouse_marts-nps_by_sector_year.html"].read_text(encoding="utf-8")
    assert "Unexpected Value" in page and "Sampled Unexpected Values" not in page


def test_garbage_collection_pauses_while_validating_and_resumes(frames, monkeypatch):
    enabled_while_validating = []
    run_validation = gate.run_validation

    def recording(*args):
        enabled_while_validating.append(gc.isenabled())
        return run_validation(*args)

    monkeypatch.setattr(gate, "run_validation", recording)
    validate_frames(frames)
    # This process's share of the tables (a forked child validates the rest, gc paused too).
    assert enabled_while_validating and not any(enabled_while_validating)
    assert gc.isenabled()


def test_published_cells_must_meet_the_thresholds_of_the_run(frames):
    """The thresholds come from publication_info: a stricter run must suppress more."""
    info = frames["publication_info"].assign(min_respondents=1_000_000)
    report = validate_frames({**frames, "publication_info": info})
    assert report.thresholds.min_respondents == 1_000_000
    assert (
        "nps_by_sector_year",
        "expect_column_values_to_be_between(n_respondents, 1000000.. where suppressed == False)",
    ) in failed(report)


def test_a_small_delivery_with_everything_suppressed_is_valid(frames):
    """One sector, every cell suppressed: a valid (if empty-looking) publication."""
    small = {}
    for name, frame in frames.items():
        if "sector" in frame.columns and name != "organisation_positions":
            frame = frame[frame["sector"].isin(["ALL", "wholesale"]) & (frame["market"] == "B2B")]
        if "suppressed" in frame.columns:
            estimates = [c for c in frame.columns if c in _estimates_of(name) or c[:3] == "gx_"]
            frame = frame.assign(suppressed=True, suppression_reason="fewer than 30 respondents")
            frame[estimates] = None
        small[name] = frame.reset_index(drop=True)
    small["top_performers_by_year"] = small["top_performers_by_year"].iloc[0:0]
    report = validate_frames(small)
    assert report.success, report.summary()


def test_empty_tables_are_valid_but_publication_info_needs_its_row(frames):
    empty = {name: frame.iloc[0:0] for name, frame in frames.items()}
    report = validate_frames(empty)
    assert [f.table for f in report.failures] == ["publication_info"]
    assert "expect_table_row_count_to_equal" in report.failures[0].expectation


def _estimates_of(table: str) -> set[str]:
    from validations.gx import rules

    by_table = {
        "nps_by_sector_year": NPS_ESTIMATES,
        "grades_by_sector_year": rules.GRADE_ESTIMATES,
        "touchpoints_by_sector_year": rules.TOUCHPOINT_ESTIMATES,
        "statements_by_sector_year": rules.STATEMENT_ESTIMATES,
        "top_performers_by_year": ("value", "value_se", "ci_low", "ci_high"),
        "drivers_by_year": rules.DRIVER_ESTIMATES,
    }
    return set(by_table.get(table, ()))
