"""The launcher behind `cxbench run` and `cxbench edition`: one in-process Dagster run of a
job against a data home, under the data home's writer lock."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path

from cxbench import duckdb_connections, freshness, progress
from cxbench.editions import EditionError, editions_folder
from cxbench.lock import EXIT_BUSY, DataHomeBusy, busy_message, writer_lock
from cxbench.settings import DataHome
from orchestration.dbt import DBT_VARS_ENV
from orchestration.instance import prepare_instance
from orchestration.jobs import edition_tags
from orchestration.names import BENCHMARK_JOB, EDITION_JOB
from orchestration.recovery import OWNER_ENV, OWNER_TAG, launch_tags, recover_killed_runs

EXIT_BLOCKED = 1
SNAPSHOT_ASSET_PATH = ["published", "benchmark_snapshot"]


def run_benchmark(
    home: DataHome,
    quiet: bool = False,
    verbose: bool = False,
    wait: bool = False,
    dbt_vars: dict[str, object] | None = None,
    fingerprint: str | None = None,
) -> int:
    """`cxbench run`: one in-process run of the benchmark job.

    `fingerprint` is that of the inputs as the caller found them (cxbench.freshness); it is
    recorded when the run publishes, so the next run with the same inputs can stop at once.
    """
    if dbt_vars:
        os.environ[DBT_VARS_ENV] = json.dumps(dbt_vars)
    if fingerprint is None:
        from cxbench import lake

        fingerprint = freshness.inputs_fingerprint(home, dbt_vars, engine=lake.engine())
    launched = _launch(home, BENCHMARK_JOB, {}, verbose=verbose, wait=wait)
    if isinstance(launched, int):
        return launched
    result, log_file = launched
    if not result.success or not published(result):
        print(
            f"cxbench: publication blocked: {failure_reason(result)} (log: {log_file})",
            file=sys.stderr,
        )
        return EXIT_BLOCKED
    freshness.remember(home, fingerprint)
    if not quiet:
        print(summary(home))
    return 0


def run_edition(
    home: DataHome, name: str, through_year: int | None, quiet: bool = False, wait: bool = False
) -> int:
    """`cxbench edition`: one in-process run of the edition job, which freezes what it publishes."""
    try:
        tags = edition_tags(name, through_year)
    except EditionError as error:
        print(f"cxbench: {error}", file=sys.stderr)
        return 2
    frozen = editions_folder(home) / name
    if frozen.exists():
        print(
            f"cxbench: edition {name} is already frozen in {frozen}; editions never change",
            file=sys.stderr,
        )
        return EXIT_BLOCKED
    launched = _launch(home, EDITION_JOB, tags, verbose=False, wait=wait)
    if isinstance(launched, int):
        return launched
    result, log_file = launched
    manifest_file = frozen / "manifest.json"
    # A failed blocking check skips the publication and the freeze without failing the run.
    if not result.success or not manifest_file.exists():
        print(
            f"cxbench: edition {name} not frozen: {failure_reason(result)} (log: {log_file})",
            file=sys.stderr,
        )
        return EXIT_BLOCKED
    if not quiet:
        manifest = json.loads(manifest_file.read_text())
        years = f"fieldwork through {through_year}" if through_year is not None else "all years"
        print(
            f"Froze edition {name} ({years}) in {frozen}\n"
            f"  data fingerprint: {manifest['data_fingerprint']} "
            f"({len(manifest['files'])} files)"
        )
    return 0


def _launch(
    home: DataHome, job_name: str, tags: dict[str, str], verbose: bool, wait: bool
) -> tuple[object, Path] | int:
    """Run `job_name` in this process under the data home's lock: the run's result and log
    file, or EXIT_BUSY when another run holds the data home."""
    try:
        with writer_lock(home, wait):
            freshness.forget(home)  # until this run publishes, nothing is known up to date
            return _execute(home, job_name, tags, verbose)
    except DataHomeBusy:
        print(busy_message(home), file=sys.stderr)
        return EXIT_BUSY


def _execute(
    home: DataHome, job_name: str, tags: dict[str, str], verbose: bool
) -> tuple[object, Path]:
    home.ensure()
    prepare_instance(home)
    from dagster import DagsterInstance

    from orchestration.definitions import defs

    job = defs.resolve_job_def(job_name)
    log_file = home.root / "logs" / "last-run.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    # The stage line is drawn where a person watches: a terminal, unless the step log goes there.
    terminal = sys.stderr if sys.stderr.isatty() and not verbose else None
    with log_file.open("w") as log, DagsterInstance.get() as instance:
        # dbt's and Dagster's step log go to the log file (and the UI); the terminal gets a
        # summary or a one-line reason, unless --verbose.
        with contextlib.ExitStack() as redirect:
            if not verbose:
                redirect.enter_context(contextlib.redirect_stdout(log))
                redirect.enter_context(contextlib.redirect_stderr(log))
            # A killed earlier run is closed first, and this one is tagged so that a later run
            # can do the same for it.
            recover_killed_runs(instance)
            launch = launch_tags()
            os.environ[OWNER_ENV] = launch[OWNER_TAG]
            with progress.shown(terminal, log):
                result = job.execute_in_process(
                    instance=instance, raise_on_error=False, tags={**launch, **tags}
                )
    return result, log_file


def published(result) -> bool:
    """Whether the run materialised the snapshot: a run can succeed with the publication skipped
    (a step upstream of it yielded no output), and that is no publication."""
    return any(
        event.event_type_value == "ASSET_MATERIALIZATION"
        and event.asset_key is not None
        and event.asset_key.path == SNAPSHOT_ASSET_PATH
        for event in result.all_events
    )


def failure_reason(result) -> str:
    """One line: the first failed blocking check and its first failed expectation, else the first
    failed step and the first line of its error.

    When a blocking check fails, Dagster skips what depends on it (the publication) without a
    failure of its own, so the check is the reason to report.
    """
    for event in result.all_events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if not evaluation.passed and evaluation.blocking:
                what = _one_line(evaluation.description or "failed")
                key = evaluation.asset_key.to_user_string()
                return f"check {evaluation.check_name} of {key} failed: {what}"
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            while error is not None and error.cause is not None:
                error = error.cause  # the user's exception, not Dagster's wrapper
            lines = (error.message if error else "").strip().splitlines()
            return f"step {event.step_key} failed: {lines[0] if lines else 'unknown error'}"
    for event in result.all_events:
        if event.event_type_value == "STEP_SKIPPED":
            return f"step {event.step_key} was skipped: what it needs was not produced"
    return "the run did not succeed"


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def summary(home: DataHome) -> str:
    """Where the outputs are, what was ingested, and the NPS per market and year."""
    con = duckdb_connections.connect(str(home.snapshot), read_only=True)
    try:
        rows = con.execute(
            "select market, year, n_respondents, n_organisations, nps, nps_ci_low, nps_ci_high "
            "from benchmark.nps_by_sector_year where sector = 'ALL' order by market, year"
        ).fetchall()
    finally:
        con.close()
    lines = [
        f"Published benchmark to {home.published}",
        f"  Report          : {home.published / 'report' / 'index.html'}",
        f"  Quality         : {home.published / 'quality' / 'index.html'}",
        f"  DuckDB snapshot : {home.snapshot}",
        f"  Parquet         : {home.parquet}/",
        f"  Restricted      : {home.restricted}/",
        f"  Audit           : {home.warehouse} (schema audit: file_log, quarantined_rows)",
        "",
        deliveries(home),
        "",
        "Net Promoter Score, all sectors:",
        f"  {'market':<6} {'year':>4} {'respondents':>11} {'orgs':>5} {'NPS':>6}  95% CI",
    ]
    for market, year, n, orgs, nps, low, high in rows:
        nps_text = "suppressed" if nps is None else f"{nps:+6.1f}  [{low:+.1f}, {high:+.1f}]"
        lines.append(f"  {market:<6} {year:>4} {n:>11,} {orgs:>5} {nps_text}")
    return "\n".join(lines)


def deliveries(home: DataHome) -> str:
    """Every delivery so far by status, so quarantined rows and rejected files are not missed."""
    con = duckdb_connections.connect(str(home.warehouse), read_only=True)
    try:
        by_status = dict(
            con.execute("select status, count(*) from audit.file_log group by status").fetchall()
        )
        (quarantined,) = con.execute(
            "select coalesce(sum(rows_quarantined), 0) from audit.file_log "
            "where status <> 'rejected'"
        ).fetchone()
    finally:
        con.close()
    counts = ", ".join(
        f"{n:,} {status.replace('_', ' ')}" for status, n in sorted(by_status.items())
    )
    line = f"Deliveries: {sum(by_status.values()):,} files ({counts or 'none'})"
    if quarantined:
        line += f"; {quarantined:,} rows quarantined"
    if quarantined or by_status.get("rejected"):
        line += " - see audit.file_log and audit.quarantined_rows"
    return line
