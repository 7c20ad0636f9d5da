"""`cxbench run` whose marts are spoiled after dbt built and tested them (tests only).

    python -m tests.quality.corrupting_run "<SQL on the warehouse>" [cxbench run options]

It stands for what dbt's own tests cannot catch: a mart changed after they ran (a bug in a
later step, a hand edit). The rest is the real `cxbench run`: the same CLI, job and gate.
"""

from __future__ import annotations

import os
import sys

import duckdb
from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation

from orchestration.cli import main


def _spoil_after_dbt(sql: str) -> None:
    original = DbtCliInvocation.stream

    def stream(self):
        yield from original(self)
        # dbt has exited: the warehouse is free to open for writing.
        con = duckdb.connect(os.environ["CXBENCH_WAREHOUSE"])
        try:
            con.execute(sql)
        finally:
            con.close()

    DbtCliInvocation.stream = stream


if __name__ == "__main__":
    _spoil_after_dbt(sys.argv[1])
    sys.exit(main(["run", *sys.argv[2:]]))
