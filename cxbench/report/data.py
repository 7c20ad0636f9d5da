"""The report's input: the published tables (docs/contract.md §9), read once into memory.

Tables are small (one row per market x sector x year x item), so they are held as lists of
plain dicts with `None` for nulls; the report builder filters them in Python. Tests build a
`BenchmarkData` directly from rows, without DuckDB.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from cxbench import duckdb_connections

Row = dict[str, Any]

TABLES = {
    "nps": "nps_by_sector_year",
    "grades": "grades_by_sector_year",
    "touchpoints": "touchpoints_by_sector_year",
    "statements": "statements_by_sector_year",
    "top_performers": "top_performers_by_year",
    "drivers": "drivers_by_year",
}
MARKET_ORDER = ("B2B", "B2C")


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


@dataclass(frozen=True)
class Table:
    """Rows of one published table."""

    name: str
    rows: tuple[Row, ...] = ()

    @classmethod
    def of(cls, name: str, rows: Iterable[Mapping[str, Any]]) -> Table:
        return cls(name, tuple({k: _clean(v) for k, v in row.items()} for row in rows))

    def where(self, **conditions: Any) -> list[Row]:
        return [r for r in self.rows if all(r.get(k) == v for k, v in conditions.items())]

    def one(self, **conditions: Any) -> Row | None:
        found = self.where(**conditions)
        return found[0] if found else None

    def values(self, column: str, **conditions: Any) -> list[Any]:
        """Distinct values of `column`, sorted, among the rows matching `conditions`."""
        return sorted({r[column] for r in self.where(**conditions) if r.get(column) is not None})

    def markets(self) -> list[str]:
        present = self.values("market")
        return [m for m in MARKET_ORDER if m in present] + [
            m for m in present if m not in MARKET_ORDER
        ]

    def latest_year(self, market: str) -> int | None:
        years = self.values("year", market=market)
        return years[-1] if years else None


@dataclass(frozen=True)
class BenchmarkData:
    """The public benchmark, plus one organisation's restricted positions for a client edition."""

    nps: Table
    grades: Table
    touchpoints: Table
    statements: Table
    top_performers: Table
    drivers: Table = field(default_factory=lambda: Table("drivers_by_year"))
    info: Row = field(default_factory=dict)
    positions: Table = field(default_factory=lambda: Table("organisation_positions"))
    organisation_grades: Table = field(default_factory=lambda: Table("organisation_grades"))

    @classmethod
    def from_rows(
        cls,
        info: Mapping[str, Any] | None = None,
        positions: Iterable[Mapping[str, Any]] = (),
        **tables: Iterable[Mapping[str, Any]],
    ) -> BenchmarkData:
        """Build from plain rows: `nps=[...], grades=[...]`; missing tables are empty."""
        unknown = set(tables) - set(TABLES)
        if unknown:
            raise TypeError(f"unknown tables: {sorted(unknown)}")
        return cls(
            **{key: Table.of(TABLES[key], tables.get(key, ())) for key in TABLES},
            info=dict(info or {}),
            positions=Table.of("organisation_positions", positions),
        )

    def markets(self) -> list[str]:
        present = set()
        for table in (self.nps, self.grades, self.touchpoints, self.statements):
            present.update(table.values("market"))
        return [m for m in MARKET_ORDER if m in present] + sorted(present - set(MARKET_ORDER))


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[Row]:
    cursor = con.execute(sql, params or [])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def load_snapshot(snapshot: Path) -> BenchmarkData:
    """Read the public tables from `published/benchmark.duckdb` (read-only)."""
    if not snapshot.exists():
        raise FileNotFoundError(f"no published benchmark at {snapshot}: run `cxbench run` first")
    con = duckdb_connections.connect(str(snapshot), read_only=True)
    try:
        # A snapshot published before a table existed (drivers_by_year) reads it as empty.
        present = {
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() "
                "where database_name = 'benchmark' and schema_name = 'main'"
            ).fetchall()
        }
        tables = {
            key: _fetch(con, f"select * from benchmark.{table}")
            for key, table in TABLES.items()
            if table in present
        }
        info = _fetch(con, "select * from benchmark.publication_info")
    finally:
        con.close()
    return BenchmarkData.from_rows(info=info[0] if info else {}, **tables)


def load_positions(parquet: Path, organisation_id: str) -> list[Row]:
    """One organisation's rows of a restricted table (`organisation_positions`,
    `organisation_grades`), by its Parquet file."""
    if not parquet.exists():
        raise FileNotFoundError(f"no restricted table at {parquet}: run `cxbench run` first")
    con = duckdb_connections.connect()
    try:
        return _fetch(
            con,
            "select * from read_parquet(?) where organisation_id = ? order by market, year",
            [str(parquet), organisation_id],
        )
    finally:
        con.close()
