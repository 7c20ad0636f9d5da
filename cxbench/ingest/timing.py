"""Where an ingest run's time went: seconds per stage, for the asset's metadata and bench.stages.

Stages overlap (files are read on a thread pool while the batch before is validated and the one
before that written), so each stage's seconds are the time its threads were busy with it, summed
over those threads: together they exceed the wall time. The process's CPU seconds over the whole
ingest say how much of the machine it used.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

R = TypeVar("R")

# Stage -> what it covers, in the order they are shown.
STAGES = {
    # hashing on the reading threads; parsing and mapping there, or per batch for plain CSV files
    "read": "read: hash, parse, map onto the canonical layout",
    "validate": "validate: pandera over each batch",
    "load": "load: DuckDB inserts, quarantine and file log (writing thread)",
}


@dataclass
class StageTimes:
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    wall: float = 0.0
    cpu: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def timed(self, stage: str, work: Callable[..., R], *args) -> R:
        """`work(*args)`, its seconds added to `stage` (any thread may add to any stage)."""
        started = time.perf_counter()
        try:
            return work(*args)
        finally:
            elapsed = time.perf_counter() - started
            with self._lock:
                self.seconds[stage] += elapsed

    @contextmanager
    def whole(self) -> Iterator[None]:
        """Time the whole ingest: wall seconds and the process's CPU seconds (every thread)."""
        wall, cpu = time.perf_counter(), _cpu()
        try:
            yield
        finally:
            self.wall, self.cpu = time.perf_counter() - wall, _cpu() - cpu

    def as_metadata(self) -> dict[str, float]:
        """Flat, rounded entries: `seconds_<stage>`, `seconds_wall`, `seconds_cpu`."""
        entries = {f"seconds_{name}": round(s, 3) for name, s in self.seconds.items()}
        return {**entries, "seconds_wall": round(self.wall, 3), "seconds_cpu": round(self.cpu, 3)}


def _cpu() -> float:
    times = os.times()
    return times.user + times.system
