"""The two jobs of the code location, named once, and the run tags that steer them.

`benchmark` brings the data home up to date (ingest, dbt, quality gate, publication, report);
`edition` does the same and freezes the result as a named edition. The edition's name travels
as the run tag `cxbench/edition`, set by `cxbench edition`, the yearly schedule or a launch
from the UI.
"""

from collections.abc import Mapping

from dagster import AssetSelection, define_asset_job, in_process_executor

from cxbench.dbt_vars import with_vars
from cxbench.editions import EDITION_VAR, check_name
from orchestration.assets.edition import EDITION_KEY
from orchestration.names import BENCHMARK_JOB, EDITION_JOB, EDITION_TAG, THROUGH_YEAR_TAG


def edition_tags(name: str, through_year: int | None = None) -> dict[str, str]:
    """The run tags that make a run of the `edition` job build and freeze edition `name`."""
    tags = {EDITION_TAG: check_name(name)}
    if through_year is not None:
        tags[THROUGH_YEAR_TAG] = str(int(through_year))
    return tags


def with_edition_vars(dbt_args: list[str], tags: Mapping[str, str]) -> list[str]:
    """dbt arguments with `cxbench_edition` set when the run builds an edition."""
    name = tags.get(EDITION_TAG)
    if not name:
        return dbt_args
    return with_vars(dbt_args, {EDITION_VAR: name})


# Everything but freezing an edition, in one process: on 2 cores the in-process executor is
# twice as fast, and the warehouse allows one writer anyway.
benchmark_job = define_asset_job(
    BENCHMARK_JOB,
    selection=AssetSelection.all() - AssetSelection.assets(EDITION_KEY),
    executor_def=in_process_executor,
    description="Ingest what is new, transform, check, publish.",
)

# The benchmark job plus the freeze; the edition's name comes from the run tags.
edition_job = define_asset_job(
    EDITION_JOB,
    selection=AssetSelection.all(),
    executor_def=in_process_executor,
    description=(
        "Build the benchmark as edition <name> and freeze it under published/editions/<name>/. "
        f"Launch with the run tag {EDITION_TAG}=<name> (optionally {THROUGH_YEAR_TAG}=<year>), "
        "or use `cxbench edition <name>`."
    ),
)
