"""Audit a publication from the command line:

    python -m cxbench.disclosure PATH [--protection-level 0.1] [--all]

PATH is a published snapshot (`published/benchmark.duckdb`: what any reader has, the margins
read with the counts) or a warehouse (`warehouse.duckdb`: its marts, and each cell's sum of
weights as a second reading). Prints the summary and every finding (with --all every interval
too); exit status 1 when the audit fails. It only reads tables, so it audits publications made
before the audit existed as well.
"""

from __future__ import annotations

import argparse
import sys

import duckdb

from cxbench import duckdb_connections
from cxbench.disclosure.audit import audit_frames
from cxbench.disclosure.tables import DEFAULT_PROTECTION_LEVEL, SPECS
from cxbench.disclosure.warehouse import MARTS_SCHEMA, read_marts


def _snapshot_schema(con: duckdb.DuckDBPyConnection) -> str | None:
    catalog = con.execute("select current_database()").fetchone()[0]
    schemas = {
        schema
        for (schema,) in con.execute(
            "select schema_name from duckdb_tables() where table_name = 'nps_by_sector_year'"
        ).fetchall()
    }
    for schema in ("benchmark", "main"):
        if schema in schemas:
            return f'"{catalog}".{schema}'
    return None


def _recorded_level(con: duckdb.DuckDBPyConnection, schema: str) -> float:
    """The protection level publication_info records (the default before it was recorded)."""
    try:
        row = con.execute(f"select protection_level from {schema}.publication_info").fetchone()
    except duckdb.Error:
        return DEFAULT_PROTECTION_LEVEL
    return float(row[0]) if row and row[0] is not None else DEFAULT_PROTECTION_LEVEL


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cxbench.disclosure", description=__doc__)
    parser.add_argument("path")
    parser.add_argument("--protection-level", type=float, default=None)
    parser.add_argument("--all", action="store_true", help="print every interval")
    args = parser.parse_args(argv)
    con = duckdb_connections.connect(args.path, read_only=True)
    try:
        query = "select distinct schema_name from duckdb_tables()"
        tables = {schema for (schema,) in con.execute(query).fetchall()}
        sums, schema = None, None
        if MARTS_SCHEMA in tables:
            frames, sums = read_marts(con)
        else:
            schema = _snapshot_schema(con)
            if schema is None:
                print(f"{args.path}: no benchmark tables", file=sys.stderr)
                return 2
            present = {
                name
                for (name,) in con.execute(
                    "select table_name from duckdb_tables() where schema_name = ?",
                    [schema.split(".")[-1]],
                ).fetchall()
            }
            frames = {
                t: con.execute(f"select * from {schema}.{t}").df() for t in SPECS if t in present
            }
        level = args.protection_level
        if level is None:
            level = _recorded_level(con, MARTS_SCHEMA if sums is not None else schema)
    finally:
        con.close()
    report = audit_frames(frames, level, weight_sums=sums)
    print(report.summary())
    cells = {(f.table, f.interval.row) for f in report.findings}
    print(f"{len(report.findings)} findings on {len(cells)} cells; protection level {level:g}")
    for finding in report.findings:
        print(f"  {finding}")
    if args.all:
        for interval in report.intervals:
            print(
                f"  {interval.table} {interval.cell_text()} {interval.measure}: "
                f"[{interval.low:.4g}, {interval.high:.4g}]"
                f"{' primary' if interval.primary else ''}"
            )
    return 0 if report.success else 1


if __name__ == "__main__":
    sys.exit(main())
