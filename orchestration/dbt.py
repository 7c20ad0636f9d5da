"""The dbt project as Dagster sees it. Kept apart so set-up can prepare its manifest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging.version import Version

from cxbench.dbt_command import WAREHOUSE_ENV
from cxbench.dbt_vars import with_build_version
from cxbench.dbt_warm import without_warm_process
from cxbench.settings import DBT_PROJECT_DIR, DataHome

# The venv's dbt, run through cxbench-dbt (cxbench/dbt_command.py): the same dbt, without
# the ~0.5 s its interpreter spends tearing down after every build.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "cxbench-dbt")

# `cxbench run --var` hands dbt vars to the dbt asset through this variable (JSON).
DBT_VARS_ENV = "CXBENCH_DBT_VARS"


def parse_target() -> Path:
    """Where `dbt parse` leaves the manifest the code location loads.

    The manifest is a product of the code, not of a run (like a .pyc): beside the project when
    it can be written there, in the data home for a read-only install. Builds never write here.
    """
    if os.access(DBT_PROJECT_DIR, os.W_OK):
        return DBT_PROJECT_DIR / "target"
    return DataHome.from_env().root / "dbt" / "parse"


dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=parse_target()
)


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
    """dagster-dbt builds its assets from target/manifest.json: parse when missing or stale.

    The parse state it leaves seeds a data home's first build, so it is made for what that build
    passes dbt: the warehouse by its name (cxbench/dbt_command.py) and the default run's vars
    (the build version). dbt reuses it only when both match, else parses the whole project.
    """
    if _manifest_is_stale(dbt_project.manifest_path):
        target = str(dbt_project.manifest_path.parent)
        environment = {**dbt_environment(), WAREHOUSE_ENV: DataHome.WAREHOUSE_NAME}
        subprocess.run(
            [
                DBT_EXECUTABLE,
                *with_build_version(["parse"]),
                "--quiet",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                target,
                "--log-path",
                target,
            ],
            check=True,
            env=without_warm_process(environment),  # the process waits for the build
        )
    return dbt_project.manifest_path


class WarehouseDbtResource(DbtCliResource):
    """dagster-dbt's resource without two start-up costs cxbench does not need (~3 s a run).

    Before each command dagster-dbt runs `dbt --version` in a subprocess and opens a dbt adapter
    in this process; the adapter only serves fetching row counts and column metadata, which
    cxbench does not do, and dbt is the venv's own (pinned in requirements.lock), so its version
    is read from the package metadata. tests/orchestration/test_dbt_resource.py guards both.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002 - dagster-dbt's signature
        return None


def dbt_resource() -> DbtCliResource:
    return WarehouseDbtResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)


# Each dbt command of a run writes its artefacts into a folder of its own under the data home's
# dbt/ (never into the code's checkout); keep the last few.
INVOCATIONS_KEPT = 5


def invocation_target(home: DataHome, label: str) -> Path:
    """A new folder for one dbt command under the data home, seeded with the parse state the
    last command there left (dagster-dbt only seeds from the code's target/ otherwise)."""
    runs = home.dbt_runs
    folder = runs / f"{label}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    state = runs / "partial_parse.msgpack"
    if state.exists():
        shutil.copyfile(state, folder / "partial_parse.msgpack")
    return folder


def keep_partial_parse(invocation_target: Path) -> None:
    """Hand this command's parse state to the next command, and prune old command folders.

    dbt only reuses a parse state made with the same vars and profile; the one `dbt parse` left
    beside the project fits a default run (`ensure_manifest`), the one the last command wrote
    also a run with the same `--var`s: it is kept in the folder that holds the commands' folders
    (`invocation_target` hands it on), and it holds the models' parse as the last build left it.
    """
    state = invocation_target / "partial_parse.msgpack"
    target = invocation_target.parent
    if state.exists():
        staged = target / f".partial_parse.{os.getpid()}.msgpack"
        shutil.copyfile(state, staged)
        os.replace(staged, target / "partial_parse.msgpack")
    folders = sorted(
        (p for p in target.iterdir() if p.is_dir() and (p / "run_results.json").exists()),
        key=lambda p: p.stat().st_mtime,
    )
    for old in folders[:-INVOCATIONS_KEPT]:
        shutil.rmtree(old, ignore_errors=True)


def dbt_build_args() -> list[str]:
    """`dbt build`, with the run's var overrides (disclosure thresholds, edition) if any.

    Unit tests check the SQL, not the data: `make test` runs them (tests/test_end_to_end.py),
    a production run does not spend a second on them. dbt's own log file keeps warnings and
    errors: at its default, debug, formatting every query and connection event cost ~0.3 s of a
    3 s build; what dbt says at info (each node, its timing, the parse) is in the run's log
    (logs/last-run.log, through dagster-dbt), the SQL in the command's folder (run/).
    """
    args = ["build", "--exclude-resource-type", "unit_test", "--log-level-file", "warn"]
    overrides = os.environ.get(DBT_VARS_ENV)
    return [*args, "--vars", overrides] if overrides else args
