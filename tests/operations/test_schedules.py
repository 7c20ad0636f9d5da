"""Schedules: the nightly rebuild at 02:00 Amsterdam time and the yearly frozen edition."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from dagster import DefaultScheduleStatus, RunRequest, SkipReason, build_schedule_context

from orchestration.resources import DataHomeResource
from orchestration.schedules import nightly_benchmark, yearly_edition

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_nightly_rebuild_runs_the_benchmark_job_at_two_in_amsterdam():
    assert nightly_benchmark.job_name == "benchmark"
    assert nightly_benchmark.cron_schedule == "0 2 * * *"
    assert nightly_benchmark.execution_timezone == "Europe/Amsterdam"
    assert nightly_benchmark.default_status == DefaultScheduleStatus.RUNNING
    context = build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 7, 1, 2, 0, tzinfo=AMSTERDAM)
    )
    [request] = nightly_benchmark.evaluate_tick(context).run_requests
    assert request.tags["cxbench/trigger"] == "nightly_benchmark"


def test_the_nightly_ticks_stay_at_two_oclock_across_daylight_saving():
    # Dagster's own tick iterator (what the scheduler daemon uses); summer time ends 25 October.
    from dagster._utils.schedules import cron_string_iterator

    start = dt.datetime(2026, 10, 23, 12, 0, tzinfo=AMSTERDAM)
    ticks = cron_string_iterator(
        start.timestamp(), nightly_benchmark.cron_schedule, "Europe/Amsterdam"
    )
    local = [next(ticks).astimezone(AMSTERDAM) for _ in range(4)]
    assert [t.hour for t in local] == [2, 2, 2, 2]
    assert (local[0].utcoffset(), local[-1].utcoffset()) == (
        dt.timedelta(hours=2),  # CEST
        dt.timedelta(hours=1),  # CET
    )


def test_yearly_edition_freezes_the_previous_fieldwork_year(tmp_path: Path):
    context = build_schedule_context(
        scheduled_execution_time=dt.datetime(2027, 3, 1, 3, 0, tzinfo=AMSTERDAM),
        resources={"data_home": DataHomeResource(root=str(tmp_path))},
    )
    [request] = yearly_edition.evaluate_tick(context).run_requests
    assert isinstance(request, RunRequest)
    assert request.run_key == "edition-2026"  # one edition run per year, even if re-evaluated
    assert request.tags["cxbench/edition"] == "2026"
    assert request.tags["cxbench/edition_through_year"] == "2026"
    assert yearly_edition.job_name == "edition"
    assert yearly_edition.execution_timezone == "Europe/Amsterdam"


def test_yearly_edition_skips_an_edition_already_frozen(tmp_path: Path):
    (tmp_path / "published" / "editions" / "2026").mkdir(parents=True)
    context = build_schedule_context(
        scheduled_execution_time=dt.datetime(2027, 3, 1, 3, 0, tzinfo=AMSTERDAM),
        resources={"data_home": DataHomeResource(root=str(tmp_path))},
    )
    result = yearly_edition(context)
    assert isinstance(result, SkipReason)
    assert "already frozen" in result.skip_message
