"""cxbench.dbt_warm: the run's dbt command runs in the dbt process started ahead, once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from cxbench import dbt_warm

# A `cxbench-dbt --version` that reports whether it was handed over, and to which process.
CLIENT = (
    "import os, sys; sys.argv = ['cxbench-dbt', '--version']; "
    "from cxbench.dbt_warm import hand_over; "
    "code = hand_over(); print('handed', code, flush=True)"
)


def _client(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CLIENT], env=env, capture_output=True, text=True, timeout=120
    )


def _wait_until_listening(name: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while f"@{name}" not in Path("/proc/net/unix").read_text():
        assert time.monotonic() < deadline, "the dbt process never listened"
        time.sleep(0.05)


def test_a_dbt_command_runs_in_the_waiting_process_and_only_one(monkeypatch):
    monkeypatch.delenv(dbt_warm.ENV, raising=False)
    dbt_warm.start()
    env = dict(os.environ)
    monkeypatch.delenv(dbt_warm.ENV)
    _wait_until_listening(env[dbt_warm.ENV])
    first = _client(env)
    # dbt's own version output, written by the waiting process into this client's stdout.
    assert "handed 0" in first.stdout
    assert "Core:" in first.stdout or "installed" in first.stdout.lower()
    # The process served its one command: the next finds nobody and would run dbt itself.
    second = _client(env)
    assert second.stdout.strip() == "handed None"


def test_without_a_waiting_process_the_command_runs_itself():
    env = {**os.environ, dbt_warm.ENV: "cxbench-dbt-nobody-listens"}
    assert _client(env).stdout.strip() == "handed None"
    assert dbt_warm.ENV not in dbt_warm.without_warm_process(env)
