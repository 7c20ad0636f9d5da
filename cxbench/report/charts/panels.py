"""Small multiples of columns: one panel per measure (NPS, % promoters, grades), one column per
group (top performers, the others, everyone), each with its own axis and 95% interval."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxbench.report.charts.common import DARK_GREY, Formatter, LegendItem, legend, wrap
from cxbench.report.scales import Scale, nice_domain
from cxbench.report.svg import AXIS, GRID, INK, MUTED, Svg, text_width

WIDTH = 880
PANEL_H = 210
GAP = 28


@dataclass(frozen=True)
class Column:
    value: float | None
    low: float | None
    high: float | None
    text: str
    color: str
    suppressed: bool = False


@dataclass(frozen=True)
class Panel:
    title: str
    columns: tuple[Column, ...]
    fmt: Formatter
    limits: tuple[float, float] | None = None
    include: tuple[float, ...] = (0.0,)


def panels_chart(
    uid: str,
    title: str,
    description: str,
    panels: Sequence[Panel],
    groups: Sequence[LegendItem],
    interval_label: str,
    suppressed_label: str,
    per_row: int = 3,
) -> str:
    rows = (len(panels) + per_row - 1) // per_row
    panel_w = (WIDTH - GAP * (per_row - 1)) / per_row
    items = [*groups, LegendItem(interval_label, DARK_GREY, "whisker")]
    if any(c.suppressed for p in panels for c in p.columns):
        items.append(LegendItem(suppressed_label, DARK_GREY, "hatch"))
    svg = Svg(WIDTH, 0, title, description, uid)
    top = legend(svg, items, 8, 14, WIDTH - 16) + 18
    for index, panel in enumerate(panels):
        x = (panel_w + GAP) * (index % per_row)
        y = top + (PANEL_H + GAP) * (index // per_row)
        _panel(svg, panel, x, y, panel_w, suppressed_label)
    svg.height = top + (PANEL_H + GAP) * rows
    return svg.render()


def _panel(svg: Svg, panel: Panel, x: float, y: float, width: float, suppressed: str) -> None:
    title_lines = wrap(panel.title, 13, width - 8)
    for k, line in enumerate(title_lines):
        svg.text(x, y + 14 + 16 * k, line, size=13, weight="700")
    top = y + 16 * len(title_lines) + 26
    bottom = y + PANEL_H - 8
    shown = [c for c in panel.columns if not c.suppressed and c.value is not None]
    domain = nice_domain(
        [v for c in shown for v in (c.low, c.high, c.value)],
        include=panel.include,
        limits=panel.limits,
        target_ticks=4,
    )
    scale = Scale(domain[0], domain[1], bottom, top)
    axis_left = x + 34
    for tick in scale.ticks(4):
        ty = scale(tick)
        zero = abs(tick) < 1e-9
        svg.line(
            axis_left, ty, x + width, ty, AXIS if zero else GRID, stroke_width=1.2 if zero else 1
        )
        svg.text(axis_left - 6, ty + 4, panel.fmt(tick), size=10, fill=MUTED, anchor="end")
    slot = (x + width - axis_left) / max(len(panel.columns), 1)
    base = scale(min(max(0.0, domain[0]), domain[1]))
    for j, column in enumerate(panel.columns):
        cx = axis_left + slot * (j + 0.5)
        bar_w = min(slot * 0.62, 54)
        if column.suppressed or column.value is None:
            svg.rect(
                cx - bar_w / 2,
                top + (bottom - top) * 0.45,
                bar_w,
                (bottom - top) * 0.55,
                svg.hatch(),
            )
            svg.text(
                cx,
                top + (bottom - top) * 0.45 - 6,
                suppressed,
                size=10,
                fill=MUTED,
                anchor="middle",
                font_style="italic",
            )
            continue
        vy = scale(column.value)
        svg.rect(cx - bar_w / 2, min(vy, base), bar_w, abs(base - vy), column.color, rx=2)
        if column.low is not None and column.high is not None:
            lo, hi = scale.clamp(column.low), scale.clamp(column.high)
            svg.line(cx, lo, cx, hi, INK, stroke_width=1.4)
            svg.line(cx - 4, lo, cx + 4, lo, INK, stroke_width=1.4)
            svg.line(cx - 4, hi, cx + 4, hi, INK, stroke_width=1.4)
        above = column.value >= 0 or domain[0] >= 0
        edge = scale.clamp(column.high) if above and column.high is not None else vy
        if not above:
            edge = scale.clamp(column.low) if column.low is not None else vy
        label_y = edge - 6 if above else edge + 15
        label_w = text_width(column.text, 12, True) + 6
        svg.rect(cx - label_w / 2, label_y - 12, label_w, 15, "#ffffff", opacity=0.85, rx=2)
        svg.text(cx, label_y, column.text, size=12, anchor="middle", weight="700")
