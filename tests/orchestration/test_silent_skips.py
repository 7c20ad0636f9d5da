"""A run that succeeds without publishing is not a publication (the Spark progress bar once made
dbt's events for six models unreadable: their downstream steps, the publication included, were
skipped in a run that succeeded, and `cxbench run` exited 0)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from dagster import AssetKey, Failure

from orchestration.assets.transform import _require_every_model
from orchestration.launcher import failure_reason, published


def _event(kind: str, key: list[str] | None = None, step: str = "step"):
    return SimpleNamespace(
        event_type_value=kind,
        asset_key=AssetKey(key) if key else None,
        step_key=step,
        is_step_failure=False,
    )


def test_a_run_counts_as_published_only_when_the_snapshot_was_materialised():
    snapshot = _event("ASSET_MATERIALIZATION", ["published", "benchmark_snapshot"])
    mart = _event("ASSET_MATERIALIZATION", ["marts", "nps_by_sector_year"])
    skipped = _event("STEP_SKIPPED", step="published__benchmark_snapshot")
    assert published(SimpleNamespace(all_events=[mart, snapshot]))
    run = SimpleNamespace(all_events=[mart, skipped])
    assert not published(run)
    assert "published__benchmark_snapshot was skipped" in failure_reason(run)


def test_a_dbt_step_fails_when_a_model_reported_nothing():
    _require_every_model(set())
    with pytest.raises(Failure, match=r"no result for 1 of its models \(marts/publication_info\)"):
        _require_every_model({AssetKey(["marts", "publication_info"])})
