"""A small published benchmark for the report tests: both markets, a suppressed sector (primary
and complementary), significant changes both ways, contact moments, statements, top
performers, key drivers and two organisations' restricted positions (one with its grades).
Built in memory, and written as a published snapshot (DuckDB + restricted Parquet) without
running the pipeline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

Row = dict[str, Any]

RESPONDENTS = "fewer than 30 respondents"
COMPLEMENTARY = "complementary: would reveal a suppressed sector through the total"
DOMINANCE = "one organisation supplies more than 50% of respondents"

MOMENTS = {
    "start_relationship": 6,
    "information": 0,
    "payment": 12,
    "question": 2,
    "complaint": -12,
    "service_request": 1,
}
STATEMENTS = {"welcome": (23, 27), "valued": (14, 42), "important": (10, 66), "authentic": (17, 55)}


def _suppress(row: Row, reason: str | None, estimates: list[str]) -> Row:
    row["suppressed"] = reason is not None
    row["suppression_reason"] = reason
    if reason:
        for column in estimates:
            row[column] = None
    return row


def nps_row(
    market: str,
    sector: str,
    year: int,
    nps: float,
    n: int,
    orgs: int,
    change: float | None = None,
    significant: bool | None = None,
    reason: str | None = None,
) -> Row:
    promoters = 30 + nps / 2
    detractors = promoters - nps
    se = 40 / n**0.5 * 2
    row = {
        "market": market,
        "sector": sector,
        "year": year,
        "n_respondents": n,
        "n_organisations": orgs,
        "pct_promoters": promoters,
        "pct_passives": 100 - promoters - detractors,
        "pct_detractors": detractors,
        "nps": nps,
        "nps_se": se,
        "nps_ci_low": nps - 1.96 * se,
        "nps_ci_high": nps + 1.96 * se,
        "nps_change": change,
        "nps_change_significant": significant,
        "pct_promoters_se": se / 2,
        "pct_passives_se": se / 2,
        "pct_detractors_se": se / 2,
    }
    estimates = [k for k in row if k.startswith(("pct_", "nps"))]
    return _suppress(row, reason, estimates)


def nps_rows() -> list[Row]:
    return [
        nps_row("B2B", "ALL", 2019, 12.4, 2400, 40),
        nps_row("B2B", "industry", 2019, 27.0, 600, 10),
        nps_row("B2B", "wholesale", 2019, 18.2, 500, 9),
        nps_row("B2B", "ict", 2019, 14.0, 700, 12),
        nps_row("B2B", "waste", 2019, -4.0, 300, 5),
        nps_row("B2B", "financial_services", 2019, -3.0, 300, 4),
        nps_row("B2B", "ALL", 2020, 11.1, 2500, 41, -1.3, False),
        nps_row("B2B", "industry", 2020, 35.2, 650, 10, 8.2, True),
        nps_row("B2B", "wholesale", 2020, 17.8, 520, 9, -0.4, False),
        nps_row("B2B", "ict", 2020, 4.6, 720, 12, -9.4, True),
        nps_row("B2B", "waste", 2020, 0, 25, 2, reason=RESPONDENTS),
        nps_row("B2B", "financial_services", 2020, 0, 585, 8, reason=COMPLEMENTARY),
        nps_row("B2C", "ALL", 2011, -37.7, 1200, 18),
        nps_row("B2C", "telecom", 2011, -35.3, 400, 6),
        nps_row("B2C", "housing", 2011, -37.0, 380, 6),
        nps_row("B2C", "government", 2011, -40.8, 420, 6),
        nps_row("B2C", "ALL", 2012, -36.2, 1250, 18, 1.5, False),
        nps_row("B2C", "telecom", 2012, -38.3, 410, 6, -3.0, False),
        nps_row("B2C", "housing", 2012, -37.6, 390, 6, -0.6, False),
        nps_row("B2C", "government", 2012, -32.9, 450, 6, 7.9, True),
    ]


def grade_row(
    market: str,
    sector: str,
    year: int,
    aspect: str,
    grade: float,
    n: int,
    orgs: int,
    change: float | None = None,
    significant: bool | None = None,
    reason: str | None = None,
) -> Row:
    se = 1.2 / n**0.5 * 2
    row = {
        "market": market,
        "sector": sector,
        "year": year,
        "aspect": aspect,
        "n_respondents": n,
        "n_organisations": orgs,
        "mean_grade": grade,
        "mean_grade_se": se,
        "ci_low": grade - 1.96 * se,
        "ci_high": grade + 1.96 * se,
        "pct_sufficient": 90.0,
        "pct_sufficient_se": 1.0,
        "change": change,
        "change_significant": significant,
    }
    estimates = ["mean_grade", "mean_grade_se", "ci_low", "ci_high", "pct_sufficient"]
    return _suppress(row, reason, [*estimates, "pct_sufficient_se", "change", "change_significant"])


def grade_rows() -> list[Row]:
    rows = []
    for year, overall, complaint in ((2019, 7.85, 6.65), (2020, 7.8, 6.6)):
        first = year == 2019
        rows += [
            grade_row(
                "B2B",
                "ALL",
                year,
                "overall",
                overall,
                2380,
                40,
                *((None, None) if first else (-0.05, False)),
            ),
            grade_row(
                "B2B",
                "ALL",
                year,
                "complaint_handling",
                complaint,
                700,
                35,
                *((None, None) if first else (-0.05, False)),
            ),
            grade_row("B2B", "industry", year, "overall", 8.1, 640, 10),
            grade_row("B2B", "wholesale", year, "overall", 8.0, 510, 9),
        ]
    rows += [
        grade_row("B2B", "ALL", 2020, "customer_service", 8.2, 2100, 40),
        grade_row("B2B", "industry", 2020, "customer_service", 8.4, 560, 10),
        grade_row("B2B", "industry", 2020, "complaint_handling", 6.9, 160, 9, reason=DOMINANCE),
    ]
    for year, knows, change in ((2011, 6.9, None), (2012, 6.8, -0.1), (2013, 6.5, -0.3)):
        significant = None if change is None else change < -0.2
        rows += [
            grade_row(
                "B2C",
                "ALL",
                year,
                "overall",
                7.3,
                1100,
                18,
                None if change is None else 0.0,
                None if change is None else False,
            ),
            grade_row("B2C", "ALL", year, "knows_customer", knows, 1050, 18, change, significant),
            grade_row("B2C", "telecom", year, "knows_customer", 6.6, 360, 6),
            grade_row(
                "B2C",
                "housing",
                year,
                "knows_customer",
                6.7,
                320,
                6,
                reason=DOMINANCE if year == 2013 else None,
            ),
            grade_row(
                "B2C",
                "government",
                year,
                "knows_customer",
                6.4,
                370,
                6,
                reason=COMPLEMENTARY if year == 2013 else None,
            ),
        ]
    return rows


def touchpoint_rows() -> list[Row]:
    rows = []
    sectors = {"ALL": 0, "telecom": -2, "housing": 4, "government": -10}
    for year in (2011, 2012):
        for sector, sector_offset in sectors.items():
            for moment, offset in {**MOMENTS, "ALL": 0}.items():
                value = (
                    55 + sector_offset + offset - (3 if year == 2012 and sector == "housing" else 0)
                )
                change = None if year == 2011 else (-6.0 if sector == "housing" else -1.0)
                rows.append(
                    {
                        "market": "B2C",
                        "sector": sector,
                        "year": year,
                        "touchpoint": moment,
                        "n_ratings": 5000 if moment == "ALL" else 800,
                        "n_respondents": 1200 if sector == "ALL" else 400,
                        "n_organisations": 18 if sector == "ALL" else 6,
                        "pct_positive": float(value),
                        "pct_negative": float(100 - value - 20),
                        "pct_positive_se": 2.0,
                        "pct_negative_se": 2.0,
                        "ci_low": value - 3.9,
                        "ci_high": value + 3.9,
                        "change": change,
                        "change_significant": None if change is None else change < -5,
                        "suppressed": False,
                        "suppression_reason": None,
                    }
                )
    return rows


def statement_rows() -> list[Row]:
    rows = []
    for year in (2011, 2012):
        for statement, (agree, disagree) in STATEMENTS.items():
            for sector in ("ALL", "telecom"):
                change = None if year == 2011 else -1.0
                rows.append(
                    {
                        "market": "B2C",
                        "sector": sector,
                        "year": year,
                        "statement": statement,
                        "n_respondents": 1190 if sector == "ALL" else 400,
                        "n_organisations": 18 if sector == "ALL" else 6,
                        "pct_agree": float(agree + (1 if year == 2011 else 0)),
                        "pct_disagree": float(
                            disagree - (4 if year == 2011 and statement == "authentic" else 0)
                        ),
                        "pct_agree_se": 1.0,
                        "pct_disagree_se": 1.5,
                        "ci_low": agree - 2.0,
                        "ci_high": agree + 2.0,
                        "change": change,
                        "change_significant": None if change is None else False,
                        "suppressed": False,
                        "suppression_reason": None,
                    }
                )
    return rows


def performer_rows() -> list[Row]:
    values = {
        ("B2B", 2020): {
            "nps": (40.3, 2.4, 11.1),
            "pct_promoters": (56.2, 20.9, 29.0),
            "pct_detractors": (16.0, 18.5, 17.9),
            "grade_overall": (8.4, 7.6, 7.8),
            "grade_complaint_handling": (7.2, 6.4, 6.6),
        },
        ("B2C", 2012): {"nps": (-20.1, -42.8, -36.2), "pct_promoters": (15.4, 7.8, 10.0)},
    }
    rows = []
    for (market, year), measures in values.items():
        for measure, triple in measures.items():
            for group, value, orgs in zip(
                ("top_performers", "others", "all"), triple, (10, 31, 41), strict=True
            ):
                rows.append(
                    {
                        "market": market,
                        "year": year,
                        "performer_group": group,
                        "measure": measure,
                        "value": value,
                        "value_se": 1.0,
                        "ci_low": value - 1.96,
                        "ci_high": value + 1.96,
                        "n_organisations": orgs,
                        "n_respondents": orgs * 60,
                        "suppressed": False,
                        "suppression_reason": None,
                    }
                )
    return rows


REGRESSION = "too few organisations for the regression: it needs one more than its coefficients"


def driver_rows() -> list[Row]:
    """B2B key drivers: customer service a strength, knows-the-customer to fix first, complaint
    handling lower priority (averages 0.39 and 7.13); waste too small for a regression."""
    values = {  # aspect: (coefficient, importance, mean grade)
        "customer_service": (36.7, 0.52, 7.9),
        "complaint_handling": (14.3, 0.25, 6.6),
        "knows_customer": (22.0, 0.40, 6.9),
    }
    rows = []
    for year, sector, n, orgs, reason in (
        (2019, "ALL", 600, 40, None),
        (2020, "ALL", 640, 41, None),
        (2020, "industry", 180, 10, None),
        (2020, "waste", 40, 4, REGRESSION),
    ):
        for aspect, (coefficient, importance, grade) in values.items():
            row = {
                "market": "B2B",
                "sector": sector,
                "year": year,
                "aspect": aspect,
                "n_respondents": n,
                "n_organisations": orgs,
                "coefficient": coefficient,
                "coefficient_se": 1.5,
                "p_value": 1e-12 if aspect != "complaint_handling" else 0.0123,
                "importance": importance + (0.01 if sector == "industry" else 0),
                "mean_grade": grade,
                "mean_grade_se": 0.05,
                "degrees_of_freedom": orgs - 4,
            }
            rows.append(_suppress(row, reason, list(row)[6:]))  # every column after the counts
    return rows


def organisation_grade_rows() -> list[Row]:
    return [
        {
            "organisation_id": "ORG-7",
            "market": "B2B",
            "sector": "industry",
            "year": 2020,
            "aspect": aspect,
            "n_respondents": n,
            "mean_grade": grade,
        }
        for aspect, grade, n in (
            ("overall", 8.6, 108),
            ("customer_service", 8.8, 100),
            ("complaint_handling", 7.5, 30),
            ("knows_customer", 7.2, 95),
        )
    ]


INFO: Row = {
    "published_at": dt.datetime(2026, 11, 22, 15, 39, 32),
    "edition": "2021",
    "data_fingerprint": "2671b729d671189d7ccd5c91687a5940",
    "n_files": 120,
    "n_respondents": 8000,
    "n_organisations": 60,
    "min_respondents": 30,
    "min_organisations": 3,
    "max_organisation_share": 0.5,
    "z_value": 1.96,
    "top_performer_min_answers": 30,
    "top_performer_percentile": 0.75,
    "estimation_method": "design-based (Taylor linearisation): organisation_id as cluster",
    "disclosure_method": "primary: fewer than min_respondents respondents; complementary: ...",
    "dbt_version": "1.11.16",
}


def position_rows() -> list[Row]:
    base = {
        "nps_se": 6.0,
        "market_percentile": 80.0,
        "is_top_performer": False,
        "gap_significant": False,
    }
    return [
        {
            **base,
            "organisation_id": "ORG-7",
            "market": "B2B",
            "sector": "industry",
            "year": 2019,
            "n_respondents": 120,
            "nps": 45.0,
            "nps_ci_low": 33.2,
            "nps_ci_high": 56.8,
            "sector_percentile": 90.0,
            "is_top_performer": True,
            "gap_to_sector": 18.0,
            "gap_significant": True,
        },
        {
            **base,
            "organisation_id": "ORG-7",
            "market": "B2B",
            "sector": "industry",
            "year": 2020,
            "n_respondents": 110,
            "nps": 52.0,
            "nps_ci_low": 40.2,
            "nps_ci_high": 63.8,
            "sector_percentile": 95.0,
            "is_top_performer": True,
            "gap_to_sector": 16.8,
            "gap_significant": True,
        },
        {
            **base,
            "organisation_id": "ORG-9",
            "market": "B2B",
            "sector": "waste",
            "year": 2020,
            "n_respondents": 20,
            "nps": 10.0,
            "nps_ci_low": -20.0,
            "nps_ci_high": 40.0,
            # waste 2020 is suppressed publicly, and 20 answers are too few to be ranked
            "sector_percentile": None,
            "market_percentile": None,
            "gap_to_sector": None,
            "gap_significant": None,
        },
    ]


def tables() -> dict[str, list[Row]]:
    return {
        "nps": nps_rows(),
        "grades": grade_rows(),
        "touchpoints": touchpoint_rows(),
        "statements": statement_rows(),
        "top_performers": performer_rows(),
        "drivers": driver_rows(),
    }


PUBLISHED = {
    "nps": "nps_by_sector_year",
    "grades": "grades_by_sector_year",
    "touchpoints": "touchpoints_by_sector_year",
    "statements": "statements_by_sector_year",
    "top_performers": "top_performers_by_year",
    "drivers": "drivers_by_year",
}


def write_published(home: Path) -> Path:
    """`home/published/benchmark.duckdb` (schema benchmark) and the restricted positions."""
    published = home / "published"
    (published / "restricted").mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(published / "benchmark.duckdb"))
    try:
        for key, rows in {**tables(), "publication_info": [INFO]}.items():
            arrow = pa.Table.from_pylist(rows)  # noqa: F841 - read by DuckDB's replacement scan
            name = PUBLISHED.get(key, key)
            con.execute(f"create table benchmark.{name} as select * from arrow")
        positions = pa.Table.from_pylist(position_rows())  # noqa: F841
        target = published / "restricted" / "organisation_positions.parquet"
        con.execute(f"copy positions to '{target}' (format parquet)")
        grades = pa.Table.from_pylist(organisation_grade_rows())  # noqa: F841
        target = published / "restricted" / "organisation_grades.parquet"
        con.execute(f"copy grades to '{target}' (format parquet)")
    finally:
        con.close()
    return home
