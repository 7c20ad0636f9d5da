"""Disclosure control you can prove, in the Dagster graph (docs/contract.md §7).

- `protect_marts`: called by the dbt step once dbt has built the marts (the dbt step is the
  only writer of the marts, so nothing reads them before this): the complementary cells the
  linear-programming audit still asks for are suppressed in the marts, in place, and restricted
  outputs follow the public tables.
- `disclosure_audit`: a blocking asset check per public table (and the restricted positions),
  run on exactly the marts that are published. It fails, naming the table and the cell, when
  a suppressed cell is recomputable, a primary-suppressed cell can be pinned narrower than the
  protection level without covering its published neighbours, or a restricted output reveals
  a suppressed public cell. A failure blocks the publication like the quality gate does.

The work is in the Dagster-free package `disclosure`.
"""

import logging
from dataclasses import dataclass

from dagster import (
    AssetCheckExecutionContext,
)

from cxbench import duckdb_connections
from cxbench.disclosure.audit import AuditReport, audit_frames
from cxbench.disclosure.restricted import position_findings
from cxbench.disclosure.tables import SPECS
from cxbench.disclosure.warehouse import complete_warehouse, protection_level_of, read_marts
from cxbench.publication import MARTS_SCHEMA, PUBLIC_TABLES
from cxbench.settings import DataHome
from orchestration.mart_checks import blocking_mart_checks, mart_result
from orchestration.resources import DataHomeResource

CHECK_NAME = "disclosure_audit"
POSITIONS = "organisation_positions"
AUDITED_TABLES = (*(t for t in PUBLIC_TABLES if t in SPECS), POSITIONS)
log = logging.getLogger(__name__)


def protect_marts(home: DataHome, logger: logging.Logger | None = None) -> int:
    """Suppress the complementary cells the audit asks for; the number of cells added."""
    logger = logger or log
    con = duckdb_connections.connect(str(home.warehouse))
    try:
        added = complete_warehouse(con)
    finally:
        con.close()
    cells = [c for complements in added.values() for c in complements]
    for cell in cells:
        logger.info(f"complementary suppression: {cell}")
    return len(cells)


@dataclass(frozen=True)
class DisclosureResult:
    """The audit of the public marts and the restricted positions."""

    report: AuditReport
    positions: list[str]

    def failures(self, table: str) -> list[str]:
        if table == POSITIONS:
            return self.positions
        return [str(f) for f in self.report.table_findings(table)]


def audit_warehouse(home: DataHome) -> DisclosureResult:
    """The disclosure audit of the marts about to be published (warehouse opened read-only)."""
    con = duckdb_connections.connect(str(home.warehouse), read_only=True)
    try:
        frames, sums = read_marts(con)
        level = protection_level_of(con)
        positions = con.execute(f"select * from {MARTS_SCHEMA}.{POSITIONS}").df()
        nps = con.execute(f"select * from {MARTS_SCHEMA}.nps_by_sector_year").df()
        info = con.execute(
            f"select top_performer_min_answers, min_organisations from {MARTS_SCHEMA}."
            "publication_info"
        ).fetchone()
    finally:
        con.close()
    report = audit_frames(frames, level, weight_sums=sums)
    min_answers, min_organisations = info if info else (30, 3)
    return DisclosureResult(
        report, position_findings(positions, nps, int(min_answers), int(min_organisations))
    )


@blocking_mart_checks(
    "disclosure_audit",
    CHECK_NAME,
    AUDITED_TABLES,
    what=(
        "Disclosure audit (docs/contract.md §7): linear programming over the published cells, "
        "counts and margins recomputes no suppressed cell and pins no primary-suppressed cell "
        "narrower than the protection level; restricted outputs reveal no suppressed cell."
    ),
    summary="The disclosure audit of every table about to be published; blocking.",
)
def disclosure_audit(context: AssetCheckExecutionContext, data_home: DataHomeResource):
    """One blocking result per table, naming the first cell that fails."""
    result = audit_warehouse(data_home.home())
    report = result.report
    for table in AUDITED_TABLES:
        failed = result.failures(table)
        intervals = [i for i in report.intervals if i.table == table]
        primary = [i for i in intervals if i.primary]
        narrowest = min(primary, key=lambda i: i.relative_width) if primary else None
        metadata = {
            "suppressed_values_audited": len(intervals),
            "findings": len(failed),
            "protection_level": report.protection_level,
        }
        if narrowest is not None:
            metadata["narrowest_primary_interval"] = narrowest.relative_width
        yield mart_result(table, CHECK_NAME, failed, metadata)
