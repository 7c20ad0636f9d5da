"""Ingest's time per stage: what the asset records and bench.stages prints."""

from __future__ import annotations

import threading
import time

import pytest

from cxbench.ingest.timing import STAGES, StageTimes


def test_each_stage_sums_the_busy_time_of_every_thread():
    times = StageTimes()
    with times.whole():
        workers = [
            threading.Thread(target=times.timed, args=("read", time.sleep, 0.05)) for _ in range(3)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        times.timed("validate", time.sleep, 0.02)
    # Three threads slept at once: busy time exceeds the wall time, as stages overlap.
    assert times.seconds["read"] >= 0.15 > times.wall
    assert 0.02 <= times.seconds["validate"] < 0.1
    assert times.seconds["load"] == 0
    assert times.wall >= 0.07 and times.cpu >= 0


def test_work_that_fails_still_counts_and_the_error_passes():
    times = StageTimes()

    def fail():
        time.sleep(0.01)
        raise ValueError("bad batch")

    with pytest.raises(ValueError, match="bad batch"):
        times.timed("load", fail)
    assert times.seconds["load"] >= 0.01


def test_metadata_names_every_stage_wall_and_cpu():
    times = StageTimes()
    times.timed("validate", sum, [1, 2])
    entries = times.as_metadata()
    assert set(entries) == {f"seconds_{s}" for s in STAGES} | {"seconds_wall", "seconds_cpu"}
    assert all(isinstance(v, float) for v in entries.values())
