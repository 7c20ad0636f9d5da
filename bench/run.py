"""`make bench`: full refresh, one new file, peak memory, against the floor and pandas.

Each measurement is its own process; time is wall-clock, CPU the user + system time of the
process and the children it waited for (dbt), memory the peak resident set of the whole process
tree (sampled every 0.1 s, a JVM included). Medians of `--repeats` runs are printed; every run
is kept in the JSON. On a shared machine wall time varies with the load and CPU time much less:
compare both. The pandas script is run up to 10 M respondents (it holds every row in memory).
`make bench ROWS=100M REPEATS=1` is the 100 M run (20,000 files).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from bench.generate import parse_count, write_landing, write_study
from bench.stages import profiles
from bench.tree_memory import (
    adopt_orphans,
    descendant_pids,
    descendants_cpu,
    reap_orphans,
    wait_sampling,
    wait_until_idle,
)
from cxbench.spare import DEFAULT_MINUTES, MINUTES_ENV

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Issue 19's targets on a 2-core machine (peak memory: at 100 M respondents).
# The pandas script holds every row in memory: above this many respondents it is not run.
PANDAS_UP_TO = 10_000_000
TARGETS = {
    "full_vs_floor": 3.0,
    "incremental_seconds": 8.0,
    "nothing_new_seconds": 3.0,
    "peak_memory_gib": 4.0,
}


@dataclass
class Measurement:
    seconds: float
    cpu_seconds: float
    peak_rss_mib: float  # the whole process tree's (dbt, a JVM), sampled every 0.1 s


def measure(command: list[str], env: dict[str, str] | None = None) -> Measurement:
    """One run of `command`. Memory and CPU are those of every process below the bench, so a
    spare process serving the run (cxbench/spare.py; an orphan the bench adopts) is counted
    with its waiting for the next run's imports excluded."""
    cpu_before = descendants_cpu()
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        peak, code, usage = wait_sampling(process, interval=0.1, all_descendants=True)
        seconds = time.perf_counter() - start
        if code != 0:
            errors.seek(0)
            raise SystemExit(f"failed: {' '.join(command)}\n{errors.read().decode()}")
    time.sleep(0.2)  # the spare that served the run exits just after the run's process
    cpu = usage.ru_utime + usage.ru_stime + reap_orphans() + descendants_cpu() - cpu_before
    return Measurement(seconds, cpu, peak / 2**20)


def stop_descendants() -> None:
    """End the spare processes the runs left (they would wait for a next run for minutes)."""
    for pid in descendant_pids():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    time.sleep(0.5)
    reap_orphans()


def fresh_home(root: Path, landing: Path, name: str) -> Path:
    """A data home whose landing/ holds hard links to the generated files (no copying)."""
    home = root / name
    shutil.rmtree(home, ignore_errors=True)
    (home / "landing").mkdir(parents=True)
    for path in landing.glob("*.csv"):
        os.link(path, home / "landing" / path.name)
    return home


def cxbench_env(home: Path, spare: bool = False) -> dict[str, str]:
    """The environment of a measured run: without a spare process (cxbench/spare.py), a run
    imports everything itself (cold); with one, it is served by the spare the last run left."""
    minutes = str(DEFAULT_MINUTES) if spare else "0"
    return {**os.environ, "CXBENCH_HOME": str(home), "DO_NOT_TRACK": "1", MINUTES_ENV: minutes}


