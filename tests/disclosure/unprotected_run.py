"""`cxbench run` without the complementary cells the audit asks for (tests only).

    python -m tests.disclosure.unprotected_run [cxbench run options]

It stands for the suppression dbt alone gives (today's rule): the audit must then block the
publication. The rest is the real `cxbench run`: the same CLI, job and checks.
"""

from __future__ import annotations

import sys

import orchestration.assets.transform as transform
from orchestration.cli import main

if __name__ == "__main__":
    transform.protect_marts = lambda home, logger=None: 0
    sys.exit(main(["run", *sys.argv[1:]]))
