"""Shared chart parts: the palette, axes, legends and the suppressed-cell marker.

Colours are colour-blind safe (blue / orange / grey, Okabe-Ito for series) and every signal a
colour carries is also carried by a shape or a text (▲/▼ for significant changes, hatching and
the word "suppressed" for suppressed cells).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from cxbench.report.scales import Scale
from cxbench.report.svg import AXIS, GRID, INK, MUTED, Svg, text_width

BLUE = "#1f5fa8"
LIGHT_BLUE = "#9cc0e6"
ORANGE = "#c4541a"
GREY = "#c9ced6"
DARK_GREY = "#6b7380"
RISE = "#1f5fa8"
FALL = "#c4541a"
SERIES = ("#1f5fa8", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#6b7380")

Formatter = Callable[[float], str]


@dataclass(frozen=True)
class LegendItem:
    label: str
    color: str
    shape: str = "square"  # square | dot | line | hatch | rise | fall


def change_legend(
    rise: str, fall: str, changes: Iterable[tuple[float | None, bool]]
) -> list[LegendItem]:
    """▲ / ▼ legend entries for the directions of the significant changes actually shown."""
    directions = {(c or 0) > 0 for c, significant in changes if significant and c}
    items = []
    if True in directions:
        items.append(LegendItem(rise, RISE, "rise"))
    if False in directions:
        items.append(LegendItem(fall, FALL, "fall"))
    return items


def x_axis(
    svg: Svg,
    scale: Scale,
    top: float,
    bottom: float,
    fmt: Formatter,
    ticks: Sequence[float] | None = None,
    zero_line: bool = True,
) -> None:
    """Vertical grid lines with tick labels below `bottom`; a darker line at zero."""
    for tick in ticks if ticks is not None else scale.ticks():
        x = scale(tick)
        is_zero = zero_line and abs(tick) < 1e-9 and scale.low < 0 <= scale.high
        svg.line(x, top, x, bottom, AXIS if is_zero else GRID, stroke_width=1.2 if is_zero else 1)
        svg.text(x, bottom + 16, fmt(tick), size=11, fill=MUTED, anchor="middle")


def y_axis(
    svg: Svg, scale: Scale, left: float, right: float, fmt: Formatter, ticks: Sequence[float]
) -> None:
    """Horizontal grid lines with tick labels left of `left`."""
    for tick in ticks:
        y = scale(tick)
        is_zero = abs(tick) < 1e-9 and scale.low < 0 <= scale.high
        svg.line(left, y, right, y, AXIS if is_zero else GRID, stroke_width=1.2 if is_zero else 1)
        svg.text(left - 8, y + 4, fmt(tick), size=11, fill=MUTED, anchor="end")


def whisker(svg: Svg, x1: float, x2: float, y: float, color: str, cap: float = 5) -> None:
    """A horizontal confidence interval with end caps."""
    svg.line(x1, y, x2, y, color, stroke_width=1.6)
    svg.line(x1, y - cap, x1, y + cap, color, stroke_width=1.6)
    svg.line(x2, y - cap, x2, y + cap, color, stroke_width=1.6)


def vertical_whisker(svg: Svg, x: float, y1: float, y2: float, color: str, cap: float = 4) -> None:
    svg.line(x, y1, x, y2, color, stroke_width=1.5)
    svg.line(x - cap, y1, x + cap, y1, color, stroke_width=1.5)
    svg.line(x - cap, y2, x + cap, y2, color, stroke_width=1.5)


def legend(svg: Svg, items: Sequence[LegendItem], x: float, y: float, max_width: float) -> float:
    """Legend entries in rows from (x, y); returns the y below the legend."""
    cursor, row_y = x, y
    for item in items:
        width = 18 + text_width(item.label, 12) + 18
        if cursor > x and cursor + width > x + max_width:
            cursor, row_y = x, row_y + 20
        _legend_key(svg, item, cursor, row_y)
        svg.text(cursor + 18, row_y + 4, item.label, size=12, fill=INK)
        cursor += width
    return row_y + 14


def _legend_key(svg: Svg, item: LegendItem, x: float, y: float) -> None:
    if item.shape == "dot":
        svg.circle(x + 6, y, 5, item.color)
    elif item.shape == "line":
        svg.line(x, y, x + 12, y, item.color, stroke_width=2.5)
    elif item.shape == "hatch":
        svg.rect(x, y - 6, 12, 12, svg.hatch(), stroke=DARK_GREY, stroke_width=0.8)
    elif item.shape in ("rise", "fall"):
        svg.triangle(x + 6, y, 11, item.shape == "rise", item.color)
    elif item.shape == "whisker":
        whisker(svg, x, x + 12, y, item.color, cap=4)
    else:
        svg.rect(x, y - 6, 12, 12, item.color, rx=2)


def suppressed_band(svg: Svg, x: float, y: float, width: float, height: float, label: str) -> None:
    """A hatched band with the word for "suppressed", where an estimate was withheld."""
    svg.rect(x, y, width, height, svg.hatch(), rx=3)
    label_width = text_width(label, 11) + 12
    svg.rect(x + 6, y + height / 2 - 8, label_width, 16, "#ffffff", rx=3, opacity=0.92)
    svg.text(x + 12, y + height / 2 + 4, label, size=11, fill=MUTED, font_style="italic")


def change_marker(svg: Svg, x: float, y: float, change: float | None, significant: bool) -> bool:
    """▲ or ▼ at (x, y) for a significant change; returns whether one was drawn."""
    if not significant or change is None or change == 0:
        return False
    svg.triangle(x, y, 10, change > 0, RISE if change > 0 else FALL)
    return True


def wrap(text: str, size: float, max_width: float) -> list[str]:
    """Greedy word wrap by estimated width."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]
