"""cxbench.freshness: a run is skipped only when every input of the last publication is the same."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cxbench import freshness
from cxbench.settings import DataHome


@pytest.fixture
def home(tmp_path: Path) -> DataHome:
    home = DataHome(tmp_path / "home")
    (home.landing / "b2b").mkdir(parents=True)
    (home.landing / "b2b" / "study.csv").write_text("respondent_id\n1\n")
    (home.published / "report").mkdir(parents=True)
    home.snapshot.write_bytes(b"snapshot")
    (home.published / "report" / "index.html").write_text("report")
    return home


def _published_from_now(home: DataHome, **kwargs) -> str:
    fingerprint = freshness.inputs_fingerprint(home, **kwargs)
    freshness.remember(home, fingerprint)
    return fingerprint


def test_the_same_inputs_are_up_to_date(home: DataHome):
    _published_from_now(home, dbt_vars={"cxbench_min_respondents": 50})
    again = freshness.inputs_fingerprint(home, dbt_vars={"cxbench_min_respondents": 50})
    assert freshness.is_up_to_date(home, again)


@pytest.mark.parametrize(
    "change",
    [
        "new_file",
        "touched_file",
        "same_size_rewrite",
        "removed_file",
        "exclusions",
        "manifest",
    ],
)
def test_a_changed_input_is_not(home: DataHome, change: str):
    _published_from_now(home)
    study = home.landing / "b2b" / "study.csv"
    if change == "new_file":
        (home.landing / "b2b" / "other.csv").write_text("respondent_id\n2\n")
    elif change == "touched_file":
        stat = study.stat()
        os.utime(study, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    elif change == "same_size_rewrite":
        # Same size, and the old modification time put back (cp -p): the change time still moves.
        stat = study.stat()
        study.write_text("respondent_id\n9\n")
        os.utime(study, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    elif change == "removed_file":
        study.unlink()
    elif change == "exclusions":
        (home.root / "exclusions.yml").write_text("version: 1\nexclusions: []\n")
    elif change == "manifest":
        (home.landing / "b2b" / "study.csv.yml").write_text("sector: wholesale\n")
    assert not freshness.is_up_to_date(home, freshness.inputs_fingerprint(home))


def test_other_vars_settings_or_engine_are_not(home: DataHome, monkeypatch: pytest.MonkeyPatch):
    fingerprint = _published_from_now(home)
    assert freshness.is_up_to_date(home, fingerprint)
    other_vars = freshness.inputs_fingerprint(home, dbt_vars={"cxbench_min_respondents": 31})
    assert not freshness.is_up_to_date(home, other_vars)
    assert not freshness.is_up_to_date(home, freshness.inputs_fingerprint(home, engine="spark"))
    monkeypatch.setenv("CXBENCH_SNAPSHOT_STORAGE_VERSION", "v1.5.0")
    assert not freshness.is_up_to_date(home, freshness.inputs_fingerprint(home))


def test_changed_code_is_not(home: DataHome, monkeypatch: pytest.MonkeyPatch):
    fingerprint = _published_from_now(home)
    monkeypatch.setattr(freshness, "code_fingerprint", lambda: "a model changed")
    assert freshness.inputs_fingerprint(home) != fingerprint


def test_the_code_fingerprint_reads_the_dbt_project():
    """A changed model must change it: it covers the dbt project's models and macros."""
    files = [p.name for p in freshness.tree(freshness.DBT_PROJECT_DIR / "models")]
    assert "nps_by_sector_year.sql" in files
    assert len(freshness.code_fingerprint()) == 64


def test_a_missing_publication_or_a_started_run_is_not(home: DataHome):
    fingerprint = _published_from_now(home)
    (home.published / "report" / "index.html").unlink()
    assert not freshness.is_up_to_date(home, fingerprint)
    (home.published / "report" / "index.html").write_text("report")
    assert freshness.is_up_to_date(home, fingerprint)
    freshness.forget(home)  # a run started (and may have been killed)
    assert not freshness.is_up_to_date(home, fingerprint)
