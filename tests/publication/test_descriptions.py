"""cxbench.descriptions: the models' descriptions as comments on the built tables."""

from __future__ import annotations

import duckdb

from cxbench.descriptions import describe_tables


def _node(schema: str, name: str, materialized: str, description: str, columns: dict) -> dict:
    return {
        "resource_type": "model",
        "package_name": "cxbench",
        "schema": schema,
        "name": name,
        "config": {"materialized": materialized},
        "description": description,
        "columns": {c: {"description": d} for c, d in columns.items()},
    }


def test_tables_get_their_model_and_column_descriptions():
    con = duckdb.connect()
    for schema in ("staging", "intermediate", "marts"):
        con.execute(f"create schema {schema}")
    con.execute("create table marts.cells (market varchar, nps double)")
    con.execute("create table intermediate.sums (market varchar, built_by varchar)")
    con.execute("create view staging.rows as select 1 as x")
    manifest = {
        "nodes": {
            "a": _node("marts", "cells", "table", "The cells' NPS", {"nps": "It's the NPS"}),
            "b": _node("intermediate", "sums", "incremental", "Sums", {"gone": "not built"}),
            "c": _node("staging", "rows", "view", "Rows", {"x": "x"}),
            "d": _node("marts", "not_built", "table", "Absent", {}),
            "t": {**_node("marts", "cells", "table", "", {}), "resource_type": "test"},
        }
    }
    assert describe_tables(con, manifest) == 3
    comments = dict(
        con.execute(
            "select schema_name || '.' || table_name, comment from duckdb_tables()"
        ).fetchall()
    )
    assert comments == {"marts.cells": "The cells' NPS", "intermediate.sums": "Sums"}
    columns = dict(
        con.execute(
            "select table_name || '.' || column_name, comment from duckdb_columns() "
            "where comment is not null"
        ).fetchall()
    )
    assert columns == {"cells.nps": "It's the NPS"}
