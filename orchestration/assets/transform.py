"""The dbt models as Dagster assets: staging -> intermediate -> marts, with dbt tests as checks.

Once dbt has built the marts, the same step adds the complementary cells the disclosure audit
asks for (orchestration/assets/disclosure.py): the marts this step materialises are the ones
the checks audit and the publication copies.

With engine spark (CXBENCH_ENGINE, `cxbench run --engine spark`) dbt builds on Apache Spark:
the sources go out to the data home's Parquet lake first, and the tables Spark built come back
into the DuckDB warehouse afterwards (cxbench/lake.py), so everything after dbt is unchanged.
"""

import logging

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    AssetMaterialization,
    Failure,
    Output,
)
from dagster_dbt import DbtCliResource, dbt_assets
from dagster_dbt.errors import DagsterDbtCliRuntimeError

from cxbench import lake
from cxbench.dbt_vars import with_build_version
from cxbench.descriptions import describe_warehouse
from cxbench.failed_tests import describe_failed_test
from cxbench.progress import report
from orchestration.assets.disclosure import protect_marts
from orchestration.assets.quality import preload_quality_gate
from orchestration.dbt import (
    dbt_build_args,
    dbt_project,
    ensure_manifest,
    invocation_target,
    keep_partial_parse,
)
from orchestration.instance import WAREHOUSE_POOL
from orchestration.jobs import with_edition_vars
from orchestration.resources import DataHomeResource

log = logging.getLogger(__name__)


@dbt_assets(manifest=ensure_manifest(), project=dbt_project, pool=WAREHOUSE_POOL)
def benchmark_models(
    context: AssetExecutionContext, dbt: DbtCliResource, data_home: DataHomeResource
):
    """`dbt build`: models and their tests; a failing test stops what depends on it.

    A failed blocking test's result is held back until dbt has finished, then given the table,
    cell and value it failed on (cxbench/failed_tests.py): dbt itself says only how many
    rows failed, and while it runs it holds the warehouse."""
    home = data_home.home()  # points dbt at this data home's warehouse
    # A run of the edition job names its edition in publication_info (dbt var cxbench_edition).
    args = with_edition_vars(dbt_build_args(), context.run.tags)
    preload_quality_gate(home, args)
    engine = lake.engine()
    if engine == "spark":
        lake.prepare_environment(home)
        exported = lake.export_sources(home)
        context.log.info(f"exported the dbt sources to the Spark lake: {exported}")
        args = lake.dbt_args(home, args)
    # Last: the version models rebuilt per study sign with covers every var above.
    args = with_build_version(args)
    target = invocation_target(home, f"build-{context.run.run_id[:8]}")
    invocation = dbt.cli(args, context=context, target_path=target)
    # Each model and test ends in one event: the selected assets (models) and checks (tests).
    total = len(context.selected_asset_keys) + len(context.selected_asset_check_keys)
    failed: list[AssetCheckResult] = []
    reported: set[AssetKey] = set()
    error: DagsterDbtCliRuntimeError | None = None
    try:
        for done, event in enumerate(invocation.stream(), start=1):
            report("dbt", min(done, total), total, "models and tests")
            if (
                isinstance(event, AssetCheckResult)
                and not event.passed
                and event.severity == AssetCheckSeverity.ERROR
            ):
                failed.append(event)
                continue
            if isinstance(event, Output):
                reported.add(context.asset_key_for_output(event.output_name))
            elif isinstance(event, AssetMaterialization):
                reported.add(event.asset_key)
            yield event
    except DagsterDbtCliRuntimeError as failure:
        error = failure
    for result in failed:
        yield _described(result, invocation, home.warehouse)
    if error is not None:
        raise error
    _require_every_model(context.selected_asset_keys - reported)
    keep_partial_parse(invocation.target_path)
    manifest = invocation.target_path / "manifest.json"
    if engine == "spark":
        imported = lake.import_models(home, manifest)
        context.log.info(f"imported {len(imported)} tables built on Spark into the warehouse")
    describe_warehouse(home, manifest)
    protect_marts(home, context.log)


def _require_every_model(unreported: set[AssetKey]) -> None:
    """dbt succeeded, so each selected model must have reported: one that did not (its log line
    lost in dbt's output) would silently skip everything downstream of it, the publication
    included, in a run that still succeeds."""
    if unreported:
        names = ", ".join(sorted(key.to_user_string() for key in unreported))
        raise Failure(
            description=f"dbt reported success but no result for {len(unreported)} of its "
            f"models ({names}); their log lines were lost in dbt's output"
        )


def _described(result: AssetCheckResult, invocation, warehouse) -> AssetCheckResult:
    """The check result with a description naming the table, the cell and the value."""
    unique_id = result.metadata.get("unique_id")
    unique_id = getattr(unique_id, "value", unique_id)
    try:
        description = describe_failed_test(
            str(unique_id), invocation.manifest, invocation.target_path, warehouse
        )
    except Exception:  # the failure is reported either way, only less precisely
        log.warning("could not describe the failed test %s", unique_id, exc_info=True)
        description = None
    if not description:
        return result
    return AssetCheckResult(
        passed=result.passed,
        asset_key=result.asset_key,
        check_name=result.check_name,
        metadata=result.metadata,
        severity=result.severity,
        description=description,
    )
