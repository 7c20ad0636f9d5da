"""The disclosure audit of a publication (docs/contract.md §7).

For every suppressed cell and measure of every public table, the interval a reader can pin it
to (disclosure.system). A publication fails the audit when

- a suppressed cell is exactly recomputable (its interval has width ~0), or
- a primary-suppressed cell (too few respondents or organisations, or one dominant
  organisation) is pinned narrower than the protection level (default 10% of the measure's
  scale) and its interval does not even cover the published cells beside it (had it covered
  them, the table told the reader nothing its neighbours did not).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from cxbench.disclosure.system import Block, InconsistentSystem, blocks, intervals, neighbours
from cxbench.disclosure.tables import DEFAULT_PROTECTION_LEVEL, SPECS, TableSpec

# An interval narrower than this share of the scale is an exact recomputation.
EXACT_TOLERANCE = 1e-6
# Comparisons of widths and values allow LP round-off of this share of the scale.
ROUND_OFF = 1e-7


@dataclass(frozen=True)
class Interval:
    """What a reader can learn of one suppressed measure of one cell."""

    table: str
    row: Hashable
    cell: tuple[tuple[str, object], ...]  # the row's keys, (column, value)
    measure: str
    low: float
    high: float
    scale: float
    primary: bool
    neighbours: tuple[float, ...]

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def relative_width(self) -> float:
        return self.width / self.scale

    def covers_neighbours(self) -> bool:
        if not self.neighbours:
            return False
        slack = ROUND_OFF * self.scale
        return (
            self.low <= min(self.neighbours) + slack and self.high >= max(self.neighbours) - slack
        )

    def cell_text(self) -> str:
        return " ".join(f"{column}={value}" for column, value in self.cell)


@dataclass(frozen=True)
class Finding:
    """A suppressed cell a reader can recompute, or a primary cell pinned too narrowly."""

    interval: Interval
    kind: str  # "exact", "pinned", or "inconsistent" (the block cannot be audited)
    required: float  # the protection width, in the measure's unit

    @property
    def table(self) -> str:
        return self.interval.table

    def __str__(self) -> str:
        i = self.interval
        where = f"{i.table} cell {i.cell_text()}: {i.measure}"
        if self.kind == "inconsistent":
            return (
                f"{where} cannot be audited: the published cells of its block contradict the "
                "scales or the ties between measures"
            )
        if self.kind == "exact":
            return f"{where} is recomputable from the published cells as {_fmt(i.low)}"
        beside = (
            f"its published neighbours range {_fmt(min(i.neighbours))}..{_fmt(max(i.neighbours))}"
            if i.neighbours
            else "no published cell beside it"
        )
        return (
            f"{where} can be pinned to [{_fmt(i.low)}, {_fmt(i.high)}] (width {_fmt(i.width)} "
            f"< protection {_fmt(self.required)}; {beside})"
        )


def _fmt(value: float) -> str:
    return f"{value:.4g}" if abs(value) < 1 else f"{value:.2f}"


@dataclass
class AuditReport:
    """The audit of a set of tables: every interval, and what fails."""

    protection_level: float
    intervals: list[Interval] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    tables: tuple[str, ...] = ()

    @property
    def success(self) -> bool:
        return not self.findings

    def table_findings(self, table: str) -> list[Finding]:
        return [f for f in self.findings if f.table == table]

    def narrowest_primary(self) -> Interval | None:
        """The primary-suppressed interval with the smallest width relative to its scale."""
        primary = [i for i in self.intervals if i.primary]
        return min(primary, key=lambda i: i.relative_width) if primary else None

    def summary(self) -> str:
        if not self.findings:
            narrowest = self.narrowest_primary()
            extra = (
                f"; narrowest primary interval {narrowest.relative_width:.0%} of the scale"
                if narrowest
                else ""
            )
            return (
                f"{len(self.intervals)} suppressed values on {len(self.tables)} tables protected"
                f"{extra}"
            )
        more = f" (and {len(self.findings) - 1} more)" if len(self.findings) > 1 else ""
        return f"disclosure audit failed: {self.findings[0]}{more}"


def audit_block(
    block: Block,
    protection_level: float,
    unknown: set[Hashable] | None = None,
    primary: set[Hashable] | None = None,
    rows: set[Hashable] | None = None,
) -> tuple[list[Interval], list[Finding]]:
    """The intervals and findings of one block.

    `unknown` (default: the suppressed rows) and `primary` (default: the primary-suppressed
    rows) let the complementary suppression try cells before it suppresses them; `rows` limits
    the intervals computed to those rows' measures.
    """
    spec = block.spec
    if unknown is None:
        unknown = {v.row for v in block.variables if v.suppressed}
    if primary is None:
        primary = {v.row for v in block.variables if v.primary}
    targets = None
    if rows is not None:
        targets = [i for i, v in enumerate(block.variables) if v.row in rows]
    # Every reading of the margins (counts; weight sums where known): the reader's best case is
    # whichever pins a value tighter, so a value fails when any reading fails it.
    try:
        readings = [
            intervals(block, unknown, targets, reading) for reading in range(block.readings)
        ]
    except InconsistentSystem:
        first = next(v for v in block.variables if v.row in unknown)
        interval = Interval(
            spec.table, first.row, block.cells[first.row], first.measure, math.nan, math.nan,
            first.scale, first.row in primary, (),
        )  # fmt: skip
        return [], [Finding(interval, "inconsistent", protection_level * first.scale)]
    result: list[Interval] = []
    findings: list[Finding] = []
    for index in sorted(readings[0]):
        v = block.variables[index]
        beside = tuple(neighbours(block, index, unknown))
        candidates = []
        for found in readings:
            low, high = found[index]
            interval = Interval(
                table=spec.table,
                row=v.row,
                cell=block.cells[v.row],
                measure=v.measure,
                low=low,
                high=high,
                scale=v.scale,
                primary=v.row in primary,
                neighbours=beside,
            )
            candidates.append((judge(interval, protection_level), interval))
        failed = [c for c in candidates if c[0] is not None]
        finding, interval = min(
            failed or candidates,
            key=lambda c: (c[0] is None or c[0].kind != "exact", c[1].width),
        )
        result.append(interval)
        if finding is not None:
            findings.append(finding)
    return result, findings


def judge(interval: Interval, protection_level: float) -> Finding | None:
    """The finding on one interval, if any (docs/contract.md §7)."""
    required = protection_level * interval.scale
    if interval.width <= EXACT_TOLERANCE * interval.scale:
        return Finding(interval, "exact", required)
    if (
        interval.primary
        and interval.width < required - ROUND_OFF * interval.scale
        and not interval.covers_neighbours()
    ):
        return Finding(interval, "pinned", required)
    return None


def audit_frames(
    frames: Mapping[str, pd.DataFrame],
    protection_level: float = DEFAULT_PROTECTION_LEVEL,
    specs: Mapping[str, TableSpec] | None = None,
    weight_sums: Mapping[str, pd.Series] | None = None,
) -> AuditReport:
    """Audit every table of `frames` that has a spec (the others are ignored).

    `weight_sums` (per table, aligned with its frame) adds the reading of the margins with the
    cells' sums of weights (disclosure.system.blocks).
    """
    specs = SPECS if specs is None else specs
    report = AuditReport(protection_level)
    audited = []
    for table, frame in frames.items():
        spec = specs.get(table)
        if spec is None:
            continue
        audited.append(table)
        sums = (weight_sums or {}).get(table)
        for block in blocks(frame, spec, sums):
            found, findings = audit_block(block, protection_level)
            report.intervals += found
            report.findings += findings
    report.tables = tuple(audited)
    report.findings.sort(key=_severity)
    return report


def _severity(finding: Finding) -> tuple:
    """What cannot be audited first, then exact recomputations, then the narrowest pins."""
    order = {"inconsistent": 0, "exact": 1}.get(finding.kind, 2)
    width = finding.interval.relative_width
    return (order, 0.0 if math.isnan(width) else width)
