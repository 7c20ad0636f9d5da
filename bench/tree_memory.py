"""Wall time and peak memory of a command summed over its whole process tree (the JVM that
pyspark starts included, which `/usr/bin/time -v` and getrusage miss): samples /proc.

    python -m bench.tree_memory -- cxbench run --engine spark
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants."""
    tree, total, todo = _children(), 0, [root]
    while todo:
        pid = todo.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
        todo.extend(tree.get(pid, []))
    return total


def wait_sampling(
    process: subprocess.Popen, interval: float = 0.2
) -> tuple[int, int, resource.struct_rusage]:
    """Wait for `process`, sampling its tree's memory: (peak tree RSS in bytes, exit code, the
    resource usage of it and the children it waited for)."""
    peak = 0
    while True:
        peak = max(peak, tree_rss(process.pid))
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return peak, process.returncode, usage
        time.sleep(interval)


def measure(command: list[str], interval: float = 0.2) -> tuple[float, int, int]:
    """(wall seconds, peak tree RSS in bytes, exit code)."""
    start = time.perf_counter()
    peak, code, _ = wait_sampling(subprocess.Popen(command), interval)
    return time.perf_counter() - start, peak, code


def main() -> int:
    args = sys.argv[1:]
    command = args[args.index("--") + 1 :] if "--" in args else args
    seconds, peak, code = measure(command)
    mib = peak / 2**20
    print(f"wall {seconds:.1f} s, peak memory of the process tree {mib:.0f} MiB, exit {code}")
    return code


if __name__ == "__main__":
    sys.exit(main())
