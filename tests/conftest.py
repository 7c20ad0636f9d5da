"""Shared fixtures: a data home with a landing set, and a full `cxbench run` over it."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import tests.properties.profiles  # noqa: F401 - registers the hypothesis profiles

REPO = Path(__file__).resolve().parent.parent
CXBENCH = str(Path(sys.executable).parent / "cxbench")

# No spare process after the suite's runs (cxbench/spare.py): each test's `cxbench run` imports
# everything itself, and nothing outlives the suite. tests/orchestration/test_spare.py turns it on.
os.environ["CXBENCH_SPARE_MINUTES"] = "0"


def write_studies(respondents: pd.DataFrame, landing: Path) -> list[Path]:
    """One canonical CSV per study (organisation x year), as research firms receive them."""
    landing.mkdir(parents=True, exist_ok=True)
    written = []
    for (organisation, year), study in respondents.groupby(["organisation_id", "year"]):
        path = landing / f"{organisation}_{year}.csv"
        study.to_csv(path, index=False, na_rep="")
        written.append(path)
    return written


def cxbench_environment(home: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a `cxbench` command on data home `home`: this process's, with `env`."""
    return {**os.environ, **(env or {}), "CXBENCH_HOME": str(home), "DO_NOT_TRACK": "1"}


def run_cxbench(
    home: Path, *args: str, check: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`cxbench ARGS` on data home `home`; `env` adds settings to this process's environment."""
    result = subprocess.run(
        [CXBENCH, *args],
        cwd=REPO,
        env=cxbench_environment(home, env),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"cxbench {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def run_dbt(
    args: list[str], warehouse: Path, target: Path, timeout: float = 600
) -> subprocess.CompletedProcess:
    """`cxbench-dbt ARGS` as dagster-dbt runs it (from the project, its folders in DBT_PROJECT_DIR
    and DBT_PROFILES_DIR) on `warehouse`, its artefacts and log in `target`; it must succeed."""
    from cxbench.dbt_command import WAREHOUSE_ENV
    from cxbench.dbt_warm import without_warm_process
    from cxbench.settings import DBT_PROJECT_DIR
    from orchestration.dbt import DBT_EXECUTABLE, dbt_environment

    env = {
        **without_warm_process(dbt_environment()),
        WAREHOUSE_ENV: str(warehouse),
        "DBT_PROJECT_DIR": str(DBT_PROJECT_DIR),
        "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
    }
    env.pop("DBT_TARGET_PATH", None)
    result = subprocess.run(
        [DBT_EXECUTABLE, *args, "--target-path", str(target), "--log-path", str(target)],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    return result


@dataclass
class Publication:
    home: Path
    run: subprocess.CompletedProcess

    def table(self, name: str) -> pd.DataFrame:
        con = duckdb.connect(str(self.home / "published" / "benchmark.duckdb"), read_only=True)
        try:
            return con.execute(f"select * from benchmark.{name}").df()
        finally:
            con.close()

    def warehouse(self, sql: str) -> pd.DataFrame:
        con = duckdb.connect(str(self.home / "warehouse.duckdb"), read_only=True)
        try:
            return con.execute(sql).df()
        finally:
            con.close()


def publish_respondents(respondents: pd.DataFrame, home: Path) -> Publication:
    write_studies(respondents, home / "landing")
    return Publication(home=home, run=run_cxbench(home, "run", check=True))


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    (home / "landing").mkdir(parents=True)
    monkeypatch.setenv("CXBENCH_HOME", str(home))
    return home
