"""An in-memory Great Expectations context: nothing to set up, nothing left behind.

Each gate run starts from the suites in `rules`, so the Data Docs show exactly the last
validation. Suites, data assets and validation definitions are got-or-added, so validating twice
in one context (or process) works.
"""

from __future__ import annotations

from pathlib import Path

import great_expectations as gx
from great_expectations.core.batch_definition import BatchDefinition
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.exceptions import DataContextError
from great_expectations.expectations.expectation import Expectation

DATASOURCE = "warehouse_marts"
DOCS_SITE = "cxbench"


def make_context(docs_dir: Path | None = None) -> AbstractDataContext:
    """An ephemeral context; with `docs_dir`, its only Data Docs site is written there."""
    sites = {}
    if docs_dir is not None:
        sites[DOCS_SITE] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites=sites,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def batch_definition(context: AbstractDataContext, table: str) -> BatchDefinition:
    """A whole-DataFrame batch of `table` in the pandas datasource (got or added)."""
    try:
        source = context.data_sources.get(DATASOURCE)
    except KeyError:
        source = context.data_sources.add_pandas(DATASOURCE)
    try:
        asset = source.get_asset(table)
    except LookupError:
        asset = source.add_dataframe_asset(table)
    try:
        return asset.get_batch_definition(table)
    except KeyError:
        return asset.add_batch_definition_whole_dataframe(table)


def validation(
    context: AbstractDataContext, table: str, expectations: list[Expectation]
) -> gx.ValidationDefinition:
    """The validation of `table` against exactly `expectations`, replacing an earlier one.

    Thresholds may differ between runs, so a suite of the same name is replaced, not reused.
    """
    name = f"{table}_validation"
    for store in (context.validation_definitions, context.suites):
        try:
            store.delete(table if store is context.suites else name)
        except DataContextError:
            pass  # not there yet
    suite = context.suites.add(gx.ExpectationSuite(name=table, expectations=expectations))
    definition = gx.ValidationDefinition(
        name=name, data=batch_definition(context, table), suite=suite
    )
    return context.validation_definitions.add(definition)
