"""The key-driver chart: importance (x) against performance (y), one dot per aspect, split into
four quadrants at the average importance and average performance of the aspects shown.

Top right "strengths" (important, performing well), bottom right "fix first" (important,
performing below the others), top left "maintain", bottom left "lower priority". The quadrant of
a dot is carried by its position, its label and its colour (orange for "fix first").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cxbench.report.charts.common import BLUE, DARK_GREY, ORANGE, Formatter
from cxbench.report.scales import Scale, nice_domain
from cxbench.report.svg import AXIS, GRID, INK, MUTED, Svg, text_width

WIDTH = 880
HEIGHT = 500
LEFT, RIGHT, TOP, BOTTOM = 78, WIDTH - 24, 28, HEIGHT - 62
FIX_FIRST_TINT = "#fbeee6"
QUADRANTS = ("strengths", "fix_first", "maintain", "lower_priority")


@dataclass(frozen=True)
class QuadrantPoint:
    label: str
    importance: float
    performance: float


def quadrant_of(point: QuadrantPoint, x_split: float, y_split: float) -> str:
    """`strengths`, `fix_first`, `maintain` or `lower_priority` (a tie counts as above)."""
    important = point.importance >= x_split
    performing = point.performance >= y_split
    if important:
        return "strengths" if performing else "fix_first"
    return "maintain" if performing else "lower_priority"


def splits(points: Sequence[QuadrantPoint]) -> tuple[float, float]:
    """The average importance and the average performance of the points."""
    return (
        sum(p.importance for p in points) / len(points),
        sum(p.performance for p in points) / len(points),
    )


def _padded(values: list[float], split: float, limits: tuple[float, float] | None):
    span = max(max(values) - min(values), 1e-9)
    pad = span * 0.15
    return nice_domain(
        [min(values) - pad, max(values) + pad], include=(split,), limits=limits, target_ticks=5
    )


def quadrant_chart(
    uid: str,
    title: str,
    description: str,
    points: Sequence[QuadrantPoint],
    quadrant_labels: dict[str, str],
    x_title: str,
    y_title: str,
    x_fmt: Formatter,
    y_fmt: Formatter,
) -> str:
    """The chart as SVG; `quadrant_labels` maps each of QUADRANTS to its text."""
    svg = Svg(WIDTH, HEIGHT, title, description, uid)
    if not points:
        return svg.render()
    x_split, y_split = splits(points)
    x_domain = _padded([p.importance for p in points], x_split, None)
    y_domain = _padded([p.performance for p in points], y_split, (1.0, 10.0))
    xs = Scale(x_domain[0], x_domain[1], LEFT, RIGHT)
    ys = Scale(y_domain[0], y_domain[1], BOTTOM, TOP)
    sx, sy = xs(x_split), ys(y_split)

    svg.rect(sx, sy, RIGHT - sx, BOTTOM - sy, FIX_FIRST_TINT)
    for tick in xs.ticks(6):
        svg.line(xs(tick), TOP, xs(tick), BOTTOM, GRID)
        svg.text(xs(tick), BOTTOM + 18, x_fmt(tick), size=11, fill=MUTED, anchor="middle")
    for tick in ys.ticks(5):
        svg.line(LEFT, ys(tick), RIGHT, ys(tick), GRID)
        svg.text(LEFT - 8, ys(tick) + 4, y_fmt(tick), size=11, fill=MUTED, anchor="end")
    svg.line(LEFT, BOTTOM, RIGHT, BOTTOM, AXIS)
    svg.line(LEFT, TOP, LEFT, BOTTOM, AXIS)
    svg.line(sx, TOP, sx, BOTTOM, DARK_GREY, stroke_width=1.3, stroke_dasharray="5 4")
    svg.line(LEFT, sy, RIGHT, sy, DARK_GREY, stroke_width=1.3, stroke_dasharray="5 4")

    corners = {
        "maintain": (LEFT + 8, TOP + 16, "start"),
        "strengths": (RIGHT - 8, TOP + 16, "end"),
        "lower_priority": (LEFT + 8, BOTTOM - 10, "start"),
        "fix_first": (RIGHT - 8, BOTTOM - 10, "end"),
    }
    for key, (x, y, anchor) in corners.items():
        color = ORANGE if key == "fix_first" else MUTED
        svg.text(x, y, quadrant_labels[key], size=13, fill=color, anchor=anchor, weight="700")

    svg.text((LEFT + RIGHT) / 2, HEIGHT - 14, x_title, size=12, fill=INK, anchor="middle")
    middle = (TOP + BOTTOM) / 2
    svg.text(
        18,
        middle,
        y_title,
        size=12,
        fill=INK,
        anchor="middle",
        transform=f"rotate(-90 18 {middle})",
    )

    for point in sorted(points, key=lambda p: (p.importance, p.performance)):
        x, y = xs(point.importance), ys(point.performance)
        fix_first = quadrant_of(point, x_split, y_split) == "fix_first"
        svg.circle(x, y, 6.5, ORANGE if fix_first else BLUE, stroke="#ffffff", stroke_width=1.5)
        width = text_width(point.label, 12, True)
        right_side = x + 10 + width <= RIGHT
        label_x = x + 10 if right_side else x - 10
        box_x = label_x - 2 if right_side else label_x - width - 2
        svg.rect(box_x, y - 16, width + 4, 15, "#ffffff", opacity=0.85, rx=2)
        svg.text(
            label_x,
            y - 4,
            point.label,
            size=12,
            weight="700",
            anchor="start" if right_side else "end",
        )
    return svg.render()
