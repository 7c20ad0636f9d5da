"""cxbench-dbt is dbt with a faster exit: same output and exit codes, the ones dagster-dbt reads
to tell a failed build; and it opens the warehouse by name, so dbt reuses its parse state."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cxbench.dbt_command import WAREHOUSE_ENV
from cxbench.dbt_vars import with_build_version
from cxbench.dbt_warm import without_warm_process
from cxbench.settings import DBT_PROJECT_DIR
from orchestration.dbt import DBT_EXECUTABLE, dbt_environment, ensure_manifest

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
    env = {
        **without_warm_process(dbt_environment()),
        WAREHOUSE_ENV: str(home / "warehouse.duckdb"),  # as orchestration/resources.py sets it
        "DBT_PROJECT_DIR": str(DBT_PROJECT_DIR),  # as dagster-dbt sets them
        "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
    }
    args = [*with_build_version(["parse"]), "--target-path", str(target), "--log-path", str(target)]
    result = subprocess.run(
        [DBT_EXECUTABLE, *args],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout[-2000:]
    log = (target / "dbt.log").read_text()
    assert "Unable to do partial parsing" not in log
    assert "Partial parsing enabled" in log
