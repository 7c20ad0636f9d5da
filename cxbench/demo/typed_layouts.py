"""Deliveries with typed cells: Excel workbooks (three variants) and Parquet (SPSS: spss.py).

Each writer returns the files of one delivery (file name -> bytes), byte-identical for the same
study and delivery time: a workbook records the delivery time as the time it was written.
"""

from __future__ import annotations

import datetime as dt
import io

import polars as pl

from cxbench.demo.cells import CONSTANTS, column_order, constants, is_decimal, rows, typed
from cxbench.demo.choices import Choices
from cxbench.demo.manifests import column_map, manifest_yaml
from cxbench.demo.organisations import StudyTable
from cxbench.demo.questionnaire import dutch_header, sector_label
from cxbench.demo.xlsx import Grid, workbook_bytes

Files = dict[str, bytes]
AUTHOR = "Veldwerkbureau"  # the fieldwork agency that exported the workbooks

WORKBOOK_VARIANTS = ("plain", "titled", "report")
REPORT_SHEET = "Resultaten"
COVER = (
    "Klanttevredenheidsonderzoek: toelichting",
    "",
    "De antwoorden staan op het tabblad Resultaten, één regel per respondent.",
    "Rapportcijfers lopen van 1 tot 10; ervaringen van 1 (zeer negatief) tot 5 (zeer positief).",
)


# --- workbooks ---------------------------------------------------------------------------------


def _typed_rows(table: StudyTable, names: list[str]) -> Grid:
    return [
        [typed(c, v) for c, v in zip(names, row, strict=True)] for row in rows(table.columns, names)
    ]


def plain_workbook(table: StudyTable, stamp: dt.datetime) -> bytes:
    """The study on one sheet under its canonical header, as Excel's default `Blad1`."""
    names = column_order(list(table.columns))
    return workbook_bytes({"Blad1": [names, *_typed_rows(table, names)]}, stamp, AUTHOR)


def xlsx(table: StudyTable, name: str, choices: Choices, stamp: dt.datetime) -> Files:
    """A workbook in one of three variants: `plain` (canonical header in row 1), `titled` (a
    title block above the canonical header, recognised without a manifest) or `report` (a cover
    sheet, then a titled sheet with Dutch headers and without organisation, sector, market and
    year, which the manifest gives together with `sheet` and `skip_rows`)."""
    variant = choices.pick("workbook variant", WORKBOOK_VARIANTS)
    names = column_order(list(table.columns))
    first = constants(table.columns)
    title = [
        [f"Klantonderzoek {first['organisation_id']} {first['year']}"],
        [f"Veldwerk afgerond, {table.n_rows} respondenten"],
        [],
    ]
    if variant == "plain":
        return {name: plain_workbook(table, stamp)}
    if variant == "titled":
        grid = [*title, names, *_typed_rows(table, names)]
        return {name: workbook_bytes({"Blad1": grid}, stamp, AUTHOR)}
    kept = [c for c in names if c not in CONSTANTS]
    headers = {c: dutch_header(c) for c in kept}
    sheets = {
        "Toelichting": [[line] for line in COVER],
        REPORT_SHEET: [*title, list(headers.values()), *_typed_rows(table, kept)],
    }
    manifest = manifest_yaml(
        "Workbook with a cover sheet and a title block; the study's constants are not in it",
        {
            "sheet": REPORT_SHEET,
            "skip_rows": len(title),
            "organisation": first["organisation_id"],
            "sector": sector_label(first["sector"]),
            "market": first["market"],
            "year": int(first["year"]),
            "columns": column_map(headers),
        },
    )
    return {name: workbook_bytes(sheets, stamp, AUTHOR), f"{name}.yml": manifest}


# --- Parquet -----------------------------------------------------------------------------------


def _parquet_type(column: str) -> pl.DataType:
    if column == "response_date":
        return pl.Date
    if column == "year":
        return pl.Int16
    if column in ("recommend",) or column.startswith(("touch_", "agree_")):
        return pl.Int8
    if is_decimal(column):
        return pl.Float64
    return pl.Utf8


def parquet(table: StudyTable, name: str) -> Files:
    """Parquet with canonical column names and typed columns (no manifest needed)."""
    names = column_order(list(table.columns))
    frame = pl.DataFrame(
        {c: pl.Series(c, [typed(c, v) for v in table.columns[c]], _parquet_type(c)) for c in names}
    )
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return {name: buffer.getvalue()}
