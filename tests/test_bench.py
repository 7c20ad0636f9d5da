"""The benchmark harness compares like with like: the floor and the pandas script compute the
published NPS table, and the stage profile reads the run that produced it."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from bench.floor import NPS_WITH_CLUSTERED_SE, PLAIN_READ, READ, SCHEMA, plain_read
from bench.floor import nps_table as floor_nps
from bench.generate import write_landing
from bench.pandas_baseline import nps_table as pandas_nps
from bench.run import measure
from bench.stages import INGEST_SPLIT, profiles
from tests.conftest import Publication, run_cxbench

pytestmark = pytest.mark.slow

RESPONDENTS = 42_000  # 9 files: 5 organisations in 2019, 4 in 2020, one sector each


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    home = tmp_path_factory.mktemp("bench")
    write_landing(home / "landing", RESPONDENTS)
    # Every cell published, so that every floor cell has a published counterpart.
    run = run_cxbench(
        home,
        "run",
        "--var",
        "cxbench_min_organisations=1",
        "--var",
        "cxbench_max_organisation_share=1",
        check=True,
    )
    published = Publication(home, run).table("nps_by_sector_year")
    return home, published.set_index(["market", "year", "sector"]).sort_index()


def _compare(computed: pd.DataFrame, published: pd.DataFrame) -> None:
    computed = computed.set_index(["market", "year", "sector"]).sort_index()
    assert list(computed.index) == list(published.index)
    assert not published["suppressed"].any()
    np.testing.assert_allclose(computed["nps"], published["nps"], rtol=1e-9)
    # A sector of one organisation has se 0, computed as ~1e-15 by one and 0 by another.
    np.testing.assert_allclose(computed["nps_se"], published["nps_se"], rtol=1e-9, atol=1e-9)


def test_the_floor_query_computes_the_published_nps_table(bench_run):
    home, published = bench_run
    rows = floor_nps(home / "landing")
    _compare(pd.DataFrame(rows, columns=["market", "year", "sector", "nps", "nps_se"]), published)


def test_the_floor_reads_like_a_plain_read_of_the_files_with_their_schema(bench_run, tmp_path):
    """The floor's scan is the plain read's: declared schema, nothing sniffed, one folder."""
    home, _ = bench_run
    assert READ in NPS_WITH_CLUSTERED_SE and READ in PLAIN_READ
    assert "auto_detect = false" in READ and "union_by_name" not in READ and "**" not in READ
    ((count, _, _, organisations),) = plain_read(home / "landing")
    assert count == RESPONDENTS and organisations == 5  # organisations take part in both years
    # Declared, not sniffed: a file whose values would sniff otherwise is read as declared.
    odd = tmp_path / "odd"
    odd.mkdir()
    header = ",".join(SCHEMA)
    (odd / "a.csv").write_text(f"{header}\n007,O1,ict,B2B,2020,9,8.0,1,1\n")
    (odd / "b.csv").write_text(f"{header}\n008,O2,ict,B2B,2020,,,,2.5\n")
    rows = floor_nps(odd)
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("B2B", 2020, "ALL", 100.0),
        ("B2B", 2020, "ict", 100.0),
    ]


def test_the_pandas_script_computes_the_published_nps_table(bench_run):
    home, published = bench_run
    _compare(pandas_nps(home / "landing"), published)


def test_the_stage_profile_reads_every_step_of_the_run(bench_run):
    home, _ = bench_run
    (profile,) = profiles(home)
    assert {"survey_deliveries", "benchmark_models", "quality_gate"} <= set(profile.steps)
    assert all(seconds > 0 for seconds in profile.steps.values())
    assert profile.total >= sum(profile.steps.values())
    assert any("dbt build" in line for line in profile.lines())


def test_a_measurement_counts_the_cpu_time_of_the_children_it_waited_for():
    """CPU time is what stays comparable on a shared machine; dbt runs as a child of cxbench."""
    # Busy for 0.5 s of its own CPU whatever the machine's speed (a fixed loop took 0.3 s here).
    busy = "import time\nwhile time.process_time() < 0.5: pass"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {busy!r}])"
    measured = measure([sys.executable, "-c", parent])

    assert measured.cpu_seconds >= 0.5  # the grandchild's loop, not just the parent's start-up
    assert measured.seconds >= 0.5 * measured.cpu_seconds
    assert measured.peak_rss_mib > 5


def test_the_stage_profile_splits_the_ingest_step(bench_run):
    home, _ = bench_run
    (profile,) = profiles(home)
    split = profile.ingest_split
    assert set(split) == set(INGEST_SPLIT)
    assert all(split[f"seconds_{stage}"] > 0 for stage in ("read", "validate", "load"))
    # The ingest ran within its step, and its stages within the ingest (each on its own threads).
    assert 0 < split["seconds_wall"] <= profile.steps["survey_deliveries"]
    assert split["seconds_validate"] <= split["seconds_wall"]
    assert split["seconds_cpu"] > 0
    lines = profile.lines()
    ingest = next(i for i, line in enumerate(lines) if "ingest (read" in line)
    printed = lines[ingest + 1 : ingest + 1 + len(INGEST_SPLIT)]
    assert [line.split()[0] for line in printed] == [
        label.split()[0] for label in INGEST_SPLIT.values()
    ]


def test_a_measurement_sums_the_memory_of_the_whole_process_tree():
    """dbt (and Spark's JVM) run beside cxbench: the peak is their sum, not the largest one."""
    hold = "import time; block = bytearray(200 * 2**20); time.sleep(1.0)"
    parent = (
        "import subprocess, sys; "
        f"children = [subprocess.Popen([sys.executable, '-c', {hold!r}]) for _ in range(2)]; "
        "[c.wait() for c in children]"
    )
    measured = measure([sys.executable, "-c", parent])
    assert measured.peak_rss_mib > 400


def test_a_forked_child_adds_only_the_pages_it_has_of_its_own():
    """The quality gate forks: its child shares the run's pages until it writes them, so its RSS
    would count the run's memory twice."""
    code = (
        "import os, time\n"
        "block = bytearray(300 * 2**20)\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    own = bytearray(100 * 2**20)\n"
        "    time.sleep(1.0)\n"
        "    os._exit(0)\n"
        "os.waitpid(pid, 0)\n"
    )
    measured = measure([sys.executable, "-c", code])
    assert 390 < measured.peak_rss_mib < 560  # 300 shared and 100 of its own, not 300 twice
