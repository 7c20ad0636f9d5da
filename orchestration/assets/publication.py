"""Publication as a Dagster asset, downstream of every mart."""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from orchestration.publish import MARTS_SCHEMA, PUBLIC_TABLES, RESTRICTED_TABLES, publish
from orchestration.resources import DataHomeResource

MART_KEYS = [AssetKey([MARTS_SCHEMA, t]) for t in (*PUBLIC_TABLES, *RESTRICTED_TABLES)]


@asset(
    key=AssetKey(["published", "benchmark_snapshot"]),
    deps=MART_KEYS,
    group_name="publication",
    description="published/benchmark.duckdb (schema benchmark) and published/parquet/*.parquet.",
)
def benchmark_snapshot(context: AssetExecutionContext, data_home: DataHomeResource):
    publication = publish(data_home.home())
    return MaterializeResult(
        metadata={
            "snapshot": MetadataValue.path(str(publication.snapshot)),
            "published_at": publication.published_at.isoformat(),
            **{f"rows_{table}": n for table, n in publication.row_counts.items()},
        }
    )
