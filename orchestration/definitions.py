"""The cxbench code location: one `Definitions` for the UI, the daemon and `cxbench run`."""

from __future__ import annotations

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor

from orchestration.assets.ingest import survey_deliveries
from orchestration.assets.ingest_checks import INGEST_CHECKS
from orchestration.assets.publication import benchmark_snapshot
from orchestration.assets.quality import quality_gate
from orchestration.assets.report import benchmark_report
from orchestration.assets.transform import benchmark_models
from orchestration.assets.unusual_data import UNUSUAL_DATA_CHECKS
from orchestration.dbt import dbt_resource
from orchestration.editions import EDITION_KEY, benchmark_edition, edition_job
from orchestration.resources import DataHomeResource
from orchestration.schedules import nightly_benchmark, yearly_edition
from orchestration.sensors import landing_sensor
from orchestration.sqlite_storage import install as fast_sqlite_storage

# Every process that loads this code location (cxbench run, run workers) stores its events fast.
fast_sqlite_storage()

# Everything but freezing an edition, in one process: on 2 cores the in-process executor is
# twice as fast, and the warehouse allows one writer anyway.
benchmark_job = define_asset_job(
    "benchmark",
    selection=AssetSelection.all() - AssetSelection.assets(EDITION_KEY),
    executor_def=in_process_executor,
    description="Ingest what is new, transform, check, publish.",
)

defs = Definitions(
    assets=[
        survey_deliveries,
        benchmark_models,
        benchmark_snapshot,
        benchmark_report,
        benchmark_edition,
    ],
    asset_checks=[*INGEST_CHECKS, *UNUSUAL_DATA_CHECKS, quality_gate],
    jobs=[benchmark_job, edition_job],
    sensors=[landing_sensor],
    schedules=[nightly_benchmark, yearly_edition],
    resources={"data_home": DataHomeResource(), "dbt": dbt_resource()},
)
