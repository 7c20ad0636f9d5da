"""The gate's fixed work, which needs the run's thresholds but not its data.

The context, the suites and validation definitions, and the suite pages of the Data Docs (with
GX's static files) depend on the disclosure thresholds only, so a run can prepare them while dbt
builds the marts (orchestration/assets/quality.py) and the gate is left with validating and
rendering the validation pages. A prepared gate serves one validation: its stores then hold
that run's results, which its Data Docs index lists.

Restricted tables (they name organisations) are validated in a context of their own, nested in
the gate as `restricted`, whose Data Docs site is separate: example values of a failed
expectation on a restricted table never appear in the public Data Docs.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import great_expectations as gx
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
)

from validations.gx.context import make_context, validation
from validations.gx.data_docs import make_offline
from validations.gx.rules import PUBLIC_RULES, RESTRICTED_RULES, TableRules, Thresholds


@dataclass
class PreparedGate:
    """A context with the public tables' validation definitions; with `docs_dir`, their suite
    pages. `restricted` is the same for the restricted tables, with a site of its own."""

    thresholds: Thresholds
    context: AbstractDataContext
    definitions: dict[str, gx.ValidationDefinition]
    docs_dir: Path | None
    used: bool = field(default=False)
    restricted: PreparedGate | None = None

    def fits(
        self, thresholds: Thresholds, with_docs: bool, with_restricted_docs: bool = False
    ) -> bool:
        """Whether this gate validates with `thresholds` (and writes Data Docs if asked)."""
        if self.used or self.thresholds != thresholds or with_docs != (self.docs_dir is not None):
            return False
        if self.restricted is not None and not self.restricted.fits(
            thresholds, with_restricted_docs
        ):
            return False
        return self.docs_dir is None or self.docs_dir.is_dir()

    def discard(self) -> None:
        """Drop the staged Data Docs of a gate that will not be used."""
        if self.docs_dir is not None:
            shutil.rmtree(self.docs_dir, ignore_errors=True)
        if self.restricted is not None:
            self.restricted.discard()


def _prepare_site(
    thresholds: Thresholds, docs_dir: Path | None, tables: tuple[TableRules, ...]
) -> PreparedGate:
    context = make_context(docs_dir)
    definitions = {
        rules.table: validation(context, rules.table, rules.expectations(thresholds))
        for rules in tables
    }
    if docs_dir is not None:
        # Suite pages and static files now; validation pages and the index once there are results.
        suites = [ExpectationSuiteIdentifier(name=rules.table) for rules in tables]
        context.build_data_docs(resource_identifiers=suites, build_index=False)
    return PreparedGate(thresholds, context, definitions, docs_dir)


def prepare(
    thresholds: Thresholds,
    docs_dir: Path | None = None,
    restricted_docs_dir: Path | None = None,
) -> PreparedGate:
    """The suites for `thresholds`; with `docs_dir`, the public tables' Data Docs pages rendered
    there, and with `restricted_docs_dir` the restricted tables' (in their own site)."""
    gate = _prepare_site(thresholds, docs_dir, PUBLIC_RULES)
    gate.restricted = _prepare_site(thresholds, restricted_docs_dir, RESTRICTED_RULES)
    return gate


def write_data_docs(gate: PreparedGate, docs_dir: Path) -> None:
    """Render the validation pages and the index, make the site offline, put it in `docs_dir`.

    A gate prepared ahead staged its suite pages elsewhere (the folder of this validation did not
    exist yet): the finished site is moved over, replacing what `docs_dir` had of the same name.
    """
    assert gate.docs_dir is not None, "prepared without Data Docs"
    results = gate.context.validation_results_store.list_keys()
    gate.context.build_data_docs(resource_identifiers=results)
    make_offline(gate.docs_dir)
    if gate.docs_dir.resolve() == docs_dir.resolve():
        return
    docs_dir.mkdir(parents=True, exist_ok=True)
    for entry in gate.docs_dir.iterdir():
        target = docs_dir / entry.name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        shutil.move(entry, target)  # a rename: staged beside the docs, on the same file system
    gate.docs_dir.rmdir()
