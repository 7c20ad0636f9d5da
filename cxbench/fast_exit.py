"""Leaving a command without tearing the interpreter down.

A cxbench run has imported Dagster, dbt, Great Expectations and pandas, some 600,000 objects,
and a dbt build most of dbt; freeing them one by one at exit costs ~1.5 s of CPU in cxbench and
~0.5 s in dbt, per command, and makes DuckDB's bindings print leak warnings. Nothing is lost by
skipping it once the command has closed its files: what a normal exit does that matters is done
here (wait for threads, run the atexit handlers, logging's among them, flush the output).
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
import threading
from typing import NoReturn


def exit_code(status: object) -> int:
    """The process exit code `sys.exit(status)` would give (a message is printed, as it would)."""
    if status is None:
        return 0
    if isinstance(status, int):
        return status
    print(status, file=sys.stderr)
    return 1


def leave(code: int) -> NoReturn:
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
