"""`cxbench-dbt`: the venv's dbt, exiting without interpreter teardown (~0.5 s a build).

dagster-dbt runs dbt as a subprocess for every build; this is the executable it runs
(orchestration/dbt.py). Arguments, output and exit codes are dbt's own. When `cxbench run`
started a dbt process ahead (cxbench/dbt_warm.py), the command runs there.
"""

from __future__ import annotations

from typing import NoReturn

from cxbench.fast_exit import exit_code, leave


def main() -> NoReturn:
    from cxbench.dbt_warm import hand_over

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
