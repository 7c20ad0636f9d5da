"""A minimal SVG writer: escaped text, presentation attributes only (no CSS), so a chart renders
the same inline in the report and as a stand-alone file in a slide deck."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

FONT_FAMILY = "'Segoe UI', 'Helvetica Neue', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"
INK = "#1d2433"
MUTED = "#5b6577"
GRID = "#e3e6eb"
AXIS = "#9aa3af"
SUPPRESSED_FILL = "#f3f4f6"
SUPPRESSED_LINE = "#aab1bc"


def esc(text: object) -> str:
    """Text and attribute values, escaped for XML."""
    return html.escape(str(text), quote=True)


def num(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text_width(text: str, size: float, bold: bool = False) -> float:
    """A generous estimate of rendered text width in a sans-serif face (no font metrics here)."""
    narrow = sum(1 for c in text if c in "iljtfrI.,:;'|!() ")
    wide = sum(1 for c in text if c in "mwMW%")
    width = (len(text) - narrow - wide) * 0.56 + narrow * 0.3 + wide * 0.85
    return width * size * (1.07 if bold else 1.0)


def _attributes(attrs: dict[str, object]) -> str:
    parts = []
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        key = name.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = num(value)
        parts.append(f' {key}="{esc(value)}"')
    return "".join(parts)


@dataclass
class Svg:
    """One chart. `uid` prefixes element ids so several charts can share one HTML page."""

    width: float
    height: float
    title: str
    description: str
    uid: str
    parts: list[str] = field(default_factory=list)
    defs: list[str] = field(default_factory=list)

    def add(self, tag: str, content: str | None = None, **attrs: object) -> None:
        if content is None:
            self.parts.append(f"<{tag}{_attributes(attrs)}/>")
        else:
            self.parts.append(f"<{tag}{_attributes(attrs)}>{content}</{tag}>")

    def rect(self, x: float, y: float, w: float, h: float, fill: str, **attrs: object) -> None:
        self.add(
            "rect",
            x=float(x),
            y=float(y),
            width=float(max(w, 0)),
            height=float(h),
            fill=fill,
            **attrs,
        )

    def line(
        self, x1: float, y1: float, x2: float, y2: float, stroke: str, **attrs: object
    ) -> None:
        self.add(
            "line", x1=float(x1), y1=float(y1), x2=float(x2), y2=float(y2), stroke=stroke, **attrs
        )

    def circle(self, cx: float, cy: float, r: float, fill: str, **attrs: object) -> None:
        self.add("circle", cx=float(cx), cy=float(cy), r=float(r), fill=fill, **attrs)

    def path(self, d: str, **attrs: object) -> None:
        self.add("path", d=d, **attrs)

    def text(
        self,
        x: float,
        y: float,
        content: str,
        size: float = 13,
        fill: str = INK,
        anchor: str = "start",
        weight: str | None = None,
        **attrs: object,
    ) -> None:
        self.add(
            "text",
            esc(content),
            x=float(x),
            y=float(y),
            font_size=float(size),
            fill=fill,
            text_anchor=None if anchor == "start" else anchor,
            font_weight=weight,
            **attrs,
        )

    def triangle(self, cx: float, cy: float, size: float, up: bool, fill: str) -> None:
        """A change marker: ▲ for a rise, ▼ for a fall (shape, not only colour, carries it)."""
        half = size * math.sqrt(3) / 4 * (1 if up else -1)
        tip, base = cy - half, cy + half
        points = ((cx, tip), (cx + size / 2, base), (cx - size / 2, base))
        self.path("M" + " L".join(f"{num(x)},{num(y)}" for x, y in points) + " Z", fill=fill)

    def hatch(self) -> str:
        """The fill of a suppressed cell: grey diagonal hatching (defined once per chart)."""
        pattern_id = f"{self.uid}-hatch"
        if not any(f'id="{pattern_id}"' in d for d in self.defs):
            self.defs.append(
                f'<pattern id="{esc(pattern_id)}" width="6" height="6" '
                'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
                f'<rect width="6" height="6" fill="{SUPPRESSED_FILL}"/>'
                f'<line x1="0" y1="0" x2="0" y2="6" stroke="{SUPPRESSED_LINE}" stroke-width="1.5"/>'
                "</pattern>"
            )
        return f"url(#{pattern_id})"

    def render(self) -> str:
        title_id, desc_id = f"{self.uid}-title", f"{self.uid}-desc"
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(self.width)}" '
            f'height="{num(self.height)}" viewBox="0 0 {num(self.width)} {num(self.height)}" '
            f'role="img" aria-labelledby="{esc(title_id)} {esc(desc_id)}" '
            f'font-family="{esc(FONT_FAMILY)}" data-chart="{esc(self.uid)}">'
            f'<title id="{esc(title_id)}">{esc(self.title)}</title>'
            f'<desc id="{esc(desc_id)}">{esc(self.description)}</desc>'
        )
        defs = f"<defs>{''.join(self.defs)}</defs>" if self.defs else ""
        background = f'<rect width="{num(self.width)}" height="{num(self.height)}" fill="#ffffff"/>'
        return head + defs + background + "".join(self.parts) + "</svg>"
