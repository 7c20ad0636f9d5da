"""Issue 14 end to end: organisations spanning sectors publish (with a warning), a later delivery of
a study still supersedes the earlier one, and analyst exclusions take a study or a file out of the
benchmark and back in, with the audit trail, publication_info and the report saying so.

One data home, four runs in order (each test builds on the previous one's state).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest
from dagster import AssetCheckKey, AssetKey, DagsterInstance

from tests.conftest import Publication
from tests.properties.landing_sets import ITEMS, Division, LandingSet, Study
from tests.properties.test_any_valid_data import check_rows_conserved, run_in_process
from tests.reference.agreement import TABLES, compare_publication, read_positions

pytestmark = pytest.mark.slow

ICT, WHOLESALE = Division("B2B", "ict"), Division("B2B", "wholesale")
VARS = [
    "--var",
    "cxbench_min_respondents=10",
    "--var",
    "cxbench_min_organisations=2",
    "--var",
    "cxbench_top_performer_min_answers=10",
]


def _study(organisation: str, year: int, divisions, seed: int, n: int = 36) -> Study:
    return Study(
        organisation_id=organisation,
        year=year,
        n=n,
        divisions=tuple(divisions),
        answers=tuple((column, "random") for column, _ in ITEMS),
        weights="loguniform",
        spelling="label_nl",
        seed=seed,
    )


# ORG-D is a conglomerate (ict and wholesale divisions); its 2023 study arrives twice, and the
# second delivery (wholesale only, other answers) replaces the first.
LANDING = LandingSet(
    studies=(
        _study("ORG-A", 2022, [ICT], 1),
        _study("ORG-B", 2022, [ICT], 2),
        _study("ORG-C", 2022, [WHOLESALE], 3),
        _study("ORG-D", 2022, [ICT, WHOLESALE], 4),
        _study("ORG-A", 2023, [ICT], 5),
        _study("ORG-B", 2023, [ICT], 6),
        _study("ORG-C", 2023, [WHOLESALE], 7),
        _study("ORG-D", 2023, [ICT, WHOLESALE], 8),
        _study("ORG-D", 2023, [WHOLESALE, ICT], 9, n=40),
    ),
    thresholds=0,  # the vars are given explicitly (VARS)
)
EXCLUSIONS = """\
version: 1
exclusions:
  - organisation_id: ORG-A
    year: 2023
    reason: fieldwork stopped halfway, the sample is not representative
  - file: delivery_002.csv
    reason: delivered for another benchmark
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("unusual") / "home"
    LANDING.write(home / "landing")
    return home


def _check(home: Path, asset: list[str], name: str):
    """The latest evaluation of an asset check in the data home's Dagster instance."""
    key = AssetCheckKey(AssetKey(asset), name)
    with DagsterInstance.from_config(str(home / "dagster")) as instance:
        record = instance.event_log_storage.get_latest_asset_check_execution_by_key([key])[key]
    return record.event.dagster_event.event_specific_data


def _without(respondents: pd.DataFrame, organisation: str, year: int) -> pd.DataFrame:
    keep = ~((respondents["organisation_id"] == organisation) & (respondents["year"] == year))
    return respondents[keep].reset_index(drop=True)


def _agrees_with_r(home: Path, respondents: pd.DataFrame) -> None:
    publication = Publication(home=home, run=None)
    tables = {t: publication.table(t) for t in [*TABLES, "top_performers_by_year"]}
    problems, compared = compare_publication(respondents, tables, read_positions(home), 10)
    assert not problems, str(problems)
    assert compared > 100


