"""The gate's fixed work done ahead (while dbt runs): used when it fits the run, else redone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from cxbench.publication import INCOMING
from cxbench.settings import DataHome
from orchestration.assets.quality import build_quality_report, preload_quality_gate, run_thresholds
from validations.gx.data_docs import remote_resources
from validations.gx.gate import read_tables, thresholds_of, validate_frames
from validations.gx.prepared import prepare
from validations.gx.rules import TABLES, Thresholds

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def frames(published_home: Path) -> dict[str, pd.DataFrame]:
    return read_tables(published_home / "warehouse.duckdb")


@pytest.fixture
def no_preparing_now(monkeypatch):
    """Fail if the gate prepares its context itself instead of using the one prepared ahead."""

    def refuse(*args, **kwargs):
        raise AssertionError("the gate prepared again")

    monkeypatch.setattr("validations.gx.gate.prepare", refuse)


def test_a_gate_prepared_ahead_is_used_and_its_docs_moved_into_place(
    frames, tmp_path, no_preparing_now
):
    staging = tmp_path / "staging"
    gate = prepare(thresholds_of(frames["publication_info"]), staging)
    assert (staging / "expectations" / "nps_by_sector_year.html").is_file()
    assert not (staging / "index.html").exists()  # the index lists validations: not yet

    report = validate_frames(frames, tmp_path / "docs", prepared=gate)

    assert report.success, report.summary()
    assert gate.used and not staging.exists()
    docs = tmp_path / "docs"
    assert len(list(docs.rglob("*.html"))) == 1 + 2 * len(TABLES)
    assert remote_resources((docs / "index.html").read_text(encoding="utf-8")) == []


def test_a_gate_prepared_for_other_thresholds_is_discarded_and_redone(frames, tmp_path):
    staging = tmp_path / "staging"
    stricter = prepare(Thresholds(min_respondents=1_000_000, min_organisations=3), staging)

    report = validate_frames(frames, tmp_path / "docs", prepared=stricter)

    assert report.success, report.summary()  # the stricter suites would have failed
    assert report.thresholds == Thresholds(30, 3)
    assert not staging.exists()
    assert (tmp_path / "docs" / "index.html").is_file()


def test_a_prepared_gate_serves_one_validation(frames):
    thresholds = thresholds_of(frames["publication_info"])
    gate = prepare(thresholds)
    assert gate.fits(thresholds, with_docs=False)
    assert not gate.fits(thresholds, with_docs=True)
    validate_frames(frames, prepared=gate)
    assert not gate.fits(thresholds, with_docs=False)  # its stores hold that validation now


def test_the_thresholds_dbt_will_record_are_known_before_it_runs(frames):
    assert run_thresholds(["build"]) == thresholds_of(frames["publication_info"])
    overridden = run_thresholds(["build", "--vars", '{"cxbench_min_respondents": 50}'])
    assert overridden == Thresholds(50, 3)


def published_copy(published_home: Path, tmp_path: Path) -> DataHome:
    home = DataHome(tmp_path / "home")
    home.root.mkdir()
    shutil.copyfile(published_home / "warehouse.duckdb", home.warehouse)
    return home


def check_published_docs(home: DataHome, run_name: str) -> None:
    index = home.published / "quality" / "index.html"
    assert run_name in index.read_text(encoding="utf-8")
    assert len(list(index.parent.rglob("*.html"))) == 1 + 2 * len(TABLES)
    versions = home.published / "versions"
    assert [p for p in versions.rglob("*") if p.name.startswith(INCOMING)] == []  # no leftovers


def test_the_run_validates_with_the_gate_prepared_while_dbt_ran(
    published_home, tmp_path, no_preparing_now
):
    home = published_copy(published_home, tmp_path)
    preload_quality_gate(home, ["build"]).join()
    report = build_quality_report(home, run_name="prepared-ahead")
    assert report.success, report.summary()
    check_published_docs(home, "prepared-ahead")


def test_a_wrong_guess_of_the_thresholds_only_costs_time(published_home, tmp_path):
    home = published_copy(published_home, tmp_path)
    preload_quality_gate(home, ["build", "--vars", "cxbench_min_respondents: 1000000"]).join()
    report = build_quality_report(home, run_name="prepared-again")
    assert report.thresholds == Thresholds(30, 3)
    assert report.success, report.summary()
    check_published_docs(home, "prepared-again")
