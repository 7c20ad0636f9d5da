"""The Dagster instance of a data home: telemetry off, one warehouse writer, dead runs recovered."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest
from dagster import DagsterInstance, DagsterRun, DagsterRunStatus, materialize
from dagster._core.events import EngineEventData

from cxbench.settings import DataHome
from orchestration.instance import (
    MANAGED_MARKER,
    WAREHOUSE_POOL,
    dagster_yaml,
    prepare_instance,
    recover_dead_runs,
    write_instance_config,
)


@pytest.fixture
def instance(tmp_path: Path):
    write_instance_config(tmp_path / "dagster")
    with DagsterInstance.from_config(str(tmp_path / "dagster")) as instance:
        yield instance


def test_the_instance_has_telemetry_off_one_pool_slot_and_one_queued_run(instance):
    assert instance.telemetry_enabled is False
    config = instance.get_concurrency_config()
    assert config.pool_config.default_pool_limit == 1
    assert config.run_queue_config.max_concurrent_runs == 1
    assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
    assert instance.event_log_storage.supports_global_concurrency_limits  # SQLite has pools
    assert instance.run_monitoring_enabled
    assert type(instance.event_log_storage).__name__ == "PooledSqliteEventLogStorage"


def test_prepare_instance_points_dagster_home_at_the_data_home(tmp_path, monkeypatch):
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    home = DataHome(tmp_path)
    assert prepare_instance(home) == tmp_path / "dagster"
    assert os.environ["DAGSTER_HOME"] == str(tmp_path / "dagster")
    assert (tmp_path / "dagster" / "dagster.yaml").read_text() == dagster_yaml(tmp_path / "dagster")


def test_an_old_cxbench_config_is_upgraded_and_a_hand_written_one_kept(tmp_path):
    config = tmp_path / "dagster.yaml"
    config.write_text(
        "# Dagster instance of this cxbench data home (SQLite storage in this folder).\n"
        '# For a team, point run/event/schedule storage at PostgreSQL: see README, "Operating".\n'
        "telemetry:\n  enabled: false\n"
    )
    write_instance_config(tmp_path)
    assert config.read_text() == dagster_yaml(tmp_path)
    config.write_text(f"{MANAGED_MARKER}: older settings\ntelemetry:\n  enabled: false\n")
    write_instance_config(tmp_path)
    assert config.read_text() == dagster_yaml(tmp_path)
    own = "telemetry:\n  enabled: false\nstorage:\n  postgres: {}\n"
    config.write_text(own)
    write_instance_config(tmp_path)
    assert config.read_text() == own


# Steps that never open warehouse.duckdb (they read the published snapshot, which is replaced
# by a rename). A new step either claims the pool or is added here deliberately.
OUTSIDE_THE_WAREHOUSE = {"published__benchmark_report"}


def test_every_step_that_opens_the_warehouse_claims_its_pool():
    """DuckDB refuses every open, readers too, while another process writes the file."""
    from orchestration.definitions import defs

    for job_name in ("benchmark", "edition"):
        job = defs.resolve_job_def(job_name)
        pools = {node.name: node.pool for node in job.graph.node_defs}
        unpooled = {name for name, pool in pools.items() if pool != WAREHOUSE_POOL}
        assert unpooled <= OUTSIDE_THE_WAREHOUSE, (job_name, unpooled)
        assert {"survey_deliveries", "benchmark_models", "published__benchmark_snapshot"} <= set(
            pools
        )


def test_an_in_process_run_waits_for_the_warehouse_pool(instance, tmp_path):
    """`cxbench run` executes in process: it must queue behind a step of another run."""
    from orchestration.assets.ingest import survey_deliveries
    from orchestration.resources import DataHomeResource

    storage = instance.event_log_storage
    storage.set_concurrency_slots(WAREHOUSE_POOL, 1)
    storage.claim_concurrency_slot(WAREHOUSE_POOL, "another-run", "its_step", 0)
    home = tmp_path / "home"
    results = []
    worker = threading.Thread(
        target=lambda: results.append(
            materialize(
                [survey_deliveries],
                instance=instance,
                resources={"data_home": DataHomeResource(root=str(home))},
            )
        )
    )
    worker.start()
    time.sleep(4)
    assert worker.is_alive() and not (home / "warehouse.duckdb").exists()
    storage.free_concurrency_slots_for_run("another-run")
    worker.join(timeout=120)
    assert results and results[0].success
    assert (home / "warehouse.duckdb").exists()
    assert storage.get_concurrency_info(WAREHOUSE_POOL).claimed_slots == []


def test_a_killed_run_gives_its_pool_slot_back(instance):
    storage = instance.event_log_storage
    storage.set_concurrency_slots(WAREHOUSE_POOL, 1)
    killed = instance.add_run(DagsterRun(job_name="benchmark", status=DagsterRunStatus.STARTED))
    alive = instance.add_run(DagsterRun(job_name="benchmark", status=DagsterRunStatus.STARTED))
    unknown = instance.add_run(DagsterRun(job_name="benchmark", status=DagsterRunStatus.STARTED))
    # `cxbench run`'s own runs are recovered by run.py (which also stops their dbt).
    cli = instance.add_run(
        DagsterRun(
            job_name="benchmark",
            status=DagsterRunStatus.STARTED,
            tags={"cxbench/launched_by": "cxbench run"},
        )
    )
    instance.report_engine_event("executing", cli, EngineEventData.in_process(_dead_pid()))
    for run, pid in ((killed, _dead_pid()), (alive, os.getpid())):
        instance.report_engine_event("executing", run, EngineEventData.in_process(pid))
    storage.claim_concurrency_slot(WAREHOUSE_POOL, killed.run_id, "survey_deliveries", 0)
    assert recover_dead_runs(instance) == [killed.run_id]
    assert instance.get_run_by_id(killed.run_id).status == DagsterRunStatus.FAILURE
    assert instance.get_run_by_id(alive.run_id).status == DagsterRunStatus.STARTED
    assert instance.get_run_by_id(unknown.run_id).status == DagsterRunStatus.STARTED
    assert instance.get_run_by_id(cli.run_id).status == DagsterRunStatus.STARTED
    assert storage.get_concurrency_info(WAREHOUSE_POOL).claimed_slots == []


def _dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid
