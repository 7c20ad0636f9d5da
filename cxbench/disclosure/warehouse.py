"""The marts as the audit reads them, and the complementary cells written back.

Complementary suppression runs between dbt and the quality gate: dbt builds the marts with
primary suppression and its own complementary pass, this module adds the cells the linear-
programming audit still asks for, and the gate then audits (and Great Expectations checks)
exactly the tables that are published. Writing a cell back nulls every estimate of it (every
column but its keys, counts and suppression columns), the change columns of the same cell one
year later (a change is never published beside a suppressed year), and what restricted outputs
derive from it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from cxbench.disclosure.suppression import REASON, Complement, complete_suppression
from cxbench.disclosure.tables import DEFAULT_PROTECTION_LEVEL, SPECS, TableSpec

MARTS_SCHEMA = "marts"
INTERMEDIATE_SCHEMA = "intermediate"

# Each cell's sum of weights, keyed like its public table: the estimator's own aggregation
# (disclosure.system.blocks, reading 1). Tables without one are read with their counts only.
WEIGHT_SUMS: dict[str, tuple[str, str]] = {
    "nps_by_sector_year": ("int_nps_estimates", "market, sector, year"),
    "grades_by_sector_year": ("int_grade_estimates", "market, sector, year, item as aspect"),
    "touchpoints_by_sector_year": (
        "int_touchpoint_estimates",
        "market, sector, year, item as touchpoint",
    ),
    "statements_by_sector_year": (
        "int_statement_estimates",
        "market, sector, year, item as statement",
    ),
    "drivers_by_year": ("int_driver_estimates", "market, sector, year, item as aspect"),
    "top_performers_by_year": (
        "int_performer_estimates",
        "market, year, case when sector = 'ALL' then 'all' else sector end as performer_group, "
        "item as measure",
    ),
}


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> set[str]:
    return {
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = ?", [schema]
        ).fetchall()
    }


def read_marts(
    con: duckdb.DuckDBPyConnection, specs: Mapping[str, TableSpec] | None = None
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.Series]]:
    """The public marts the audit covers, and each one's weight sums where the warehouse has
    them (aligned with the frame's index)."""
    specs = SPECS if specs is None else specs
    present = _tables(con, MARTS_SCHEMA)
    intermediate = _tables(con, INTERMEDIATE_SCHEMA)
    frames: dict[str, pd.DataFrame] = {}
    sums: dict[str, pd.Series] = {}
    for table, spec in specs.items():
        if table not in present:
            continue
        # In key order: the completion breaks ties between equally good cells by row order,
        # which a table's storage does not fix (DuckDB without insertion order, or the marts
        # an other engine built: cxbench/lake.py), and the same marts must get the same cells.
        order = ", ".join(spec.keys)
        frame = con.execute(f"select * from {MARTS_SCHEMA}.{table} order by {order}").df()
        frames[table] = frame
        source = WEIGHT_SUMS.get(table)
        if source and source[0] in intermediate:
            relation, keys = source
            weights = con.execute(
                f"select {keys}, sum_weight from {INTERMEDIATE_SCHEMA}.{relation}"
            ).df()
            keyed = frame[list(spec.keys)].merge(weights, on=list(spec.keys), how="left")
            sums[table] = pd.Series(keyed["sum_weight"].to_numpy(), index=frame.index)
    return frames, sums


def estimate_columns(columns: Iterable[str], spec: TableSpec) -> list[str]:
    """What a suppressed cell withholds: every column but keys, counts and suppression."""
    kept = {*spec.keys, "suppressed", "suppression_reason"}
    return [c for c in columns if c not in kept and not c.startswith("n_")]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select column_name from duckdb_columns() where schema_name = ? and table_name = ? "
            "order by column_index",
            [MARTS_SCHEMA, table],
        ).fetchall()
    ]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def suppress_cells(
    con: duckdb.DuckDBPyConnection,
    table: str,
    cells: Sequence[Mapping[str, object]],
    reason: str = REASON,
    specs: Mapping[str, TableSpec] | None = None,
) -> None:
    """Mark `cells` (key column -> value) of a mart suppressed and null what they withhold."""
    if not cells:
        return
    spec = (SPECS if specs is None else specs)[table]
    columns = _columns(con, table)
    keys = list(spec.keys)
    frame = pd.DataFrame([{k: cell[k] for k in keys} for cell in cells])
    con.register("disclosure_cells", frame)
    try:
        match = " and ".join(f"t.{_quote(k)} = c.{_quote(k)}" for k in keys)
        nulled = [f"{_quote(c)} = null" for c in estimate_columns(columns, spec)]
        con.execute(
            f"update {MARTS_SCHEMA}.{table} as t set "
            + ", ".join([*nulled, "suppressed = true", "suppression_reason = ?"])
            + f" from disclosure_cells as c where {match}",
            [reason],
        )
        changes = [c for c in columns if "change" in c and c not in spec.keys]
        if "year" in keys and changes:
            later = " and ".join(
                f"t.{_quote(k)} = c.{_quote(k)}" + (" + 1" if k == "year" else "") for k in keys
            )
            con.execute(
                f"update {MARTS_SCHEMA}.{table} as t set "
                + ", ".join(f"{_quote(c)} = null" for c in changes)
                + f" from disclosure_cells as c where {later}"
            )
    finally:
        con.unregister("disclosure_cells")


