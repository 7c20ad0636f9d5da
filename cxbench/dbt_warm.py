"""A dbt process started ahead: the run's dbt build skips importing dbt (~1.4 s).

dagster-dbt runs `cxbench-dbt` as a subprocess for the build, after ingest. Importing dbt there
is ~1.4 s on the critical path of every run. `cxbench run` therefore starts this process first
thing (`start`), on the machine's other core while Dagster is imported and ingest runs: it
imports dbt and waits. When dagster-dbt starts `cxbench-dbt`, that process (`hand_over`) passes
its command line, environment, working folder and its standard input, output and error to the
waiting process (cxbench/handover.py), which runs dbt as `cxbench-dbt` would have, writing
straight into dagster-dbt's pipes, and returns the exit code. Signals to `cxbench-dbt` (a
cancelled run) are passed on. Only a process of the same user is served.

One build per process; it leaves when its parent does, or after WAIT_SECONDS. When no process is
waiting (none started, it died, or it serves another build), `cxbench-dbt` runs dbt itself, as
before: the hand-over only saves time, it never decides what dbt does.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from typing import NoReturn

from cxbench import handover
from cxbench.fast_exit import exit_code, leave

ENV = "CXBENCH_DBT_WARM"  # the abstract socket name `cxbench-dbt` hands over to
WAIT_SECONDS = 1800


def start(rehearse: bool = False) -> None:
    """Start a waiting dbt process for this process's dbt build (env CXBENCH_DBT_WARM). With
    `rehearse`, for a process that has time to spare (cxbench/spare.py), it also rehearses."""
    name = f"cxbench-dbt-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    subprocess.Popen(
        [
            sys.executable,
            "-u",
            "-m",
            "cxbench.dbt_warm",
            name,
            str(os.getpid()),
            *(["--rehearse"] if rehearse else []),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl-C in the terminal reaches it through cxbench-dbt
    )
    os.environ[ENV] = name


def without_warm_process(env: dict[str, str]) -> dict[str, str]:
    """`env` for a dbt command that must not take the build's waiting process (dbt parse)."""
    return {key: value for key, value in env.items() if key != ENV}


def hand_over() -> int | None:
    """In `cxbench-dbt`: run this command in the waiting process; its exit code, or None when
    no process is waiting (the caller then runs dbt itself)."""
    name = os.environ.pop(ENV, None)
    return handover.ask(name, sys.argv[1:]) if name else None


def _rehearse() -> None:
    """Parse the project and list its models into a scratch folder, touching no warehouse.

    dbt builds much of its serialisation code on first use (mashumaro compiles a class's
    to/from-dict functions when it is first converted): ~0.7 s of a build's start-up, the first
    time in a process. Done here, the build that is handed over starts without it."""
    from dbt.cli.main import dbtRunner

    from cxbench.settings import DBT_PROJECT_DIR

    with tempfile.TemporaryDirectory() as scratch:
        common = [
            "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", scratch, "--log-path", scratch, "--quiet",
            "--no-send-anonymous-usage-stats", "--no-version-check",
        ]  # fmt: skip
        try:
            dbtRunner().invoke(["parse", *common, "--no-partial-parse"])
            dbtRunner().invoke(["ls", *common, "--resource-type", "model", "--output", "name"])
        except Exception:  # noqa: BLE001 - a rehearsal only saves time; the build decides
            pass


def _serve(name: str, parent: int, rehearse: bool) -> NoReturn:
    # Listening first: a build that starts before dbt is imported waits here, not longer.
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind("\0" + name)
    server.listen(1)
    from dbt.cli.main import cli  # the import this process exists to do ahead

    if rehearse:
        _rehearse()

    started = time.monotonic()
    connection = handover.wait_for_caller(
        server,
        lambda: os.getppid() == parent and time.monotonic() - started < WAIT_SECONDS,
    )
    server.close()  # one build per process: later commands find nobody and run dbt themselves
    request, fds = handover.read_request(connection)
    handover.take_over(connection, request, fds, "cxbench-dbt")
    try:
        status = cli()
    except SystemExit as exit_:
        status = exit_.code
    code = exit_code(status)
    handover.answer(connection, code)
    leave(code)


if __name__ == "__main__":
    _serve(sys.argv[1], int(sys.argv[2]), "--rehearse" in sys.argv[3:])
