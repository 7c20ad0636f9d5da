"""The Dagster instance of a data home, shared by `cxbench run`, `make ui` and the daemon.

The instance lives in `$CXBENCH_HOME/dagster/` (SQLite run, event and schedule storage).
Its `dagster.yaml` is written by cxbench: telemetry off, one writer of the warehouse at a time
(pool `cxbench_warehouse`), and one queued run at a time for runs the daemon launches.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from cxbench.settings import DataHome
from orchestration.recovery import LAUNCHER_TAG

if TYPE_CHECKING:
    from dagster import DagsterInstance

# Every step that opens the warehouse (ingest, dbt, checks that read it, publication) claims a
# slot of this pool. DuckDB allows one process to hold the file while it writes and refuses every
# other open, readers included, so the limit is 1 across all runs of the instance.
WAREHOUSE_POOL = "cxbench_warehouse"

# First line of a dagster.yaml that cxbench owns. While it is there, cxbench rewrites the file
# when its settings change (an upgrade); delete the line to manage the file yourself.
MANAGED_MARKER = "# managed by cxbench"

_DAGSTER_YAML = f"""\
{MANAGED_MARKER}: rewritten when cxbench's settings change; delete this line to edit it yourself.
# Dagster instance of this cxbench data home: SQLite storage in this folder.
# For a team, point storage at PostgreSQL instead: see README, "Operating".
telemetry:
  enabled: false
# Dagster's SQLite event log (history/runs/), keeping its files open between events.
event_log_storage:
  module: orchestration.sqlite_storage
  class: PooledSqliteEventLogStorage
  config:
    base_dir: {{event_log}}
concurrency:
  pools:
    # Pools nobody configured (i.e. {WAREHOUSE_POOL}) get one slot: one warehouse writer.
    default_limit: 1
  runs:
    # Sensor, schedule and UI runs queue behind each other (the daemon's run queue).
    max_concurrent_runs: 1
run_monitoring:
  enabled: true
  # A run that ended without giving its pool slot back (its process was killed) frees it.
  free_slots_after_run_end_seconds: 60
"""


def dagster_yaml(dagster_home: Path) -> str:
    """The dagster.yaml cxbench writes into `dagster_home`."""
    # A JSON string is a YAML one: any path, quoted and escaped.
    event_log = json.dumps(str(dagster_home.resolve() / "history" / "runs"))
    return _DAGSTER_YAML.format(event_log=event_log)


# What cxbench 0.1 wrote (no marker): still ours to upgrade.
_UNMARKED_DEFAULTS = (
    "# Dagster instance of this cxbench data home (SQLite storage in this folder).\n"
    '# For a team, point run/event/schedule storage at PostgreSQL: see README, "Operating".\n'
    "telemetry:\n  enabled: false\n",
)


def write_instance_config(dagster_home: Path) -> Path:
    """Write dagster.yaml unless someone took it over (removed the managed marker)."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    config, expected = dagster_home / "dagster.yaml", dagster_yaml(dagster_home)
    if config.exists():
        current = config.read_text()
        ours = current.startswith(MANAGED_MARKER) or current in _UNMARKED_DEFAULTS
        if current == expected or not ours:
            return config
    config.write_text(expected)
    return config


def prepare_instance(home: DataHome) -> Path:
    """Create or update `$CXBENCH_HOME/dagster/dagster.yaml` and make it the DAGSTER_HOME.

    Also gives back the pool slot of any run whose process was killed (see recover_dead_runs),
    so that a `cxbench run` killed with SIGKILL does not leave the next one waiting forever.
    """
    write_instance_config(home.dagster_home)
    os.environ["DAGSTER_HOME"] = str(home.dagster_home)
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(home.dagster_home)) as instance:
        recover_dead_runs(instance)
    return home.dagster_home


def recover_dead_runs(instance: DagsterInstance) -> list[str]:
    """Mark runs failed whose executing process is gone, and free their pool slots.

    A run killed outright (SIGKILL, OOM killer, power loss) stays "started" for ever and keeps its
    slot of the warehouse pool, so every later run would wait for it. Dagster's run monitoring
    cannot see this for in-process runs (`cxbench run`) nor for the default run launcher. The
    executing process's pid is in the run's "Executing steps in process (pid: N)" event; a run
    without one is left alone, and so is one whose process is alive. The warehouse is a local
    file, so every run that uses it executes on this host and its pid can be checked here.

    Runs of `cxbench run` / `cxbench edition` are left to
    `orchestration.recovery.recover_killed_runs`, which also stops the dbt process such a run may
    have left behind; this covers the runs the daemon or the UI launched.
    """
    from dagster import DagsterRunStatus, RunsFilter

    recovered = []
    records = instance.get_run_records(
        filters=RunsFilter(statuses=[DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING])
    )
    for record in records:
        run = record.dagster_run
        if LAUNCHER_TAG in run.tags:
            continue
        pid = _executing_pid(instance, run.run_id)
        if pid is None or _process_alive(pid):
            continue
        instance.report_run_failed(
            run, message=f"the process executing this run (pid {pid}) is gone; marked failed"
        )
        if instance.event_log_storage.supports_global_concurrency_limits:
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        recovered.append(run.run_id)
    return recovered


def _executing_pid(instance: DagsterInstance, run_id: str) -> int | None:
    from dagster import DagsterEventType

    for entry in instance.all_logs(run_id, of_type=DagsterEventType.ENGINE_EVENT):
        data = entry.dagster_event.engine_event_data if entry.dagster_event else None
        pid = data.metadata.get("pid") if data and data.metadata else None
        if pid is not None:
            try:
                return int(pid.value)
            except (TypeError, ValueError):
                return None
    return None


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True
