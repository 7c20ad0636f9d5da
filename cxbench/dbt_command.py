"""`cxbench-dbt`: the venv's dbt, exiting without interpreter teardown (~0.5 s a build).

dagster-dbt runs dbt as a subprocess for every build; this is the executable it runs
(orchestration/dbt.py). Arguments, output and exit codes are dbt's own. When `cxbench run`
started a dbt process ahead (cxbench/dbt_warm.py), the command runs there.
"""

from __future__ import annotations

import os
from typing import NoReturn

from cxbench.fast_exit import exit_code, leave

WAREHOUSE_ENV = "CXBENCH_WAREHOUSE"  # dbt_project/profiles.yml


def warehouse_by_name() -> None:
    """Open the warehouse by its file name, from its own folder.

    dbt reuses a parse state only for the same profile, and the profile holds the warehouse
    path: with the data home's absolute path, the first build on every data home parsed the
    whole project again (~1.9 s) instead of taking the state `dbt parse` left beside the code
    (orchestration/dbt.py parses with the same name). dbt finds the project and profiles through
    DBT_PROJECT_DIR and DBT_PROFILES_DIR (dagster-dbt sets them; else the folder it was started
    in), and resolves relative paths in them against the project, not the working folder.
    """
    path = os.environ.get(WAREHOUSE_ENV)
    if not (path and os.path.isabs(path) and os.path.isdir(os.path.dirname(path))):
        return
    here = os.getcwd()  # dbt's default project folder, and profiles folder when it has one
    os.environ.setdefault("DBT_PROJECT_DIR", here)
    if os.path.exists(os.path.join(here, "profiles.yml")):
        os.environ.setdefault("DBT_PROFILES_DIR", here)
    os.chdir(os.path.dirname(path))
    os.environ[WAREHOUSE_ENV] = os.path.basename(path)


def main() -> NoReturn:
    from cxbench.dbt_warm import hand_over

    warehouse_by_name()  # before the hand-over, which passes the working folder and environment
    handed = hand_over()  # to the dbt process `cxbench run` started ahead, if one waits
    if handed is not None:
        leave(handed)
    from dbt.cli.main import cli

    try:
        status = cli()  # click's standalone mode ends with SystemExit, also on success
    except SystemExit as exit_:
        status = exit_.code
    leave(exit_code(status))


if __name__ == "__main__":
    main()
