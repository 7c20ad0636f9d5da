"""Complementary suppression that passes the audit.

The marts arrive with primary suppression and dbt's complementary pass (no cell alone beside a
published total along a margin). Per block that still fails the audit (disclosure.audit), cells
are added one at a time:

1. The most severe finding is the target: an exactly recomputable cell first, then the primary
   cell pinned narrowest relative to its scale.
2. The candidates are the published cells beside it: its siblings along every margin it lies on
   (sectors of the same item; in the touchpoint table also the contact moments of the same
   sector, the margin in the other direction), and in the touchpoint table pairs of a sibling
   and a partner along the sibling's other margin (a rectangle with the target).
3. Each candidate is tried: the block is audited as if it were suppressed too. Preferred is
   the one that protects the target fully, then the one leaving the fewest findings, then the
   least missing protection, then the fewest and smallest cells (respondents or ratings). So a
   candidate is chosen for the protection it gives, and one whose other margin already holds a
   suppressed cell (so it opens no new gap) beats one that would need a complement of its own.
4. Only when no sibling improves anything are the totals of the target's margins tried (the
   market total or the contact moments pooled), then any other published cell of the block,
   then whole tie groups (all published measures of one performer group together).

Repeat until the block passes (or nothing helps: the audit then blocks the publication and
names the cell). Finally, cells a later choice made redundant are given back, the largest first,
as long as the block still passes.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import pandas as pd

from cxbench.disclosure.audit import ROUND_OFF, Finding, audit_block
from cxbench.disclosure.system import Block, blocks, margin_groups
from cxbench.disclosure.tables import DEFAULT_PROTECTION_LEVEL, SPECS, TableSpec

REASON = "complementary: protects a suppressed cell against recomputation from the margins"


@dataclass(frozen=True)
class Complement:
    """A cell suppressed by this step, and the finding it was chosen to resolve."""

    table: str
    row: Hashable
    cell: tuple[tuple[str, object], ...]
    weight: float
    resolves: str

    def __str__(self) -> str:
        where = " ".join(f"{c}={v}" for c, v in self.cell)
        return f"{self.table} {where} (n={self.weight:g}) for {self.resolves}"


def _missing(findings: list[Finding], protection_level: float, row: Hashable = None) -> float:
    """Protection still missing, as a share of the scale summed over findings (of `row`).

    An exact recomputation counts more than any pinned interval can.
    """
    missing = 0.0
    for f in findings:
        if row is not None and f.interval.row != row:
            continue
        if f.kind == "exact":
            missing += 1.0 + protection_level
        else:
            missing += max(0.0, f.required - f.interval.width) / f.interval.scale
    return missing


def _siblings(block: Block, row: Hashable) -> tuple[list[Hashable], list[Hashable]]:
    """Rows beside `row` along each of its margins, and the totals of those margins."""
    indices = {i for i, v in enumerate(block.variables) if v.row == row}
    members_out: dict[Hashable, None] = {}
    totals_out: dict[Hashable, None] = {}
    for members, total in margin_groups(block):
        if not indices.intersection(members) and total not in indices:
            continue
        for i in members:
            members_out[block.variables[i].row] = None
        if total is not None:
            totals_out[block.variables[total].row] = None
    members_out.pop(row, None)
    totals_out.pop(row, None)
    return list(members_out), list(totals_out)


def _totals(block: Block) -> set[Hashable]:
    """Rows that are the total of a margin (sector ALL, touchpoint ALL, performer group all)."""
    spec = block.spec
    out = set()
    for v in block.variables:
        if any(c == total for c, (_, total) in zip(v.coords, spec.margins, strict=True)):
            out.add(v.row)
    return out


class _Search:
    """The state of one block's complementary suppression."""

    def __init__(self, block: Block, protection_level: float):
        self.block = block
        self.protection_level = protection_level
        self.unknown = {v.row for v in block.variables if v.suppressed}
        self.primary = {v.row for v in block.variables if v.primary}
        self.weight = {row: block.weight(row) for row in block.rows()}
        self.totals = _totals(block)
        self.rows = block.rows()
        _, self.findings = audit_block(block, protection_level, self.unknown, self.primary)

    def trial(self, cells: tuple[Hashable, ...]) -> list[Finding]:
        """The findings were `cells` suppressed too.

        Suppressing a cell only relaxes the reader's system, so the intervals of other cells
        can only widen: the findings left are among the failing cells and the new ones.
        """
        failing = {f.interval.row for f in self.findings}
        _, findings = audit_block(
            self.block,
            self.protection_level,
            self.unknown | set(cells),
            self.primary,
            rows=failing | set(cells),
        )
        return findings

    def candidates(self, target: Hashable) -> list[list[tuple[Hashable, ...]]]:
        """Tiers of candidate cell sets, tried in order until one tier protects something."""
        siblings, margin_totals = _siblings(self.block, target)
        published = [r for r in siblings if r not in self.unknown and r not in self.totals]
        totals = [r for r in margin_totals if r not in self.unknown]
        two_margins = len(self.block.spec.margins) > 1
        tiers: list[list[tuple[Hashable, ...]]] = [[(r,) for r in published]]
        if two_margins:
            tiers.append(self._pairs(target, published, siblings))
        tiers.append([(r,) for r in totals])
        if two_margins:
            tiers.append(self._pairs(target, totals, siblings))
        tiers.append([(r,) for r in self.rows if r not in self.unknown and r not in self.totals])
        tiers.append([(r,) for r in self.rows if r not in self.unknown and r in self.totals])
        tiers.append(self._tie_groups())
        return tiers

    def _tie_groups(self) -> list[tuple[Hashable, ...]]:
        """The published cells of each tie group together (one market-year's performer group:
        its shares and NPS). Tied measures pin one another, so hiding one of them alone can
        protect nothing (a published total share of 0 pins its groups' shares, and the total's
        own share follows from its NPS and detractors): the whole group is the last resort."""
        columns = self.block.spec.tie_columns
        groups: dict[tuple[object, ...], list[Hashable]] = {}
        for row in self.rows:
            if row not in self.unknown:
                cell = dict(self.block.cells[row])
                groups.setdefault(tuple(cell.get(c) for c in columns), []).append(row)
        return [tuple(rows) for rows in groups.values() if len(rows) > 1]

    def _pairs(
        self, target: Hashable, firsts: list[Hashable], siblings: list[Hashable]
    ) -> list[tuple[Hashable, ...]]:
        """Each of `firsts` with a partner beside it along its other margin (a cell, or that
        margin's total): the corners of a rectangle with the target, so that neither new cell
        is alone in its margin (e.g. a sector's only rated moment and its pooled ALL)."""
        pairs: dict[tuple[Hashable, ...], None] = {}
        for first in firsts:
            partners, partner_totals = _siblings(self.block, first)
            for second in partners + partner_totals:
                if second in self.unknown or second == target or second in siblings:
                    continue
                pairs[(first, second)] = None
        return list(pairs)

    def step(self) -> tuple[tuple[Hashable, ...], Finding] | None:
        """Suppress the best candidate cells for the most severe finding; None if none helps."""
        level = self.protection_level
        target = self.findings[0]
        row = target.interval.row
        target_missing = _missing(self.findings, level, row)
        current = (len(self.findings), _missing(self.findings, level))
        choice = None
        for tier in self.candidates(row):
            for cells in tier:
                findings = self.trial(cells)
                left = _missing(findings, level, row)
                score = (len(findings), _missing(findings, level))
                if not (left < target_missing - ROUND_OFF or score < current):
                    continue  # protects nothing
                # The target protected first, then the fewest and least open findings (a cell
                # whose other margin already holds a suppressed cell opens none), then the
                # fewest and smallest cells.
                size = sum(self.weight[c] for c in cells)
                key = (left > ROUND_OFF, left, *score, len(cells), size)
                if choice is None or key < choice[0]:
                    choice = (key, cells)
            if choice is not None:
                break
        if choice is None:
            return None
        cells = choice[1]
        self.unknown.update(cells)
        _, self.findings = audit_block(self.block, level, self.unknown, self.primary)
        return cells, target


