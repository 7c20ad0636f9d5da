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
import time
import uuid
from typing import NoReturn

from cxbench import handover
from cxbench.fast_exit import exit_code, leave

ENV = "CXBENCH_DBT_WARM"  # the abstract socket name `cxbench-dbt` hands over to
WAIT_SECONDS = 1800


def start() -> None:
    """Start a waiting dbt process for this process's dbt build (env CXBENCH_DBT_WARM)."""
    name = f"cxbench-dbt-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    subprocess.Popen(
        [sys.executable, "-u", "-m", "cxbench.dbt_warm", name, str(os.getpid())],
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


def _serve(name: str, parent: int) -> NoReturn:
    # Listening first: a build that starts before dbt is imported waits here, not longer.
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind("\0" + name)
    server.listen(1)
    from dbt.cli.main import cli  # the import this process exists to do ahead

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
    _serve(sys.argv[1], int(sys.argv[2]))
