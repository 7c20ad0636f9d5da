"""cxbench.spare: a run leaves a spare process behind, and the next run with work to do runs in it.

Which process ran a run's steps is in the run's log (Dagster's "Finished steps in process (pid:
N)"); the spare's pid is found through its listening socket.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bench.tree_memory import wait_until_idle
from cxbench import spare
from tests.conftest import run_cxbench, write_studies

ON = {spare.MINUTES_ENV: "5"}


def _studies(first: int, count: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frames = []
    for k in range(first, first + count):
        n = int(rng.integers(15, 30))
        frames.append(
            pd.DataFrame(
                {
                    "respondent_id": [f"R{i:03d}" for i in range(n)],
                    "organisation_id": f"ORG{k:03d}",
                    "sector": ("ict", "wholesale")[k % 2],
                    "market": "B2B",
                    "year": 2021,
                    "recommend": rng.integers(0, 11, n),
                    "grade_overall": np.round(rng.uniform(3, 10, n), 1),
                    "weight": 1.0,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _spare_pid(timeout: float = 120) -> int:
    """The pid of the spare listening for this installation, once it listens."""
    deadline = time.monotonic() + timeout
    name = "@" + spare._name()
    while time.monotonic() < deadline:
        inodes = {
            line.split()[6]
            for line in Path("/proc/net/unix").read_text().splitlines()[1:]
            if line.split()[-1] == name
        }
        for fd in Path("/proc").glob("[0-9]*/fd/*"):
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                return int(fd.parent.parent.name)
        time.sleep(0.2)
    raise AssertionError("no spare process listens")


def _steps_pid(home: Path) -> int:
    log = (home / "logs" / "last-run.log").read_text()
    return int(re.findall(r"Finished steps in process \(pid: (\d+)\)", log)[-1])


@pytest.fixture
def no_spare_left():
    yield
    for _ in range(3):
        try:
            os.kill(_spare_pid(timeout=1), signal.SIGTERM)
        except AssertionError:
            return
        time.sleep(0.5)


def test_the_next_run_runs_in_the_spare_the_last_one_left(tmp_path: Path, no_spare_left):
    home = tmp_path / "home"
    write_studies(_studies(0, 6, seed=1), home / "landing")
    assert run_cxbench(home, "run", "--quiet", env=ON).returncode == 0
    waiting = _spare_pid()
    wait_until_idle(lambda: [waiting], timeout=120, interval=1.0)  # its imports done

    write_studies(_studies(6, 2, seed=2), home / "landing")
    served = run_cxbench(home, "run", env=ON)
    assert served.returncode == 0, served.stderr
    # Its summary reached this caller's pipes, and its steps ran in the spare.
    assert "Deliveries: 8 files (8 loaded)" in served.stdout
    assert _steps_pid(home) == waiting
    assert _spare_pid() != waiting  # it left the next one


def test_a_spare_declines_another_environment(monkeypatch, no_spare_left):
    """A library may read this at import, and the spare imported without it: the caller is
    told to run the command itself, and the spare leaves."""
    monkeypatch.setenv(spare.MINUTES_ENV, "5")
    spare.leave_one(dict(os.environ), entry="orchestration.cli:main")
    waiting = _spare_pid()
    monkeypatch.setenv("POLARS_MAX_THREADS", "1")
    assert spare.hand_over(["run", "--quiet"]) is None
    deadline = time.monotonic() + 30
    while Path(f"/proc/{waiting}").exists() and _state(waiting) != "Z":
        assert time.monotonic() < deadline, "the spare did not leave"
        time.sleep(0.1)


def serving_code(argv: list[str]) -> int:
    """A handed-over command (run in the spare): 0 when the code it runs sees that it is served,
    so that a served `cxbench run` takes the spare's rehearsed dbt process instead of starting
    another one, which would import dbt again beside the run."""
    return 0 if spare.serving() else 3


def test_the_command_a_spare_runs_knows_it_is_served(monkeypatch, no_spare_left):
    monkeypatch.setenv(spare.MINUTES_ENV, "5")
    spare.leave_one(dict(os.environ), entry="tests.orchestration.test_spare:serving_code")
    _spare_pid()
    assert spare.hand_over(["serving?"]) == 0


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_environment_differences_a_spare_serves():
    ours = {"PATH": "/bin", "CXBENCH_HOME": "/a", "PWD": "/x"}
    assert not spare._differences(ours, {**ours, "CXBENCH_HOME": "/b", "PWD": "/y"})
    assert spare._differences(ours, {**ours, "PATH": "/usr/bin"}) == {"PATH"}
    assert spare._differences(ours, {**ours, "DAGSTER_HOME": "/d"}) == {"DAGSTER_HOME"}


def _python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout


def test_what_a_run_imported_from_installed_packages_is_named_for_the_next_spare():
    names = json.loads(
        _python(
            "import json, dbt.graph.cli, cxbench.settings, orchestration.names\n"
            "from cxbench import spare\n"
            "print(json.dumps(spare.imported_libraries()))"
        )
    )
    assert {"dbt.graph.cli", "networkx"} <= set(names)
    assert not [n for n in names if n.partition(".")[0] in spare.OWN_PACKAGES]
    assert "json" not in names  # the standard library costs the spare nothing to leave


def test_a_spare_imports_ahead_what_the_last_run_imported(tmp_path: Path):
    libraries = tmp_path / "libraries.txt"
    libraries.write_text("networkx\nno_such_module_anywhere\n")
    imported = _python(
        "import sys\n"
        "from cxbench import spare\n"
        "spare.LIBRARIES = ()\n"
        f"spare._import_ahead({str(libraries)!r})\n"
        "print('networkx' in sys.modules, 'no_such_module_anywhere' in sys.modules)"
    )
    assert imported.split() == ["True", "False"]  # a module that fails to import is left out
    assert not libraries.exists()
