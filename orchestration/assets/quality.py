"""The quality gate as blocking Dagster asset checks, and its Data Docs in published/quality/.

One check per published table (`great_expectations` on each mart), all run in one step after
dbt: Great Expectations validates what is about to be published (validations/gx). A failed
check blocks the snapshot: Dagster does not run benchmark_snapshot, and `cxbench run` names the
failed expectation. The Data Docs of every validation, passed or failed, replace
published/quality/ in one rename, so they always show the last validation.
"""

import importlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)

from orchestration.instance import WAREHOUSE_POOL
from orchestration.publish import MARTS_SCHEMA, PUBLIC_TABLES, RESTRICTED_TABLES, publish_version
from orchestration.resources import DataHomeResource
from orchestration.settings import DataHome

if TYPE_CHECKING:
    from validations.gx.gate import QualityReport

CHECK_NAME = "great_expectations"
CHECKED_TABLES = (*PUBLIC_TABLES, *RESTRICTED_TABLES)
DOCS_VERSIONS_KEPT = 2


def preload_quality_gate() -> threading.Thread:
    """Import Great Expectations in the background: it takes seconds of CPU, which the gate would
    otherwise spend after dbt; started while dbt works in its own process, it costs no time."""
    thread = threading.Thread(
        target=importlib.import_module, args=("validations.gx.gate",), name="gx-import", daemon=True
    )
    thread.start()
    return thread


def build_quality_report(home: DataHome, run_name: str = "cxbench") -> "QualityReport":
    """Validate the warehouse's marts and swap their Data Docs into published/quality/."""
    from validations.gx.gate import validate_warehouse  # GX takes seconds to import

    def validate(folder: Path) -> "QualityReport":
        return validate_warehouse(home.warehouse, docs_dir=folder, run_name=run_name)

    home.ensure()
    _, report = publish_version(
        home.published / "versions" / "quality",
        home.published / "quality",
        validate,
        keep=DOCS_VERSIONS_KEPT,
    )
    return report


@multi_asset_check(
    specs=[
        AssetCheckSpec(
            CHECK_NAME,
            asset=AssetKey([MARTS_SCHEMA, table]),
            blocking=True,
            description=(
                "Great Expectations suite of the published table (validations/gx/rules.py): "
                "ranges, shares, intervals, disclosure control, keys, sector codes."
            ),
        )
        for table in CHECKED_TABLES
    ],
    name="quality_gate",
    description="Great Expectations suites on every table about to be published; blocking.",
    pool=WAREHOUSE_POOL,  # reads the warehouse: no other process may hold it meanwhile
)
def quality_gate(context: AssetCheckExecutionContext, data_home: DataHomeResource):
    """Run the suites; one blocking result per table, with its failed expectations."""
    home = data_home.home()
    report = build_quality_report(home, run_name=context.run.run_id)
    docs = home.published / "quality" / "index.html"
    for table in CHECKED_TABLES:
        result = report.table(table)
        failed = [f"{f.expectation}: {f.detail}" for f in result.failures]
        yield AssetCheckResult(
            asset_key=AssetKey([MARTS_SCHEMA, table]),
            check_name=CHECK_NAME,
            passed=result.success,
            severity=AssetCheckSeverity.ERROR,
            description=failed[0] if failed else None,
            metadata={
                "rows": result.rows,
                "expectations": result.evaluated,
                "failed_expectations": len(failed),
                "failures": MetadataValue.md("\n".join(f"- `{f}`" for f in failed) or "none"),
                "data_docs": MetadataValue.path(str(docs)),
            },
        )
