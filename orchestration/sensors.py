"""The landing sensor: new or changed deliveries in landing/ start a benchmark run.

It only stats files (no reading), so a tick over thousands of files stays cheap. A file is
requested once it is complete: either a completion marker `<file>.done` sits beside it, or it
has not changed for `CXBENCH_SENSOR_SETTLE_SECONDS` (default 60). "Changed" is the later of the
file's mtime and ctime: copy tools that restore the original mtime (`cp -p`, `rsync -t`) still
move the ctime, which no user tool can set, so a file copied with an old mtime is not taken for
a finished one while it is being written.

Study manifests (`<file>.yml`, `manifest.yml`) are watched like survey files: ingest counts a
changed manifest as a new delivery of the files it applies to.

The cursor is JSON: `{"version": 1, "files": {"<path under landing/>": [size, mtime_ns]}}` of
the files already requested. It lives in the Dagster instance, so it survives restarts of the
daemon. A file whose size or mtime differ from the cursor is requested again (ingest then reads
it only if its content hash is new); removed files leave the cursor without starting a run.
"""

import hashlib
import json
import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dagster import (
    DagsterInvariantViolationError,
    DagsterRunStatus,
    DefaultSensorStatus,
    RunRequest,
    RunsFilter,
    SensorEvaluationContext,
    SensorResult,
    sensor,
)

from cxbench.ingest.landing import is_survey_file
from cxbench.ingest.manifest import SUFFIXES as MANIFEST_SUFFIXES
from orchestration.names import BENCHMARK_JOB, TRIGGER_TAG
from orchestration.resources import DataHomeResource

SETTLE_SECONDS_ENV = "CXBENCH_SENSOR_SETTLE_SECONDS"
DEFAULT_SETTLE_SECONDS = 60.0
DONE_SUFFIX = ".done"
CURSOR_VERSION = 1

log = logging.getLogger(__name__)

FileState = tuple[int, int]  # (size in bytes, mtime in ns)


@dataclass
class LandingScan:
    """What one tick saw: files to ingest now, files still arriving, and the next cursor."""

    ready: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    cursor: dict[str, FileState] = field(default_factory=dict)


def settle_seconds() -> float:
    """How long a file must be unchanged before it counts as delivered (no marker)."""
    raw = os.environ.get(SETTLE_SECONDS_ENV, "").strip()
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_SETTLE_SECONDS
    except ValueError:
        log.warning("%s=%r is not a number of seconds; using %s", SETTLE_SECONDS_ENV, raw, 60)
        return DEFAULT_SETTLE_SECONDS


def parse_cursor(text: str | None) -> dict[str, FileState]:
    """The files already requested; an unreadable cursor means none (ingest is incremental)."""
    if not text:
        return {}
    try:
        data = json.loads(text)
        if data.get("version") != CURSOR_VERSION:
            raise ValueError(f"cursor version {data.get('version')}")
        return {path: (int(size), int(mtime)) for path, (size, mtime) in data["files"].items()}
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        log.warning("ignoring an unreadable landing sensor cursor: %s", error)
        return {}


def dump_cursor(files: Mapping[str, FileState]) -> str:
    """Compact, sorted JSON: equal states give equal cursors."""
    return json.dumps(
        {"version": CURSOR_VERSION, "files": {p: list(s) for p, s in sorted(files.items())}},
        separators=(",", ":"),
    )


def is_watched(path: Path) -> bool:
    """Survey files and study manifests: a changed manifest changes its files' content."""
    if is_survey_file(path):
        return True
    return (
        path.suffix.lower() in MANIFEST_SUFFIXES
        and not path.name.startswith((".", "~$"))
        and path.is_file()
    )


def scan(
    landing: Path, requested: Mapping[str, FileState], now: float, settle: float
) -> LandingScan:
    """Compare landing/ with the files already requested (pure apart from stat calls)."""
    result = LandingScan()
    seen = set()
    for path in sorted(landing.rglob("*")) if landing.is_dir() else []:
        if not is_watched(path):
            continue
        source_file = path.relative_to(landing).as_posix()
        seen.add(source_file)
        stat = path.stat()
        state = (stat.st_size, stat.st_mtime_ns)
        if requested.get(source_file) == state:
            result.cursor[source_file] = state
            continue
        last_change = max(stat.st_mtime, stat.st_ctime)
        marked = path.with_name(path.name + DONE_SUFFIX).exists()
        if marked or now - last_change >= settle:
            result.ready.append(source_file)
            result.cursor[source_file] = state
        else:
            result.waiting.append(source_file)
            if source_file in requested:  # keep the old state: still a change on the next tick
                result.cursor[source_file] = requested[source_file]
    result.removed = sorted(set(requested) - seen)
    return result


def run_key(ready: list[str], cursor: Mapping[str, FileState]) -> str:
    """The same files in the same state never start two runs (Dagster skips a repeated key)."""
    digest = hashlib.sha256()
    for source_file in ready:
        size, mtime = cursor[source_file]
        digest.update(f"{source_file}\0{size}\0{mtime}\n".encode())
    return f"landing-{digest.hexdigest()[:32]}"


def _benchmark_run_waiting(context: SensorEvaluationContext) -> bool:
    """A queued benchmark run ingests whatever is in landing/ when it starts: no second run."""
    try:
        instance = context.instance
    except DagsterInvariantViolationError:  # evaluated without an instance (a unit test)
        return False
    waiting = instance.get_run_records(
        filters=RunsFilter(
            job_name=BENCHMARK_JOB,
            # Queued only: a run that failed to launch stays NOT_STARTED for ever.
            statuses=[DagsterRunStatus.QUEUED],
        ),
        limit=1,
    )
    return bool(waiting)


def _names(files: list[str], limit: int = 5) -> str:
    shown = ", ".join(files[:limit])
    return shown + (f" and {len(files) - limit} more" if len(files) > limit else "")


@sensor(
    name="landing_sensor",
    job_name=BENCHMARK_JOB,
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.RUNNING,
    description=(
        "Starts the benchmark job (ingest, dbt build and checks, publication) when new or "
        "changed files in landing/ are complete: a `<file>.done` marker beside them, or "
        f"unchanged for {SETTLE_SECONDS_ENV} seconds (default 60)."
    ),
)
def landing_sensor(context: SensorEvaluationContext, data_home: DataHomeResource) -> SensorResult:
    """One tick: request a benchmark run for the files that completed since the last one."""
    landing = data_home.home().landing
    found = scan(landing, parse_cursor(context.cursor), time.time(), settle_seconds())
    cursor = dump_cursor(found.cursor)
    if found.removed:
        context.log.info(f"no longer in landing/: {_names(found.removed)}")
    if not found.ready:
        reason = (
            f"{len(found.waiting)} files still being delivered: {_names(found.waiting)}"
            if found.waiting
            else "no new or changed files in landing/"
        )
        return SensorResult(skip_reason=reason, cursor=cursor)
    if _benchmark_run_waiting(context):
        return SensorResult(
            skip_reason=(
                f"{len(found.ready)} new files ({_names(found.ready)}) will be ingested by the "
                "benchmark run already waiting in the queue"
            ),
            cursor=cursor,
        )
    return SensorResult(
        run_requests=[
            RunRequest(
                run_key=run_key(found.ready, found.cursor),
                tags={TRIGGER_TAG: "landing_sensor", "cxbench/new_files": str(len(found.ready))},
            )
        ],
        cursor=cursor,
    )
