"""Recovery from killed `cxbench run`s: mark their Dagster runs failed, free their warehouse
slot, and stop the dbt process they may have left writing the warehouse.

Every run tags itself (launch_tags) and hands an owner token to the processes it starts through
the environment, so a later run can recognise what a killed one left behind.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import time
import uuid
from pathlib import Path

log = logging.getLogger(__name__)

LAUNCHER_TAG = "cxbench/launched_by"
PID_TAG = "cxbench/pid"
HOST_TAG = "cxbench/host"
# Every process a run starts (dbt) inherits this token, so a later run can find the ones a
# killed run left behind.
OWNER_TAG = "cxbench/owner"
OWNER_ENV = "CXBENCH_RUN_OWNER"
ORPHAN_GRACE_SECONDS = 20.0


def launch_tags() -> dict[str, str]:
    """Tags that let a later `cxbench run` recognise this run if its process is killed (the pid
    and host say which process it was, in the UI)."""
    return {
        LAUNCHER_TAG: "cxbench run",
        PID_TAG: str(os.getpid()),
        HOST_TAG: socket.gethostname(),
        OWNER_TAG: f"{os.getpid()}-{uuid.uuid4().hex[:12]}",
    }


def recover_killed_runs(instance) -> None:
    """Close the books on `cxbench run`s of this data home whose process was killed.

    Called under the writer lock, so no other `cxbench run` of this data home is running: a run
    it launched that is still "started" was killed (kill -9, power loss). It is marked failed in
    the UI, and the warehouse pool slot its step held is given back, else the next run would wait
    for it forever (the daemon's run monitoring does this too, but `cxbench run` needs no daemon).
    """
    from dagster import DagsterRunStatus, RunsFilter

    unfinished = [DagsterRunStatus.STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.QUEUED]
    for run in instance.get_runs(
        filters=RunsFilter(statuses=unfinished, tags={LAUNCHER_TAG: "cxbench run"})
    ):
        # A dbt it started may still be writing the warehouse (DuckDB: one writer). Stopped
        # mid-write, DuckDB rolls its transaction back on the next open.
        stopped = stop_orphans(run.tags.get(OWNER_TAG))
        log.warning("run %s was killed; stopped what it left running: %s", run.run_id, stopped)
        instance.report_run_failed(run, message="its cxbench run process was killed")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
    # Slots still held by runs that have ended (however they ended) are free to take.
    finished = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}
    for run_id in instance.event_log_storage.get_concurrency_run_ids():
        run = instance.get_run_by_id(run_id)
        if run is None or run.status in finished:
            instance.event_log_storage.free_concurrency_slots_for_run(run_id)


def stop_orphans(token: str | None, grace: float = ORPHAN_GRACE_SECONDS) -> list[int]:
    """Terminate the processes carrying `token` in OWNER_ENV: SIGTERM, then SIGKILL."""
    if not token:
        return []
    variable = f"{OWNER_ENV}={token}".encode()
    orphans = _processes_with(variable)
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        for pid in _processes_with(variable):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while _processes_with(variable) and time.monotonic() < deadline:
            time.sleep(0.1)
    return orphans


def _processes_with(variable: bytes) -> list[int]:
    """Live processes (Linux /proc) whose environment holds `variable` (NAME=value)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            environment = (entry / "environ").read_bytes().split(b"\0")
        except OSError:  # gone, a zombie, or not ours
            continue
        if variable in environment and int(entry.name) != os.getpid():
            found.append(int(entry.name))
    return found
