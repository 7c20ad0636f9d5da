"""The blocking checks on the marts about to be published: one check per table, all run by one
step (the disclosure audit, the Great Expectations gate). A failed one stops the publication."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)

from cxbench.publication import MARTS_SCHEMA
from orchestration.instance import WAREHOUSE_POOL


def blocking_mart_checks(name: str, check: str, tables: Iterable[str], what: str, summary: str):
    """`@multi_asset_check` of a blocking check `check` on each of `tables` (described by
    `what`), run by step `name` (described by `summary`) in the warehouse pool."""
    return multi_asset_check(
        specs=[
            AssetCheckSpec(
                check, asset=AssetKey([MARTS_SCHEMA, t]), blocking=True, description=what
            )
            for t in tables
        ],
        name=name,
        description=summary,
        pool=WAREHOUSE_POOL,  # reads the warehouse: no other process may hold it meanwhile
    )


def mart_result(
    table: str, check: str, failures: Sequence[str], metadata: Mapping[str, object]
) -> AssetCheckResult:
    """The table's result: passed without failures, else described by the first one, with up to
    50 of them listed in the metadata."""
    listed = "\n".join(f"- {f}" for f in failures[:50]) or "none"
    return AssetCheckResult(
        asset_key=AssetKey([MARTS_SCHEMA, table]),
        check_name=check,
        passed=not failures,
        severity=AssetCheckSeverity.ERROR,
        description=failures[0] if failures else None,
        metadata={**metadata, "failures": MetadataValue.md(listed)},
    )
