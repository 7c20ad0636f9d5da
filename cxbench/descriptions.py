"""The dbt models' descriptions as comments on the warehouse tables, for BI tools.

dbt-duckdb's persist_docs sends one COMMENT statement per column through dbt, each a query with
dbt's per-query cost (~3 ms): half the queries of a build. cxbench applies the descriptions
itself once dbt has built (both engines: cxbench/lake.py imports Spark's tables first), from the
build's manifest, in one transaction. The publication copies them into the snapshot.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import duckdb

from cxbench import duckdb_connections
from cxbench.settings import DataHome

# The layers whose tables are read after dbt (disclosure, gate, publication).
DESCRIBED_SCHEMAS = ("intermediate", "marts")
_TABLES = ("table", "incremental")


def literal(text: str) -> str:
    """A SQL string literal (COMMENT ON takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def model_tables(manifest: dict, schemas: Iterable[str] = DESCRIBED_SCHEMAS) -> list[dict]:
    """The project's model nodes materialised as tables in `schemas`, by schema and name."""
    wanted = set(schemas)
    nodes = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["package_name"] == "cxbench"
        and node["schema"] in wanted
        and node["config"]["materialized"] in _TABLES
    ]
    return sorted(nodes, key=lambda n: (n["schema"], n["name"]))


def comment_statements(node: dict, columns: Iterable[str]) -> list[str]:
    """COMMENT statements for one table: its description and its present columns'."""
    table = f"{node['schema']}.{node['name']}"
    statements = []
    if node.get("description"):
        statements.append(f"comment on table {table} is {literal(node['description'])}")
    present = set(columns)
    for column, spec in node.get("columns", {}).items():
        if column in present and spec.get("description"):
            statements.append(
                f'comment on column {table}."{column}" is {literal(spec["description"])}'
            )
    return statements


def describe_tables(con: duckdb.DuckDBPyConnection, manifest: dict) -> int:
    """Comment every built table of the described schemas; the number of comments set."""
    columns: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in con.execute(
        "select schema_name, table_name, column_name from duckdb_columns() "
        "where database_name = current_database() and schema_name in "
        f"({', '.join(literal(s) for s in DESCRIBED_SCHEMAS)})"
    ).fetchall():
        columns.setdefault((schema, table), []).append(column)
    statements = [
        statement
        for node in model_tables(manifest)
        if (node["schema"], node["name"]) in columns
        for statement in comment_statements(node, columns[(node["schema"], node["name"])])
    ]
    if statements:
        con.execute("begin transaction")
        try:
            con.execute(";\n".join(statements))
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return len(statements)


def describe_warehouse(home: DataHome, manifest_path: Path) -> int:
    """describe_tables on the data home's warehouse with the manifest of the build."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    con = duckdb_connections.connect(str(home.warehouse))
    try:
        return describe_tables(con, manifest)
    finally:
        con.close()
