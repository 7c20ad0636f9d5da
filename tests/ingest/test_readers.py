"""Readers and mapping: what is recognised in a delivered file, and what the manifest adds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import polars as pl
import pyreadstat
import pytest

from cxbench.ingest.normalise import to_canonical
from cxbench.ingest.readers import RejectedFile, read_delivery
from validations.canonical import is_personal_data
from validations.manifest_schema import StudyManifest

IDENTITY = "respondent_id,organisation_id,sector,market,year"


def canonical(path: Path, **manifest) -> pl.DataFrame:
    plan = StudyManifest.model_validate(manifest)
    return to_canonical(read_delivery(path, plan), plan).frame


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


# --- text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b""), ("utf-16", b"")],
)
def test_dutch_csv_in_any_of_its_encodings(tmp_path, encoding, prefix):
    header = f"{IDENTITY.replace(',', ';')};grade_overall"
    text = f"{header}\nR1;ORG-1;Financiële dienstverlening;B2B;2020;7,5\n"
    path = write(tmp_path / "s.csv", prefix + text.encode(encoding))
    read = read_delivery(path, StudyManifest())
    assert read.decimal_comma and "';'" in read.layout
    rows = canonical(path)
    assert rows.row(0) == ("R1", "ORG-1", "financial_services", "B2B", "2020", "7.5")


def test_windows_line_ends_in_any_encoding_keep_the_row_numbers(tmp_path):
    text = f"{IDENTITY};remark\r\nR1;O;ict;B2B;2020;één\r\nR2;O;ict;B2B;2020;x\r\n"
    path = write(tmp_path / "s.csv", text.replace(",", ";"), "cp1252")
    rows = to_canonical(read_delivery(path, StudyManifest()))
    assert rows.frame["respondent_id"].to_list() == ["R1", "R2"]
    assert rows.row_numbers.to_list() == [1, 2]


def test_a_comma_file_that_is_not_utf8_is_read_as_cp1252(tmp_path):
    path = write(tmp_path / "s.csv", f"{IDENTITY}\nR1,ORG-1,Caf\xe9,B2B,2020\n", "cp1252")
    assert canonical(path)["sector"].to_list() == ["Café"]
    assert canonical(path, encoding="cp1252")["sector"].to_list() == ["Café"]


def test_delimiter_is_sniffed_outside_quotes_and_can_be_declared(tmp_path):
    path = write(tmp_path / "s.csv", f'"a, b";{IDENTITY.replace(",", ";")}\nx;R1;O;ict;B2B;2020\n')
    assert canonical(path)["respondent_id"].to_list() == ["R1"]
    piped = write(tmp_path / "p.txt", f"{IDENTITY.replace(',', '|')}\nR1|O|ict|B2B|2020\n")
    assert canonical(piped)["sector"].to_list() == ["ict"]
    assert canonical(piped, delimiter="|")["sector"].to_list() == ["ict"]


def test_decimal_commas_are_read_in_number_columns_only(tmp_path):
    path = write(
        tmp_path / "s.csv",
        f"{IDENTITY.replace(',', ';')};grade_overall;weight\n1,5;ORG-1;ict;B2B;2020;7,5;1,25\n",
    )
    assert canonical(path).select("respondent_id", "grade_overall", "weight").row(0) == (
        "1,5",
        "7.5",
        "1.25",
    )
    comma = write(tmp_path / "c.csv", f'{IDENTITY},grade_overall\nR1,O,ict,B2B,2020,"7,5"\n')
    assert canonical(comma)["grade_overall"].to_list() == ["7,5"]  # canonical: quarantined
    assert canonical(comma, decimal=",")["grade_overall"].to_list() == ["7.5"]


def test_qualtrics_header_rows_are_recognised_and_declared_ones_skipped(tmp_path):
    qualtrics = (
        "ResponseId,Q1\n"
        '"Response ID","How likely, from 0 to 10,\nwould you recommend us?"\n'
        '"{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}"\n'
        "R_1,9\nR_2,10\n"
    )
    path = write(tmp_path / "q.csv", qualtrics)
    assert read_delivery(path, StudyManifest()).frame.rows() == [("R_1", "9"), ("R_2", "10")]
    mapped = StudyManifest(
        organisation="O",
        sector="ict",
        market="B2B",
        year=2020,
        columns={"ResponseId": "respondent_id"},
    )
    rows = to_canonical(read_delivery(path, mapped), mapped)
    assert rows.row_numbers.to_list() == [1, 2]  # 1 = first respondent, below the header rows
    legacy = write(tmp_path / "l.csv", 'ResponseId,Q1\n"Response ID","Recommend?"\nR_1,9\n')
    plan = StudyManifest(header_rows=2)
    assert read_delivery(legacy, plan).frame.rows() == [("R_1", "9")]
    titled = write(tmp_path / "t.csv", "Export 2020\n\nResponseId,Q1\nR_1,9\n")
    assert read_delivery(titled, StudyManifest(skip_rows=2)).frame.rows() == [("R_1", "9")]


def test_blank_rows_are_not_rows_but_keep_the_numbering(tmp_path):
    path = write(
        tmp_path / "s.csv", f"{IDENTITY}\nR1,O,ict,B2B,2020\n\n,,,,\nR4,O,ict,B2B,2020\n\n\n"
    )
    rows = to_canonical(read_delivery(path, StudyManifest()))
    assert rows.frame["respondent_id"].to_list() == ["R1", "R4"]
    assert rows.row_numbers.to_list() == [1, 4]


def test_a_truncated_or_binary_text_file_is_rejected(tmp_path):
    cut = write(tmp_path / "cut.csv", f"{IDENTITY},recommend\nR1,O,ict,B2B,2020,9\nR2,O,i")
    with pytest.raises(RejectedFile, match="truncated: its last row stops after 3 of 6"):
        read_delivery(cut, StudyManifest())
    unterminated = write(tmp_path / "ok.csv", f"{IDENTITY}\nR1,O,ict,B2B,2020")
    assert canonical(unterminated).height == 1  # no final line end is fine
    binary = write(tmp_path / "b.csv", bytes(range(256)) * 4)
    with pytest.raises(RejectedFile, match="binary"):
        read_delivery(binary, StudyManifest())


def test_a_file_is_read_by_its_content_not_its_name(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(IDENTITY.split(","))
    book.active.append(["R1", "O", "ict", "B2B", 2020])
    book.save(tmp_path / "really_a_workbook.csv")
    assert canonical(tmp_path / "really_a_workbook.csv")["year"].to_list() == ["2020"]
    fake = write(tmp_path / "fake.xlsx", f"{IDENTITY}\nR1,O,ict,B2B,2020\n")
    with pytest.raises(RejectedFile, match="named .xlsx but its content is not a workbook"):
        read_delivery(fake, StudyManifest())


# --- workbooks -------------------------------------------------------------------------------


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_workbook_cells_read_as_typed_text(tmp_path):
    rows = [
        [*IDENTITY.split(","), "response_date", "recommend", "grade_overall"],
        ["R1", 17, "ict", "B2B", 2020, dt.datetime(2020, 3, 1), 9, 7.5],
        ["R2", 17, "ict", "B2B", 2020.0, dt.date(2020, 3, 2), 10.0, 8],
    ]
    path = workbook(tmp_path / "w.xlsx", {"Data": rows, "Other": [["x"]]})
    read = canonical(path)
    assert read.select("organisation_id", "year", "response_date", "recommend").rows() == [
        ("17", "2020", "2020-03-01", "9"),
        ("17", "2020", "2020-03-02", "10"),
    ]
    assert read["grade_overall"].to_list() == ["7.5", "8"]


def test_workbook_sheet_by_name_or_position_and_title_rows_found(tmp_path):
    data = [["Klantonderzoek 2020"], [], IDENTITY.split(","), ["R1", "O", "ict", "B2B", 2020]]
    path = workbook(tmp_path / "w.xlsx", {"Uitleg": [["lees mij"]], "Data": data})
    assert canonical(path, sheet="Data")["respondent_id"].to_list() == ["R1"]
    assert canonical(path, sheet=2)["respondent_id"].to_list() == ["R1"]
    with pytest.raises(RejectedFile, match="missing required column"):
        canonical(path)  # the first sheet is no survey
    with pytest.raises(RejectedFile, match="no sheet 3"):
        canonical(path, sheet=3)


# --- SPSS ------------------------------------------------------------------------------------


def spss_file(path: Path) -> Path:
    data = pd.DataFrame(
        {
            "resp": ["R1", "R2", "R3"],
            "org": ["O", "O", "O"],
            "branche": [2.0, 2.0, 1.0],
            "markt": [1.0, 1.0, 1.0],
            "jaar": [2020.0, 2020.0, 2020.0],
            "Q1": [11.0, 99.0, 1.0],
            "Q2": [5.0, 1.0, 3.0],
            "cijfer": [7.5, 9.0, None],
        }
    )
    pyreadstat.write_sav(
        data,
        path,
        variable_value_labels={
            "branche": {1: "Groothandel", 2: "Bouw en installatie"},
            "markt": {1: "Zakelijk"},
            "Q1": {1: "Zeer onwaarschijnlijk", 11: "Zeer waarschijnlijk", 99: "Weet niet"},
            "Q2": {1: "Helemaal oneens", 3: "Neutraal", 5: "Helemaal eens"},
        },
        missing_ranges={"Q1": [99]},
    )
    return path


SPSS_COLUMNS = {
    "resp": "respondent_id",
    "org": "organisation_id",
    "branche": "sector",
    "markt": "market",
    "jaar": "year",
    "cijfer": "grade_overall",
}


def test_spss_codes_labels_and_user_missing(tmp_path):
    path = spss_file(tmp_path / "s.sav")
    read = read_delivery(path, StudyManifest())
    assert read.frame["cijfer"].to_list() == ["7.5", "9", None]  # 9.0 is the answer 9
    assert read.frame["Q1"].to_list() == ["11", None, "1"]  # 99 is declared missing
    rows = canonical(path, columns={**SPSS_COLUMNS, "Q1": "recommend", "Q2": "agree_welcome"})
    assert rows["sector"].to_list() == ["construction_installation"] * 2 + ["wholesale"]
    assert rows["market"].to_list() == ["B2B"] * 3
    assert rows["agree_welcome"].to_list() == ["5", "1", "3"]  # codes unless labels are asked
    assert rows["recommend"].to_list() == ["11", None, "1"]


def test_spss_recode_written_in_labels_uses_the_labels(tmp_path):
    path = spss_file(tmp_path / "s.sav")
    rows = canonical(
        path,
        columns={**SPSS_COLUMNS, "Q1": "recommend", "Q2": "agree_welcome"},
        recode={"recommend": {"Zeer waarschijnlijk": 10, "Zeer onwaarschijnlijk": 0}},
        value_labels=["Q2"],
    )
    assert rows["recommend"].to_list() == ["10", None, "0"]
    assert rows["agree_welcome"].to_list() == ["Helemaal eens", "Helemaal oneens", "Neutraal"]


def test_a_scale_shift_moves_codes_and_leaves_the_rest_as_delivered(tmp_path):
    path = write(
        tmp_path / "s.csv",
        f"{IDENTITY},recommend,grade_overall\n"
        + "".join(
            f"R{i},O,ict,B2B,2020,{r},{g}\n"
            for i, (r, g) in enumerate(
                [("1", "0"), ("11", "8.5"), ("12", "9"), ("5.5", ""), ("x", "")]
            )
        ),
    )
    rows = canonical(
        path, scale={"recommend": {"from": [1, 11]}, "grade_overall": {"from": [0, 9]}}
    )
    assert rows["recommend"].to_list() == ["0", "10", "12", "5.5", "x"]
    assert rows["grade_overall"].to_list() == ["1", "9.5", "10", None, None]


# --- Parquet ---------------------------------------------------------------------------------


def test_parquet_types_become_text(tmp_path):
    frame = pl.DataFrame(
        {
            "respondent_id": [1, 2],
            "organisation_id": pl.Series(["O", "O"], dtype=pl.Categorical),
            "sector": ["ict", "ict"],
            "market": ["B2B", "B2B"],
            "year": [2020.0, 2020.0],
            "response_date": [dt.datetime(2020, 3, 1), dt.datetime(2020, 3, 1, 14, 30)],
            "weight": [1.0, 0.75],
        }
    )
    frame.write_parquet(tmp_path / "p.parquet")
    rows = canonical(tmp_path / "p.parquet")
    assert rows.rows() == [
        ("1", "O", "ict", "B2B", "2020", "2020-03-01", "1"),
        ("2", "O", "ict", "B2B", "2020", "2020-03-01", "0.75"),
    ]
    frame.with_columns(
        pl.col("weight").map_elements(lambda w: [w], return_dtype=pl.List(pl.Float64))
    ).write_parquet(tmp_path / "n.parquet")
    with pytest.raises(RejectedFile, match="column 'weight' holds List"):
        read_delivery(tmp_path / "n.parquet", StudyManifest())


# --- values and columns ----------------------------------------------------------------------


def test_dates_and_markets_in_their_delivered_spellings(tmp_path):
    path = write(
        tmp_path / "s.csv",
        f"{IDENTITY},response_date\nR1,O,ict,zakelijk,2020,2020-03-01T10:15:00Z\n"
        "R2,O,telecom,Consumenten,2020,01-03-2020\n",
    )
    assert canonical(path).select("market", "response_date").rows() == [
        ("B2B", "2020-03-01"),
        ("B2C", "01-03-2020"),  # not ISO: quarantined as delivered
    ]
    dutch = canonical(path, date_format="%d-%m-%Y")
    assert dutch["response_date"].to_list() == ["2020-03-01T10:15:00Z", "2020-03-01"]


@pytest.mark.parametrize(
    "header",
    [
        "E-mailadres",
        "Telefoonnummer",
        "Naam",
        "Achternaam",
        "Opmerkingen",
        "RecipientEmail",
        "RecipientFirstName",
        "IPAddress",
        "LocationLatitude",
        "Q12_TEXT",
        "Postcode",
        "Woonplaats",
        "Geboortedatum",
        "Toelichting op cijfer",
        "Contactpersoon",
    ],
)
def test_personal_data_headers_in_dutch_and_survey_tool_spellings(header):
    assert is_personal_data(header)


@pytest.mark.parametrize(
    "header", ["Q1", "Rapportcijfer", "Telefonische bereikbaarheid", "ResponseId", "Finished"]
)
def test_answer_headers_are_not_personal_data(header):
    assert not is_personal_data(header)


def test_personal_data_mapped_onto_an_item_is_kept_only_as_numbers(tmp_path):
    path = write(
        tmp_path / "s.csv",
        f"{IDENTITY},Beoordeling e-mailcontact,E-mail\nR1,O,ict,B2B,2020,8,a@b.nl\n",
    )
    rows = to_canonical(
        read_delivery(path, StudyManifest()),
        StudyManifest(columns={"Beoordeling e-mailcontact": "grade_email_contact"}),
    )
    assert rows.frame["grade_email_contact"].to_list() == ["8"]
    assert rows.personal_data_columns == ("e-mail",)


def test_odd_but_readable_text_files(tmp_path):
    rows = [("R1", "O", "ict", "B2B", "2020"), ("R2", "O", "ict", "B2B", "2020")]
    old_mac = write(tmp_path / "mac.csv", f"{IDENTITY}\rR1,O,ict,B2B,2020\rR2,O,ict,B2B,2020\r")
    assert canonical(old_mac).rows() == rows
    blank_above = write(tmp_path / "b.csv", f"\n  \n{IDENTITY}\nR1,O,ict,B2B,2020\n")
    assert canonical(blank_above).rows() == rows[:1]
    stray_quote = write(
        tmp_path / "q.csv", f'{IDENTITY};remark\nR1;O;ict;B2B;2020;5" screen\n'.replace(",", ";")
    )
    assert canonical(stray_quote).rows() == rows[:1]
    r_export = write(tmp_path / "r.csv", f"{IDENTITY},recommend\nR1,O,ict,B2B,2020,NA\n")
    assert canonical(r_export)["recommend"].to_list() == ["NA"]  # quarantined as delivered
    assert canonical(r_export, missing_values=["NA"])["recommend"].to_list() == [None]


def test_archives_and_ragged_rows_are_rejected_without_repeating_content(tmp_path):
    archive = write(tmp_path / "studies.zip", b"PK\x03\x04" + bytes(100))
    with pytest.raises(RejectedFile, match="zip archive: unpack it"):
        read_delivery(archive, StudyManifest())
    ragged = write(tmp_path / "r.csv", f"{IDENTITY}\nR1,O,ict,B2B,2020,jan@example.nl\n")
    with pytest.raises(RejectedFile, match="a row has 6 fields where the header has 5") as error:
        read_delivery(ragged, StudyManifest())
    assert "example.nl" not in str(error.value)
