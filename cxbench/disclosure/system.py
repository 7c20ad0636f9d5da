"""The reader's linear system over one block of a public table, and the intervals it leaves.

Every measure of every row is a variable: a published one is a constant, a suppressed one an
unknown within its measure's scale. Per margin (sector `ALL`, touchpoint `ALL`, performer group
`all`) and per measure, the total is the count-weighted mean of the cells it totals (equal
weights: the reader's best case)::

    sum_m (w_m / W) v_m - v_total = 0,    W = sum_m w_m

and the measures of one cell tie together (tables.Tie). The interval of an unknown is its
minimum and maximum over that polytope, each a linear programme (HiGHS).

With unequal weights the published figures need not satisfy the equal-weight equations
exactly, and the system can be infeasible. The reader then takes the closest consistent
reading: first the least total violation s* of the margin equations (phase 1), then the
intervals over every reading that violates them by no more than s* (phase 2). With equal
weights s* = 0 and the true values are one of the readings, so they lie in their intervals.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd

from cxbench.disclosure.tables import TableSpec, is_primary

# Slack the reader allows beyond the least violation (value units): LP round-off only.
SLACK_TOLERANCE = 1e-9
_INF = highspy.kHighsInf


@dataclass(frozen=True)
class Variable:
    """One measure of one row (cell) of a table."""

    row: Hashable  # index label of the row in the table's frame
    measure: str
    value: float  # the published value; nan when suppressed
    weights: tuple[float, ...]  # its weight in each reading of the margins (see blocks)
    low: float
    high: float
    suppressed: bool
    primary: bool
    coords: tuple[str, ...]  # the row's value of each margin column, in spec.margins order
    tie: tuple  # rows whose measures tie share this key

    @property
    def scale(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class Block:
    """The variables of one block (market x year x item) of one table."""

    spec: TableSpec
    key: tuple
    variables: tuple[Variable, ...]
    cells: Mapping[Hashable, tuple[tuple[str, object], ...]]  # row -> its keys (column, value)

    def rows(self) -> list[Hashable]:
        return list(dict.fromkeys(v.row for v in self.variables))

    @property
    def readings(self) -> int:
        return len(self.variables[0].weights) if self.variables else 0

    def weight(self, row: Hashable) -> float:
        """The row's published count (respondents or ratings)."""
        return next(v.weights[0] for v in self.variables if v.row == row)


def _number(value: object) -> float:
    if value is None or value is pd.NA:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _plain(value: object) -> object:
    """numpy scalars as Python values, so cells read `year=2023`, not `np.int64(2023)`."""
    return value.item() if hasattr(value, "item") else value


def blocks(
    frame: pd.DataFrame, spec: TableSpec, weight_sums: pd.Series | None = None
) -> list[Block]:
    """The table's rows as variables, grouped by block; only blocks with a suppressed row.

    The margins are read with the published counts (equal weights: what any reader can do).
    `weight_sums` (aligned with the frame's index) adds a second reading with each cell's sum of
    weights: exactly how the estimator aggregates, so that reading is consistent with the true
    values whatever the weights. It is used in a block only where every row has one.
    """
    out: list[Block] = []
    if frame.empty:
        return out
    margin_columns = [column for column, _ in spec.margins]
    for key, rows in frame.groupby(list(spec.block), sort=True, dropna=False):
        if not rows["suppressed"].astype(bool).any():
            continue
        sums = None
        if weight_sums is not None:
            sums = weight_sums.reindex(rows.index)
            if sums.isna().any() or not (sums > 0).all():
                sums = None
        variables: list[Variable] = []
        cells: dict[Hashable, tuple[tuple[str, object], ...]] = {}
        for label, row in rows.iterrows():
            cells[label] = tuple((c, _plain(row[c])) for c in spec.keys)
            suppressed = bool(row["suppressed"])
            primary = suppressed and is_primary(row.get("suppression_reason"))
            coords = tuple(str(row[c]) for c in margin_columns)
            tie = tuple(row[c] for c in spec.tie_columns)
            weights = (_number(row[spec.weight]),)
            if sums is not None:
                weights += (float(sums[label]),)
            if spec.long:
                measures = [(str(row[spec.measure_column]), row[spec.value_column])]
            else:
                measures = [(m, row[m]) for m in spec.measures]
            for measure, value in measures:
                low, high = spec.scale_of(measure)
                variables.append(
                    Variable(
                        row=label,
                        measure=measure,
                        value=math.nan if suppressed else _number(value),
                        weights=weights,
                        low=low,
                        high=high,
                        suppressed=suppressed,
                        primary=primary,
                        coords=coords,
                        tie=tie,
                    )
                )
        key = key if isinstance(key, tuple) else (key,)
        out.append(Block(spec, key, tuple(variables), cells))
    return out


