"""Header rows: survey tools write several, workbooks often start with a title above them.

Qualtrics exports have three: column names, question texts, and `{"ImportId":"QID1"}` cells.
The first is the header; the other two are recognised by their ImportId row and removed so that
row 1 is the first respondent, as for every layout.
"""

from __future__ import annotations

import polars as pl

from validations.canonical import REQUIRED_COLUMNS, normalise_column_name
from validations.manifest_schema import StudyManifest

IMPORT_ID = r'^\{\s*"ImportId"\s*:'
HEADER_SEARCH_ROWS = 10  # a title block above the header is never longer


def extra_header_rows(frame: pl.DataFrame, manifest: StudyManifest) -> int:
    """How many rows below the column names are header rows (manifest, else Qualtrics)."""
    if manifest.header_rows is not None:
        return manifest.header_rows - 1
    for row in (1, 0):
        if frame.height > row and _is_import_id_row(frame.slice(row, 1)):
            return row + 1
    return 0


def _is_import_id_row(row: pl.DataFrame) -> bool:
    if all(dtype == pl.Utf8 for dtype in row.dtypes):
        cells = row.row(0)  # text already: no cast to run
    else:
        cells = row.select(pl.all().cast(pl.Utf8)).row(0)
    filled = [c for c in cells if c]
    if not any("ImportId" in c for c in filled):
        return False  # IMPORT_ID cannot match: skip the regex (the common case, every file)
    matches = pl.Series(filled, dtype=pl.Utf8).str.contains(IMPORT_ID).sum() if filled else 0
    return bool(filled) and matches * 2 >= len(filled)


def drop_extra_header_rows(frame: pl.DataFrame, manifest: StudyManifest) -> pl.DataFrame:
    return frame.slice(extra_header_rows(frame, manifest))


def header_row_index(rows: pl.DataFrame, manifest: StudyManifest) -> int:
    """Which of the first rows of a headerless grid holds the column names.

    `skip_rows` in the manifest says it; otherwise the first row naming a required canonical
    column or a mapped column, else the first row with any content.
    """
    if manifest.skip_rows:
        return manifest.skip_rows
    wanted = set(REQUIRED_COLUMNS) | {normalise_column_name(c) for c in manifest.columns}
    first_filled = None
    for index, cells in enumerate(rows.head(HEADER_SEARCH_ROWS).iter_rows()):
        names = {normalise_column_name(c) for c in cells if c}
        if names & wanted:
            return index
        if names and first_filled is None:
            first_filled = index
    return first_filled or 0


def unique_names(cells: tuple[str | None, ...]) -> list[str]:
    """Header cells as column names; repeats get polars' `_duplicated_<n>` suffix, as in CSV."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for cell in cells:
        name = (cell or "").strip()
        if name in seen:
            seen[name] += 1
            name = f"{name}_duplicated_{seen[name] - 1}"
        else:
            seen[name] = 0
        names.append(name)
    return names
