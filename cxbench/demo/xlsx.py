"""A small .xlsx writer whose output depends only on its input.

Office libraries stamp a workbook with the time it was written (document properties, zip entry
dates), and openpyxl spends most of the demo's writing time on XML it does not need. This writer
produces the few parts a workbook needs (SpreadsheetML, inline strings, one date style) and dates
every part with the given time, so the same sheets always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

Value = str | int | float | dt.date | None
Grid = Iterable[Sequence[Value]]

XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT = "application/vnd.openxmlformats-officedocument"
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 0 of Excel's 1900 date system
DATE_STYLE = 1  # cellXfs index of the dd-mm-yyyy style

STYLES = (
    f'{XML}<styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd\\-mm\\-yyyy"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell(reference: str, value: Value) -> str:
    if isinstance(value, str):
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{reference}" t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
    if isinstance(value, dt.date):
        return f'<c r="{reference}" s="{DATE_STYLE}"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    return f'<c r="{reference}"><v>{value!r}</v></c>'


def sheet_xml(grid: Grid) -> str:
    """A worksheet; empty cells and empty rows are left out, as Excel does."""
    parts = [f'{XML}<worksheet xmlns="{MAIN}"><sheetData>']
    for number, row in enumerate(grid, start=1):
        cells = "".join(
            _cell(f"{column_letter(i)}{number}", value)
            for i, value in enumerate(row)
            if value is not None and value != ""
        )
        if cells:
            parts.append(f'<row r="{number}">{cells}</row>')
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def _package(names: list[str], author: str, stamp: dt.datetime) -> dict[str, str]:
    """Every part of the workbook except the worksheets."""
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    sheets = range(1, len(names) + 1)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        f'ContentType="{CONTENT}.spreadsheetml.worksheet+xml"/>'
        for i in sheets
    )
    return {
        "[Content_Types].xml": (
            f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" '
            f'ContentType="{CONTENT}.spreadsheetml.sheet.main+xml"/>{overrides}'
            '<Override PartName="/xl/styles.xml" '
            f'ContentType="{CONTENT}.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f'<Override PartName="/docProps/app.xml" '
            f'ContentType="{CONTENT}.extended-properties+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'{XML}<Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{RELS}/metadata/core-properties" '
            'Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{DOC_RELS}/extended-properties" '
            'Target="docProps/app.xml"/></Relationships>'
        ),
        "docProps/app.xml": (
            f'{XML}<Properties xmlns="{DOC_RELS.replace("relationships", "extended-properties")}">'
            "<Application>Microsoft Excel</Application></Properties>"
        ),
        "docProps/core.xml": (
            f"{XML}<cp:coreProperties xmlns:cp="
            '"http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{escape(author)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            "</cp:coreProperties>"
        ),
        "xl/workbook.xml": (
            f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
            + "".join(
                f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
                for i, name in zip(sheets, names, strict=True)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{XML}<Relationships xmlns="{RELS}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{DOC_RELS}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i in sheets
            )
            + f'<Relationship Id="rId{len(names) + 1}" Type="{DOC_RELS}/styles" '
            'Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": STYLES,
    }


def workbook_bytes(sheets: dict[str, Grid], stamp: dt.datetime, author: str = "") -> bytes:
    """An .xlsx file with these sheets (name -> rows of values), written and dated `stamp`."""
    parts = _package(list(sheets), author, stamp)
    for i, grid in enumerate(sheets.values(), start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = sheet_xml(grid)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            entry = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            archive.writestr(entry, text.encode())
    return buffer.getvalue()
