"""A mart spoiled after dbt's tests: `cxbench run` refuses to publish and says why, in one line."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.publication.homes import copy_home

pytestmark = pytest.mark.slow

SPOIL = (
    "update marts.nps_by_sector_year set nps = 150 "
    "where market = 'B2B' and sector = 'ALL' and year = 2023"
)


def published_state(home: Path) -> dict[str, str]:
    """Where `current` points and the bytes of every published file."""
    published = home / "published"
    state = {"current": os.readlink(published / "current")}
    files = [published / "benchmark.duckdb", *sorted((published / "parquet").glob("*.parquet"))]
    files += sorted((published / "restricted").glob("*.parquet"))
    for path in files:
        state[str(path.relative_to(published))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


@pytest.fixture(scope="module")
def blocked(published_home: Path, tmp_path_factory: pytest.TempPathFactory):
    home = copy_home(published_home, tmp_path_factory.mktemp("blocked") / "home")
    before = published_state(home)
    env = {**os.environ, "CXBENCH_HOME": str(home), "DO_NOT_TRACK": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "tests.quality.corrupting_run", SPOIL, "--quiet"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return home, before, result


def test_the_run_exits_non_zero_naming_the_failed_expectation(blocked):
    _, _, result = blocked
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("cxbench: publication blocked: check great_expectations of ")
    assert "marts/nps_by_sector_year" in lines[0]
    assert "expect_column_values_to_be_between(nps, -100..100)" in lines[0]
    assert "Traceback" not in result.stderr


def test_the_previous_publication_stays_exactly_as_it_was(blocked):
    home, before, _ = blocked
    assert published_state(home) == before


def test_the_data_docs_show_the_failed_validation(blocked):
    home, _, _ = blocked
    quality = home / "published" / "quality"
    (page,) = (quality / "validations" / "nps_by_sector_year").rglob("*.html")
    html = page.read_text(encoding="utf-8")
    assert "Failed" in html and "150" in html
    (other,) = (quality / "validations" / "grades_by_sector_year").rglob("*.html")
    assert "Succeeded" in other.read_text(encoding="utf-8")


def test_the_ui_shows_the_failed_check_and_no_new_snapshot(blocked):
    from dagster import AssetKey, DagsterEventType, DagsterInstance, DagsterRunStatus

    home, _, _ = blocked
    with DagsterInstance.from_config(str(home / "dagster")) as instance:
        run = instance.get_runs(limit=1)[0]
        assert run.status == DagsterRunStatus.FAILURE
        evaluations = [
            e.dagster_event.event_specific_data
            for e in instance.all_logs(run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION)
        ]
        failed = {
            (ev.asset_key.to_user_string(), ev.check_name) for ev in evaluations if not ev.passed
        }
        assert failed == {("marts/nps_by_sector_year", "great_expectations")}
        materialized = {
            e.dagster_event.asset_key
            for e in instance.all_logs(run.run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION)
        }
        assert AssetKey(["published", "benchmark_snapshot"]) not in materialized
