"""The dbt project builds on DuckDB and on Spark (docs/scale-out.md): cheap checks of what breaks
the Spark build, so that a new model finds out before the slow two-engine test runs."""

from __future__ import annotations

import yaml

from cxbench.settings import DBT_PROJECT_DIR

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
