"""The cxbench code location: one `Definitions` for the UI, the daemon and `cxbench run`."""

from __future__ import annotations

from dagster import Definitions

from orchestration.assets.disclosure import disclosure_audit
from orchestration.assets.edition import benchmark_edition
from orchestration.assets.ingest import survey_deliveries
from orchestration.assets.ingest_checks import INGEST_CHECKS
from orchestration.assets.publication import benchmark_snapshot
from orchestration.assets.quality import quality_gate
from orchestration.assets.report import benchmark_report
from orchestration.assets.transform import benchmark_models
from orchestration.assets.unusual_data import UNUSUAL_DATA_CHECKS
from orchestration.dbt import dbt_resource
from orchestration.jobs import benchmark_job, edition_job
from orchestration.resources import DataHomeResource
from orchestration.schedules import nightly_benchmark, yearly_edition
from orchestration.sensors import landing_sensor
from orchestration.sqlite_storage import install as fast_sqlite_storage

# Every process that loads this code location (cxbench run, run workers) stores its events fast.
fast_sqlite_storage()

defs = Definitions(
    assets=[
        survey_deliveries,
        benchmark_models,
        benchmark_snapshot,
        benchmark_report,
        benchmark_edition,
    ],
    asset_checks=[*INGEST_CHECKS, *UNUSUAL_DATA_CHECKS, quality_gate, disclosure_audit],
    jobs=[benchmark_job, edition_job],
    sensors=[landing_sensor],
    schedules=[nightly_benchmark, yearly_edition],
    resources={"data_home": DataHomeResource(), "dbt": dbt_resource()},
)
