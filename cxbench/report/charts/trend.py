"""Trend chart: one or more series over the years, each point with its 95% interval.

Lines break at a missing or suppressed year (changes are never taken across a gap either).
Several series are dodged sideways so their intervals do not overlap, and are labelled directly
at their last point instead of in a legend. A significant change from the previous year is
marked with ▲/▼ above the point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxbench.report.charts.common import (
    DARK_GREY,
    Formatter,
    LegendItem,
    change_legend,
    change_marker,
    legend,
    vertical_whisker,
    wrap,
)
from cxbench.report.scales import Scale, nice_domain
from cxbench.report.svg import AXIS, INK, MUTED, Svg, text_width

WIDTH = 880
HEIGHT = 340


@dataclass(frozen=True)
class TrendPoint:
    year: int
    value: float | None
    low: float | None = None
    high: float | None = None
    text: str = ""
    change: float | None = None
    significant: bool = False
    suppressed: bool = False


@dataclass(frozen=True)
class Series:
    label: str
    color: str
    points: tuple[TrendPoint, ...]
    emphasis: bool = True


@dataclass(frozen=True)
class TrendLabels:
    interval: str
    rise: str
    fall: str
    suppressed: str


def trend_chart(
    uid: str,
    title: str,
    description: str,
    series: Sequence[Series],
    labels: TrendLabels,
    fmt: Formatter,
    limits: tuple[float, float] | None = None,
    label_points: bool = True,
    legend_series: bool = False,
    include: Sequence[float] = (),
    min_span: float = 0.0,
) -> str:
    """`include` values are always on the axis (0 for NPS); `min_span` keeps a narrow range
    from being stretched over the full height (grades differ by tenths)."""
    years = sorted({p.year for s in series for p in s.points})
    shown = [p for s in series for p in s.points if not p.suppressed and p.value is not None]
    values = [v for p in shown for v in (p.low, p.high, p.value) if v is not None]
    if values and max(values) - min(values) < min_span:
        middle = (max(values) + min(values)) / 2
        values += [middle - min_span / 2, middle + min_span / 2]
    domain = nice_domain(values, include=include, limits=limits, target_ticks=6)
    single = len(series) == 1
    end_label_w = 0.0
    if not legend_series and not single:
        end_label_w = max(
            (max(text_width(line, 12, True) for line in wrap(s.label, 12, 150)) for s in series),
            default=0,
        )
    left, right = 56, WIDTH - 24 - end_label_w - (16 if end_label_w else 0)
    svg = Svg(WIDTH, HEIGHT, title, description, uid)
    items = [LegendItem(labels.interval, DARK_GREY, "whisker")]
    if legend_series and not single:
        items = [LegendItem(s.label, s.color, "dot") for s in series] + items
    items += change_legend(
        labels.rise, labels.fall, ((p.change, p.significant) for s in series for p in s.points)
    )
    if any(p.suppressed for s in series for p in s.points):
        items.append(LegendItem(labels.suppressed, DARK_GREY, "hatch"))
    top = legend(svg, items, left, 14, WIDTH - left - 16) + 26
    bottom = HEIGHT - 36
    y_scale = Scale(domain[0], domain[1], bottom, top)
    step = (right - left) / max(len(years), 1)
    x_of = {year: left + step * (i + 0.5) for i, year in enumerate(years)}

    for tick in y_scale.ticks(6):
        y = y_scale(tick)
        zero = abs(tick) < 1e-9 and domain[0] < 0
        svg.line(left, y, right, y, AXIS if zero else "#e3e6eb", stroke_width=1.2 if zero else 1)
        svg.text(left - 8, y + 4, fmt(tick), size=11, fill=MUTED, anchor="end")
    for year, x in x_of.items():
        svg.text(x, bottom + 20, str(year), size=12, fill=INK, anchor="middle")

    dodge = min(step * 0.5 / max(len(series), 1), 16) if len(series) > 1 else 0
    ends: list[tuple[float, Series, str]] = []
    for index, s in enumerate(series):
        offset = (index - (len(series) - 1) / 2) * dodge
        _series(svg, s, x_of, offset, y_scale, years, label_points, len(series) == 1)
        last = next(
            (p for p in reversed(s.points) if not p.suppressed and p.value is not None), None
        )
        if last is not None and not legend_series and not single:
            ends.append((y_scale(last.value), s, f"{last.year}: {last.text}" if last.text else ""))
    _end_labels(svg, ends, right + 14, top, bottom)
    return svg.render()


def _series(
    svg: Svg,
    s: Series,
    x_of: dict[int, float],
    offset: float,
    y_scale: Scale,
    years: list[int],
    label_points: bool,
    single: bool,
) -> None:
    by_year = {p.year: p for p in s.points}
    segment: list[tuple[float, float]] = []
    segments = [segment]
    for year in years:
        p = by_year.get(year)
        if p is None or p.suppressed or p.value is None:
            segment = []
            segments.append(segment)
            continue
        segment.append((x_of[year] + offset, y_scale(p.value)))
    width = 2.5 if s.emphasis else 1.5
    for points in segments:
        if len(points) > 1:
            d = " ".join(
                f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points)
            )
            svg.path(d, fill="none", stroke=s.color, stroke_width=width, stroke_linejoin="round")
    for p in s.points:
        x = x_of[p.year] + offset
        if p.suppressed or p.value is None:
            svg.rect(
                x - 6,
                y_scale(y_scale.low) - 16,
                12,
                12,
                svg.hatch(),
                stroke=s.color,
                stroke_width=1,
            )
            continue
        y = y_scale(p.value)
        if p.low is not None and p.high is not None:
            vertical_whisker(svg, x, y_scale.clamp(p.low), y_scale.clamp(p.high), s.color)
        svg.circle(x, y, 5.5 if s.emphasis else 4, s.color, stroke="#ffffff", stroke_width=1.5)
        if label_points and p.text:
            label_y = (y_scale.clamp(p.high) if p.high is not None else y) - 10
            label_x = x
            svg.text(
                label_x,
                label_y,
                p.text,
                size=13 if single else 11,
                anchor="middle",
                weight="700",
                fill=INK if single else s.color,
            )
            if p.significant:
                change_marker(
                    svg,
                    label_x + text_width(p.text, 13, True) / 2 + 10,
                    label_y - 4,
                    p.change,
                    True,
                )
        elif p.significant:
            change_marker(
                svg, x, (y_scale.clamp(p.high) if p.high is not None else y) - 10, p.change, True
            )


def _end_labels(
    svg: Svg, ends: list[tuple[float, Series, str]], x: float, top: float, bottom: float
) -> None:
    """Series names (and last values) beside their last point, pushed apart so they never
    overlap."""
    placed: list[float] = []
    for y, s, value in sorted(ends, key=lambda item: item[0]):
        lines = wrap(s.label, 12, 150)
        height = 15 * (len(lines) + (1 if value else 0))
        y = max(y - height / 2 + 11, (placed[-1] + 8) if placed else top)
        y = min(y, bottom - height + 11)
        for k, line in enumerate(lines):
            svg.text(x, y + 15 * k, line, size=12, fill=s.color, weight="700")
        if value:
            svg.text(x, y + 15 * len(lines), value, size=12, fill=INK)
        placed.append(y + height - 11)
