"""Ingest as a Dagster asset: new deliveries in landing/ become warehouse rows and audit records.

Files are not Dagster partitions. A delivery can supersede rows of earlier files (a later
delivery of the same study) and duplicates are recognised across names, so files are not
independent units; and thousands of dynamic partitions would make every run and the UI slow.
Instead each materialisation carries this run's files (a Markdown table, problems first) and a
summary of `audit.file_log`; the full per-file history is that table in the warehouse.
"""

from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    MaterializeResult,
    MetadataValue,
    multi_asset,
)

from cxbench.exclusions import Applied, apply_exclusions, load_exclusions
from cxbench.ingest.pipeline import IngestSummary, ingest_landing
from cxbench.ingest.warehouse import warehouse
from cxbench.progress import report
from orchestration.instance import WAREHOUSE_POOL
from orchestration.metadata import (
    file_log_summary_markdown,
    quarantine_markdown,
    run_files_markdown,
)
from orchestration.resources import DataHomeResource

RAW_RESPONSES = AssetKey(["raw", "survey_responses"])
FILE_LOG = AssetKey(["audit", "file_log"])
QUARANTINED_ROWS = AssetKey(["audit", "quarantined_rows"])
EXCLUSIONS = AssetKey(["audit", "exclusions"])


@multi_asset(
    specs=[
        AssetSpec(
            RAW_RESPONSES,
            description="Validated respondent rows of every counted delivery.",
            group_name="ingest",
            kinds={"duckdb"},
        ),
        AssetSpec(
            FILE_LOG,
            description="One row per delivered file: status and row counts.",
            group_name="ingest",
            kinds={"duckdb"},
        ),
        AssetSpec(
            QUARANTINED_ROWS,
            description="One row per failed check of a quarantined row.",
            group_name="ingest",
            kinds={"duckdb"},
        ),
        AssetSpec(
            EXCLUSIONS,
            description=(
                "The analyst exclusions of exclusions.yml in the data home, read on every run: "
                "one row per study or file kept out, with its reason and what it matched."
            ),
            group_name="ingest",
            kinds={"duckdb"},
        ),
    ],
    can_subset=False,
    pool=WAREHOUSE_POOL,
)
def survey_deliveries(context: AssetExecutionContext, data_home: DataHomeResource):
    """Read, validate (pandera) and load every new file in landing/; bad rows are quarantined.
    Then apply the analyst exclusions of exclusions.yml, read on every run (a changed file
    changes the benchmark even when no delivery is new); an invalid one stops the run first."""
    home = data_home.home()
    exclusions = load_exclusions(home.exclusions)
    summary = ingest_landing(
        home.landing,
        home.warehouse,
        progress=lambda done, total: report("ingest", done, total, "files"),
    )
    for outcome in summary.outcomes:
        if outcome.status == "rejected":
            context.log.warning(f"{outcome.source_file}: rejected: {outcome.reason}")
        if outcome.notes:
            context.log.warning(f"{outcome.source_file}: {outcome.notes}")
    with warehouse(home.warehouse) as con:
        applied = apply_exclusions(con, exclusions)
    for exclusion in applied.exclusions:
        context.log.info(f"excluded {exclusion.label()}: {exclusion.reason}")
    yield from _materializations(summary, home.warehouse, applied)


def _materializations(
    summary: IngestSummary, warehouse_path: Path, applied: Applied
) -> list[MaterializeResult]:
    """The three assets' metadata: this run's files, and the state of the audit tables."""
    with warehouse(warehouse_path, read_only=True) as con:
        (raw_rows,) = con.execute("select count(*) from raw.survey_responses").fetchone()
        (log_rows,) = con.execute("select count(*) from audit.file_log").fetchone()
        (quarantine_rows,) = con.execute("select count(*) from audit.quarantined_rows").fetchone()
        log_summary = file_log_summary_markdown(con)
        quarantined = quarantine_markdown(
            con, [o.content_hash for o in summary.outcomes if o.rows_quarantined]
        )
    run_files = MetadataValue.md(run_files_markdown(summary.outcomes))
    by_status = {f"files_{k}": v for k, v in sorted(summary.by_status.items())}
    return [
        MaterializeResult(
            asset_key=RAW_RESPONSES,
            metadata={
                "dagster/row_count": raw_rows,
                "rows_accepted": summary.rows_accepted,
                "rows_excluded": applied.rows_excluded,
                "new_files": len(summary.outcomes),
                "files": run_files,
                # Where ingest's time went (bench.stages prints it under the ingest step).
                **summary.times.as_metadata(),
            },
        ),
        MaterializeResult(
            asset_key=FILE_LOG,
            metadata={
                "dagster/row_count": log_rows,
                "new_files": len(summary.outcomes),
                **by_status,
                "files": run_files,
                "file_log_summary": MetadataValue.md(log_summary),
                "exclusions": len(applied.exclusions),
                "files_excluded": applied.files_excluded,
            },
        ),
        MaterializeResult(
            asset_key=EXCLUSIONS,
            metadata={
                "dagster/row_count": len(applied.exclusions),
                "files_excluded": applied.files_excluded,
                "rows_excluded": applied.rows_excluded,
                "exclusions": MetadataValue.md(
                    "\n".join(f"- {e.label()}: {e.reason}" for e in applied.exclusions)
                    or "No exclusions."
                ),
            },
        ),
        MaterializeResult(
            asset_key=QUARANTINED_ROWS,
            metadata={
                "dagster/row_count": quarantine_rows,
                "rows_quarantined": summary.rows_quarantined,
                "failed_checks": MetadataValue.md(quarantined),
            },
        ),
    ]
