"""Work on a list in two processes: about half of it in a forked child, the rest here.

Great Expectations validates in pure Python, one expectation after another: the gate keeps one
core busy while the other waits. A forked child starts with everything this process has (the
prepared suites, the tables read), so it needs nothing sent but its answers, which come back
pickled through a pipe. The child never returns into the caller's code: it leaves with
`os._exit`, whatever happens. When it fails or cannot be forked, this process does its share
too: slower, never different.
"""

from __future__ import annotations

import os
import pickle
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def _as_is(_item, result):
    return result


def in_two_processes(
    items: Sequence[Item],
    work: Callable[[Item], Result],
    weight: Callable[[Item], float],
    send: Callable[[Item, Result], object] = _as_is,
    adopt: Callable[[Item, object], Result] = _as_is,
) -> list[Result]:
    """`work(item)` for every item, in the items' order; the child's share chosen by `weight`
    (its expected cost). In the child each result goes through `send` (what else the parent
    needs of the child's work, as plain data), here through `adopt` (which takes that in and
    gives the result back)."""
    child_share = _child_share(items, weight)
    if not child_share or not hasattr(os, "fork"):
        return [work(item) for item in items]
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(reader)
        _leave_with(writer, lambda: [send(items[i], work(items[i])) for i in child_share])
    os.close(writer)
    results: dict[int, Result] = {
        i: work(item) for i, item in enumerate(items) if i not in child_share
    }
    from_child = _answer(reader, pid)
    for position, i in enumerate(child_share):
        if from_child is None:
            results[i] = work(items[i])
        else:
            results[i] = adopt(items[i], from_child[position])
    return [results[i] for i in range(len(items))]


def _child_share(items: Sequence[Item], weight: Callable[[Item], float]) -> list[int]:
    """Positions of the items the child takes: the heaviest first, each to the lighter side."""
    if len(items) < 2:
        return []
    sides = {"here": 0.0, "child": 0.0}
    child = []
    for i in sorted(range(len(items)), key=lambda i: -weight(items[i])):
        side = min(sides, key=sides.get)
        sides[side] += weight(items[i])
        if side == "child":
            child.append(i)
    return sorted(child)


def _leave_with(writer: int, share: Callable[[], list]) -> None:
    code = 1
    try:
        payload = pickle.dumps(share())
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(payload)
        code = 0
    except BaseException:  # noqa: BLE001 - told to the parent by the exit code
        traceback.print_exc()
    finally:
        os._exit(code)


def _answer(reader: int, pid: int) -> list | None:
    """The child's results, or None when it failed."""
    with os.fdopen(reader, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not payload:
        return None
    return pickle.loads(payload)
