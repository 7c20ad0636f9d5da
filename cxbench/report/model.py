"""What a report is made of: sections of paragraphs, figures and tables, before any HTML."""

from __future__ import annotations

from dataclasses import dataclass, field


class Markup(str):
    """Text that is already HTML (built by the report itself from escaped parts)."""


@dataclass(frozen=True)
class DataTable:
    """A table of figures; columns `numeric_from` up to (not including) `numeric_to` are
    right-aligned numbers."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    numeric_from: int = 1
    numeric_to: int | None = None


@dataclass(frozen=True)
class Figure:
    """A chart: its SVG, the n behind it (`note`) and the figures as a table for screen readers
    and for anyone who wants the numbers. `slug` names the image file (`<slug>.svg`)."""

    slug: str
    title: str
    svg: str
    note: str = ""
    table: DataTable | None = None


Block = str | Markup | Figure | DataTable


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    blocks: tuple[Block, ...] = ()
    lead: str = ""


@dataclass(frozen=True)
class Report:
    """The assembled report: the page and the chart images to save beside it."""

    lang: str
    html: str
    figures: tuple[Figure, ...] = ()
    sections: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def images(self) -> dict[str, str]:
        return {f"{figure.slug}.svg": figure.svg for figure in self.figures}
