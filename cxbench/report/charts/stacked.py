"""100% stacked horizontal bars: promoters / passives / detractors, agree / neutral / disagree.

A row may open a group with a heading (a statement above its years). Segment values are
printed inside the segment when they fit; the data table under the figure has them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxbench.report.charts.common import (
    DARK_GREY,
    LegendItem,
    change_legend,
    change_marker,
    legend,
    suppressed_band,
)
from cxbench.report.svg import INK, MUTED, Svg, text_width

WIDTH = 880
BAR = 20
ROW = 30
HEADING = 24


@dataclass(frozen=True)
class Segment:
    value: float
    color: str
    text: str
    text_color: str = "#ffffff"


@dataclass(frozen=True)
class StackRow:
    label: str
    segments: tuple[Segment, ...] = ()
    note: str = ""
    heading: str = ""
    suppressed: bool = False
    suppressed_text: str = ""
    emphasis: bool = False
    change: float | None = None
    significant: bool = False


def stacked_chart(
    uid: str,
    title: str,
    description: str,
    rows: Sequence[StackRow],
    legend_items: Sequence[LegendItem],
    suppressed_label: str,
    change_labels: tuple[str, str] | None = None,
) -> str:
    """`change_labels` (rise, fall) adds ▲/▼ legend entries for rows marked significant."""
    label_w = min(max([text_width(r.label, 13, r.emphasis) for r in rows] + [60]) + 16, 260)
    note_w = max([text_width(r.note, 11) for r in rows] + [0]) + 28
    left, right = label_w + 10, WIDTH - note_w
    items = list(legend_items)
    if change_labels:
        items += change_legend(*change_labels, ((r.change, r.significant) for r in rows))
    if any(r.suppressed for r in rows):
        items.append(LegendItem(suppressed_label, DARK_GREY, "hatch"))
    height = 40 + sum(ROW + (HEADING if r.heading else 0) for r in rows) + 36
    svg = Svg(WIDTH, height, title, description, uid)
    y = legend(svg, items, left, 16, right - left) + 16
    for row in rows:
        if row.heading:
            svg.text(8, y + 16, row.heading, size=13, weight="700")
            y += HEADING
        middle = y + ROW / 2
        svg.text(
            label_w,
            middle + 4,
            row.label,
            size=13,
            anchor="end",
            weight="700" if row.emphasis else None,
        )
        svg.text(WIDTH - 8, middle + 4, row.note, size=11, fill=MUTED, anchor="end")
        if row.suppressed:
            suppressed_band(svg, left, middle - BAR / 2, right - left, BAR, row.suppressed_text)
        else:
            _bar(svg, row, left, right, middle)
            change_marker(svg, right + 12, middle, row.change, row.significant)
        y += ROW
    svg.height = y + 20
    return svg.render()


def _bar(svg: Svg, row: StackRow, left: float, right: float, middle: float) -> None:
    total = sum(s.value for s in row.segments) or 100.0
    x = left
    for segment in row.segments:
        width = (right - left) * segment.value / total
        svg.rect(x, middle - BAR / 2, width, BAR, segment.color)
        if text_width(segment.text, 11, True) + 8 <= width:
            svg.text(
                x + width / 2,
                middle + 4,
                segment.text,
                size=11,
                anchor="middle",
                fill=segment.text_color,
                weight="700",
            )
        x += width
    if row.emphasis:
        svg.rect(left, middle - BAR / 2, right - left, BAR, "none", stroke=INK, stroke_width=1.5)
