"""Delimited-text deliveries: canonical CSV, Dutch Excel CSV and a Qualtrics CSV export.

Each writer returns the files of one delivery (file name -> bytes): the survey file and, where
the file cannot say everything itself, its sidecar manifest. Every answer keeps the value the
generator produced; only its spelling changes (`7,5` for `7.5`, `Groothandel` for `wholesale`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable

import numpy as np

from cxbench.demo.cells import column_order, constants, is_decimal, is_weighted, rows
from cxbench.demo.choices import Choices
from cxbench.demo.manifests import column_map, manifest_yaml
from cxbench.demo.organisations import StudyTable
from cxbench.demo.questionnaire import QUESTIONS, dutch_header, item_code, sector_label

Files = dict[str, bytes]

DUTCH_DATE = "%d-%m-%Y"
DUTCH_MARKETS = {"B2B": "Zakelijk", "B2C": "Particulier"}
REGIONS = ("Noord", "Oost", "Zuid", "West")
# Free text is personal data: cxbench drops the column on read and reports that it did.
COMMENTS = (
    "Vriendelijk geholpen, één keer bellen was genoeg",
    "Factuur klopte niet; twee keer moeten bellen",
    "Lang in de wacht gestaan",
    "Medewerker was erg behulpzaam en deskundig",
    "Geïrriteerd over de late levering",
)
COMMENT_SHARE = 0.15


def free_text(rng: np.random.Generator, n: int) -> list[str]:
    """A comment from some respondents, nothing from most."""
    commented = rng.random(n) < COMMENT_SHARE
    picked = rng.integers(0, len(COMMENTS), n)
    return [COMMENTS[p] if c else "" for c, p in zip(commented, picked, strict=True)]


def csv_text(
    header: list[str], body: Iterable[Iterable[str]], delimiter: str = ",", line_end: str = "\n"
) -> str:
    """Header and rows as CSV text; cells with a delimiter, quote or line end are quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows(body)
    return buffer.getvalue()


def canonical_csv(table: StudyTable, name: str) -> Files:
    """docs/contract.md §3: UTF-8, comma-separated, one header row, LF line ends; no manifest."""
    names = column_order(list(table.columns))
    return {name: csv_text(names, rows(table.columns, names)).encode()}


def _dutch_cell(column: str, cell: str) -> str:
    if column == "sector":
        return sector_label(cell)
    if column == "market":
        return DUTCH_MARKETS.get(cell, cell)
    if column == "response_date" and cell:
        return dt.date.fromisoformat(cell).strftime(DUTCH_DATE)
    if is_decimal(column):
        return cell.replace(".", ",")
    return cell


def dutch_csv(table: StudyTable, name: str, choices: Choices) -> Files:
    """Excel on Dutch Windows: `;`, decimal commas, Dutch headers, sector and market names and
    dd-mm-yyyy dates, CRLF, cp1252 or UTF-8 with BOM; a region column the manifest drops and a
    comments column cxbench drops as personal data."""
    names = column_order(list(table.columns))
    n = len(table.columns["respondent_id"])
    rng = choices.rng("dutch csv extras")
    regions = [REGIONS[i] for i in rng.integers(0, len(REGIONS), n)]
    comments = free_text(rng, n)
    body = (
        [*(_dutch_cell(c, v) for c, v in zip(names, row, strict=True)), region, comment]
        for row, region, comment in zip(rows(table.columns, names), regions, comments, strict=True)
    )
    header = [dutch_header(c) for c in names] + ["Regio", "Opmerkingen"]
    encoding = choices.pick("dutch csv encoding", ("cp1252", "utf-8-sig"))
    manifest = manifest_yaml(
        "Excel export of the fieldwork agency: Dutch column names, dates as dd-mm-yyyy",
        {
            "columns": column_map({c: dutch_header(c) for c in names}),
            "date_format": DUTCH_DATE,
            "drop": ["Regio"],
        },
    )
    text = csv_text(header, body, delimiter=";", line_end="\r\n")
    return {name: text.encode(encoding), f"{name}.yml": manifest}


