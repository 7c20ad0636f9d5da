"""cxbench-dbt is dbt with a faster exit: same output and exit codes, the ones dagster-dbt reads
to tell a failed build; and it opens the warehouse by name, so dbt reuses its parse state."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cxbench.dbt_vars import with_build_version
from orchestration.dbt import DBT_EXECUTABLE, dbt_environment, ensure_manifest
from tests.conftest import run_dbt

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


def test_a_data_homes_first_build_reuses_the_parse_state_beside_the_code(tmp_path):
    """`dbt parse` beside the code (orchestration/dbt.py) leaves a parse state for a default
    run; cxbench-dbt opens the warehouse by its name from its folder, so the profile, and with it
    that state, fits a data home dbt has never seen (a full parse takes ~1.9 s)."""
    manifest = ensure_manifest()
    target, home = tmp_path / "target", tmp_path / "home"
    target.mkdir()
    home.mkdir()
    shutil.copy(manifest.parent / "partial_parse.msgpack", target)
    # An absolute warehouse path, as orchestration/resources.py sets it.
    run_dbt(with_build_version(["parse"]), home / "warehouse.duckdb", target, timeout=300)

    log = (target / "dbt.log").read_text()
    assert "Unable to do partial parsing" not in log
    assert "Partial parsing enabled" in log
