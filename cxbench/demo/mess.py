"""What goes wrong in a year of deliveries: dirty rows, bad files, a copy and a correction.

Everything here comes on top of the calibrated studies, so the published figures do not move:
dirty rows are added to a study's rows (and quarantined), bad files are extra files (and
rejected), the copy is a `duplicate`, and a corrected re-delivery holds the study's own rows
while the first delivery it replaces ends `superseded`.

Each mishap belongs to a series-year and lands on a seeded study of that year, a different one
for each mishap of the year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from cxbench.demo import text_layouts, typed_layouts
from cxbench.demo.choices import Choices
from cxbench.demo.layouts import FREE_TEXT, Delivery, deliver
from cxbench.demo.organisations import StudyTable


@dataclass(frozen=True)
class DirtyRow:
    """One row added to a study that fails exactly one check of the survey schema.

    `value` replaces `column` in a copy of one of the study's rows (with a new respondent_id);
    None repeats that row as it is (the same respondent delivered twice).
    """

    check: str
    column: str
    value: str | None
    what: str


DIRTY_ROWS = {
    "recommend_11": DirtyRow("integer_0_10", "recommend", "11", "a recommend of 11"),
    "formula": DirtyRow(
        "code_format",
        "organisation_id",
        '=HYPERLINK("https://crm.example.nl/klant/{organisation}","{organisation}")',
        "an Excel formula as organisation code",
    ),
    "unknown_sector": DirtyRow("known_sector", "sector", "Bakkerij", "an unknown sector"),
    "duplicate_respondent": DirtyRow(
        "unique_respondent", "respondent_id", None, "a respondent delivered twice"
    ),
    "empty_respondent": DirtyRow("not_nullable", "respondent_id", "", "an empty respondent_id"),
}

# Extra files and their names; `{stem}` is the study's file name without extension.
EMPTY_EXPORT = "empty_export.csv"
NO_YEAR = "{stem}_first_export.csv"
TRUNCATED = "{stem}_upload.xlsx"
RESENT = "{stem}_resent"
CORRECTED = "_corrected"

# (series, year) -> mishaps, in order of the studies they land on.
PLAN: dict[tuple[str, int], tuple[str, ...]] = {
    ("integron", 2018): ("recommend_11", "no_year"),
    ("integron", 2019): ("formula", "resent"),
    ("integron", 2020): ("unknown_sector", "truncated", "corrected"),
    ("kbo", 2012): ("duplicate_respondent",),
    ("customeyes", 2011): ("empty_respondent",),
    ("customeyes", 2013): ("empty_export",),
}


@dataclass(frozen=True)
class Note:
    """What a demo file shows, for the landing folder's README."""

    source_file: str
    outcome: str


def with_dirty_row(table: StudyTable, dirty: DirtyRow, choices: Choices) -> StudyTable:
    """The study with one dirty row inserted after a seeded row of it: a copy of that row with
    the next free respondent_id and the dirty value, or the row itself when it is repeated."""
    after = choices.integer(f"dirty row {dirty.check}", 0, table.n_rows - 1)
    row = {column: cells[after] for column, cells in table.columns.items()}
    if dirty.value is not None:
        ids = table.columns["respondent_id"]
        row["respondent_id"] = f"R{table.n_rows + 1:0{len(ids[0]) - 1}d}"
        row[dirty.column] = dirty.value.format(organisation=table.organisation)
    columns = {
        column: [*cells[: after + 1], row[column], *cells[after + 1 :]]
        for column, cells in table.columns.items()
    }
    return replace(table, columns=columns)


def first_rows(table: StudyTable, n: int) -> StudyTable:
    """The study's first n respondents."""
    return replace(table, columns={c: cells[:n] for c, cells in table.columns.items()})


def without(table: StudyTable, column: str) -> StudyTable:
    """The study without one of its columns."""
    return replace(table, columns={c: v for c, v in table.columns.items() if c != column})


class Mess:
    """Places the mishaps of `PLAN` on the studies as they stream by, and notes each one."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.notes: list[Note] = []

    def _mishaps(self, study: StudyTable) -> list[str]:
        """The mishaps landing on this study: its series-year's, at seeded distinct positions."""
        planned = PLAN.get((study.source, study.year), ())
        if not planned:
            return []
        rng = Choices(self.seed, f"{study.source}/{study.year}").rng("mishap positions")
        positions = rng.permutation(study.year_studies)[: len(planned)].tolist()
        return [m for m, p in zip(planned, positions, strict=False) if p == study.position]

    def deliveries(
        self, study: StudyTable, layout: str, choices: Choices, delivered: dt.datetime
    ) -> list[Delivery]:
        """The study's delivery, with whatever goes wrong around it, oldest first."""
        mishaps = self._mishaps(study)
        dirty = [DIRTY_ROWS[m] for m in mishaps if m in DIRTY_ROWS]
        table = study
        for row in dirty:
            table = with_dirty_row(table, row, choices)
        if dirty and layout not in FREE_TEXT:
            layout = "canonical"  # a bad value needs a layout whose cells can hold it
        suffix = CORRECTED if "corrected" in mishaps else ""
        main = deliver(table, layout, choices, delivered, suffix)
        before, after = self._extras(study, mishaps, main)
        for row in dirty:
            self.notes.append(Note(main.source_file, f"partially_loaded: {row.what} quarantined"))
        return [*before, main, *after]

    def _extras(
        self, study: StudyTable, mishaps: list[str], main: Delivery
    ) -> tuple[list[Delivery], list[Delivery]]:
        """Extra deliveries before and after the study's own."""
        folder, stem, when = main.folder, study.path.stem, main.delivered
        before: list[Delivery] = []
        after: list[Delivery] = []

        def extra(name: str, content: bytes, days: int, outcome: str) -> Delivery:
            self.notes.append(Note((folder / name).as_posix(), outcome))
            moment = when + dt.timedelta(days=days)
            return Delivery(folder, name, {name: content}, moment)

        for mishap in mishaps:
            if mishap == "empty_export":
                before.append(extra(EMPTY_EXPORT, b"", -2, "rejected: the file is empty"))
            elif mishap == "no_year":
                name = NO_YEAR.format(stem=stem)
                content = text_layouts.canonical_csv(without(study, "year"), name)[name]
                before.append(extra(name, content, -3, "rejected: no year column, no manifest"))
            elif mishap == "truncated":
                whole = typed_layouts.plain_workbook(study, when)
                before.append(
                    extra(
                        TRUNCATED.format(stem=stem),
                        whole[: len(whole) // 2],
                        -1,
                        "rejected: the upload was cut off halfway",
                    )
                )
            elif mishap == "resent":
                name = RESENT.format(stem=stem) + PurePosixPath(main.name).suffix
                outcome = f"duplicate: the same bytes as {main.source_file}"
                after.append(extra(name, main.files[main.name], 9, outcome))
            elif mishap == "corrected":
                name = f"{stem}.csv"
                first = first_rows(study, study.n_rows - max(1, study.n_rows // 10))
                content = text_layouts.canonical_csv(first, name)[name]
                outcome = f"superseded: its last respondents were missing, {main.name} replaces it"
                before.append(extra(name, content, -20, outcome))
        return before, after