@dataclass(frozen=True)
class Derived:
    """Columns of a restricted table derived from a public cell: null where it is suppressed.

    `on` pairs each restricted column (or a quoted literal, e.g. 'ALL' for the market total)
    with the public table's key column it matches.
    """

    table: str
    public: str
    on: tuple[tuple[str, str], ...]
    columns: tuple[str, ...]


# docs/contract.md §7: restricted outputs never reveal a suppressed public cell.
RESTRICTED_DERIVED = (
    Derived(
        "organisation_positions",
        "nps_by_sector_year",
        (("market", "market"), ("year", "year"), ("sector", "sector")),
        ("gap_to_sector", "gap_significant", "sector_percentile"),
    ),
    Derived(
        "organisation_positions",
        "nps_by_sector_year",
        (("market", "market"), ("year", "year"), ("'ALL'", "sector")),
        ("market_percentile",),
    ),
)


def restricted_follow_public(con: duckdb.DuckDBPyConnection) -> None:
    """Null what restricted outputs derive from public cells that are suppressed."""
    present = _tables(con, MARTS_SCHEMA)
    for rule in RESTRICTED_DERIVED:
        if rule.table not in present or rule.public not in present:
            continue
        columns = [c for c in rule.columns if c in _columns(con, rule.table)]
        if not columns:
            continue
        on = " and ".join(
            f"p.{_quote(public)} = "
            + (restricted if restricted.startswith("'") else f"r.{_quote(restricted)}")
            for restricted, public in rule.on
        )
        con.execute(
            f"update {MARTS_SCHEMA}.{rule.table} as r set "
            + ", ".join(f"{_quote(c)} = null" for c in columns)
            + f" where exists (select 1 from {MARTS_SCHEMA}.{rule.public} as p "
            f"where {on} and p.suppressed)"
        )


def protection_level_of(con: duckdb.DuckDBPyConnection) -> float:
    """The protection level the run recorded in publication_info (default when absent)."""
    if "publication_info" not in _tables(con, MARTS_SCHEMA):
        return DEFAULT_PROTECTION_LEVEL
    columns = _columns(con, "publication_info")
    if "protection_level" not in columns:
        return DEFAULT_PROTECTION_LEVEL
    row = con.execute(f"select protection_level from {MARTS_SCHEMA}.publication_info").fetchone()
    return DEFAULT_PROTECTION_LEVEL if row is None or row[0] is None else float(row[0])


def complete_warehouse(
    con: duckdb.DuckDBPyConnection, protection_level: float | None = None
) -> dict[str, list[Complement]]:
    """Add the complementary cells the audit asks for to the marts, in place; what was added."""
    if protection_level is None:
        protection_level = protection_level_of(con)
    frames, sums = read_marts(con)
    added = complete_suppression(frames, protection_level, weight_sums=sums)
    for table, complements in added.items():
        suppress_cells(con, table, [dict(c.cell) for c in complements])
    restricted_follow_public(con)
    return added
