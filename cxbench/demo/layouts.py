"""The layout mix of the demo deliveries: which layout a study arrives in, and its files.

Roughly as research firms receive them: half canonical CSV, a fifth Dutch Excel CSV, workbooks,
SPSS files, Qualtrics exports and a few Parquet files (docs/deliveries.md has an example of each).
Which study gets which layout follows from the seed; a study's values are the same in every
layout.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePosixPath

from cxbench.demo import spss, text_layouts, typed_layouts
from cxbench.demo.choices import Choices
from cxbench.demo.organisations import StudyTable

LAYOUT_SHARES: dict[str, float] = {
    "canonical": 0.50,
    "dutch_csv": 0.20,
    "xlsx": 0.15,
    "spss": 0.08,
    "qualtrics": 0.05,
    "parquet": 0.02,
}
SUFFIXES = {
    "canonical": ".csv",
    "dutch_csv": ".csv",
    "xlsx": ".xlsx",
    "spss": ".sav",
    "qualtrics": ".csv",
    "parquet": ".parquet",
}
# Layouts whose cells are free text, so that any value can be delivered (dirty rows included).
FREE_TEXT = ("canonical", "dutch_csv")


@dataclass(frozen=True)
class Delivery:
    """Files that arrive together (a survey file, its manifest), in one folder, at one time."""

    folder: PurePosixPath
    name: str  # the survey file; the other files are its manifest
    files: dict[str, bytes]
    delivered: dt.datetime

    @property
    def source_file(self) -> str:
        """The survey file's path under landing/, as `audit.file_log` names it."""
        return (self.folder / self.name).as_posix()


class LayoutMix:
    """The layouts of the studies as they stream by, in the shares of `LAYOUT_SHARES`.

    Study k gets the layout at point `start + k * golden ratio` (mod 1) of the shares laid end
    to end: a low-discrepancy sequence, so every run of studies (a year, a small scale) has
    close to the intended mix, where independent draws would scatter by several percent. The
    start is seeded.
    """

    STEP = (5**0.5 - 1) / 2

    def __init__(self, seed: int) -> None:
        self.point = Choices(seed, "layout mix").uniform("start")

    def next(self) -> str:
        """The layout of the next study."""
        self.point = (self.point + self.STEP) % 1.0
        edge = 0.0
        for layout, share in LAYOUT_SHARES.items():
            edge += share
            if self.point < edge:
                return layout
        return next(reversed(list(LAYOUT_SHARES)))


def file_name(study: StudyTable, layout: str, suffix: str = "") -> str:
    """`<source>_<organisation>_<year><suffix>.<extension of the layout>`."""
    return f"{study.path.stem}{suffix}{SUFFIXES[layout]}"


def render(
    table: StudyTable, layout: str, name: str, choices: Choices, stamp: dt.datetime
) -> dict[str, bytes]:
    """The files of a study delivered in `layout` as `name` (file name -> bytes)."""
    if layout == "canonical":
        return text_layouts.canonical_csv(table, name)
    if layout == "dutch_csv":
        return text_layouts.dutch_csv(table, name, choices)
    if layout == "qualtrics":
        return text_layouts.qualtrics_csv(table, name, choices)
    if layout == "xlsx":
        return typed_layouts.xlsx(table, name, choices, stamp)
    if layout == "spss":
        return spss.sav(table, name, choices, stamp)
    if layout == "parquet":
        return typed_layouts.parquet(table, name)
    raise ValueError(f"unknown layout {layout!r}")


def deliver(
    table: StudyTable, layout: str, choices: Choices, delivered: dt.datetime, suffix: str = ""
) -> Delivery:
    """The study as one delivery in its folder, named after the study (plus `suffix`)."""
    name = file_name(table, layout, suffix)
    files = render(table, layout, name, choices, delivered)
    return Delivery(table.path.parent, name, files, delivered)
