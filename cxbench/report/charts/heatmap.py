"""Heat map: sectors (rows) x contact moments (columns), shaded by the share positive.

One sequential blue scale; every cell prints its value, so the colour only supports reading.
The total row and column are set apart; suppressed cells are hatched and say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxbench.report.charts.common import (
    DARK_GREY,
    FALL,
    RISE,
    LegendItem,
    change_legend,
    legend,
    wrap,
)
from cxbench.report.svg import INK, MUTED, Svg, esc, text_width

WIDTH = 880
ROW = 34
# ColorBrewer "Blues": sequential, perceptually ordered, colour-blind safe.
BLUES = (
    "#f7fbff",
    "#deebf7",
    "#c6dbef",
    "#9ecae1",
    "#6baed6",
    "#4292c6",
    "#2171b5",
    "#08519c",
    "#08306b",
)
SCALE_RANGE = (0.08, 0.92)  # the lightest and darkest stops are kept for the background and ink


@dataclass(frozen=True)
class HeatCell:
    value: float | None
    text: str
    suppressed: bool = False
    change: float | None = None
    significant: bool = False


@dataclass(frozen=True)
class HeatLabels:
    suppressed: str
    suppressed_short: str
    low: str
    high: str
    rise: str
    fall: str


def _rgb(colour: str) -> tuple[int, ...]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _luminance(rgb: tuple[int, ...]) -> float:
    """WCAG relative luminance."""
    linear = [(c / 255) / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def shade(fraction: float) -> tuple[str, str]:
    """Fill colour for a position 0..1 on the scale, and the text colour (white or ink) with
    the higher contrast on it."""
    fraction = min(max(fraction, 0.0), 1.0)
    position = (SCALE_RANGE[0] + fraction * (SCALE_RANGE[1] - SCALE_RANGE[0])) * (len(BLUES) - 1)
    index = min(int(position), len(BLUES) - 2)
    low, high = _rgb(BLUES[index]), _rgb(BLUES[index + 1])
    rgb = tuple(round(a + (b - a) * (position - index)) for a, b in zip(low, high, strict=True))
    fill = _luminance(rgb)
    white = _contrast(fill, 1.0)
    ink = _contrast(fill, _luminance(_rgb(INK)))
    return "#{:02x}{:02x}{:02x}".format(*rgb), ("#ffffff" if white >= ink else INK)


def heatmap_chart(
    uid: str,
    title: str,
    description: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    cells: Sequence[Sequence[HeatCell]],
    labels: HeatLabels,
    domain: tuple[float, float],
    total_row: int | None = None,
    total_column: int | None = None,
) -> str:
    label_w = min(max(text_width(label, 13) for label in row_labels) + 16, 240)
    column_w = (WIDTH - label_w - 8) / max(len(column_labels), 1)
    headers = [wrap(label, 12, column_w - 8) for label in column_labels]
    header_h = 18 * max(len(h) for h in headers) + 10
    top = 56 + header_h
    height = top + ROW * len(row_labels) + 12
    svg = Svg(WIDTH, height, title, description, uid)
    _scale_legend(svg, domain, labels, 8)
    items = change_legend(
        labels.rise, labels.fall, ((c.change, c.significant) for row in cells for c in row)
    )
    if any(c.suppressed for row in cells for c in row):
        items.append(LegendItem(labels.suppressed, DARK_GREY, "hatch"))
    legend(svg, items, 330, 22, WIDTH - 330)

    for j, lines in enumerate(headers):
        x = label_w + 8 + column_w * j + column_w / 2
        for k, line in enumerate(lines):
            y = top - 10 - 18 * (len(lines) - 1 - k)
            svg.text(
                x, y, line, size=12, anchor="middle", weight="700" if j == total_column else "600"
            )
    low, high = domain
    for i, label in enumerate(row_labels):
        y = top + ROW * i
        svg.text(
            label_w,
            y + ROW / 2 + 4,
            label,
            size=13,
            anchor="end",
            weight="700" if i == total_row else None,
        )
        for j, cell in enumerate(cells[i]):
            x = label_w + 8 + column_w * j
            _cell(svg, cell, x, y, column_w, (low, high), labels)
    grid_right = label_w + 8 + column_w * len(column_labels)
    if total_row is not None:
        y = top + ROW * (total_row + 1)
        svg.line(label_w + 8, y, grid_right, y, INK, stroke_width=2)
    if total_column is not None:
        x = label_w + 8 + column_w * total_column
        svg.line(x, top, x, top + ROW * len(row_labels), INK, stroke_width=2)
    return svg.render()


def _cell(
    svg: Svg,
    cell: HeatCell,
    x: float,
    y: float,
    width: float,
    domain: tuple[float, float],
    labels: HeatLabels,
) -> None:
    if cell.suppressed:
        svg.rect(x + 1, y + 1, width - 2, ROW - 2, svg.hatch())
        label_w = text_width(labels.suppressed_short, 10) + 8
        svg.rect(x + (width - label_w) / 2, y + ROW / 2 - 7, label_w, 14, "#ffffff", rx=2)
        svg.text(
            x + width / 2,
            y + ROW / 2 + 4,
            labels.suppressed_short,
            size=10,
            fill=MUTED,
            anchor="middle",
            font_style="italic",
        )
        return
    if cell.value is None:
        svg.rect(x + 1, y + 1, width - 2, ROW - 2, "#fafafa")
        svg.text(x + width / 2, y + ROW / 2 + 4, cell.text, size=12, fill=MUTED, anchor="middle")
        return
    low, high = domain
    fill, ink = shade((cell.value - low) / (high - low) if high > low else 0.5)
    svg.rect(x + 1, y + 1, width - 2, ROW - 2, fill)
    svg.text(
        x + width / 2, y + ROW / 2 + 5, cell.text, size=13, anchor="middle", fill=ink, weight="600"
    )
    if cell.significant and cell.change:
        svg.rect(x + width - 17, y + 4, 13, 13, "#ffffff", rx=2)
        svg.triangle(
            x + width - 10.5, y + 10.5, 9, cell.change > 0, RISE if cell.change > 0 else FALL
        )


def _scale_legend(svg: Svg, domain: tuple[float, float], labels: HeatLabels, x: float) -> None:
    """A gradient bar from the lowest to the highest value shown."""
    gradient_id = f"{svg.uid}-scale"
    stops = "".join(
        f'<stop offset="{k / 8:.3f}" stop-color="{shade(k / 8)[0]}"/>' for k in range(9)
    )
    svg.defs.append(
        f'<linearGradient id="{esc(gradient_id)}" x1="0" x2="1" y1="0" y2="0">{stops}'
        "</linearGradient>"
    )
    svg.rect(
        x + text_width(labels.low, 11) + 8,
        14,
        150,
        14,
        f"url(#{gradient_id})",
        stroke="#d0d5dc",
        stroke_width=0.8,
    )
    svg.text(x, 25, labels.low, size=11, fill=MUTED)
    svg.text(x + text_width(labels.low, 11) + 166, 25, labels.high, size=11, fill=MUTED)
