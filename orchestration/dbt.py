"""The dbt project as Dagster sees it. Kept apart so set-up can prepare its manifest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from orchestration.settings import DBT_PROJECT_DIR

DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")

# `cxbench run --var` hands dbt vars to the dbt asset through this variable (JSON).
DBT_VARS_ENV = "CXBENCH_DBT_VARS"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_environment() -> dict[str, str]:
    """No telemetry, and no version check that would try the network."""
    return {**os.environ, "DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


def _manifest_is_stale(manifest: Path) -> bool:
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        sources.extend(p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file())
    return any(p.stat().st_mtime > built for p in sources)


def ensure_manifest() -> Path:
    """dagster-dbt builds its assets from target/manifest.json: parse when missing or stale."""
    if _manifest_is_stale(dbt_project.manifest_path):
        subprocess.run(
            [
                DBT_EXECUTABLE,
                "parse",
                "--quiet",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
            ],
            check=True,
            env=dbt_environment(),
        )
    return dbt_project.manifest_path


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)


def dbt_build_args() -> list[str]:
    """`dbt build`, with the run's var overrides (disclosure thresholds, edition) if any."""
    overrides = os.environ.get(DBT_VARS_ENV)
    return ["build", "--vars", overrides] if overrides else ["build"]
