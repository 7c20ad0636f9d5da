"""Building blocks shared by the demo series: normal maths, calibration solver, draws, formatting.

The generator is a latent-variable model. Every figure of `seed-figures.md` is a weighted mean of
an indicator or a grade; for each year the generator knows the planned design (organisations,
study sizes, organisation effects) before it draws a single respondent, so it can solve the few
free locations and cut points that make the *expected* estimate equal the published figure.
Respondent-level terms are drawn by stratified (Latin hypercube) sampling, so what remains of the
sampling noise stays well inside the tolerances for any seed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

_ERF = np.vectorize(math.erf, otypes=[float])
_INV_CDF = np.vectorize(NormalDist().inv_cdf, otypes=[float])


def norm_cdf(x: np.ndarray | float) -> np.ndarray:
    """Standard normal distribution function, element-wise."""
    return 0.5 * (1.0 + _ERF(np.asarray(x, dtype=float) / math.sqrt(2.0)))


def norm_sf(x: np.ndarray | float) -> np.ndarray:
    """Standard normal survival function (1 - cdf), element-wise."""
    return norm_cdf(-np.asarray(x, dtype=float))


def norm_pdf(x: np.ndarray | float) -> np.ndarray:
    """Standard normal density, element-wise."""
    x = np.asarray(x, dtype=float)
    return np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def clipped_normal_mean(
    mu: np.ndarray, sd: np.ndarray | float, low: float, high: float
) -> np.ndarray:
    """E[min(max(X, low), high)] for X ~ N(mu, sd): the mean of a grade clipped to its scale."""
    a = (low - mu) / sd
    b = (high - mu) / sd
    inside = norm_cdf(b) - norm_cdf(a)
    return low * norm_cdf(a) + high * norm_sf(b) + mu * inside + sd * (norm_pdf(a) - norm_pdf(b))


def solve_increasing(
    f: Callable[[float], float], target: float, low: float = -20.0, high: float = 20.0
) -> float:
    """The x in [low, high] with f(x) == target, for an increasing f (bisection, deterministic)."""
    for _ in range(60):
        middle = 0.5 * (low + high)
        if f(middle) < target:
            low = middle
        else:
            high = middle
    return 0.5 * (low + high)


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> float:
    """Weighted mean of values (weights: study sizes or sampling weights)."""
    return float(np.dot(values, weights) / weights.sum())


def stratified_uniform(rng: np.random.Generator, n: int, columns: int = 1) -> np.ndarray:
    """n x columns uniforms, each column with one draw per stratum [i/n, (i+1)/n) in random order.

    Every value is marginally U(0, 1), so the rows look like ordinary random draws, but the
    empirical distribution of each column is as close to uniform as n values allow (Latin
    hypercube sampling). Study-level shares and means then scatter much less around their
    expected values, which keeps the published figures inside their tolerances for every seed.
    """
    ranks = np.argsort(rng.random((n, columns)), axis=0, kind="stable")
    values = (ranks + rng.random((n, columns))) / max(n, 1)
    return np.clip(values, 1e-9, 1 - 1e-9)


def stratified_normal(rng: np.random.Generator, n: int, sd: float = 1.0) -> np.ndarray:
    """n draws of N(0, sd) stratified like `stratified_uniform` (one column)."""
    return sd * _INV_CDF(stratified_uniform(rng, n)[:, 0])


def stratified_normals(rng: np.random.Generator, n: int, columns: int) -> np.ndarray:
    """n x columns standard normal draws, each column stratified."""
    return _INV_CDF(stratified_uniform(rng, n, columns))


@dataclass(frozen=True)
class Mixture:
    """A respondent-level latent term: a mixture of normal components (weight, mean, sd)."""

    weights: tuple[float, ...]
    means: tuple[float, ...]
    sds: tuple[float, ...]

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Weights, means and standard deviations of the components as arrays."""
        return np.asarray(self.weights), np.asarray(self.means), np.asarray(self.sds)

    def draw(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Component index and value for n respondents (stratified component shares and noise)."""
        cumulative = np.cumsum(self.weights)[:-1]
        component = np.searchsorted(cumulative, stratified_uniform(rng, n)[:, 0], side="right")
        noise = stratified_normal(rng, n)
        values = np.asarray(self.means)[component] + np.asarray(self.sds)[component] * noise
        return component, values


def organisation_counts(base: dict[str, int], scale: float) -> dict[str, int]:
    """Organisations per sector at a scale (at least one per sector)."""
    return {sector: max(1, round(count * scale)) for sector, count in base.items()}


def allocate(total: int, shares: np.ndarray) -> np.ndarray:
    """Split an integer total in proportion to shares (largest remainder, deterministic)."""
    exact = total * shares / shares.sum()
    counts = np.floor(exact).astype(int)
    remainder_order = np.argsort(-(exact - counts), kind="stable")
    counts[remainder_order[: total - counts.sum()]] += 1
    return counts


def poststrat_weights(rng: np.random.Generator, n: int) -> np.ndarray:
    """Post-stratification weights of one study: three cells, within 0.5-2.0, summing to n."""
    cell = rng.integers(0, 3, n)
    factors = rng.uniform(0.7, 1.4, 3)[cell]
    return factors / factors.mean()


def response_dates(
    rng: np.random.Generator, year: int, months: tuple[int, int], n: int
) -> list[str]:
    """ISO dates of n responses in a fieldwork window of 3-6 weeks inside the given months."""
    first = dt.date(year, months[0], 1).toordinal()
    last = dt.date(year, months[1], 28).toordinal()
    length = int(rng.integers(21, 43))
    start = int(rng.integers(first, max(first + 1, last - length)))
    days = start + rng.integers(0, length, n)
    return [dt.date.fromordinal(int(day)).isoformat() for day in days]


def to_scale(values: np.ndarray, cuts: Sequence[float]) -> np.ndarray:
    """Latent values to a 1..len(cuts)+1 answer scale (cut points in increasing order)."""
    return np.searchsorted(np.asarray(cuts), values, side="right") + 1


def grades(values: np.ndarray, decimals: int) -> np.ndarray:
    """Latent grades to report grades: rounded to whole numbers or one decimal, within 1-10."""
    return np.clip(np.round(values, decimals), 1.0, 10.0)


def blank(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Float copy of values with the masked answers empty (NaN)."""
    out = values.astype(float)
    out[mask] = np.nan
    return out


def format_numbers(values: np.ndarray, decimals: int = 0) -> list[str]:
    """CSV cells: fixed decimals, NaN as an empty cell."""
    pattern = f"{{:.{decimals}f}}"
    return ["" if math.isnan(value) else pattern.format(value) for value in values.tolist()]
