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
        total += _rss(pid)
        todo.extend(tree.get(pid, []))
    return total


def descendants_rss() -> int:
    """Resident bytes of every process below this one (with `adopt_orphans`, also those whose
    parents have exited, such as cxbench's spare process)."""
    return tree_rss(os.getpid()) - _rss(os.getpid())


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def descendant_pids() -> list[int]:
    tree = _children()
    found, todo = [], list(tree.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, []))
    return found


def descendants_cpu() -> float:
    """CPU seconds of the processes below this one, with those of their children they waited
    for (a zombie's included)."""
    total = 0
    for pid in descendant_pids():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def reap_orphans() -> float:
    """Collect exited children (orphans adopted with `adopt_orphans`): their CPU seconds."""
    seconds = 0.0
    while True:
        try:
            pid, _, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return seconds
        if pid == 0:
            return seconds
        seconds += usage.ru_utime + usage.ru_stime


def adopt_orphans() -> None:
    """Make this process the parent of orphaned descendants (PR_SET_CHILD_SUBREAPER), so that a
    process a measured command leaves behind stays in the tree that is measured."""
    import ctypes

    if ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def wait_sampling(
    process: subprocess.Popen, interval: float = 0.2, all_descendants: bool = False
) -> tuple[int, int, resource.struct_rusage]:
    """Wait for `process`, sampling its tree's memory (or, with `all_descendants`, that of every
    process below this one): (peak RSS in bytes, exit code, the resource usage of it and the
    children it waited for)."""
    peak = 0
    while True:
        peak = max(peak, descendants_rss() if all_descendants else tree_rss(process.pid))
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
