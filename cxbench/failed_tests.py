"""A failed dbt test, in words that name the table, the cell and the value (issue 14).

dbt reports a failed data test as "Got 2 results, configured to fail if != 0", and dagster-dbt's
check result says no more. A blocking check fails only when a published figure is wrong, and then
the one-line reason must say which: `marts.nps_by_sector_year: 2 rows fail accepted_ranges, e.g.
cell market=B2C, sector=telecom, year=2021: nps = 100.00000000000003 (allowed -100..100)`.

After dbt has finished (and released the warehouse), the test's own compiled query is run again,
read-only, for its first failing rows. The cell is named by the model's key (the columns of its
unique_combination_of_columns test, else the usual key columns that are there); the values shown
are the columns the test is about (for accepted_ranges: those out of their range).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from cxbench import duckdb_connections

EXAMPLES = 2
# Columns that name a cell (or a respondent row) where the model declares no key.
KEY_CANDIDATES = (
    "market",
    "sector",
    "year",
    "item",
    "aspect",
    "touchpoint",
    "statement",
    "performer_group",
    "measure",
    "organisation_id",
    "source_file",
    "row_number",
    "respondent_id",
)


def describe_failed_test(
    unique_id: str, manifest: Mapping[str, Any], target_path: Path, warehouse: Path
) -> str | None:
    """The failure of test `unique_id` in words, or None when it cannot be told."""
    node = manifest.get("nodes", {}).get(unique_id)
    if not node or node.get("resource_type") != "test":
        return None
    results = json.loads((target_path / "run_results.json").read_text(encoding="utf-8"))
    result = next((r for r in results.get("results", []) if r["unique_id"] == unique_id), None)
    if result is None or not result.get("compiled_code"):
        return None
    model = _tested_model(node, manifest)
    table = _table_name(model) if model else "?"
    test = (node.get("test_metadata") or {}).get("name") or node.get("name")
    kwargs = (node.get("test_metadata") or {}).get("kwargs") or {}
    con = duckdb_connections.connect(str(warehouse), read_only=True)
    try:
        cursor = con.execute(
            f"select * from ({result['compiled_code']}) as failing limit {EXAMPLES}"
        )
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        model_columns = _columns(con, model) if model else set()
    finally:
        con.close()
    count = result.get("failures")
    keys = [k for k in _keys(model, manifest) if k in columns] if model else []
    if not keys:
        keys = [k for k in KEY_CANDIDATES if k in columns]
    examples = "; ".join(_cell(row, keys, kwargs, model_columns) for row in rows)
    counted = f"{count} rows fail" if count is not None else "fails"
    return f"{table}: {counted} {test}" + (f", e.g. {examples}" if examples else "")


def _tested_model(node: Mapping[str, Any], manifest: Mapping[str, Any]) -> dict | None:
    attached = node.get("attached_node")
    candidates = [attached] if attached else []
    candidates += list((node.get("depends_on") or {}).get("nodes") or [])
    for unique_id in candidates:
        found = manifest.get("nodes", {}).get(unique_id) or manifest.get("sources", {}).get(
            unique_id
        )
        if found and found.get("resource_type") in ("model", "source", "seed", "snapshot"):
            return found
    return None


def _table_name(model: Mapping[str, Any]) -> str:
    name = model.get("alias") or model.get("identifier") or model.get("name")
    return f"{model.get('schema')}.{name}"


def _columns(con: duckdb.DuckDBPyConnection, model: Mapping[str, Any]) -> set[str]:
    relation = model.get("relation_name")
    if not relation:
        return set()
    try:
        cursor = con.execute(f"select * from {relation} limit 0")
    except duckdb.Error:
        return set()
    return {d[0] for d in cursor.description}


def _keys(model: Mapping[str, Any], manifest: Mapping[str, Any]) -> list[str]:
    """The model's key: the columns of its unique_combination_of_columns test."""
    for node in manifest.get("nodes", {}).values():
        metadata = node.get("test_metadata") or {}
        if metadata.get("name") == "unique_combination_of_columns" and node.get(
            "attached_node"
        ) == model.get("unique_id"):
            return list((metadata.get("kwargs") or {}).get("combination_of_columns") or [])
    return []


def _referenced(kwargs: Mapping[str, Any]) -> list[str]:
    """Column names a test's arguments mention (column_name, low, ranges' keys, columns ...)."""
    names: list[str] = []
    for value in kwargs.values():
        if isinstance(value, str):
            names.append(value)
        elif isinstance(value, Sequence):
            names += [str(v).lstrip("-").strip() for v in value if isinstance(v, str)]
        elif isinstance(value, Mapping):
            names += [str(k) for k in value]
    return names


def _out_of_range(row: Mapping[str, Any], ranges: Mapping[str, Any]) -> list[str]:
    bad = []
    for column, bounds in ranges.items():
        value = row.get(column)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        low, high = bounds.get("min_value"), bounds.get("max_value")
        inclusive = bounds.get("inclusive", True)
        below = low is not None and (value < low if inclusive else value <= low)
        above = high is not None and (value > high if inclusive else value >= high)
        if below or above:
            bad.append(column)
    return bad


def _cell(
    row: Mapping[str, Any], keys: list[str], kwargs: Mapping[str, Any], model_columns: set[str]
) -> str:
    where = ", ".join(f"{k}={row[k]}" for k in keys)
    ranges = kwargs.get("ranges")
    if isinstance(ranges, Mapping):
        shown = [
            f"{c} = {_show(row[c])} ({_allowed(ranges[c])})" for c in _out_of_range(row, ranges)
        ]
    else:
        wanted = [c for c in _referenced(kwargs) if c in row and c not in keys]
        # Columns the test computes itself (n_rows, n_suppressed ...) say what is wrong too.
        wanted += [c for c in row if model_columns and c not in model_columns and c not in keys]
        shown = [f"{c} = {_show(row[c])}" for c in dict.fromkeys(wanted)]
    values = ", ".join(shown)
    if where and values:
        return f"cell {where}: {values}"
    return f"cell {where}" if where else values


def _show(value: object) -> str:
    """Every digit of a float (the value is the point), other values as they print."""
    return repr(value) if isinstance(value, float) else str(value)


def _allowed(bounds: Mapping[str, Any]) -> str:
    """`allowed -100..100`, or `allowed > 0` for an exclusive bound."""
    low, high = bounds.get("min_value"), bounds.get("max_value")
    if bounds.get("inclusive", True):
        return f"allowed {'' if low is None else low}..{'' if high is None else high}"
    parts = [f"> {low}" if low is not None else "", f"< {high}" if high is not None else ""]
    return "allowed " + " and ".join(p for p in parts if p)
