"""The quality gate as blocking Dagster asset checks, and its Data Docs in published/quality/.

One check per published table (`great_expectations` on each mart), all run in one step after
dbt: Great Expectations validates what is about to be published (validations/gx). A failed
check blocks the snapshot: Dagster does not run benchmark_snapshot, and `cxbench run` names the
failed expectation. The Data Docs of every validation, passed or failed, replace
published/quality/ in one rename, so they always show the last validation. The Data Docs of the
restricted tables (they name organisations, and a failed expectation shows example values) are
a site of their own in published/restricted/quality/, swapped in the same way.
"""

import logging
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from dagster import (
    AssetCheckExecutionContext,
    MetadataValue,
)

from cxbench import progress
from cxbench.publication import (
    PUBLIC_TABLES,
    RESTRICTED_TABLES,
    incoming,
    publish_version,
    remove_leftovers,
)
from cxbench.settings import DBT_PROJECT_DIR, DataHome
from orchestration.mart_checks import blocking_mart_checks, mart_result
from orchestration.resources import DataHomeResource

if TYPE_CHECKING:
    from validations.gx.gate import QualityReport
    from validations.gx.prepared import PreparedGate
    from validations.gx.rules import Thresholds

CHECK_NAME = "great_expectations"
CHECKED_TABLES = (*PUBLIC_TABLES, *RESTRICTED_TABLES)
DOCS_VERSIONS_KEPT = 2
RESTRICTED_DOCS = "quality"  # under published/restricted/
log = logging.getLogger(__name__)


@dataclass
class _Ahead:
    """The gate being prepared for a data home, and once the thread is done, the result."""

    thread: threading.Thread | None = None
    gate: "PreparedGate | None" = None


# Data home root -> its gate prepared while dbt runs; taken (once) by the gate's step.
_AHEAD: dict[Path, _Ahead] = {}


def preload_quality_gate(home: DataHome, dbt_args: Sequence[str] = ()) -> threading.Thread:
    """Import Great Expectations and prepare the gate in the background while dbt builds the marts.

    Importing takes seconds of CPU, and the context, suites and suite pages of the Data Docs
    depend only on the thresholds dbt is about to record (validations/gx/prepared.py): done
    while dbt works in its own process, they cost the gate no time. Nothing here touches the
    warehouse dbt is writing; the gate redoes the work if the thresholds turn out different.
    """
    ahead = _Ahead()
    ahead.thread = threading.Thread(
        target=_prepare, args=(ahead, home, list(dbt_args)), name="gx-prepare", daemon=True
    )
    _AHEAD[home.root] = ahead
    ahead.thread.start()
    return ahead.thread


def _prepare(ahead: _Ahead, home: DataHome, dbt_args: list[str]) -> None:
    try:
        from validations.gx.prepared import prepare

        versions = home.published / "versions"
        versions.mkdir(parents=True, exist_ok=True)
        remove_leftovers(versions)  # staged docs of runs that died before their gate
        label = uuid.uuid4().hex[:8]
        staging = incoming(versions, f"quality-docs-{label}")
        restricted = incoming(versions, f"restricted-quality-docs-{label}")
        ahead.gate = prepare(run_thresholds(dbt_args), staging, restricted)
    except Exception:  # the gate then does the work itself: slower, never wrong
        log.warning("preparing the quality gate ahead failed", exc_info=True)


def _take_prepared(home: DataHome) -> "PreparedGate | None":
    """The gate prepared for this data home, once its preparation has finished."""
    ahead = _AHEAD.pop(home.root, None)
    if ahead is None or ahead.thread is None:
        return None
    ahead.thread.join()
    return ahead.gate


def run_thresholds(dbt_args: Sequence[str]) -> "Thresholds":
    """The thresholds dbt will record in publication_info: its `--vars` over dbt_project.yml."""
    from validations.gx.rules import Thresholds

    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    values = dict(project.get("vars") or {})
    args = list(dbt_args)
    if "--vars" in args:
        values.update(yaml.safe_load(args[args.index("--vars") + 1]) or {})
    return Thresholds(
        int(values["cxbench_min_respondents"]), int(values["cxbench_min_organisations"])
    )


def build_quality_report(home: DataHome, run_name: str = "cxbench") -> "QualityReport":
    """Validate the warehouse's marts and swap their Data Docs into published/quality/ (public
    tables) and published/restricted/quality/ (restricted tables)."""
    from validations.gx.gate import validate_warehouse  # GX takes seconds to import

    prepared = _take_prepared(home)

    def validate(folder: Path) -> "QualityReport":
        def validate_both(restricted_folder: Path) -> "QualityReport":
            return validate_warehouse(
                home.warehouse,
                docs_dir=folder,
                run_name=run_name,
                prepared=prepared,
                restricted_docs_dir=restricted_folder,
            )

        _, report = publish_version(
            home.published / "versions" / "restricted-quality",
            home.restricted / RESTRICTED_DOCS,
            validate_both,
            keep=DOCS_VERSIONS_KEPT,
        )
        return report

    home.ensure()
    try:
        _, report = publish_version(
            home.published / "versions" / "quality",
            home.published / "quality",
            validate,
            keep=DOCS_VERSIONS_KEPT,
        )
    finally:
        if prepared is not None and not prepared.used:
            prepared.discard()
    return report


@blocking_mart_checks(
    "quality_gate",
    CHECK_NAME,
    CHECKED_TABLES,
    what=(
        "Great Expectations suite of the published table (validations/gx/rules.py): ranges, "
        "shares, intervals, disclosure control, keys, sector codes."
    ),
    summary="Great Expectations suites on every table about to be published; blocking.",
)
def quality_gate(context: AssetCheckExecutionContext, data_home: DataHomeResource):
    """Run the suites; one blocking result per table, with its failed expectations."""
    home = data_home.home()
    progress.report("quality gate")
    report = build_quality_report(home, run_name=context.run.run_id)
    for table in CHECKED_TABLES:
        site = home.restricted / RESTRICTED_DOCS if table in RESTRICTED_TABLES else None
        docs = (site or home.published / "quality") / "index.html"
        result = report.table(table)
        failed = [f"{f.expectation}: {f.detail}" for f in result.failures]
        metadata = {
            "rows": result.rows,
            "expectations": result.evaluated,
            "failed_expectations": len(failed),
            "data_docs": MetadataValue.path(str(docs)),
        }
        yield mart_result(table, CHECK_NAME, failed, metadata)
