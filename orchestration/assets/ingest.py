"""Ingest as a Dagster asset: new deliveries in landing/ become warehouse rows and audit records."""

from dagster import AssetExecutionContext, AssetKey, AssetSpec, MaterializeResult, multi_asset

from orchestration.ingest.pipeline import ingest_landing
from orchestration.resources import DataHomeResource

RAW_RESPONSES = AssetKey(["raw", "survey_responses"])
FILE_LOG = AssetKey(["audit", "file_log"])
QUARANTINED_ROWS = AssetKey(["audit", "quarantined_rows"])


@multi_asset(
    specs=[
        AssetSpec(
            RAW_RESPONSES,
            description="Validated respondent rows of every counted delivery.",
            group_name="ingest",
        ),
        AssetSpec(
            FILE_LOG,
            description="One row per delivered file: status and row counts.",
            group_name="ingest",
        ),
        AssetSpec(
            QUARANTINED_ROWS,
            description="One row per failed check of a quarantined row.",
            group_name="ingest",
        ),
    ],
    can_subset=False,
)
def survey_deliveries(context: AssetExecutionContext, data_home: DataHomeResource):
    """Read, validate (pandera) and load every new file in landing/; bad rows are quarantined."""
    home = data_home.home()
    summary = ingest_landing(home.landing, home.warehouse)
    for outcome in summary.outcomes:
        if outcome.status == "rejected":
            context.log.warning(f"{outcome.source_file}: rejected: {outcome.reason}")
    files = {status: count for status, count in sorted(summary.by_status.items())}
    yield MaterializeResult(
        asset_key=RAW_RESPONSES,
        metadata={"rows_accepted": summary.rows_accepted, "new_files": len(summary.outcomes)},
    )
    yield MaterializeResult(
        asset_key=FILE_LOG, metadata={f"files_{k}": v for k, v in files.items()}
    )
    yield MaterializeResult(
        asset_key=QUARANTINED_ROWS, metadata={"rows_quarantined": summary.rows_quarantined}
    )
