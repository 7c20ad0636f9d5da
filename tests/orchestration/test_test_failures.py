"""A failed dbt test is told by its table, cell and value (cxbench/failed_tests.py)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from cxbench.failed_tests import describe_failed_test

MODEL = "model.cxbench.nps_by_sector_year"


def _setup(tmp_path: Path, test: dict, compiled: str) -> tuple[dict, Path, Path]:
    warehouse = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema marts")
    con.execute(
        "create table marts.nps_by_sector_year as select * from (values "
        "('B2C', 'telecom', 2021, 100.00000000000003, 1.0), "
        "('B2C', 'ALL', 2021, 50.0, 2.0)) as t(market, sector, year, nps, nps_se)"
    )
    con.close()
    unique = {
        "resource_type": "test",
        "attached_node": MODEL,
        "test_metadata": {
            "name": "unique_combination_of_columns",
            "kwargs": {"combination_of_columns": ["market", "sector", "year"]},
        },
    }
    manifest = {
        "nodes": {
            MODEL: {
                "unique_id": MODEL,
                "resource_type": "model",
                "schema": "marts",
                "name": "nps_by_sector_year",
                "alias": "nps_by_sector_year",
                "relation_name": '"warehouse"."marts"."nps_by_sector_year"',
            },
            "test.cxbench.unique": unique,
            "test.cxbench.failing": {"resource_type": "test", "attached_node": MODEL, **test},
        }
    }
    target = tmp_path / "target"
    target.mkdir()
    results = {
        "results": [{"unique_id": "test.cxbench.failing", "compiled_code": compiled, "failures": 1}]
    }
    (target / "run_results.json").write_text(json.dumps(results))
    return manifest, target, warehouse


def test_an_accepted_ranges_failure_names_table_cell_value_and_range(tmp_path):
    test = {
        "test_metadata": {
            "name": "accepted_ranges",
            "kwargs": {
                "ranges": {
                    "nps": {"min_value": -100, "max_value": 100},
                    "nps_se": {"min_value": 0},
                }
            },
        }
    }
    compiled = "select * from marts.nps_by_sector_year where nps > 100"
    manifest, target, warehouse = _setup(tmp_path, test, compiled)
    text = describe_failed_test("test.cxbench.failing", manifest, target, warehouse)
    assert text == (
        "marts.nps_by_sector_year: 1 rows fail accepted_ranges, e.g. cell market=B2C, "
        "sector=telecom, year=2021: nps = 100.00000000000003 (allowed -100..100)"
    )


def test_a_uniqueness_failure_names_the_key_and_the_count(tmp_path):
    test = {
        "test_metadata": {
            "name": "unique_combination_of_columns",
            "kwargs": {"combination_of_columns": ["market", "year"]},
        }
    }
    compiled = (
        "select market, year, count(*) as n_rows from marts.nps_by_sector_year "
        "group by market, year having count(*) > 1"
    )
    manifest, target, warehouse = _setup(tmp_path, test, compiled)
    text = describe_failed_test("test.cxbench.failing", manifest, target, warehouse)
    assert text == (
        "marts.nps_by_sector_year: 1 rows fail unique_combination_of_columns, "
        "e.g. cell market=B2C, year=2021: n_rows = 2"
    )