# Qualtrics metadata columns: (column, question text row, ImportId).
QUALTRICS_METADATA = (
    ("StartDate", "Start Date", "startDate"),
    ("EndDate", "End Date", "endDate"),
    ("Status", "Response Type", "status"),
    ("IPAddress", "IP Address", "ipAddress"),
    ("Progress", "Progress", "progress"),
    ("Duration (in seconds)", "Duration (in seconds)", "duration"),
    ("Finished", "Finished", "finished"),
    ("RecordedDate", "Recorded Date", "recordedDate"),
    ("ResponseId", "Response ID", "_recordId"),
    ("RecipientLastName", "Recipient Last Name", "recipientLastName"),
    ("RecipientFirstName", "Recipient First Name", "recipientFirstName"),
    ("RecipientEmail", "Recipient Email", "recipientEmail"),
    ("ExternalReference", "External Data Reference", "externalDataReference"),
    ("LocationLatitude", "Location Latitude", "locationLatitude"),
    ("LocationLongitude", "Location Longitude", "locationLongitude"),
    ("DistributionChannel", "Distribution Channel", "distributionChannel"),
    ("UserLanguage", "User Language", "userLanguage"),
)
TIMED = {"startDate", "endDate", "recordedDate"}
WEIGHT_FIELD = "weegfactor"  # embedded data field of the survey


def _import_id(key: str) -> str:
    cell = {"ImportId": key, **({"timeZone": "Europe/Amsterdam"} if key in TIMED else {})}
    return json.dumps(cell, separators=(",", ":"))


def _metadata(table: StudyTable, choices: Choices) -> list[list[str]]:
    """Per respondent the metadata a Qualtrics export carries, recorded on the response date."""
    rng = choices.rng("qualtrics metadata")
    rows_out = []
    for respondent, day in zip(
        table.columns["respondent_id"], table.columns["response_date"], strict=True
    ):
        start = dt.datetime.fromisoformat(day) + dt.timedelta(
            seconds=int(rng.integers(8 * 3600, 21 * 3600))
        )
        duration = int(rng.integers(150, 1500))
        end = (start + dt.timedelta(seconds=duration)).strftime("%Y-%m-%d %H:%M:%S")
        address = f"192.0.2.{int(rng.integers(1, 255))}"  # documentation range, not a real one
        latitude, longitude = rng.uniform(51.4, 53.2), rng.uniform(4.0, 6.9)
        rows_out.append(
            [
                start.strftime("%Y-%m-%d %H:%M:%S"),
                end,
                "0",
                address,
                "100",
                str(duration),
                "1",
                end,
                respondent,
                "",
                "",
                "",
                "",
                f"{latitude:.4f}",
                f"{longitude:.4f}",
                "anonymous",
                "NL",
            ]
        )
    return rows_out


def qualtrics_csv(table: StudyTable, name: str, choices: Choices) -> Files:
    """A Qualtrics CSV export: three header rows (names, question texts, ImportIds), metadata
    and contact columns, items under their question codes; UTF-8 with BOM. The export knows
    nothing of the organisation, its sector or the year: the manifest says them."""
    items = [c for c in column_order(list(table.columns)) if c in QUESTIONS]
    weighted = is_weighted(table.columns)
    header = [m[0] for m in QUALTRICS_METADATA] + [item_code(c) for c in items] + ["Q6_TEXT"]
    questions = [m[1] for m in QUALTRICS_METADATA] + [QUESTIONS[c] for c in items]
    questions.append("Heeft u nog een toelichting?")
    import_ids = [_import_id(m[2]) for m in QUALTRICS_METADATA]
    import_ids += [_import_id(f"QID{item_code(c)[1:]}") for c in items] + [_import_id("QID6_TEXT")]
    if weighted:
        header.append(WEIGHT_FIELD)
        questions.append(WEIGHT_FIELD)
        import_ids.append(_import_id(WEIGHT_FIELD))
    answers = rows(table.columns, items + (["weight"] if weighted else []))
    comments = free_text(choices.rng("qualtrics comments"), table.n_rows)
    body = [
        [*meta, *row[: len(items)], comment, *row[len(items) :]]
        for meta, row, comment in zip(_metadata(table, choices), answers, comments, strict=True)
    ]
    text = csv_text(header, [questions, import_ids, *body], line_end="\r\n")
    mapping = {"ResponseId": "respondent_id", "RecordedDate": "response_date"}
    mapping |= {item_code(c): c for c in items}
    if weighted:
        mapping[WEIGHT_FIELD] = "weight"
    first = constants(table.columns)
    manifest = manifest_yaml(
        "Qualtrics export: organisation, sector, market and year are not in the file",
        {
            "organisation": first["organisation_id"],
            "sector": sector_label(first["sector"]),
            "market": first["market"],
            "year": int(first["year"]),
            "columns": mapping,
        },
    )
    return {name: b"\xef\xbb\xbf" + text.encode(), f"{name}.yml": manifest}