@dataclass(frozen=True)
class _Row:
    """One linear constraint: sum(coefficient x variable) <sense> rhs, over variable indices."""

    terms: tuple[tuple[int, float], ...]
    sense: str  # "==", "<=", ">="
    rhs: float
    soft: bool  # a margin equation (may be violated by the least amount), not a tie


def margin_groups(block: Block) -> list[tuple[tuple[int, ...], int | None]]:
    """Per margin and measure: (member variable indices, index of the total or None)."""
    spec = block.spec
    groups: list[tuple[tuple[int, ...], int | None]] = []
    for axis, (_, total) in enumerate(spec.margins):
        members: dict[tuple, list[int]] = defaultdict(list)
        totals: dict[tuple, int] = {}
        for i, v in enumerate(block.variables):
            other = tuple(c for j, c in enumerate(v.coords) if j != axis)
            group = (v.measure, other)
            if v.coords[axis] == total:
                totals[group] = i
            else:
                members[group].append(i)
        for group, indices in members.items():
            groups.append((tuple(indices), totals.get(group)))
    return groups


def _constraints(block: Block, unknown: set[Hashable], reading: int) -> list[_Row]:
    """Margin equations and ties, with published values moved to the right-hand side.

    `unknown` is the set of suppressed rows (a trial may suppress more than the frame says);
    `reading` which of the variables' weights the margins use.
    """
    variables = block.variables
    rows: list[_Row] = []

    def add(terms: Iterable[tuple[int, float]], sense: str, rhs: float, soft: bool) -> None:
        free: list[tuple[int, float]] = []
        for i, coefficient in terms:
            if variables[i].row in unknown:
                free.append((i, coefficient))
            else:
                rhs -= coefficient * variables[i].value
        if free and not math.isnan(rhs):
            rows.append(_Row(tuple(free), sense, rhs, soft))

    for members, total in margin_groups(block):
        if total is None:
            continue  # no total row: the reader has no equation
        weights = [variables[i].weights[reading] for i in members]
        whole = sum(weights)
        if not whole > 0:
            continue
        terms = [(i, w / whole) for i, w in zip(members, weights, strict=True)]
        add([*terms, (total, -1.0)], "==", 0.0, soft=True)

    by_tie: dict[tuple, dict[str, int]] = defaultdict(dict)
    for i, v in enumerate(variables):
        by_tie[v.tie][v.measure] = i
    for measures in by_tie.values():
        for tie in block.spec.ties:
            if all(m in measures for m in tie.coefficients):
                terms = [(measures[m], float(c)) for m, c in tie.coefficients.items()]
                add(terms, tie.sense, float(tie.rhs), soft=False)
    return rows


def _components(n: int, constraints: list[_Row]) -> list[list[int]]:
    """Variable indices connected by constraints (union-find)."""
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row in constraints:
        first = find(row.terms[0][0])
        for i, _ in row.terms[1:]:
            parent[find(i)] = first
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    return list(groups.values())


class InconsistentSystem(ValueError):
    """The ties and scales alone admit no values: the published figures are wrong."""


def intervals(
    block: Block,
    unknown: set[Hashable] | None = None,
    targets: Iterable[int] | None = None,
    reading: int = 0,
) -> dict[int, tuple[float, float]]:
    """Variable index -> (min, max) consistent with what is published, for every unknown.

    `unknown` (default: the suppressed rows) lets a trial suppress more rows; `targets` limits
    the work to some variables (their whole component is still solved for consistency);
    `reading` chooses the weights of the margins (0: counts, 1: weight sums, see blocks).
    """
    if unknown is None:
        unknown = {v.row for v in block.variables if v.suppressed}
    variables = block.variables
    free = [i for i, v in enumerate(variables) if v.row in unknown]
    wanted = set(free if targets is None else targets) & set(free)
    result: dict[int, tuple[float, float]] = {}
    constraints = _constraints(block, unknown, reading)
    touched = {i for row in constraints for i, _ in row.terms}
    for i in wanted - touched:
        result[i] = (variables[i].low, variables[i].high)
    if not constraints:
        return result
    for component in _components(len(variables), constraints):
        members = [i for i in component if i in touched]
        if not members or not wanted.intersection(members):
            continue
        inside = set(members)
        rows = [r for r in constraints if r.terms[0][0] in inside]
        result.update(_solve(variables, members, rows, wanted.intersection(members)))
    return result


