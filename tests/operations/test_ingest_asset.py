"""The ingest asset in Dagster: per-file metadata for the UI and the checks on what it loaded."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dagster import (
    AssetCheckSeverity,
    AssetKey,
    AssetSelection,
    DagsterInstance,
    asset,
    instance_for_test,
    materialize,
)

from orchestration.assets.ingest import FILE_LOG, QUARANTINED_ROWS, RAW_RESPONSES, survey_deliveries
from orchestration.assets.ingest_checks import (
    INGEST_CHECKS,
    QUARANTINE_WARN_SHARE_ENV,
    row_accounting,
)
from orchestration.resources import DataHomeResource

HEADER = "respondent_id,organisation_id,sector,market,year,recommend,grade_overall,weight"


def rows(n: int, organisation: str) -> list[str]:
    return [f"R{i:03d},{organisation},wholesale,B2B,2024,{i % 11},{1 + i % 10},1" for i in range(n)]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "good.csv").write_text("\n".join([HEADER, *rows(20, "ORG-1")]) + "\n")
    partial = rows(10, "ORG-2")
    partial[3] = partial[3].replace(",B2B,2024,3,", ",B2B,2024,11,")  # recommend 11
    (landing / "partial.csv").write_text("\n".join([HEADER, *partial]) + "\n")
    (landing / "empty.csv").write_text(HEADER + "\n")
    return tmp_path


@pytest.fixture
def instance():
    with instance_for_test() as instance:
        yield instance


def run(home: Path, instance: DagsterInstance, *extra, selection=None):
    return materialize(
        [survey_deliveries, *INGEST_CHECKS, *extra],
        instance=instance,
        resources={"data_home": DataHomeResource(root=str(home))},
        selection=selection,
        raise_on_error=False,
    )


def metadata(result, key: AssetKey) -> dict:
    [event] = [m for m in result.get_asset_materialization_events() if m.asset_key == key]
    return {k: v.value for k, v in event.materialization.metadata.items()}


def checks(result) -> dict:
    return {e.check_name: e for e in result.get_asset_check_evaluations()}


def test_materialisations_show_this_runs_files_and_the_file_log(home, instance, monkeypatch):
    monkeypatch.delenv(QUARANTINE_WARN_SHARE_ENV, raising=False)
    result = run(home, instance)
    assert result.success
    log = metadata(result, FILE_LOG)
    assert log["new_files"] == 3 and log["dagster/row_count"] == 3
    assert (log["files_loaded"], log["files_partially_loaded"], log["files_rejected"]) == (1, 1, 1)
    table = log["files"].splitlines()
    assert table[0].startswith("| file | status | rows read | accepted | quarantined | reason |")
    # Problems first: the rejected file, then the partly loaded one, then the rest.
    assert [line.split(" | ")[0].strip("| ") for line in table[2:]] == [
        "empty.csv",
        "partial.csv",
        "good.csv",
    ]
    assert "| partial.csv | partially_loaded | 10 | 9 | 1 |" in log["files"]
    assert "| loaded | 1 | 20 | 20 | 0 |" in log["file_log_summary"]
    raw = metadata(result, RAW_RESPONSES)
    assert raw["dagster/row_count"] == 29 and raw["rows_accepted"] == 29
    # Where ingest's time went, per stage (bench.stages prints it).
    assert all(raw[f"seconds_{stage}"] > 0 for stage in ("read", "validate", "load", "wall"))
    quarantine = metadata(result, QUARANTINED_ROWS)
    assert quarantine["rows_quarantined"] == 1
    assert "recommend" in quarantine["failed_checks"]

    again = run(home, instance)
    assert metadata(again, FILE_LOG)["new_files"] == 0
    assert "nothing was read" in metadata(again, FILE_LOG)["files"]
    assert metadata(again, RAW_RESPONSES)["dagster/row_count"] == 29  # the table, not the run


def test_quarantine_and_rejections_warn_without_blocking(home, instance, monkeypatch):
    monkeypatch.delenv(QUARANTINE_WARN_SHARE_ENV, raising=False)
    result = run(home, instance)
    found = checks(result)
    share = found["quarantine_share"]
    assert not share.passed and share.severity == AssetCheckSeverity.WARN
    assert not share.blocking
    assert share.metadata["files_above_threshold"].value == 1
    assert (
        "partial.csv" in share.metadata["files"].value and "10.0%" in share.metadata["files"].value
    )
    rejected = found["no_rejected_files"]
    assert not rejected.passed and rejected.severity == AssetCheckSeverity.WARN
    assert "empty.csv" in rejected.metadata["files"].value
    accounting = found["row_accounting"]
    assert accounting.passed and accounting.blocking
    assert accounting.severity == AssetCheckSeverity.ERROR


def test_the_warning_share_is_configurable(home, instance, monkeypatch):
    monkeypatch.setenv(QUARANTINE_WARN_SHARE_ENV, "0.2")
    assert checks(run(home, instance))["quarantine_share"].passed
    monkeypatch.setenv(QUARANTINE_WARN_SHARE_ENV, "lots")  # a typo falls back to 5%
    assert not checks(run(home, instance))["quarantine_share"].passed


def test_an_inconsistent_audit_trail_blocks_what_depends_on_the_rows(home, instance):
    @asset(deps=[RAW_RESPONSES])
    def downstream() -> None:
        """Stands in for dbt staging."""

    assert run(home, instance, downstream).success
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    con.execute(
        "update audit.file_log set rows_accepted = rows_accepted - 1 where status = 'loaded'"
    )
    con.close()
    result = run(home, instance, downstream)
    failed = checks(result)["row_accounting"]
    assert not failed.passed and failed.severity == AssetCheckSeverity.ERROR
    assert failed.metadata["files_with_unbalanced_counts"].value == 1
    assert failed.metadata["files_with_more_raw_rows_than_accepted"].value == 1
    # The failure names the table, the file (the audit trail's cell) and the counts.
    assert "audit.file_log, source_file=" in failed.description
    assert "rows_read = " in failed.description
    materialized = {m.asset_key for m in result.get_asset_materialization_events()}
    assert AssetKey("downstream") not in materialized


def test_the_accounting_check_runs_on_its_own(home, instance):
    assert run(home, instance).success
    result = run(home, instance, selection=AssetSelection.checks(row_accounting))
    assert result.success and checks(result)["row_accounting"].passed
    assert not result.get_asset_materialization_events()
