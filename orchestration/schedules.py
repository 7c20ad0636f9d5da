"""Schedules: the nightly rebuild and publication, and the yearly frozen edition.

Times are Amsterdam wall-clock time, so 02:00 stays 02:00 across daylight saving. Both cron
expressions can be changed per deployment through the environment (read when the code location
loads): `CXBENCH_NIGHTLY_CRON` and `CXBENCH_EDITION_CRON`.
"""

import datetime as dt
import os

from dagster import (
    DefaultScheduleStatus,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SkipReason,
    schedule,
)

from cxbench.editions import editions_folder
from orchestration.jobs import edition_tags
from orchestration.names import BENCHMARK_JOB, EDITION_JOB, TRIGGER_TAG
from orchestration.resources import DataHomeResource

TIMEZONE = "Europe/Amsterdam"
NIGHTLY_CRON = os.environ.get("CXBENCH_NIGHTLY_CRON", "0 2 * * *")
# 1 March, 03:00: fieldwork of the previous year has been delivered and checked by then; the
# nightly run at 02:00 has finished, so the edition queues behind nothing.
EDITION_CRON = os.environ.get("CXBENCH_EDITION_CRON", "0 3 1 3 *")

nightly_benchmark = ScheduleDefinition(
    name="nightly_benchmark",
    job_name=BENCHMARK_JOB,
    cron_schedule=NIGHTLY_CRON,
    execution_timezone=TIMEZONE,
    default_status=DefaultScheduleStatus.RUNNING,
    tags={TRIGGER_TAG: "nightly_benchmark"},
    description=(
        "Rebuild and publish the benchmark every night (02:00 Europe/Amsterdam): ingest what "
        "the sensor has not yet picked up, dbt build with tests, publication."
    ),
)


def edition_year(scheduled: dt.datetime | None) -> int:
    """The fieldwork year an edition tick freezes: the calendar year before the tick."""
    return (scheduled or dt.datetime.now(dt.UTC)).year - 1


@schedule(
    name="yearly_edition",
    job_name=EDITION_JOB,
    cron_schedule=EDITION_CRON,
    execution_timezone=TIMEZONE,
    default_status=DefaultScheduleStatus.RUNNING,
    description=(
        "Once a year (1 March, 03:00 Europe/Amsterdam) freeze the benchmark of the previous "
        "fieldwork year as edition <year> under published/editions/<year>/."
    ),
)
def yearly_edition(
    context: ScheduleEvaluationContext, data_home: DataHomeResource
) -> RunRequest | SkipReason:
    """Edition <last year>, fieldwork years up to and including it; skipped if already frozen."""
    year = edition_year(context.scheduled_execution_time)
    name = str(year)
    frozen = editions_folder(data_home.home()) / name
    if frozen.exists():
        return SkipReason(f"edition {name} is already frozen in {frozen}")
    return RunRequest(
        run_key=f"edition-{name}",
        tags={**edition_tags(name, through_year=year), TRIGGER_TAG: "yearly_edition"},
    )
