"""The wheel works outside the checkout: package data through importlib.resources, no path
that only exists in a clone. Built and installed (not editable) into a fresh venv with the
locked dependencies, then `cxbench demo-data` and `cxbench run` from an empty folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _run(*args: object, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=900, **kwargs
    )
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def test_the_installed_wheel_runs_the_benchmark_outside_the_checkout(tmp_path: Path):
    wheels = tmp_path / "wheels"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheels, REPO)
    (wheel,) = wheels.glob("cxbench-*.whl")
    venv = tmp_path / "venv"
    _run(getattr(sys, "_base_executable", sys.executable), "-m", "venv", venv)
    pip = venv / "bin" / "pip"
    # The wheel's own dependency list, resolved to the locked versions.
    _run(
        pip,
        "install",
        "--quiet",
        "--disable-pip-version-check",
        wheel,
        "-c",
        REPO / "requirements.lock",
    )

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("CXBENCH_HOME", "PYTHONPATH")}
    env.update(DO_NOT_TRACK="1", GX_ANALYTICS_ENABLED="false", DAGSTER_DISABLE_TELEMETRY="1")
    located = _run(
        venv / "bin" / "python",
        "-c",
        "import cxbench, validations, orchestration; "
        "from cxbench.settings import DBT_PROJECT_DIR, default_home; "
        "print(cxbench.__file__); print(DBT_PROJECT_DIR); print(default_home())",
        cwd=work,
        env=env,
    ).stdout.splitlines()
    assert all(str(venv) in line for line in located[:2]), located
    assert located[2] == str(work / "data")

    cxbench = venv / "bin" / "cxbench"
    _run(cxbench, "demo-data", "--scale", "0.1", cwd=work, env=env)
    run = _run(cxbench, "run", cwd=work, env=env)
    assert "Published benchmark" in run.stdout
    snapshot = work / "data" / "published" / "benchmark.duckdb"
    with duckdb.connect(str(snapshot), read_only=True) as con:
        assert con.execute("select count(*) from benchmark.nps_by_sector_year").fetchone()[0] > 0
    assert (work / "data" / "published" / "report" / "index.html").exists()
