"""Ingest: every row and every file accounted for, whatever arrives in landing/."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from cxbench.ingest.pipeline import ingest_landing

HEADER = "respondent_id,organisation_id,sector,market,year,recommend,grade_overall,weight"


def study_rows(n: int, organisation: str = "ORG-1", year: int = 2020, start: int = 1) -> list[str]:
    return [
        f"R{i:04d},{organisation},wholesale,B2B,{year},{i % 11},{1 + i % 10},1"
        for i in range(start, start + n)
    ]


def write(path: Path, lines: list[str], header: str = HEADER) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def query(warehouse: Path, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    return tmp_path / "landing"


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


def file_log(warehouse: Path) -> pd.DataFrame:
    return query(warehouse, "select * from audit.file_log order by source_file").set_index(
        "source_file"
    )


def test_three_bad_rows_of_a_hundred_are_quarantined_and_the_rest_loaded(landing, warehouse):
    rows = study_rows(100)
    rows[9] = rows[9].replace(",B2B,2020,10,", ",B2B,2020,11,")  # recommend 11 (row 10)
    rows[41] = rows[41].replace(",wholesale,", ",bakeries,")  # unknown sector (row 42)
    rows[76] = "," + rows[76].split(",", 1)[1]  # empty respondent_id (row 77)
    write(landing / "study.csv", rows)

    ingest_landing(landing, warehouse)

    log = file_log(warehouse).loc["study.csv"]
    assert (log.status, log.rows_read, log.rows_accepted, log.rows_quarantined) == (
        "partially_loaded",
        100,
        97,
        3,
    )
    con = duckdb.connect(str(warehouse), read_only=True)
    quarantined = con.execute(
        "select source_file, row_number, column_name, check_name, bad_value "
        "from audit.quarantined_rows order by row_number"
    ).fetchall()
    con.close()
    assert quarantined == [
        ("study.csv", 10, "recommend", "integer_0_10", "11"),
        ("study.csv", 42, "sector", "known_sector", "bakeries"),
        ("study.csv", 77, "respondent_id", "not_nullable", None),
    ]
    raw = query(warehouse, "select row_number from raw.survey_responses order by row_number")
    assert len(raw) == 97
    assert not {10, 42, 77} & set(raw["row_number"])


def test_every_file_is_logged_and_rows_are_conserved(landing, warehouse):
    write(landing / "good.csv", study_rows(40))
    write(landing / "a" / "copy_of_good.csv", study_rows(40))  # same bytes, another name
    (landing / "empty.csv").write_bytes(b"")
    write(landing / "header_only.csv", [])
    (landing / "binary.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    write(
        landing / "no_year.csv",
        ["R1,ORG-9,ict,B2B,7"],
        header="respondent_id,organisation_id,sector,market,recommend",
    )
    (landing / "latin1.csv").write_bytes(
        (
            HEADER + "\nR1,ORG-3,Groothandel,B2B,2020,9,7,1\nR2,ORG-3,caf\xe9,B2B,2020,9,7,1\n"
        ).encode("latin-1")
    )
    write(landing / "all_bad.csv", ["R1,ORG-4,ict,B2B,2020,99,7,1"])

    ingest_landing(landing, warehouse)

    log = file_log(warehouse)
    assert log.loc["good.csv", "status"] == "loaded"
    assert log.loc["a/copy_of_good.csv", "status"] == "duplicate"
    assert "good.csv" in log.loc["a/copy_of_good.csv", "reason"]
    # cp1252 is detected: the Groothandel row loads, the unknown sector is quarantined.
    assert log.loc["latin1.csv", "status"] == "partially_loaded"
    for rejected in [
        "empty.csv",
        "header_only.csv",
        "binary.csv",
        "no_year.csv",
        "all_bad.csv",
    ]:
        assert log.loc[rejected, "status"] == "rejected", rejected
        assert log.loc[rejected, "reason"], rejected
    assert "year" in log.loc["no_year.csv", "reason"]
    assert (log["rows_read"] == log["rows_accepted"] + log["rows_quarantined"]).all()
    # The duplicate is counted once.
    assert query(warehouse, "select count(*) as n from raw.survey_responses")["n"][0] == 41


def test_personal_data_never_reaches_the_warehouse(landing, warehouse):
    header = HEADER + ",email,Name,phone,comments,favourite_colour"
    write(
        landing / "pii.csv",
        [r + ",a@b.nl,Jan Jansen,0612345678,great,blue" for r in study_rows(5)],
        header=header,
    )

    ingest_landing(landing, warehouse)

    columns = set(query(warehouse, "select * from raw.survey_responses limit 0").columns)
    assert not {"email", "name", "phone", "comments", "favourite_colour"} & columns
    log = file_log(warehouse).loc["pii.csv"]
    assert log.status == "loaded"
    assert set(log.personal_data_columns.split(",")) == {"email", "name", "phone", "comments"}
    assert log.ignored_columns == "favourite_colour"
    everything = query(warehouse, "select * from raw.survey_responses").to_string()
    assert "Jansen" not in everything and "a@b.nl" not in everything


def test_sector_aliases_become_codes(landing, warehouse):
    lines = [
        "R1,ORG-1,Groothandel,B2B,2020,9,7,1",
        "R2,ORG-2,Bouw en installatie,B2B,2020,9,7,1",
        "R3,ORG-3,Financiële dienstverlening,B2B,2020,9,7,1",
        "R4,ORG-4,Woningcorporaties,b2c,2020,9,7,1",
        "R5,ORG-5,  ICT ,B2B,2020,9,7,1",
    ]
    write(landing / "aliases.csv", lines)
    ingest_landing(landing, warehouse)
    sectors = query(warehouse, "select sector, market from raw.survey_responses order by 1")
    assert sectors.to_dict("list") == {
        "sector": [
            "construction_installation",
            "financial_services",
            "housing",
            "ict",
            "wholesale",
        ],
        "market": ["B2B", "B2B", "B2C", "B2B", "B2B"],
    }


def test_a_second_run_reads_only_what_is_new(landing, warehouse):
    write(landing / "one.csv", study_rows(10))
    first = ingest_landing(landing, warehouse)
    second = ingest_landing(landing, warehouse)
    write(landing / "two.csv", study_rows(10, organisation="ORG-2"))
    third = ingest_landing(landing, warehouse)
    assert [o.source_file for o in first.outcomes] == ["one.csv"]
    assert second.outcomes == []
    assert [o.source_file for o in third.outcomes] == ["two.csv"]
    assert len(file_log(warehouse)) == 2


def test_a_new_delivery_of_a_study_supersedes_the_earlier_one(landing, warehouse):
    old = write(landing / "org1_2020_v1.csv", study_rows(30))
    write(landing / "org2_2020.csv", study_rows(20, organisation="ORG-2"))
    ingest_landing(landing, warehouse)
    new = write(landing / "org1_2020_v2.csv", study_rows(35, start=500))
    os.utime(new, (old.stat().st_mtime + 60, old.stat().st_mtime + 60))
    ingest_landing(landing, warehouse)

    log = file_log(warehouse)
    assert log.loc["org1_2020_v1.csv", "status"] == "superseded"
    assert log.loc["org1_2020_v1.csv", "superseded_by"] == "org1_2020_v2.csv"
    assert log.loc["org1_2020_v2.csv", "status"] == "loaded"
    assert log.loc["org2_2020.csv", "status"] == "loaded"
    counts = query(
        warehouse,
        "select organisation_id, count(*) as n from raw.survey_responses group by 1 order by 1",
    )
    assert counts.to_dict("list") == {"organisation_id": ["ORG-1", "ORG-2"], "n": [35, 20]}
    assert old.exists()  # landing is never modified


def test_landing_files_are_never_modified(landing, warehouse):
    path = write(landing / "study.csv", study_rows(12))
    before = (path.read_bytes(), path.stat().st_mtime)
    ingest_landing(landing, warehouse)
    assert (path.read_bytes(), path.stat().st_mtime) == before
