"""The cxbench code location: one `Definitions` for the UI, the daemon and `cxbench run`."""

from __future__ import annotations

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor

from orchestration.assets.ingest import survey_deliveries
from orchestration.assets.publication import benchmark_snapshot
from orchestration.assets.transform import benchmark_models
from orchestration.dbt import dbt_resource
from orchestration.resources import DataHomeResource

# Everything, in one process: on 2 cores the in-process executor is twice as fast, and the
# warehouse allows one writer anyway.
benchmark_job = define_asset_job(
    "benchmark",
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    description="Ingest what is new, transform, check, publish.",
)

defs = Definitions(
    assets=[survey_deliveries, benchmark_models, benchmark_snapshot],
    jobs=[benchmark_job],
    resources={"data_home": DataHomeResource(), "dbt": dbt_resource()},
)
