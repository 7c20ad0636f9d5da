"""The dbt models as Dagster assets: staging -> intermediate -> marts, with dbt tests as checks.

Once dbt has built the marts, the same step adds the complementary cells the disclosure audit
asks for (orchestration/assets/disclosure.py): the marts this step materialises are the ones
the checks audit and the publication copies.

With engine spark (CXBENCH_ENGINE, `cxbench run --engine spark`) dbt builds on Apache Spark:
the sources go out to the data home's Parquet lake first, and the tables Spark built come back
into the DuckDB warehouse afterwards (cxbench/lake.py), so everything after dbt is unchanged.
"""

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource, dbt_assets

from cxbench import lake
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


@dbt_assets(manifest=ensure_manifest(), project=dbt_project, pool=WAREHOUSE_POOL)
def benchmark_models(
    context: AssetExecutionContext, dbt: DbtCliResource, data_home: DataHomeResource
):
    """`dbt build`: models and their tests; a failing test stops what depends on it."""
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
    target = invocation_target(home, f"build-{context.run.run_id[:8]}")
    invocation = dbt.cli(args, context=context, target_path=target)
    # Each model and test ends in one event; the selected outputs are the models' and the tests'.
    total = len(context.selected_output_names)
    for done, event in enumerate(invocation.stream(), start=1):
        report("dbt", min(done, total), total, "models and tests")
        yield event
    keep_partial_parse(invocation.target_path)
    if engine == "spark":
        imported = lake.import_models(home, invocation.target_path / "manifest.json")
        context.log.info(f"imported {len(imported)} tables built on Spark into the warehouse")
    protect_marts(home, context.log)
