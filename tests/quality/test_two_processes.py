"""validations/gx/two_processes.py: the gate's tables validated in two processes."""

from __future__ import annotations

import os

from validations.gx.two_processes import in_two_processes


def test_about_half_the_work_by_weight_is_done_in_a_child_and_comes_back_in_order():
    here = os.getpid()
    adopted = []

    def adopt(n: int, sent: tuple) -> tuple[int, int]:
        adopted.append(n)
        return sent[:2]

    results = in_two_processes(
        [5, 1, 4, 2, 3],
        work=lambda n: (n, os.getpid()),
        weight=float,
        send=lambda n, result: (*result, f"sent from {os.getpid()}"),  # runs in the child
        adopt=adopt,
    )
    assert [n for n, _ in results] == [5, 1, 4, 2, 3]
    by_process = {pid: sum(n for n, p in results if p == pid) for _, pid in results}
    assert len(by_process) == 2 and by_process[here] in (7, 8)  # 15 split as evenly as it goes
    assert sorted(adopted) == sorted(n for n, pid in results if pid != here)  # only the child's


def test_what_the_child_could_not_do_is_done_here():
    here = os.getpid()

    def fails_in_the_child(n: int) -> tuple[int, int]:
        if os.getpid() != here:
            raise RuntimeError("a child that fails")
        return n, os.getpid()

    results = in_two_processes([1, 2, 3, 4], work=fails_in_the_child, weight=float)
    assert results == [(n, here) for n in (1, 2, 3, 4)]


def test_a_single_item_is_not_worth_a_process():
    assert in_two_processes([7], work=lambda n: os.getpid(), weight=float) == [os.getpid()]
