"""The landing sensor: complete new or changed files start one benchmark run; nothing else does."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from dagster import (
    DagsterInstance,
    DagsterRun,
    DagsterRunStatus,
    SensorResult,
    build_sensor_context,
    instance_for_test,
)
from dagster._core.remote_origin import RegisteredCodeLocationOrigin, RemoteRepositoryOrigin

from orchestration.resources import DataHomeResource
from orchestration.sensors import (
    SETTLE_SECONDS_ENV,
    dump_cursor,
    landing_sensor,
    parse_cursor,
    scan,
)

CSV = "respondent_id,organisation_id,sector,market,year,recommend\nR1,ORG-1,wholesale,B2B,2024,9\n"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "landing").mkdir()
    return tmp_path


def deliver(home: Path, name: str, text: str = CSV) -> Path:
    path = home / "landing" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def tick(
    home: Path, cursor: str | None = None, instance: DagsterInstance | None = None
) -> SensorResult:
    context = build_sensor_context(
        cursor=cursor,
        instance=instance,
        resources={"data_home": DataHomeResource(root=str(home))},
    )
    return landing_sensor(context)


def queued_run(job_name: str) -> DagsterRun:
    """A run the daemon's queue has not started yet (queued runs need an origin)."""
    origin = RemoteRepositoryOrigin(RegisteredCodeLocationOrigin("cxbench"), "__repository__")
    return DagsterRun(
        job_name=job_name,
        status=DagsterRunStatus.QUEUED,
        remote_job_origin=origin.get_job_origin(job_name),
    )


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as complete at once (the settle rule itself is tested through `scan`)."""
    monkeypatch.setenv(SETTLE_SECONDS_ENV, "0")


def test_new_complete_files_request_one_benchmark_run(home, settled):
    deliver(home, "a.csv")
    deliver(home, "sub/b.csv")
    result = tick(home)
    assert len(result.run_requests) == 1
    request = result.run_requests[0]
    assert request.job_name in (None, "benchmark")  # the sensor's job: benchmark
    assert request.tags["cxbench/trigger"] == "landing_sensor"
    assert request.tags["cxbench/new_files"] == "2"
    assert set(parse_cursor(result.cursor)) == {"a.csv", "sub/b.csv"}


def test_unchanged_files_start_nothing_even_after_a_restart(home, settled):
    deliver(home, "a.csv")
    first = tick(home)
    # A new evaluation context with the stored cursor is what the daemon does after a restart.
    again = tick(home, cursor=first.cursor)
    assert not again.run_requests
    assert "no new or changed files" in again.skip_reason.skip_message
    assert again.cursor == first.cursor


def test_a_changed_file_is_requested_again_with_a_new_run_key(home, settled):
    path = deliver(home, "a.csv")
    first = tick(home)
    path.write_text(CSV + "R2,ORG-1,wholesale,B2B,2024,10\n")
    second = tick(home, cursor=first.cursor)
    assert len(second.run_requests) == 1
    assert second.run_requests[0].run_key != first.run_requests[0].run_key
    assert second.run_requests[0].tags["cxbench/new_files"] == "1"


def test_a_half_written_file_waits_and_is_not_remembered(home, monkeypatch):
    monkeypatch.setenv(SETTLE_SECONDS_ENV, "3600")
    deliver(home, "arriving.csv")
    result = tick(home)
    assert not result.run_requests
    assert "still being delivered: arriving.csv" in result.skip_reason.skip_message
    assert parse_cursor(result.cursor) == {}  # so it is requested once complete


def test_a_completion_marker_makes_a_file_ready_at_once(home, monkeypatch):
    monkeypatch.setenv(SETTLE_SECONDS_ENV, "3600")
    deliver(home, "done.csv")
    (home / "landing" / "done.csv.done").touch()
    result = tick(home)
    assert len(result.run_requests) == 1
    assert set(parse_cursor(result.cursor)) == {"done.csv"}


def test_settle_rule_uses_the_last_change_including_ctime(home):
    path = deliver(home, "copied.csv")
    # cp -p / rsync -t restore an old mtime while the copy is fresh: ctime still says "now".
    two_days_ago = time.time() - 2 * 86400
    os.utime(path, (two_days_ago, two_days_ago))
    assert scan(home / "landing", {}, now=time.time(), settle=60).waiting == ["copied.csv"]
    later = scan(home / "landing", {}, now=time.time() + 61, settle=60)
    assert later.ready == ["copied.csv"] and not later.waiting


def test_a_changed_file_that_is_still_being_written_keeps_its_old_state(home):
    path = deliver(home, "a.csv")
    first = scan(home / "landing", {}, now=time.time() + 61, settle=60)
    path.write_text(CSV * 2)
    during = scan(home / "landing", first.cursor, now=time.time(), settle=60)
    assert during.waiting == ["a.csv"] and during.cursor == first.cursor
    after = scan(home / "landing", during.cursor, now=time.time() + 61, settle=60)
    assert after.ready == ["a.csv"]


def test_removed_files_leave_the_cursor_without_a_run(home, settled):
    deliver(home, "a.csv")
    gone = deliver(home, "b.csv")
    first = tick(home)
    gone.unlink()
    result = tick(home, cursor=first.cursor)
    assert not result.run_requests
    assert set(parse_cursor(result.cursor)) == {"a.csv"}


def test_temporary_hidden_and_marker_files_are_ignored(home, settled):
    for name in ("x.csv.part", "x.csv.tmp", ".x.csv", "~$x.xlsx", "x.csv.done", ".m.yml"):
        deliver(home, name)
    result = tick(home)
    assert not result.run_requests
    assert parse_cursor(result.cursor) == {}


def test_a_new_or_changed_study_manifest_is_a_change(home, settled):
    deliver(home, "study.csv")
    manifest = deliver(home, "study.csv.yml", "year: 2024\n")
    first = tick(home)
    assert set(parse_cursor(first.cursor)) == {"study.csv", "study.csv.yml"}
    manifest.write_text("year: 2025\n")
    second = tick(home, cursor=first.cursor)
    assert len(second.run_requests) == 1


def test_a_benchmark_run_waiting_in_the_queue_absorbs_new_files(home, settled):
    deliver(home, "a.csv")
    with instance_for_test() as instance:
        instance.add_run(queued_run("benchmark"))
        result = tick(home, instance=instance)
    assert not result.run_requests
    assert "already waiting in the queue" in result.skip_reason.skip_message
    assert set(parse_cursor(result.cursor)) == {"a.csv"}


def test_cursor_round_trip_and_unreadable_cursors():
    files = {"b.csv": (10, 1_700_000_000_123_456_789), "a/ü.sav": (0, 1)}
    text = dump_cursor(files)
    assert parse_cursor(text) == files
    assert json.loads(text)["version"] == 1
    assert list(json.loads(text)["files"]) == ["a/ü.sav", "b.csv"]  # sorted: stable
    for broken in (None, "", "not json", "[]", '{"version": 99, "files": {}}', '{"version": 1}'):
        assert parse_cursor(broken) == {}
