"""The dbt project builds on DuckDB and on Spark (docs/scale-out.md): cheap checks of what breaks
the Spark build, so that a new model finds out before the slow two-engine test runs."""

from __future__ import annotations

import json

import pytest
import yaml

from cxbench import lake
from cxbench.settings import DBT_PROJECT_DIR, DataHome

# Type names both engines parse in a model contract (Spark rejects a bare `varchar`, DuckDB
# has no `string` type of its own but reads it as VARCHAR).
PORTABLE_TYPES = {"string", "double", "bigint", "integer", "boolean"}


def test_contract_types_parse_on_both_engines():
    bad = []
    for path in sorted((DBT_PROJECT_DIR / "models").rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", []):
            for column in model.get("columns", []):
                data_type = column.get("data_type")
                if data_type and data_type not in PORTABLE_TYPES and "{{" not in data_type:
                    bad.append(f"{model['name']}.{column['name']}: {data_type}")
    assert not bad, f"use a type both DuckDB and Spark parse ({sorted(PORTABLE_TYPES)}): {bad}"


def test_the_engine_comes_from_the_setting(monkeypatch):

    monkeypatch.delenv(lake.ENGINE_ENV, raising=False)
    assert lake.engine() == "duckdb"
    monkeypatch.setenv(lake.ENGINE_ENV, "Spark")
    assert lake.engine() == "spark"
    monkeypatch.setenv(lake.ENGINE_ENV, "postgres")
    with pytest.raises(ValueError, match="CXBENCH_ENGINE"):
        lake.engine()


def test_spark_dbt_args_add_the_target_and_the_lake_to_the_run_vars(tmp_path):
    home = DataHome(tmp_path)
    args = lake.dbt_args(home, ["build", "--vars", '{"cxbench_min_respondents": 50}'])
    assert args[-2:] == ["--target", "spark"]
    assert json.loads(args[args.index("--vars") + 1]) == {
        "cxbench_min_respondents": 50,
        "cxbench_lake": str(tmp_path / "spark" / "lake"),
    }
    plain = lake.dbt_args(home, ["build"])
    assert json.loads(plain[plain.index("--vars") + 1]) == {
        "cxbench_lake": str(tmp_path / "spark" / "lake")
    }