def protect_block(block: Block, protection_level: float) -> list[Complement]:
    """Suppress cells of one block until it passes the audit; the cells added, in order."""
    search = _Search(block, protection_level)
    added: list[Complement] = []
    while search.findings:
        if search.findings[0].kind == "inconsistent":
            break  # no suppression mends contradictory figures: the audit reports them
        step = search.step()
        if step is None:
            break  # nothing helps: the audit names the cell and blocks the publication
        cells, target = step
        for cell in cells:
            added.append(
                Complement(
                    block.spec.table,
                    cell,
                    block.cells[cell],
                    search.weight[cell],
                    f"{target.interval.cell_text()} {target.interval.measure}",
                )
            )
    if added and not search.findings:
        added = _prune(search, added)
    return added


def _prune(search: _Search, added: list[Complement]) -> list[Complement]:
    """Give back cells the finished block does not need: a cell chosen early can be made
    redundant by later ones. The largest are tried first; each goes only if the block still
    passes without it."""
    kept = list(added)
    for complement in sorted(added, key=lambda c: -c.weight):
        unknown = search.unknown - {complement.row}
        _, findings = audit_block(search.block, search.protection_level, unknown, search.primary)
        if not findings:
            search.unknown = unknown
            kept.remove(complement)
    return kept


def complete_suppression(
    frames: Mapping[str, pd.DataFrame],
    protection_level: float = DEFAULT_PROTECTION_LEVEL,
    specs: Mapping[str, TableSpec] | None = None,
    weight_sums: Mapping[str, pd.Series] | None = None,
) -> dict[str, list[Complement]]:
    """The complementary cells each table needs to pass the audit (frames are not changed).

    `weight_sums` as for disclosure.audit.audit_frames.
    """
    specs = SPECS if specs is None else specs
    added: dict[str, list[Complement]] = {}
    for table, frame in frames.items():
        spec = specs.get(table)
        if spec is None:
            continue
        cells: list[Complement] = []
        for block in blocks(frame, spec, (weight_sums or {}).get(table)):
            cells += protect_block(block, protection_level)
        added[table] = cells
    return added


def suppress_rows(frame: pd.DataFrame, rows: list[Hashable]) -> pd.DataFrame:
    """A copy of `frame` with `rows` marked suppressed as complementary (estimates untouched:
    disclosure.warehouse nulls them in the marts)."""
    out = frame.copy()
    if rows:
        out.loc[rows, "suppressed"] = True
        out.loc[rows, "suppression_reason"] = REASON
    return out
