"""Publication as a Dagster asset, downstream of every mart and of the blocking quality gate.

The Great Expectations checks on the marts (orchestration/assets/quality.py) are blocking: when
one fails, Dagster does not run this asset and the previous publication stays as it was.
"""

from dagster import AssetExecutionContext, AssetKey, MaterializeResult, MetadataValue, asset

from cxbench.progress import report
from cxbench.publication import MARTS_SCHEMA, PUBLIC_TABLES, RESTRICTED_TABLES, publish
from orchestration.instance import WAREHOUSE_POOL
from orchestration.metadata import nps_preview_markdown
from orchestration.resources import DataHomeResource

MART_KEYS = [AssetKey([MARTS_SCHEMA, t]) for t in (*PUBLIC_TABLES, *RESTRICTED_TABLES)]


@asset(
    key=AssetKey(["published", "benchmark_snapshot"]),
    deps=MART_KEYS,
    group_name="publication",
    description=(
        "published/benchmark.duckdb (tables in the default schema) and "
        "published/parquet/*.parquet, "
        "swapped in atomically once the quality gate passed."
    ),
    pool=WAREHOUSE_POOL,  # reads the warehouse: no other process may hold it meanwhile
)
def benchmark_snapshot(context: AssetExecutionContext, data_home: DataHomeResource):
    report("publication")
    publication = publish(data_home.home())
    return MaterializeResult(
        metadata={
            "snapshot": MetadataValue.path(str(publication.snapshot)),
            "parquet": MetadataValue.path(str(publication.snapshot.parent / "parquet")),
            "nps_latest_year": MetadataValue.md(nps_preview_markdown(publication.snapshot)),
            "published_at": publication.published_at.isoformat(),
            "version": publication.version,
            **{f"rows_{table}": n for table, n in publication.row_counts.items()},
        }
    )