def _solve(
    variables: tuple[Variable, ...],
    members: list[int],
    rows: list[_Row],
    wanted: set[int],
) -> dict[int, tuple[float, float]]:
    """Min and max of each wanted variable over one component's polytope.

    One HiGHS model per component: only the objective changes between its programmes, so each
    solve starts from the last one's optimal basis (a few simplex iterations) instead of from
    scratch, as a call of scipy's `linprog` per programme did: the demo's audit took 3.5 s
    with 3,274 separate programmes, 0.46 s this way, with intervals equal to 1e-9 of the scale.
    """
    position = {i: k for k, i in enumerate(members)}
    n_x = len(members)
    n_s = 2 * sum(1 for r in rows if r.soft)
    model = highspy.Highs()
    model.setOptionValue("output_flag", False)
    lower = [variables[i].low for i in members] + [0.0] * n_s
    upper = [variables[i].high for i in members] + [_INF] * n_s
    model.addVars(n_x + n_s, np.array(lower), np.array(upper))
    row_lower, row_upper, starts, columns, coefficients = [], [], [], [], []
    k = 0
    for row in rows:
        line: dict[int, float] = defaultdict(float)
        for i, coefficient in row.terms:
            line[position[i]] += coefficient
        if row.soft:
            line[n_x + 2 * k] = 1.0  # reading above the published total
            line[n_x + 2 * k + 1] = -1.0  # reading below it
            k += 1
        starts.append(len(columns))
        columns.extend(line)
        coefficients.extend(line.values())
        row_lower.append(row.rhs if row.sense in ("==", ">=") else -_INF)
        row_upper.append(row.rhs if row.sense in ("==", "<=") else _INF)
    model.addRows(
        len(rows),
        np.array(row_lower),
        np.array(row_upper),
        len(columns),
        np.array(starts, dtype=np.int32),
        np.array(columns, dtype=np.int32),
        np.array(coefficients),
    )

    def minimum() -> float:
        model.run()
        if model.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            model.clearSolver()  # the warm start may be what failed: once more from scratch
            model.run()
        status = model.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise InconsistentSystem(model.modelStatusToString(status))
        return model.getInfo().objective_function_value

    if n_s:  # phase 1: the least violation; phase 2 allows no more than it
        slacks = np.arange(n_x, n_x + n_s, dtype=np.int32)
        model.changeColsCost(n_s, slacks, np.ones(n_s))
        least = minimum()
        model.changeColsCost(n_s, slacks, np.zeros(n_s))
        budget = least + SLACK_TOLERANCE * (1 + n_s // 2)
        model.addRow(-_INF, budget, n_s, slacks, np.ones(n_s))
    result: dict[int, tuple[float, float]] = {}
    for i in sorted(wanted):
        column = position[i]
        model.changeColCost(column, 1.0)
        low = minimum()
        model.changeColCost(column, -1.0)
        high = -minimum()
        model.changeColCost(column, 0.0)
        v = variables[i]
        result[i] = (max(v.low, low), min(v.high, high))
    return result


def neighbours(block: Block, index: int, unknown: set[Hashable]) -> list[float]:
    """Published values of the same measure beside variable `index`: its siblings along every
    margin it is a member of, and the members of every margin it is the total of."""
    values: list[float] = []
    for members, total in margin_groups(block):
        if index in members or index == total:
            values += [
                block.variables[i].value
                for i in members
                if i != index and block.variables[i].row not in unknown
            ]
    return [v for v in values if not math.isnan(v)]


def true_values(block: Block, truth: Mapping[tuple[Hashable, str], float]) -> dict[int, float]:
    """Variable index -> true value, from (row, measure) -> value (tests)."""
    return {
        i: truth[(v.row, v.measure)]
        for i, v in enumerate(block.variables)
        if (v.row, v.measure) in truth
    }
