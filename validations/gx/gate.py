"""The quality gate: every table about to be published, read from the warehouse, against its suite.

GX's SQL datasource returns no rows over duckdb-engine, so each table is read with DuckDB
(read-only) into a pandas DataFrame and validated through GX's pandas datasource. About half the
tables are validated in a forked child (two_processes.py): GX keeps one core busy, the machine
has two; 1.8 -> 1.3 s of a one-study run at 10 M respondents.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import great_expectations as gx
import pandas as pd
from great_expectations.core.expectation_validation_result import (
    ExpectationSuiteValidationResult,
)
from great_expectations.core.run_identifier import RunIdentifier

from validations.gx.prepared import PreparedGate, prepare, write_data_docs
from validations.gx.rules import TABLES, TableRules, Thresholds
from validations.gx.two_processes import in_two_processes

# docs/contract.md §7; used only when publication_info cannot say (its own suite then fails).
CONTRACT_THRESHOLDS = Thresholds(min_respondents=30, min_organisations=3)


@dataclass(frozen=True)
class Failure:
    """One failed expectation of one table, in words."""

    table: str
    expectation: str
    detail: str

    def __str__(self) -> str:
        return f"{self.table}: {self.expectation}: {self.detail}"


@dataclass(frozen=True)
class TableResult:
    """The outcome of one table's suite."""

    table: str
    rows: int
    evaluated: int
    failures: tuple[Failure, ...]

    @property
    def success(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class QualityReport:
    """The outcome of the gate: publication may go ahead only when `success`."""

    thresholds: Thresholds
    tables: tuple[TableResult, ...]

    @property
    def success(self) -> bool:
        return all(t.success for t in self.tables)

    @property
    def failures(self) -> list[Failure]:
        return [f for t in self.tables for f in t.failures]

    def table(self, name: str) -> TableResult:
        return next(t for t in self.tables if t.table == name)

    def summary(self) -> str:
        """One line: the first failed expectation and how many more there are."""
        failures = self.failures
        if not failures:
            checked = sum(t.evaluated for t in self.tables)
            return f"{checked} expectations on {len(self.tables)} tables met"
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        return f"expectation failed: {failures[0]}{more}"


def read_tables(warehouse: Path) -> dict[str, pd.DataFrame]:
    """Every table the gate checks, as its rules' query reads it from the warehouse."""
    con = duckdb.connect(str(warehouse), read_only=True)  # the marts: small tables
    try:
        return {rules.table: con.execute(rules.query).df() for rules in TABLES}
    finally:
        con.close()


def thresholds_of(publication_info: pd.DataFrame) -> Thresholds:
    """The thresholds the run used: dbt vars recorded in marts.publication_info."""
    if len(publication_info) != 1:
        return CONTRACT_THRESHOLDS
    row = publication_info.iloc[0]
    return Thresholds(int(row["min_respondents"]), int(row["min_organisations"]))


def validate_frames(
    frames: Mapping[str, pd.DataFrame],
    docs_dir: Path | None = None,
    run_name: str = "cxbench",
    prepared: PreparedGate | None = None,
    restricted_docs_dir: Path | None = None,
) -> QualityReport:
    """Validate each table's DataFrame; with `docs_dir`, build the public tables' Data Docs
    there, and with `restricted_docs_dir` the restricted tables' (never in `docs_dir`).

    `run_name` labels the validations in the Data Docs (e.g. the Dagster run id). `prepared` is
    the fixed work done ahead (validations/gx/prepared.py); it is used when it was prepared for
    the thresholds the frames record, else discarded and redone here.
    """
    with _garbage_collection_paused():
        return _validate_frames(frames, docs_dir, run_name, prepared, restricted_docs_dir)


def _validate_frames(
    frames: Mapping[str, pd.DataFrame],
    docs_dir: Path | None,
    run_name: str,
    prepared: PreparedGate | None,
    restricted_docs_dir: Path | None = None,
) -> QualityReport:
    thresholds = thresholds_of(frames["publication_info"])
    with_docs = {
        "with_docs": docs_dir is not None,
        "with_restricted_docs": restricted_docs_dir is not None,
    }
    if prepared is None or not prepared.fits(thresholds, **with_docs):
        if prepared is not None:
            prepared.discard()
        prepared = prepare(thresholds, docs_dir, restricted_docs_dir)
    restricted = prepared.restricted
    assert restricted is not None, "a prepared gate has its restricted site"
    prepared.used = restricted.used = True
    run_id = RunIdentifier(run_name=run_name)

    outcomes: dict[str, ExpectationSuiteValidationResult] = {}  # of the tables this process did

    def site(rules: TableRules) -> PreparedGate:
        return restricted if rules.restricted else prepared

    def validate(rules: TableRules) -> TableResult:
        frame = frames[rules.table]
        definition = site(rules).definitions[rules.table]
        keys = [k for k in rules.keys if k in frame.columns]
        outcome = outcomes[rules.table] = run_validation(definition, frame, run_id, keys)
        # In the suite's order (rules list the plain range checks before derived ones), so the
        # first failure named is the most direct one.
        order = {e.id: i for i, e in enumerate(definition.suite.expectations)}
        failed = sorted(
            (r for r in outcome.results if not r.success),
            key=lambda r: order.get(r.expectation_config.id, len(order)),
        )
        failures = tuple(
            Failure(rules.table, describe(r.expectation_config), detail(r, keys)) for r in failed
        )
        return TableResult(rules.table, len(frame), len(outcome.results), failures)

    def send(rules: TableRules, result: TableResult) -> tuple:
        """In the child: the result, and its stored validation as GX serialises it."""
        store = site(rules).context.validation_results_store
        key = next(
            k for k in store.list_keys() if k.expectation_suite_identifier.name == rules.table
        )
        return result, key, store.serialize(outcomes[rules.table])

    def adopt(rules: TableRules, sent: tuple) -> TableResult:
        """Here: the child's stored validation into this process's store, for the Data Docs."""
        result, key, stored = sent
        store = site(rules).context.validation_results_store
        store.set(key, store.deserialize(stored))
        return result

    def cost(rules: TableRules) -> float:  # GX's time grows with the expectations, ~5 ms each
        return len(site(rules).definitions[rules.table].suite.expectations)

    results = in_two_processes(TABLES, validate, weight=cost, send=send, adopt=adopt)
    if docs_dir is not None:
        write_data_docs(prepared, docs_dir)
    if restricted_docs_dir is not None:
        write_data_docs(restricted, restricted_docs_dir)
    return QualityReport(thresholds, tuple(results))


@contextmanager
def _garbage_collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while GX validates and renders.

    GX allocates so much that Python collects ~190 times during a gate: ~5% of its CPU here, and
    more in a run's process, whose much larger heap a full collection walks. The ~16 MiB of
    garbage waits until the gate is done.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_validation(
    definition: gx.ValidationDefinition,
    frame: pd.DataFrame,
    run_id: RunIdentifier,
    keys: Sequence[str] = (),
) -> ExpectationSuiteValidationResult:
    """The suite's result, in SUMMARY detail where an expectation failed.

    BASIC decides the same pass or fail and renders passed expectations the same, at two thirds
    of SUMMARY's cost; SUMMARY adds the counts of unexpected values the Data Docs tabulate for a
    failure. A failed table is validated again in SUMMARY under the same run id, which replaces
    its stored BASIC result: the Data Docs show one validation per table, as before. With `keys`
    (the columns naming a cell), each unexpected value comes with its cell's keys.
    """
    batch = {"dataframe": frame}
    outcome = definition.run(batch_parameters=batch, result_format="BASIC", run_id=run_id)
    if outcome.success:
        return outcome
    summary: str | dict = "SUMMARY"
    if keys:
        summary = {"result_format": "SUMMARY", "unexpected_index_column_names": list(keys)}
    return definition.run(batch_parameters=batch, result_format=summary, run_id=run_id)


def validate_warehouse(
    warehouse: Path,
    docs_dir: Path | None = None,
    run_name: str = "cxbench",
    prepared: PreparedGate | None = None,
    restricted_docs_dir: Path | None = None,
) -> QualityReport:
    """The gate over the warehouse's marts (opened read-only)."""
    return validate_frames(
        read_tables(warehouse), docs_dir, run_name, prepared, restricted_docs_dir
    )


def describe(config) -> str:
    """`expect_column_values_to_be_between(nps, -100..100 where suppressed == False)`."""
    kwargs = config.kwargs
    columns = [kwargs[k] for k in ("column", "column_A", "column_B") if kwargs.get(k)]
    columns += list(kwargs.get("column_list") or [])
    words = [", ".join(str(c) for c in columns)] if columns else []
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    if low is not None or high is not None:
        words.append(f"{_bound(low)}..{_bound(high)}")
    if kwargs.get("value") is not None:
        words.append(f"= {kwargs['value']}")
    text = ", ".join(words)
    if kwargs.get("row_condition") is not None:
        text += f" where {_condition(kwargs['row_condition'])}"
    return f"{config.type}({text})"


def detail(result, keys: Sequence[str] = ()) -> str:
    """What went wrong: the unexpected count and examples (each with its cell's keys when the
    result has them), the observed value, or the error."""
    info = result.exception_info or {}
    if info.get("raised_exception"):
        message = (info.get("exception_message") or "error").strip().splitlines()
        return f"could not be evaluated: {message[0] if message else 'error'}"
    outcome = result.result or {}
    if outcome.get("unexpected_count") is not None:
        cells = [
            c for c in outcome.get("partial_unexpected_index_list") or [] if isinstance(c, dict)
        ]
        if cells and keys:
            examples = _cells(cells, keys)
        else:
            examples = _examples(outcome.get("partial_unexpected_list") or [])
        return f"{outcome['unexpected_count']} of {outcome.get('element_count')} rows{examples}"
    return f"observed {outcome.get('observed_value')!r}"


def _cells(cells: list[dict], keys: Sequence[str], limit: int = 3) -> str:
    """`, e.g. cell market=B2C, sector=telecom, year=2021: nps = 100.00000000000003`."""
    shown = []
    for cell in cells[:limit]:
        where = ", ".join(f"{k}={_plain(cell[k])}" for k in keys if k in cell)
        values = ", ".join(f"{k} = {_plain(v)!r}" for k, v in cell.items() if k not in keys)
        shown.append(f"cell {where}: {values}" if values else f"cell {where}")
    return f", e.g. {'; '.join(shown)}"


def _examples(values: Iterable[object], limit: int = 3) -> str:
    shown = [repr(_plain(v)) for v in list(values)[:limit]]
    return f", e.g. {', '.join(shown)}" if shown else ""


def _plain(value: object) -> object:
    """numpy scalars as Python values, so messages read `150.0`, not `np.float64(150.0)`."""
    if isinstance(value, tuple | list):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value.item() if hasattr(value, "item") else value


def _bound(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    return str(value)


def _condition(condition: object) -> str:
    if isinstance(condition, dict):  # serialised form
        column = (condition.get("column") or {}).get("name", "?")
        return f"{column} {condition.get('operator', '')} {condition.get('parameter', '')}".strip()
    return str(condition)
