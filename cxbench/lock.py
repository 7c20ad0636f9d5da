"""One writer per data home: DuckDB allows one, and two publications must not interleave."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager

from cxbench.settings import DataHome

EXIT_BUSY = 75  # EX_TEMPFAIL: another run holds the data home


class DataHomeBusy(Exception):
    pass


@contextmanager
def writer_lock(home: DataHome, wait: bool) -> Iterator[None]:
    """Hold the data home's lock (waiting for it, or DataHomeBusy at once without `wait`)."""
    home.root.mkdir(parents=True, exist_ok=True)
    with (home.root / ".cxbench-run.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as busy:
            raise DataHomeBusy(str(home.root)) from busy
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def busy_message(home: DataHome) -> str:
    return (
        f"cxbench: another cxbench run is updating {home.root}; nothing was changed "
        "(use --wait to queue behind it)"
    )
