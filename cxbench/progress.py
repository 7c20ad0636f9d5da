"""Progress of a long run: one updating line in a terminal, plain lines in a log.

Stages report through `report`; it does nothing unless a launcher has installed a display with
`shown` (a run from the UI or the daemon has its own view of progress). In a terminal the line
is rewritten in place, at most ten times a second; the log gets a line when a stage starts and
at every tenth of its work, with the time since the run started.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

_REFRESH_SECONDS = 0.1


class Display:
    def __init__(self, terminal: TextIO | None, log: TextIO | None) -> None:
        self.terminal, self.log = terminal, log
        self.started = time.monotonic()
        self._stage: str | None = None
        self._tenth = -1
        self._drawn = 0.0
        self._lock = threading.Lock()

    def update(self, stage: str, done: int | None, total: int | None, unit: str) -> None:
        with self._lock:
            counted = f" {done:,}/{total:,} {unit}".rstrip() if total else ""
            text = f"{stage}{counted}"
            tenth = 10 * done // total if total and done is not None else 0
            if self.log and (stage != self._stage or tenth > self._tenth):
                self.log.write(f"[{time.monotonic() - self.started:7.1f}s] {text}\n")
                self.log.flush()
            new_stage = stage != self._stage
            self._stage, self._tenth = stage, (tenth if not new_stage or total else 0)
            now = time.monotonic()
            if self.terminal and (new_stage or now - self._drawn >= _REFRESH_SECONDS):
                elapsed = now - self.started
                self.terminal.write(f"\r\x1b[Kcxbench: {text} ({elapsed:.0f} s)")
                self.terminal.flush()
                self._drawn = now

    def close(self) -> None:
        if self.terminal and self._stage is not None:
            self.terminal.write("\r\x1b[K")
            self.terminal.flush()


_display: Display | None = None


def report(stage: str, done: int | None = None, total: int | None = None, unit: str = "") -> None:
    """Stage `stage` is under way (with `done` of `total` units when it can count them)."""
    if _display is not None:
        _display.update(stage, done, total, unit)


@contextmanager
def shown(terminal: TextIO | None, log: TextIO | None) -> Iterator[Display]:
    """Show the progress of what runs inside on `terminal` (a TTY) and in `log`."""
    global _display
    display = Display(terminal, log)
    _display = display
    try:
        yield display
    finally:
        _display = None
        display.close()
