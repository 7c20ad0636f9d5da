"""Workbook deliveries (.xlsx, .xlsm, .xls, .ods) read with calamine.

The sheet is the manifest's (a name, or a position counting from 1), else the first. Cells are
read as text the way pandas' calamine reader shows them (a whole number without `.0`); a date
cell becomes its ISO date. A title block above the header row is recognised and skipped.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
from python_calamine import CalamineWorkbook

from cxbench.ingest.readers.common import (
    DeliveredTable,
    ManifestMismatch,
    RejectedFile,
    first_line,
)
from cxbench.ingest.readers.header import (
    drop_extra_header_rows,
    header_row_index,
    unique_names,
)
from validations.manifest_schema import StudyManifest

MIDNIGHT = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"


def sheet_name(path: Path, wanted: str | int | None) -> str:
    """The sheet to read; a sheet the manifest names but the workbook lacks rejects the file."""
    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            names = list(workbook.sheet_names)
    except Exception as error:  # calamine has one error class per container format
        raise RejectedFile(f"not a readable workbook: {first_line(error)}") from error
    if not names:
        raise RejectedFile("workbook has no sheets")
    if wanted is None:
        return names[0]
    if isinstance(wanted, int):
        if not 1 <= wanted <= len(names):
            raise ManifestMismatch(f"workbook has no sheet {wanted} (it has {len(names)})")
        return names[wanted - 1]
    if wanted not in names:
        raise ManifestMismatch(f"workbook has no sheet {wanted!r} (sheets: {', '.join(names)})")
    return wanted


def _grid(path: Path, sheet: str) -> pl.DataFrame:
    try:
        cells = pd.read_excel(
            path, sheet_name=sheet, engine="calamine", header=None, dtype=str, na_filter=False
        )
    except Exception as error:
        raise RejectedFile(f"not a readable workbook: {first_line(error)}") from error
    cells.columns = [str(c) for c in cells.columns]
    return pl.from_pandas(cells).select(
        pl.all().cast(pl.Utf8).str.replace(MIDNIGHT, "$1").replace("", None)
    )


def read_workbook(path: Path, manifest: StudyManifest) -> DeliveredTable:
    sheet = sheet_name(path, manifest.sheet)
    grid = _grid(path, sheet)
    if grid.height == 0:
        raise RejectedFile(f"sheet {sheet!r} is empty")
    header = header_row_index(grid, manifest)
    if header >= grid.height:
        raise RejectedFile(f"sheet {sheet!r} has no header row at row {header + 1}")
    body = grid.slice(header + 1)
    body.columns = unique_names(grid.row(header))
    return DeliveredTable(
        frame=drop_extra_header_rows(body, manifest),
        layout=f"workbook (sheet {sheet!r})",
        decimal_comma=manifest.decimal == ",",
    )
