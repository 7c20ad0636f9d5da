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
from collections.abc import Callable, Iterable
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


def _below_with_parents(root: int) -> list[tuple[int, int]]:
    """(process, its parent) for the processes below `root` (children, theirs, and so on)."""
    tree = _children()
    found, todo = [], [(child, root) for child in tree.get(root, [])]
    while todo:
        pid, parent = todo.pop()
        found.append((pid, parent))
        todo.extend((child, pid) for child in tree.get(pid, []))
    return found


def _below(root: int) -> list[int]:
    """The processes below `root` (children, theirs, and so on)."""
    return [pid for pid, _ in _below_with_parents(root)]


def _rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _resident(pid: int, parent: int) -> int:
    """Resident bytes `pid` adds to its tree. A process forked without exec (the quality gate's
    child) shares its parent's pages until it writes them: it adds only its private pages,
    which its RSS would count a second time."""
    try:
        forked = (
            Path(f"/proc/{pid}/cmdline").read_bytes()
            == Path(f"/proc/{parent}/cmdline").read_bytes()
        )
        if not forked:
            return _rss(pid)
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]
    except OSError:
        return 0
    fields = {name: value.split()[0] for name, value in (line.split(":", 1) for line in rollup)}
    return (int(fields["Private_Clean"]) + int(fields["Private_Dirty"])) * 1024


def cpu_seconds(pid: int) -> float:
    """CPU seconds of `pid` with those of the children it waited for (a zombie's included);
    0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # u/s, cu/cs time
    except (OSError, IndexError, ValueError):
        return 0.0


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants."""
    return _rss(root) + sum(_resident(pid, parent) for pid, parent in _below_with_parents(root))


def descendant_pids() -> list[int]:
    """Every process below this one (with `adopt_orphans`, also those whose parents have
    exited, such as cxbench's spare process)."""
    return _below(os.getpid())


def descendants_rss() -> int:
    return sum(_resident(pid, parent) for pid, parent in _below_with_parents(os.getpid()))


def descendants_cpu() -> float:
    return sum(cpu_seconds(pid) for pid in descendant_pids())


def wait_until_idle(
    pids: Callable[[], Iterable[int]], timeout: float = 60.0, interval: float = 0.5
) -> None:
    """Until the processes `pids()` names stop using CPU (a spare process has done its imports),
    or `timeout` seconds."""
    deadline, last = time.monotonic() + timeout, -1.0
    while time.monotonic() < deadline:
        used = sum(cpu_seconds(pid) for pid in pids())
        if used == last:
            return
        last = used
        time.sleep(interval)


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
