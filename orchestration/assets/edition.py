"""`published/edition`: freeze the snapshot a run of the `edition` job published."""

from collections.abc import Mapping

from dagster import (
    AssetExecutionContext,
    AssetKey,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from cxbench.editions import EditionError, check_name, freeze_edition
from orchestration.instance import WAREHOUSE_POOL
from orchestration.names import EDITION_TAG, THROUGH_YEAR_TAG
from orchestration.resources import DataHomeResource

EDITION_KEY = AssetKey(["published", "edition"])
SNAPSHOT_KEY = AssetKey(["published", "benchmark_snapshot"])


def edition_from_tags(tags: Mapping[str, str]) -> tuple[str, int | None]:
    """The edition a run builds, from its tags; a run without them cannot freeze anything."""
    name = tags.get(EDITION_TAG)
    if not name:
        raise Failure(
            description=(
                f"launch the edition job with the run tag {EDITION_TAG}=<name> "
                f"(and optionally {THROUGH_YEAR_TAG}=<year>), or run `cxbench edition <name>`"
            )
        )
    through_year = tags.get(THROUGH_YEAR_TAG)
    return check_name(name), int(through_year) if through_year else None


@asset(
    key=EDITION_KEY,
    deps=[SNAPSHOT_KEY],
    group_name="publication",
    pool=WAREHOUSE_POOL,  # reads the file log of the warehouse
    kinds={"duckdb", "parquet"},
    description=(
        "published/editions/<edition>/: a frozen copy of the benchmark (snapshot, Parquet, "
        "manifest.json with the data fingerprint and the delivered files behind it)."
    ),
)
def benchmark_edition(
    context: AssetExecutionContext, data_home: DataHomeResource
) -> MaterializeResult:
    """Freeze the snapshot this run published as the edition named by the run's tags."""
    name, through_year = edition_from_tags(context.run.tags)
    try:
        edition = freeze_edition(data_home.home(), name, through_year)
    except EditionError as error:
        raise Failure(description=str(error)) from error
    manifest = edition.manifest
    return MaterializeResult(
        metadata={
            "edition": name,
            "through_year": through_year if through_year is not None else "all years",
            "path": MetadataValue.path(str(edition.folder)),
            "data_fingerprint": manifest["data_fingerprint"],
            "files": len(manifest["files"]),
            **{f"rows_{t}": v["rows"] for t, v in manifest["tables"].items()},
        }
    )
