"""dbt vars on a dbt command line: merging them, and the build version the models sign with.

`--vars` takes one JSON object; the run's overrides (`cxbench run --var`), an edition's name,
the Spark lake and the build version are merged into it rather than given twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version

from cxbench.freshness import add_contents, tree
from cxbench.settings import DBT_PROJECT_DIR

BUILD_VERSION_VAR = "cxbench_build_version"
# What the SQL of a model can depend on besides its rows: the project and what renders and runs it.
_PROJECT_FOLDERS = ("models", "macros", "seeds")
_PACKAGES = ("dbt-core", "dbt-duckdb", "dbt-spark", "duckdb", "pyspark")


def vars_of(args: list[str]) -> dict[str, object]:
    """The `--vars` object of a dbt command line ({} when it has none)."""
    return json.loads(args[args.index("--vars") + 1]) if "--vars" in args else {}


def with_vars(args: list[str], extra: Mapping[str, object]) -> list[str]:
    """`args` with `extra` merged into its `--vars` (added when there is none)."""
    args = list(args)
    if "--vars" in args:
        at = args.index("--vars") + 1
        args[at] = json.dumps({**json.loads(args[at]), **extra})
        return args
    return [*args, "--vars", json.dumps(dict(extra))]


def build_version(dbt_vars: Mapping[str, object]) -> str:
    """A hash of everything but the rows that a model's result depends on: the dbt project's
    models, macros, seeds and dbt_project.yml, the vars of the command, and the versions of dbt,
    its adapters and the engines. Models rebuilt per study keep a study's rows only while this
    and its deliveries are unchanged (dbt_project/macros/study_increments.sql)."""
    digest = hashlib.sha256()
    files = [DBT_PROJECT_DIR / "dbt_project.yml"]
    for folder in _PROJECT_FOLDERS:
        files.extend(tree(DBT_PROJECT_DIR / folder))
    add_contents(digest, files, DBT_PROJECT_DIR)
    other = {key: value for key, value in dbt_vars.items() if key != BUILD_VERSION_VAR}
    digest.update(json.dumps(other, sort_keys=True, default=str).encode())
    for package in _PACKAGES:
        try:
            digest.update(f"{package}={version(package)}".encode())
        except PackageNotFoundError:
            pass
    return digest.hexdigest()[:32]


def with_build_version(args: list[str]) -> list[str]:
    """`args` with var cxbench_build_version for the vars they already carry: call last."""
    return with_vars(args, {BUILD_VERSION_VAR: build_version(vars_of(args))})
