"""cxbench-dbt is dbt with a faster exit: same output and exit codes, the ones dagster-dbt reads
to tell a failed build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.dbt import DBT_EXECUTABLE, dbt_environment

PLAIN_DBT = str(Path(sys.executable).parent / "dbt")


def run(executable: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [executable, *args], capture_output=True, text=True, env=dbt_environment(), timeout=300
    )


def test_dagster_dbt_runs_cxbench_dbt():
    assert Path(DBT_EXECUTABLE).name == "cxbench-dbt"


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),  # success, output through a pipe that only a flush empties
        ("parse", "--project-dir", "/nonexistent/cxbench"),  # dbt's error exit
        ("no-such-command",),  # click's usage error
    ],
)
def test_output_and_exit_code_are_dbts(args, tmp_path):
    ours, theirs = run(DBT_EXECUTABLE, *args), run(PLAIN_DBT, *args)

    assert ours.returncode == theirs.returncode
    named_dbt = ours.stdout.replace("cxbench-dbt", "dbt")  # click names the program it runs as
    assert named_dbt.splitlines()[:3] == theirs.stdout.splitlines()[:3]
    assert ours.stdout.strip() or ours.stderr.strip()