def test_spanning_sectors_publish_with_a_warning_and_a_note(home):
    status, stderr = run_in_process(home, *VARS)
    assert status == 0, stderr
    publication = Publication(home=home, run=None)
    check_rows_conserved(LANDING, publication)
    _agrees_with_r(home, LANDING.respondents())

    log = publication.warehouse("select source_file, status, notes from audit.file_log")
    notes = dict(zip(log["source_file"], log["notes"], strict=True))
    assert "organisation ORG-D 2022: respondents in 2 sectors (" in notes["delivery_003.csv"]
    assert pd.isna(notes["delivery_000.csv"])
    # The later delivery of ORG-D 2023 supersedes the earlier one, conglomerate or not.
    status_of = dict(zip(log["source_file"], log["status"], strict=True))
    assert status_of["delivery_007.csv"] == "superseded"
    assert status_of["delivery_008.csv"] == "loaded"

    warning = _check(home, ["raw", "survey_responses"], "organisations_spanning_sectors")
    assert not warning.passed and not warning.blocking
    assert "ORG-D (B2B 2022)" in warning.description

    positions = read_positions(home)
    divisions = positions[positions["organisation_id"] == "ORG-D"]
    assert sorted(divisions["sector"].unique()) == ["ict", "wholesale"]
    assert divisions.groupby("year").size().to_dict() == {2022: 2, 2023: 2}
    # What involves no sector is the organisation's as a whole: one value for both divisions.
    assert (divisions.groupby("year")["market_percentile"].nunique() == 1).all()
    assert (divisions.groupby("year")["is_top_performer"].nunique() == 1).all()


def test_an_invalid_exclusions_file_stops_the_run_with_one_clear_line(home):
    snapshot = (home / "published" / "benchmark.duckdb").resolve()
    (home / "exclusions.yml").write_text("version: 1\nexclusions:\n  - organisation_id: ORG-A\n")
    status, stderr = run_in_process(home, *VARS)
    assert status == 1
    assert "exclusions.yml: entry 1: reason, year missing" in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert (home / "published" / "benchmark.duckdb").resolve() == snapshot


def test_excluded_studies_and_files_leave_the_benchmark_with_their_reasons(home):
    (home / "exclusions.yml").write_text(EXCLUSIONS)
    status, stderr = run_in_process(home, *VARS)  # no delivery is new: the exclusions are
    assert status == 0, stderr
    publication = Publication(home=home, run=None)

    log = publication.warehouse(
        "select source_file, status, rows_read, rows_accepted, rows_quarantined, "
        "exclusion_reason from audit.file_log order by source_file"
    )
    by_file = log.set_index("source_file")
    assert by_file.loc["delivery_004.csv", "status"] == "excluded"  # ORG-A 2023
    assert "fieldwork stopped halfway" in by_file.loc["delivery_004.csv", "exclusion_reason"]
    assert by_file.loc["delivery_002.csv", "status"] == "excluded"  # the file
    assert by_file.loc["delivery_002.csv", "exclusion_reason"] == (
        "file excluded: delivered for another benchmark"
    )
    assert (log["rows_read"] == log["rows_accepted"] + log["rows_quarantined"]).all()
    assert by_file.loc["delivery_007.csv", "status"] == "superseded"

    info = publication.table("publication_info").iloc[0]
    assert info.n_exclusions == 2
    assert json.loads(info.exclusions) == [
        {
            "organisation_id": "ORG-A",
            "year": 2023,
            "reason": "fieldwork stopped halfway, the sample is not representative",
        },
        {"file": "delivery_002.csv", "reason": "delivered for another benchmark"},
    ]
    report = (home / "published" / "report" / "index.html").read_text(encoding="utf-8")
    assert "Uitgesloten onderzoeken" in report and "delivered for another benchmark" in report

    kept = _without(_without(LANDING.respondents(), "ORG-A", 2023), "ORG-C", 2022)
    _agrees_with_r(home, kept)
    matched = _check(home, ["audit", "file_log"], "exclusions_match_deliveries")
    assert matched.passed and "2 exclusions in force" in matched.description


def test_removing_the_entry_brings_the_study_back(home):
    os.remove(home / "exclusions.yml")
    status, stderr = run_in_process(home, *VARS)
    assert status == 0, stderr
    publication = Publication(home=home, run=None)
    check_rows_conserved(LANDING, publication)
    _agrees_with_r(home, LANDING.respondents())
    info = publication.table("publication_info").iloc[0]
    assert info.n_exclusions == 0 and info.exclusions == "[]"
    log = publication.warehouse("select exclusion_reason from audit.file_log")
    assert log["exclusion_reason"].isna().all()
