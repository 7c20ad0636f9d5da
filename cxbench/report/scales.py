"""Axis scales: a linear mapping from data to pixels with round tick values."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


def nice_step(span: float, target_ticks: int) -> float:
    """A step of 1, 2 or 5 times a power of ten giving about `target_ticks` ticks."""
    if span <= 0:
        return 1.0
    raw = span / max(target_ticks, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


@dataclass(frozen=True)
class Scale:
    """Data interval [low, high] onto pixel interval [start, end] (end may be below start)."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return (self.start + self.end) / 2
        return self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start)

    def clamp(self, value: float) -> float:
        return self(min(max(value, self.low), self.high))

    def ticks(self, target: int = 5) -> list[float]:
        step = nice_step(self.high - self.low, target)
        first = math.ceil(self.low / step - 1e-9) * step
        count = int(math.floor((self.high - first) / step + 1e-9)) + 1
        return [round(first + i * step, 10) for i in range(max(count, 0))]


def nice_domain(
    values: Iterable[float | None],
    include: Iterable[float] = (),
    target_ticks: int = 5,
    limits: tuple[float, float] | None = None,
) -> tuple[float, float]:
    """The smallest round interval holding every value (and `include`), within `limits`."""
    present = [v for v in (*values, *include) if v is not None and math.isfinite(v)]
    if not present:
        return limits or (0.0, 1.0)
    low, high = min(present), max(present)
    if low == high:
        low, high = low - 1, high + 1
    step = nice_step(high - low, target_ticks)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    if limits:
        low, high = max(low, limits[0]), min(high, limits[1])
    return float(low), float(high)
