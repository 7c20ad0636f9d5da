"""Writing complementary cells into the marts, and restricted outputs that follow them."""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import pytest

from cxbench.disclosure.restricted import position_findings
from cxbench.disclosure.suppression import REASON
from cxbench.disclosure.warehouse import (
    complete_warehouse,
    protection_level_of,
    read_marts,
    restricted_follow_public,
    suppress_cells,
)


def nps_rows() -> pd.DataFrame:
    rows = []
    for year, values in ((2023, (10.0, 5.0, 20.0, 0.0)), (2024, (12.0, 6.0, 22.0, 1.0))):
        for sector, nps, n in zip(
            ("ALL", "energy", "banking", "telecom"), values, (300, 60, 140, 100), strict=True
        ):
            rows.append(
                {
                    "market": "B2C",
                    "sector": sector,
                    "year": year,
                    "n_respondents": n,
                    "n_organisations": 4,
                    "pct_promoters": 40.0 + nps / 2,
                    "pct_passives": 20.0,
                    "pct_detractors": 40.0 - nps / 2,
                    "nps": nps,
                    "nps_se": 2.0,
                    "nps_change": 2.0 if year == 2024 else None,
                    "nps_change_significant": False if year == 2024 else None,
                    "suppressed": False,
                    "suppression_reason": None,
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture
def con():
    connection = duckdb.connect()
    connection.execute("create schema marts")
    frame = nps_rows()  # noqa: F841
    connection.execute(
        "create table marts.nps_by_sector_year as select * replace "
        "(cast(suppression_reason as varchar) as suppression_reason) from frame"
    )
    positions = pd.DataFrame(  # noqa: F841
        [
            {
                "organisation_id": "E1",
                "market": "B2C",
                "sector": "energy",
                "year": 2023,
                "n_respondents": 40,
                "nps": 8.0,
                "sector_percentile": 50.0,
                "market_percentile": 40.0,
                "gap_to_sector": 3.0,
                "gap_significant": False,
            },
            {
                "organisation_id": "B1",
                "market": "B2C",
                "sector": "banking",
                "year": 2023,
                "n_respondents": 40,
                "nps": 25.0,
                "sector_percentile": 100.0,
                "market_percentile": 90.0,
                "gap_to_sector": 5.0,
                "gap_significant": True,
            },
        ]
    )
    connection.execute("create table marts.organisation_positions as select * from positions")
    yield connection
    connection.close()


def test_a_suppressed_cell_withholds_its_estimates_and_the_next_years_change(con):
    suppress_cells(con, "nps_by_sector_year", [{"market": "B2C", "sector": "energy", "year": 2023}])
    table = con.execute("select * from marts.nps_by_sector_year").df()
    energy = table[table["sector"] == "energy"].set_index("year")
    cell = energy.loc[2023]
    assert bool(cell["suppressed"]) and cell["suppression_reason"] == REASON
    for column in ("pct_promoters", "pct_passives", "pct_detractors", "nps", "nps_se"):
        assert pd.isna(cell[column]), column
    assert cell["n_respondents"] == 60  # counts stay published
    later = energy.loc[2024]
    assert not bool(later["suppressed"]) and later["nps"] == 6.0
    assert pd.isna(later["nps_change"]) and pd.isna(later["nps_change_significant"])
    others = table[(table["sector"] != "energy") & (table["year"] == 2024)]
    assert (others["nps_change"] == 2.0).all()


def test_restricted_outputs_follow_the_public_cells(con):
    suppress_cells(con, "nps_by_sector_year", [{"market": "B2C", "sector": "energy", "year": 2023}])
    restricted_follow_public(con)
    positions = con.execute("select * from marts.organisation_positions").df()
    energy = positions.set_index("organisation_id").loc["E1"]
    assert pd.isna(energy["gap_to_sector"]) and pd.isna(energy["sector_percentile"])
    assert pd.isna(energy["gap_significant"])
    assert energy["market_percentile"] == 40.0  # the market total is published
    banking = positions.set_index("organisation_id").loc["B1"]
    assert banking["gap_to_sector"] == 5.0 and banking["sector_percentile"] == 100.0


def test_the_warehouse_is_completed_until_the_audit_passes(con):
    # Energy alone suppressed beside a published total: exactly recomputable.
    con.execute(
        "update marts.nps_by_sector_year set suppressed = true, "
        "suppression_reason = 'fewer than 3 organisations', pct_promoters = null, "
        "pct_passives = null, pct_detractors = null, nps = null, nps_se = null "
        "where sector = 'energy'"
    )
    added = complete_warehouse(con)
    assert [dict(c.cell)["sector"] for c in added["nps_by_sector_year"]] == ["telecom", "telecom"]
    frames, _ = read_marts(con)
    from cxbench.disclosure.audit import audit_frames

    assert audit_frames(frames).success
    assert protection_level_of(con) == pytest.approx(0.1)  # no publication_info: the default


def test_position_findings_name_the_leak_not_the_organisation():
    nps = nps_rows()
    nps.loc[(nps["sector"] == "energy") & (nps["year"] == 2023), ["suppressed", "nps"]] = [
        True,
        math.nan,
    ]
    positions = pd.DataFrame(
        [
            # nps - gap = 5: energy's suppressed NPS
            {"organisation_id": "ORG-SECRET", "market": "B2C", "sector": "energy", "year": 2023,
             "n_respondents": 40, "nps": 8.0, "gap_to_sector": 3.0, "gap_significant": False,
             "sector_percentile": None, "market_percentile": None},
            # a percentile among two eligible organisations, and one of too few answers
            {"organisation_id": "B1", "market": "B2C", "sector": "banking", "year": 2023,
             "n_respondents": 40, "nps": 25.0, "gap_to_sector": 5.0, "gap_significant": True,
             "sector_percentile": 100.0, "market_percentile": None},
            {"organisation_id": "B2", "market": "B2C", "sector": "banking", "year": 2023,
             "n_respondents": 10, "nps": 15.0, "gap_to_sector": -5.0, "gap_significant": False,
             "sector_percentile": 0.0, "market_percentile": None},
        ]
    )  # fmt: skip

    findings = position_findings(positions, nps, min_answers=30, min_organisations=3)

    text = "\n".join(findings)
    assert "ORG-SECRET" not in text and "B1" not in text
    assert "gap_to_sector is given against the suppressed public cell" in text
    assert "market=B2C sector=energy year=2023" in text
    assert "ranks among fewer than 3 eligible organisations" in text
    assert "ranks an organisation with fewer than 30 recommend answers" in text
    clean = positions.assign(sector_percentile=None, gap_to_sector=[None, 5.0, -5.0])
    clean["gap_significant"] = [None, True, False]
    assert position_findings(clean, nps, min_answers=30, min_organisations=3) == []


def test_the_command_line_audits_a_snapshot(tmp_path, capsys):
    from cxbench.disclosure.__main__ import main

    frame = nps_rows()
    lone = (frame["sector"] == "energy") & (frame["year"] == 2023)
    frame.loc[lone, ["pct_promoters", "pct_passives", "pct_detractors", "nps"]] = None
    frame.loc[lone, "suppressed"] = True
    frame.loc[lone, "suppression_reason"] = "fewer than 3 organisations"
    path = tmp_path / "benchmark.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table nps_by_sector_year as select * from frame")  # as published
    con.close()

    assert main([str(path)]) == 1
    out = capsys.readouterr().out
    assert "nps_by_sector_year cell market=B2C sector=energy year=2023" in out
    assert "is recomputable" in out and "protection level 0.1" in out
