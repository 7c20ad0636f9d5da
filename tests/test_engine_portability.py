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


def test_cxbench_edition_takes_the_engine_as_run_does(monkeypatch, tmp_path, capsys):
    from cxbench import dbt_warm
    from orchestration import cli, launcher

    seen = []
    # No dbt process started ahead (it would outlive the test and serve another's dbt).
    monkeypatch.setattr(dbt_warm, "start", lambda: seen.append("warm"))

    def edition_run(home, name, through_year, quiet=False, wait=False):
        seen.append((lake.engine(), home.root, name, through_year))
        return 0

    monkeypatch.setattr(launcher, "run_edition", edition_run)
    monkeypatch.setenv("CXBENCH_HOME", str(tmp_path))
    monkeypatch.setenv(lake.ENGINE_ENV, "duckdb")
    assert cli.main(["edition", "2025", "--year", "2024", "--engine", "spark"]) == 0
    assert seen == ["warm", ("spark", tmp_path.resolve(), "2025", 2024)]
    # Without --engine the setting decides, and a bad setting stops before any run.
    monkeypatch.setenv(lake.ENGINE_ENV, "postgres")
    assert cli.main(["edition", "2026"]) == 2
    assert "CXBENCH_ENGINE must be one of duckdb, spark" in capsys.readouterr().err
    assert len(seen) == 2


def test_an_edition_on_spark_hands_dbt_the_edition_the_lake_and_the_target(tmp_path, monkeypatch):
    """What the dbt asset (orchestration/assets/transform.py) passes dbt in a Spark edition run:
    the run's vars, the edition's name and the lake, and the spark target."""
    from orchestration.dbt import DBT_VARS_ENV, dbt_build_args
    from orchestration.jobs import edition_tags, with_edition_vars

    monkeypatch.delenv(lake.LAKE_URI_ENV, raising=False)
    monkeypatch.setenv(DBT_VARS_ENV, '{"cxbench_min_respondents": 50}')
    home = DataHome(tmp_path)
    args = lake.dbt_args(home, with_edition_vars(dbt_build_args(), edition_tags("2025", 2024)))
    assert args[0] == "build" and args[-2:] == ["--target", "spark"]
    assert json.loads(args[args.index("--vars") + 1]) == {
        "cxbench_min_respondents": 50,
        "cxbench_edition": "2025",
        "cxbench_lake": str(tmp_path / "spark" / "lake"),
    }
