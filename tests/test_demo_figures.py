"""`cxbench demo-data` + `cxbench run` reproduce every figure of shared/seed-figures.md.

The figures are read from the published tables (docs/contract.md §9), as a user would.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from tests.conftest import run_cxbench

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    home = tmp_path_factory.mktemp("demo")
    run_cxbench(home, "demo-data", check=True)
    run = run_cxbench(home, "run", check=True)
    con = duckdb.connect(str(home / "published" / "benchmark.duckdb"), read_only=True)
    tables = {
        name: con.execute(f"select * from benchmark.{name}").df()
        for name in [
            "nps_by_sector_year",
            "grades_by_sector_year",
            "touchpoints_by_sector_year",
            "statements_by_sector_year",
            "top_performers_by_year",
        ]
    }
    con.close()
    tables["run"] = run
    return tables


def cell(frame: pd.DataFrame, **keys) -> pd.Series:
    selected = frame
    for column, value in keys.items():
        selected = selected[selected[column] == value]
    assert len(selected) == 1, keys
    row = selected.iloc[0]
    assert not row["suppressed"], keys
    return row


def nps(published, sector="ALL", year=2020, market="B2B"):
    return cell(published["nps_by_sector_year"], market=market, sector=sector, year=year)


# A. Integron, Customer Experience in Nederland 2021 (B2B)
@pytest.mark.parametrize(("year", "expected"), [(2018, 14), (2019, 12), (2020, 11)])
def test_b2b_nps_all_sectors(published, year, expected):
    assert nps(published, year=year)["nps"] == pytest.approx(expected, abs=2)


def test_b2b_2020_shares(published):
    total = nps(published)
    assert total["pct_promoters"] == pytest.approx(29, abs=2)
    assert total["pct_passives"] == pytest.approx(53, abs=2)
    assert total["pct_detractors"] == pytest.approx(18, abs=2)


@pytest.mark.parametrize(
    ("sector", "expected"), [("industry", 43), ("wholesale", 35), ("transport_logistics", 32)]
)
def test_b2b_2020_promoters_by_sector(published, sector, expected):
    assert nps(published, sector=sector)["pct_promoters"] == pytest.approx(expected, abs=3)


@pytest.mark.parametrize(
    "sector", ["financial_services", "construction_installation", "facility_services", "waste"]
)
def test_b2b_2020_negative_nps(published, sector):
    assert nps(published, sector=sector)["nps"] < 0


@pytest.mark.parametrize("sector", ["ict", "professional_services"])
def test_b2b_2020_nps_near_the_total(published, sector):
    assert nps(published, sector=sector)["nps"] == pytest.approx(nps(published)["nps"], abs=8)


def test_b2b_2020_grade_overall(published):
    grades = published["grades_by_sector_year"]
    row = cell(grades, market="B2B", sector="ALL", year=2020, aspect="overall")
    assert row["mean_grade"] == pytest.approx(7.8, abs=0.1)


def performers(published, measure, group):
    return cell(
        published["top_performers_by_year"],
        market="B2B",
        year=2020,
        measure=measure,
        performer_group=group,
    )["value"]


def test_b2b_2020_top_performers(published):
    assert performers(published, "nps", "top_performers") == pytest.approx(40, abs=4)
    assert performers(published, "pct_promoters", "top_performers") > 50
    complaint = "grade_complaint_handling"
    assert performers(published, complaint, "top_performers") == pytest.approx(7.2, abs=0.15)
    assert performers(published, complaint, "all") == pytest.approx(6.6, abs=0.15)
    service = "grade_customer_service"
    assert performers(published, service, "top_performers") == pytest.approx(8.9, abs=0.15)
    assert performers(published, service, "others") == pytest.approx(8.0, abs=0.15)


# B. Klantbelevingsonderzoek 2012 (B2C)
def touch(published, touchpoint="ALL", sector="ALL", year=2012):
    return cell(
        published["touchpoints_by_sector_year"],
        market="B2C",
        sector=sector,
        year=year,
        touchpoint=touchpoint,
    )


def statement(published, name, year=2012):
    return cell(
        published["statements_by_sector_year"],
        market="B2C",
        sector="ALL",
        year=year,
        statement=name,
    )


def test_b2c_2012_counts(published):
    assert nps(published, market="B2C", year=2012)["n_respondents"] == 4021
    assert touch(published)["n_ratings"] == 22873


def test_b2c_2012_statements(published):
    assert statement(published, "welcome")["pct_agree"] == pytest.approx(23, abs=2)
    assert statement(published, "welcome")["pct_disagree"] == pytest.approx(27, abs=2)
    assert statement(published, "valued")["pct_agree"] == pytest.approx(14, abs=2)
    assert statement(published, "valued")["pct_disagree"] == pytest.approx(42, abs=2)
    assert statement(published, "important")["pct_disagree"] == pytest.approx(66, abs=2)
    assert statement(published, "authentic", 2011)["pct_disagree"] == pytest.approx(51, abs=2)
    assert statement(published, "authentic", 2012)["pct_disagree"] == pytest.approx(55, abs=2)


MOMENTS = [
    "start_relationship",
    "information",
    "payment",
    "question",
    "complaint",
    "service_request",
]


def test_b2c_contact_moments(published):
    for year in (2011, 2012):
        positive = {m: touch(published, m, year=year)["pct_positive"] for m in MOMENTS}
        assert max(positive, key=positive.get) == "payment", year
    positive_2012 = {m: touch(published, m)["pct_positive"] for m in MOMENTS}
    assert min(positive_2012, key=positive_2012.get) == "complaint"
    assert positive_2012["complaint"] == pytest.approx(45, abs=3)


def test_b2c_sectors_over_all_contact_moments(published):
    sectors = [
        "telecom",
        "banking",
        "insurance",
        "energy",
        "government",
        "healthcare",
        "housing",
        "retail",
    ]
    for year, government, housing in [(2011, 44, 61), (2012, 42, 55)]:
        positive = {s: touch(published, sector=s, year=year)["pct_positive"] for s in sectors}
        assert min(positive, key=positive.get) == "government", year
        assert positive["government"] == pytest.approx(government, abs=3)
        assert positive["housing"] == pytest.approx(housing, abs=3)


# C. Customeyes grade trends (B2C)
def grade(published, aspect, year):
    return cell(
        published["grades_by_sector_year"], market="B2C", sector="ALL", year=year, aspect=aspect
    )["mean_grade"]


def test_knows_customer_falls_every_year(published):
    series = [grade(published, "knows_customer", year) for year in range(2007, 2014)]
    assert series[0] == pytest.approx(7.4, abs=0.1)
    assert series[-1] == pytest.approx(6.7, abs=0.1)
    assert all(later < earlier for earlier, later in zip(series, series[1:], strict=False))


def test_service_orientation_rises(published):
    assert grade(published, "service_orientation", 2010) == pytest.approx(5.8, abs=0.1)
    assert grade(published, "service_orientation", 2013) == pytest.approx(7.7, abs=0.1)
