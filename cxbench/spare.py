"""A spare process for the next `cxbench run`: its ~3.5 s of imports done ahead.

A run with work to do first imports Dagster, dagster-dbt (and with it most of dbt), pandas,
pandera, polars, DuckDB, HiGHS and Great Expectations: ~3.5 s of one core before its first step,
for a one-study increment a third of the run. So after a run, `cxbench run` leaves a spare
process behind that imports those libraries and waits, up to CXBENCH_SPARE_MINUTES (default 15;
0 disables it), for the next `cxbench run` of this user and installation. That run, once it has
found work to do, hands itself over (cxbench/handover.py: command line, environment, working
folder, terminal) and the spare runs it, with a dbt process of its own already waiting
(cxbench/dbt_warm.py), then leaves a new spare and exits: one run per process, as without it.

What the spare holds is only what does not change between runs: third-party modules, those
below and those the run that started it had imported (Dagster's storage, dbt's graph, ~0.5 s
more). cxbench's own code is imported after the hand-over, so an edited checkout runs as
edited. It declines (the run then runs by itself, as it would without a spare) when packages
were installed or removed since it started, when its own modules changed, or when the
environment differs other than in CXBENCH_* settings (a library may read the environment at
import). Only a process of the same user is served. One spare per user and installation: the
abstract socket's name says which.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import site
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import NoReturn

from cxbench import dbt_warm, handover
from cxbench.fast_exit import exit_code, leave

MINUTES_ENV = "CXBENCH_SPARE_MINUTES"
DEFAULT_MINUTES = 15.0
# What a run imports before its first step and after, as far as it does not depend on the run.
LIBRARIES = (
    "dagster",
    "dagster_dbt",
    "pandas",
    "pandera",
    "pandera.polars",
    "duckdb",
    "pyarrow.parquet",
    "highspy",
    "great_expectations",
)
# cxbench's own packages: imported after the hand-over, as they are then.
OWN_PACKAGES = ("cxbench", "orchestration", "validations")
# Environment differences a spare may serve: per-shell noise, and cxbench's own settings, which
# cxbench reads when it runs (after the hand-over), never at import.
_IGNORED = ("PWD", "OLDPWD", "_", "SHLVL")

_serving = False  # this process is a spare running a handed-over command


def minutes() -> float:
    try:
        return max(0.0, float(os.environ.get(MINUTES_ENV, DEFAULT_MINUTES)))
    except ValueError:
        return 0.0


def serving() -> bool:
    return _serving


def hand_over(argv: list[str]) -> int | None:
    """Run this `cxbench` command in the waiting spare: its exit code, or None when there is
    none, it declined, or this process is the spare."""
    if _serving or minutes() == 0:
        return None
    return handover.ask(_name(), argv)


def leave_one(env: dict[str, str], entry: str) -> None:
    """Start a spare for the next run with environment `env`, unless one waits already. It runs
    a handed-over command with `entry` ("module:function", called with the arguments)."""
    if minutes() == 0:
        return
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind("\0" + _name())  # taken while a spare waits: one per user and installation
    except OSError:
        server.close()
        return
    server.listen(1)
    fd, libraries = tempfile.mkstemp(prefix="cxbench-spare-", suffix=".txt")
    with os.fdopen(fd, "w") as names:
        names.write("\n".join(imported_libraries()))
    subprocess.Popen(
        [sys.executable, "-m", "cxbench.spare", str(server.fileno()), entry, libraries],
        pass_fds=(server.fileno(),),
        env=dbt_warm.without_warm_process(env),  # a served run's env names its own dbt process
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # outlives this run; Ctrl-C reaches it only through a client
    )
    server.close()


def imported_libraries() -> list[str]:
    """The third-party modules this process has imported (installed packages, not cxbench's)."""
    folders = tuple(os.path.join(folder, "") for folder in _library_folders())
    return sorted(
        name
        for name, module in list(sys.modules.items())
        if name.partition(".")[0] not in OWN_PACKAGES
        and (getattr(module, "__file__", None) or "").startswith(folders)
    )


def _import_ahead(libraries: str) -> None:
    """Import LIBRARIES, then the modules the file `libraries` names (and delete it)."""
    for library in LIBRARIES:
        importlib.import_module(library)
    try:
        with open(libraries) as names:
            modules = names.read().split()
        os.unlink(libraries)
    except OSError:
        return
    for module in modules:
        if module not in sys.modules:
            with contextlib.suppress(Exception):  # one the run imported another way: it will again
                importlib.import_module(module)


def _library_folders() -> set[str]:
    folders = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    folders.update(site.getsitepackages())
    return folders


def _name() -> str:
    installation = f"{sys.prefix}\0{Path(__file__).resolve().parent}"
    return f"cxbench-spare-{os.getuid()}-{hashlib.sha256(installation.encode()).hexdigest()[:16]}"


def _installed() -> frozenset:
    """What changes when packages are installed or removed, or cxbench's loaded modules edited."""
    stamps = [(folder, os.stat(folder).st_mtime_ns) for folder in sorted(_library_folders())]
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if path and name.partition(".")[0] == "cxbench":
            stamps.append((path, os.stat(path).st_mtime_ns))
    return frozenset(stamps)


def _differences(ours: dict[str, str], theirs: dict[str, str]) -> set[str]:
    changed = {key for key in ours.keys() | theirs.keys() if ours.get(key) != theirs.get(key)}
    return {key for key in changed if not key.startswith("CXBENCH_") and key not in _IGNORED}


def _serve(fd: int, entry: str, libraries: str) -> NoReturn:
    global _serving
    server = socket.socket(fileno=fd)  # bound and listening: callers queue while we import
    environment = dict(os.environ)
    installed = _installed()
    _import_ahead(libraries)
    dbt_warm.start(rehearse=True)  # the served run's dbt build finds dbt imported and warmed
    warm = os.environ[dbt_warm.ENV]
    started, limit = time.monotonic(), 60 * minutes()
    connection = handover.wait_for_caller(server, lambda: time.monotonic() - started < limit)
    server.close()  # the name is free again: the run leaves the next spare when it is done
    request, fds = handover.read_request(connection)
    if _installed() != installed or _differences(environment, request["env"]):
        handover.decline(connection, fds)
        leave(0)
    handover.take_over(connection, request, fds, "cxbench")
    os.environ[dbt_warm.ENV] = warm
    _serving = True
    module, function = entry.split(":")
    main = getattr(importlib.import_module(module), function)  # imported now: the code as it is
    try:
        code = main(sys.argv[1:])
    except SystemExit as exit_:
        code = exit_code(exit_.code)
    except KeyboardInterrupt:
        code = 130
    handover.answer(connection, code)
    leave(code)


if __name__ == "__main__":
    # Serve as `cxbench.spare`, the module the run's code imports: run as a script this module is
    # `__main__`, a second copy, and the run would not see that it is being served (`serving`).
    from cxbench import spare

    spare._serve(int(sys.argv[1]), sys.argv[2], sys.argv[3])