def median(runs: list[Measurement]) -> Measurement:
    return Measurement(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.cpu_seconds for r in runs),
        max(r.peak_rss_mib for r in runs),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", default="1M", help="respondents, e.g. 1M, 10M, 250k")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "bench-results")
    args = parser.parse_args(argv)
    respondents = parse_count(args.rows)

    landing = args.out / f"landing-{respondents}"
    if not (landing / ".complete").exists():
        shutil.rmtree(landing, ignore_errors=True)
        print(f"generating {respondents:,} respondents in {landing} ...", flush=True)
        write_landing(landing, respondents)
        (landing / ".complete").touch()
    files = len(list(landing.glob("*.csv")))

    adopt_orphans()  # spare processes the runs leave are measured as part of the next run
    full, nothing_new, cold, incremental = [], [], [], []
    for repeat in range(args.repeats):
        home = fresh_home(args.out, landing, "home")
        full.append(measure([str(BIN / "cxbench"), "run", "--quiet"], cxbench_env(home)))
        print(f"full refresh {repeat + 1}: {full[-1].seconds:.1f} s", flush=True)
    full_profile = profiles(home)[0]
    for repeat in range(args.repeats):
        nothing_new.append(measure([str(BIN / "cxbench"), "run", "--quiet"], cxbench_env(home)))
        print(f"nothing new {repeat + 1}: {nothing_new[-1].seconds:.2f} s", flush=True)
    rng = np.random.default_rng(99)
    studies = iter(range(90_000, 100_000))

    def one_new_file(spare: bool) -> Measurement:
        study = next(studies)
        write_study(home / "landing" / f"new_{study}.csv", study, 2020, 5_000, rng)
        return measure([str(BIN / "cxbench"), "run", "--quiet"], cxbench_env(home, spare))

    for repeat in range(args.repeats):
        cold.append(one_new_file(spare=False))
        print(f"one new file, no spare process {repeat + 1}: {cold[-1].seconds:.1f} s", flush=True)
    one_new_file(spare=True)  # leaves the first spare process
    for repeat in range(args.repeats):
        wait_until_idle(descendant_pids)  # the spare the last run left has done its imports
        incremental.append(one_new_file(spare=True))
        print(f"one new file {repeat + 1}: {incremental[-1].seconds:.1f} s", flush=True)
    incremental_profile = profiles(home)[0]
    stop_descendants()
    python = str(BIN / "python")
    floor, plain, pandas = [], [], []
    for _ in range(args.repeats):  # interleaved, so that drift of the machine hits all three
        floor.append(measure([python, "-m", "bench.floor", str(landing)]))
        plain.append(measure([python, "-m", "bench.floor", "--plain-read", str(landing)]))
        if respondents <= PANDAS_UP_TO:
            pandas.append(measure([python, "-m", "bench.pandas_baseline", str(landing)]))

    results = {
        "respondents": respondents,
        "files": files,
        "repeats": args.repeats,
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "full_refresh": asdict(median(full)),
        "nothing_new": asdict(median(nothing_new)),
        "one_new_file": asdict(median(incremental)),
        "one_new_file_cold": asdict(median(cold)),
        "floor_duckdb": asdict(median(floor)),
        "plain_read": asdict(median(plain)),
        "pandas_script": asdict(median(pandas)) if pandas else None,
        "runs": {
            name: [asdict(m) for m in runs]
            for name, runs in (
                ("full_refresh", full),
                ("nothing_new", nothing_new),
                ("one_new_file", incremental),
                ("one_new_file_cold", cold),
                ("floor_duckdb", floor),
                ("plain_read", plain),
                ("pandas_script", pandas),
            )
        },
        "stages": {
            "full_refresh": asdict(full_profile),
            "one_new_file": asdict(incremental_profile),
        },
    }
    millions = respondents / 1e6
    ratios = {
        "full_vs_floor": results["full_refresh"]["seconds"] / results["floor_duckdb"]["seconds"],
        "floor_vs_plain_read": (
            results["floor_duckdb"]["seconds"] / results["plain_read"]["seconds"]
        ),
        "incremental_seconds": results["one_new_file"]["seconds"],
        "nothing_new_seconds": results["nothing_new"]["seconds"],
        "peak_memory_gib": max(m.peak_rss_mib for m in full + incremental) / 1024,
        # What a million respondents cost each way: the pandas comparison is a figure, no target.
        "seconds_per_million": {
            key: results[key]["seconds"] / millions
            for key in ("full_refresh", "floor_duckdb", "pandas_script")
            if results[key] is not None
        },
    }
    results["ratios"] = ratios
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"bench-{respondents}.json").write_text(json.dumps(results, indent=2))
    print(report(results))
    print("\nstages of the last full refresh (Dagster event log):")
    print("\n".join(full_profile.lines()))
    print("stages of the last one-new-file run:")
    print("\n".join(incremental_profile.lines()))
    return 0


def report(results: dict) -> str:
    ratios = results["ratios"]
    lines = [
        f"{results['respondents']:,} respondents in {results['files']:,} files; "
        f"medians of {results['repeats']} runs ({results['machine']})",
        f"  {'':<22}{'seconds':>10}{'CPU s':>10}{'tree MiB':>10}",
    ]
    for key in (
        "full_refresh",
        "nothing_new",
        "one_new_file",
        "one_new_file_cold",
        "floor_duckdb",
        "plain_read",
        "pandas_script",
    ):
        m = results[key]
        if m is None:
            continue
        lines.append(
            f"  {key:<22}{m['seconds']:>10.2f}{m['cpu_seconds']:>10.1f}{m['peak_rss_mib']:>10.0f}"
        )

    def verdict(value: float, target: float) -> str:
        return "met" if value <= target else "NOT met"

    per_million = ratios["seconds_per_million"]
    lines += [
        f"  full refresh / floor : {ratios['full_vs_floor']:.2f}x (target <= "
        f"{TARGETS['full_vs_floor']:g}: "
        f"{verdict(ratios['full_vs_floor'], TARGETS['full_vs_floor'])})",
        f"  one new file         : {ratios['incremental_seconds']:.1f} s (target <= "
        f"{TARGETS['incremental_seconds']:g}: "
        f"{verdict(ratios['incremental_seconds'], TARGETS['incremental_seconds'])})",
        f"  nothing new          : {ratios['nothing_new_seconds']:.2f} s (target <= "
        f"{TARGETS['nothing_new_seconds']:g}: "
        f"{verdict(ratios['nothing_new_seconds'], TARGETS['nothing_new_seconds'])})",
        f"  peak memory          : {ratios['peak_memory_gib']:.2f} GiB (target at 100 M <= "
        f"{TARGETS['peak_memory_gib']:g})",
        f"  floor / plain read   : {ratios['floor_vs_plain_read']:.2f}x (the floor is honest "
        "when close to 1: its scan is the plain read's)",
        "  seconds per million respondents: "
        + ", ".join(f"{key} {value:.2f}" for key, value in per_million.items()),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
