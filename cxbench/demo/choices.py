"""Seeded choices about how a study is delivered: encoding, variant, delivery date, mishaps.

Each choice is a number drawn from a hash of (seed, study, what is chosen). It depends neither on
the order in which studies are generated nor on the other studies, and it never touches the
random streams that draw the study's answers, so delivering a study differently cannot change
its data (and the calibrated figures stay where they are).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

import numpy as np

T = TypeVar("T")


class Choices:
    """The delivery choices of one study (`key`, e.g. its canonical path) under a seed."""

    def __init__(self, seed: int, key: str) -> None:
        self.seed = seed
        self.key = key

    def _digest(self, what: str) -> bytes:
        return hashlib.sha256(f"{self.seed}\0{self.key}\0{what}".encode()).digest()

    def uniform(self, what: str) -> float:
        """A number in [0, 1) for the choice `what`."""
        return int.from_bytes(self._digest(what)[:8], "big") / 2**64

    def chance(self, what: str, probability: float) -> bool:
        """True with the given probability."""
        return self.uniform(what) < probability

    def integer(self, what: str, low: int, high: int) -> int:
        """A whole number from `low` to `high`, both included."""
        return low + int(self.uniform(what) * (high - low + 1))

    def pick(self, what: str, options: Sequence[T]) -> T:
        """One of the options, each as likely."""
        return options[self.integer(what, 0, len(options) - 1)]

    def rng(self, what: str) -> np.random.Generator:
        """A random stream for many small draws (e.g. one per row) belonging to `what`."""
        return np.random.default_rng(int.from_bytes(self._digest(what)[:16], "big"))
