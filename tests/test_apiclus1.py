"""R survey's own example data as a landing set: `apiclus1`, a cluster sample whose clusters
(school districts) hold schools of several types, i.e. organisations spanning sectors.

Exported from R (`data(api, package = "survey")`) and mapped onto canonical format v1: a school is
a respondent (respondent_id = cds), its district the organisation (cluster), its type the sector
(E, M, H as three B2C sectors), pw the weight, one delivery per district. The answers are derived
from the school's scores: recommend = round((api00 - 400) / 50) on 0..10, grade_overall =
api00 / 100, grade_last_year = api99 / 100, agree_awarded (awards: Yes 5, No 1),
touch_schoolwide (sch.wide: Yes 4, No 2). R estimates this design without complaint; cxbench
must publish it and agree with R on every figure.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import Publication
from tests.properties.test_any_valid_data import run_in_process
from tests.reference.agreement import TABLES, compare_publication, read_positions
from tests.reference.r_survey import find_rscript

pytestmark = pytest.mark.slow

SECTORS = {"E": "telecom", "M": "banking", "H": "insurance"}
TOP_MIN_ANSWERS = 5
EXPORT = (
    "suppressPackageStartupMessages(library(survey)); data(api); "
    'd <- apiclus1[, c("cds", "dnum", "stype", "api00", "api99", "awards", "sch.wide", "pw")]; '
    "d$stype <- as.character(d$stype); d$awards <- as.character(d$awards); "
    "d$sch.wide <- as.character(d$sch.wide); "
    "write.csv(d, commandArgs(trailingOnly = TRUE)[1], row.names = FALSE)"
)


def apiclus1(dest: Path) -> pd.DataFrame:
    """apiclus1 as R ships it (the columns used here)."""
    subprocess.run(
        [find_rscript(), "--vanilla", "-e", EXPORT, str(dest)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return pd.read_csv(dest, dtype={"cds": str})


def as_respondents(api: pd.DataFrame) -> pd.DataFrame:
    """Canonical rows: one per school."""
    return pd.DataFrame(
        {
            "respondent_id": api["cds"],
            "organisation_id": "district-" + api["dnum"].astype(str),
            "sector": api["stype"].map(SECTORS),
            "market": "B2C",
            "year": 2000,
            "recommend": np.clip(np.round((api["api00"] - 400) / 50), 0, 10),
            "grade_overall": api["api00"] / 100,
            "grade_last_year": api["api99"] / 100,
            "agree_awarded": np.where(api["awards"] == "Yes", 5.0, 1.0),
            "touch_schoolwide": np.where(api["sch.wide"] == "Yes", 4.0, 2.0),
            "weight": api["pw"].astype(float),
        }
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("apiclus1")
    respondents = as_respondents(apiclus1(tmp / "apiclus1.csv"))
    home = tmp / "home"
    landing = home / "landing"
    landing.mkdir(parents=True)
    for district, schools in respondents.groupby("organisation_id"):
        schools.astype({"recommend": int}).to_csv(landing / f"{district}.csv", index=False)
    status, stderr = run_in_process(
        home,
        *("--var", "cxbench_min_respondents=1", "--var", "cxbench_min_organisations=1"),
        *("--var", "cxbench_max_organisation_share=1.0"),
        *("--var", f"cxbench_top_performer_min_answers={TOP_MIN_ANSWERS}"),
    )
    return respondents, home, status, stderr


def test_apiclus1_publishes_and_every_figure_equals_r_survey(published):
    respondents, home, status, stderr = published
    assert status == 0, stderr
    publication = Publication(home=home, run=None)
    tables = {t: publication.table(t) for t in [*TABLES, "top_performers_by_year"]}
    problems, compared = compare_publication(
        respondents, tables, read_positions(home), TOP_MIN_ANSWERS
    )
    assert not problems, str(problems)
    assert compared > 100
    nps = tables["nps_by_sector_year"]
    assert sorted(nps["sector"]) == ["ALL", "banking", "insurance", "telecom"]
    assert nps["n_respondents"].max() == 183 and not nps["suppressed"].any()


def test_districts_spanning_school_types_are_noted_not_blocked(published):
    respondents, home, status, _ = published
    assert status == 0
    spanning = respondents.groupby("organisation_id")["sector"].nunique()
    log = Publication(home=home, run=None).warehouse(
        "select source_file, status, notes from audit.file_log"
    )
    assert (log["status"] == "loaded").all()
    noted = {f.removesuffix(".csv") for f in log.loc[log["notes"].notna(), "source_file"]}
    assert noted == set(spanning[spanning > 1].index)
    positions = read_positions(home)
    assert len(positions) == len(respondents.groupby(["organisation_id", "sector"]))
    assert not positions.duplicated(["market", "year", "organisation_id", "sector"]).any()
