"""SPSS deliveries (.sav): coded answers with value labels, and the manifest that reads them.

Sector and market are numeric codes with labels, contact moments and statements carry labels
(1 "Zeer negatief" ... 5 "Zeer positief"), recommend is coded 0-10 or 1-11 (a `scale` in the
manifest) with 99 "Weet niet" as user-missing. pyreadstat writes the time of writing into the
file header; the delivery time replaces it, so the same study gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

import pandas as pd
import pyreadstat

from cxbench.demo.cells import column_order, constants, typed
from cxbench.demo.choices import Choices
from cxbench.demo.manifests import manifest_yaml
from cxbench.demo.organisations import StudyTable
from cxbench.demo.questionnaire import (
    AGREE_LABELS,
    DONT_KNOW,
    MARKET_CODES,
    MARKET_LABELS,
    QUESTIONS,
    RECOMMEND_LABELS,
    TOUCH_LABELS,
    item_code,
    sector_codes,
    sector_label,
)

Files = dict[str, bytes]
ONE_TO_ELEVEN_SHARE = 0.3  # SPSS studies whose recommend item is coded 1-11

SPSS_NAMES = {"respondent_id": "respnr", "sector": "branche", "market": "markt"}
SPSS_NAMES |= {"response_date": "datum", "weight": "weegfactor"}
# Header bytes 92..108 of a .sav file: creation date 'dd Mmm yy' (9) and time 'hh:mm:ss' (8),
# after the record type, product name, layout code, case size, compression, weight index, case
# count and bias (4 + 60 + 4 * 5 + 8 = 92 bytes).
SAV_CREATED = slice(92, 109)
SAV_STAMP = re.compile(rb"[ \d]\d [A-Z][a-z]{2} \d\d[ \d]\d:\d\d:\d\d")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _sav_stamp(stamp: dt.datetime) -> bytes:
    """The creation date and time as SPSS writes them, in English whatever the locale."""
    date = f"{stamp.day:02d} {MONTHS[stamp.month - 1]} {stamp.year % 100:02d}"
    return (date + stamp.strftime("%H:%M:%S")).encode("ascii")


def _spss_frame(table: StudyTable, names: list[str], shifted: bool) -> pd.DataFrame:
    """Numbers as SPSS holds them (floats); recommend coded 1-11 when `shifted`, 99 = don't
    know; sector and market as codes with value labels."""
    data: dict[str, list] = {}
    sectors = sector_codes()
    for column in names:
        cells = table.columns[column]
        if column == "sector":
            data[column] = [float(sectors[c]) for c in cells]
        elif column == "market":
            data[column] = [float(MARKET_CODES[c]) for c in cells]
        elif column == "recommend":
            data[column] = [float(int(c) + shifted) if c else float(DONT_KNOW[0]) for c in cells]
        elif column in ("respondent_id", "response_date"):
            data[column] = [typed(column, c) for c in cells]
        else:
            data[column] = [float(c) if c else float("nan") for c in cells]
    return pd.DataFrame(data).rename(columns=lambda c: SPSS_NAMES.get(c, item_code(c)))


def _spss_labels(names: list[str], shifted: bool) -> dict[str, dict[float, str]]:
    labels: dict[str, dict[float, str]] = {
        "branche": {float(code): sector_label(s) for s, code in sector_codes().items()},
        "markt": {float(code): MARKET_LABELS[m] for m, code in MARKET_CODES.items()},
    }
    for column in names:
        if column == "recommend":
            coded = {float(code + shifted): text for code, text in RECOMMEND_LABELS.items()}
            labels[item_code(column)] = coded | {float(DONT_KNOW[0]): DONT_KNOW[1]}
        elif column.startswith("touch_"):
            labels[item_code(column)] = {float(k): v for k, v in TOUCH_LABELS.items()}
        elif column.startswith("agree_"):
            labels[item_code(column)] = {float(k): v for k, v in AGREE_LABELS.items()}
    return labels


def sav(table: StudyTable, name: str, choices: Choices, stamp: dt.datetime) -> Files:
    """An SPSS file with coded sector and market, labelled answers, recommend sometimes coded
    1-11 (a `scale` in the manifest) and 99 "Weet niet" as user-missing. Statements are read
    through their labels (`recode`); organisation and year are the manifest's constants."""
    names = [c for c in column_order(list(table.columns)) if c not in ("organisation_id", "year")]
    shifted = "recommend" in names and choices.chance("recommend coded 1-11", ONE_TO_ELEVEN_SHARE)
    frame = _spss_frame(table, names, shifted)
    first = constants(table.columns)
    dont_know = {item_code("recommend"): [DONT_KNOW[0]]} if "recommend" in names else None
    with tempfile.TemporaryDirectory() as folder:  # pyreadstat writes to a path only
        path = Path(folder) / name
        pyreadstat.write_sav(
            frame,
            str(path),
            file_label=f"Klantonderzoek {first['organisation_id']} {first['year']}",
            column_labels={item_code(c): QUESTIONS[c] for c in names if c in QUESTIONS},
            variable_value_labels=_spss_labels(names, shifted),
            missing_ranges=dont_know,
        )
        content = bytearray(path.read_bytes())
    if not SAV_STAMP.fullmatch(content[SAV_CREATED]):
        # Another header layout would make the patch below damage the file: fail loudly.
        raise RuntimeError(f"unexpected .sav header: no creation time at bytes 92-108 of {name}")
    content[SAV_CREATED] = _sav_stamp(stamp)
    keys: dict[str, object] = {
        "organisation": first["organisation_id"],
        "year": int(first["year"]),
        "columns": {SPSS_NAMES.get(c, item_code(c)): c for c in names},
    }
    if shifted:
        keys["scale"] = {"recommend": {"from": [1, 11]}}
    statements = [c for c in names if c.startswith("agree_")]
    if statements:
        keys["recode"] = {
            c: {label: code for code, label in AGREE_LABELS.items()} for c in statements
        }
    manifest = manifest_yaml(
        "SPSS file: organisation and year are not in it, answers are coded (see value labels)", keys
    )
    return {name: bytes(content), f"{Path(name).stem}.yml": manifest}
