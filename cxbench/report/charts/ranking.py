"""Ranked dot-and-whisker chart: one row per sector, estimate with its 95% interval.

Rows come sorted by the caller; the total row (emphasised) is drawn first with a dashed
reference line through the plot. Suppressed rows show a hatched band and the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxbench.report.charts.common import (
    BLUE,
    DARK_GREY,
    FALL,
    RISE,
    Formatter,
    LegendItem,
    change_legend,
    change_marker,
    legend,
    suppressed_band,
    whisker,
    x_axis,
)
from cxbench.report.scales import Scale, nice_domain
from cxbench.report.svg import GRID, INK, MUTED, Svg, text_width

ROW = 30
WIDTH = 880


@dataclass(frozen=True)
class RankRow:
    label: str
    value: float | None
    low: float | None
    high: float | None
    value_text: str
    change_text: str = ""
    change: float | None = None
    significant: bool = False
    note: str = ""
    suppressed: bool = False
    suppressed_text: str = ""
    emphasis: bool = False


@dataclass(frozen=True)
class RankHeaders:
    value: str
    change: str
    note: str
    total_line: str
    interval: str
    rise: str
    fall: str
    suppressed: str


def ranking_chart(
    uid: str,
    title: str,
    description: str,
    rows: Sequence[RankRow],
    headers: RankHeaders,
    fmt: Formatter,
    limits: tuple[float, float] | None = None,
) -> str:
    label_w = min(max([text_width(r.label, 13, r.emphasis) for r in rows] + [80]) + 16, 260)
    value_w, change_w = 62, 74
    note_w = max([text_width(r.note, 11) for r in rows] + [text_width(headers.note, 11)]) + 12
    plot_left = label_w + 12
    plot_right = WIDTH - value_w - change_w - note_w - 16
    shown = [r for r in rows if not r.suppressed]
    domain = nice_domain(
        [v for r in shown for v in (r.low, r.high, r.value)], include=[0], limits=limits
    )
    scale = Scale(domain[0], domain[1], plot_left, plot_right)
    svg = Svg(WIDTH, 0, title, description, uid)

    legend_items = [
        LegendItem(headers.interval, BLUE, "whisker"),
        LegendItem(headers.total_line, DARK_GREY, "line"),
    ]
    legend_items += change_legend(
        headers.rise, headers.fall, ((r.change, r.significant) for r in rows)
    )
    if any(r.suppressed for r in rows):
        legend_items.append(LegendItem(headers.suppressed, DARK_GREY, "hatch"))
    top = legend(svg, legend_items, 8, 14, WIDTH - 16) + 34
    bottom = top + ROW * len(rows)
    svg.height = bottom + 28

    columns_y = top - 12
    value_x = plot_right + 12 + value_w - 8
    change_x = value_x + change_w
    note_x = WIDTH - 8
    svg.text(value_x, columns_y, headers.value, size=11, fill=MUTED, anchor="end", weight="600")
    svg.text(change_x, columns_y, headers.change, size=11, fill=MUTED, anchor="end", weight="600")
    svg.text(note_x, columns_y, headers.note, size=11, fill=MUTED, anchor="end", weight="600")
    for index in range(0, len(rows), 2):
        svg.rect(0, top + ROW * index, WIDTH, ROW, "#f7f8fa", opacity=0.8)
    x_axis(svg, scale, top - 4, bottom, fmt)

    total = next((r for r in rows if r.emphasis and r.value is not None), None)
    if total is not None:
        x = scale(total.value)
        svg.line(x, top, x, bottom, DARK_GREY, stroke_width=1.2, stroke_dasharray="4 3")
    for index, row in enumerate(rows):
        y = top + ROW * index + ROW / 2
        weight = "700" if row.emphasis else None
        svg.text(label_w, y + 4, row.label, size=13, anchor="end", weight=weight)
        svg.text(note_x, y + 4, row.note, size=11, fill=MUTED, anchor="end")
        if row.suppressed:
            suppressed_band(svg, plot_left, y - 9, plot_right - plot_left, 18, row.suppressed_text)
            svg.text(value_x, y + 4, "\u2013", size=13, fill=MUTED, anchor="end")
            continue
        if row.low is not None and row.high is not None:
            whisker(
                svg,
                scale.clamp(row.low),
                scale.clamp(row.high),
                y,
                BLUE if not row.emphasis else INK,
            )
        if row.value is not None:
            svg.circle(
                scale(row.value),
                y,
                6 if row.emphasis else 5,
                INK if row.emphasis else BLUE,
                stroke="#ffffff",
                stroke_width=1.5,
            )
        svg.text(value_x, y + 4, row.value_text, size=13, anchor="end", weight="700")
        drawn = change_marker(
            svg,
            change_x - text_width(row.change_text, 12, True) - 10,
            y,
            row.change,
            row.significant,
        )
        svg.text(
            change_x,
            y + 4,
            row.change_text,
            size=12,
            anchor="end",
            fill=(RISE if (row.change or 0) > 0 else FALL) if drawn else MUTED,
            weight="700" if drawn else None,
        )
        if row.emphasis and index + 1 < len(rows):
            svg.line(0, y + ROW / 2, WIDTH, y + ROW / 2, GRID, stroke_width=1.5)
    return svg.render()
