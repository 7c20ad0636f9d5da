"""Plain CSV files read together give exactly what reading each alone gives."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cxbench.ingest.landing import Delivery
from cxbench.ingest.manifest import NO_MANIFEST
from cxbench.ingest.normalise import to_canonical
from cxbench.ingest.plain import PlainCsv, plain_header, read_plain
from cxbench.ingest.readers import read_delivery

HEADER = "respondent_id,organisation_id,sector,market,year,recommend,weight"


def delivery(folder: Path, name: str, text: str) -> tuple[Delivery, bytes]:
    path = folder / name
    path.write_bytes(text.encode())
    return Delivery(path, name, path.stat().st_size, 0.0), path.read_bytes()


def plain(folder: Path, name: str, text: str) -> PlainCsv:
    found = PlainCsv.of(*_args(folder, name, text))
    assert found is not None, name
    return found


def _args(folder: Path, name: str, text: str):
    d, data = delivery(folder, name, text)
    return d, (name, None), data


def alone(file: PlainCsv):
    table = read_delivery(file.delivery.path, NO_MANIFEST, file.data)
    return ("alone", file.delivery.source_file, to_canonical(table))


def together(file: PlainCsv, rows):
    return ("together", file.delivery.source_file, rows)


def assert_same_rows(a, b):
    assert a.frame.equals(b.frame) and a.as_delivered.equals(b.as_delivered)
    assert a.row_numbers.to_list() == b.row_numbers.to_list()
    assert (a.ignored_columns, a.personal_data_columns) == (
        b.ignored_columns,
        b.personal_data_columns,
    )


def test_files_read_together_equal_each_read_alone(tmp_path):
    files = [
        plain(tmp_path, "a.csv", f"{HEADER}\nR1,ORG-1,wholesale,B2B,2024,7,1\nR2,ORG-1,,B2B,,,\n"),
        # another header: its own group; a short row and CRLF line ends
        plain(tmp_path, "b.csv", f"{HEADER},grade_x\r\nR1,ORG-2,retail,B2C,2024\r\n"),
        plain(tmp_path, "c.csv", f"{HEADER}\nR9,ORG-3,Groothandel,zakelijk,2023,10,0.5\n"),
    ]
    results = read_plain(files, together, alone)
    assert [(how, name) for how, name, _ in results] == [
        ("together", "a.csv"),
        ("together", "b.csv"),
        ("together", "c.csv"),
    ]
    for file, (_, _, rows) in zip(files, results, strict=True):
        assert_same_rows(rows, alone(file)[2])
    assert results[2][2].frame.row(0)[2:4] == ("wholesale", "B2B")  # aliases became codes


@pytest.mark.parametrize(
    "odd",
    [
        "R3,ORG-1,wholesale,B2B,2024,7,1,extra\n",  # a row with more fields than the header
        ",,,,,,\n",  # an empty row: left out, so row numbers need the file alone
        "\n",  # a blank line at the end
        "\nR3,ORG-1,wholesale,B2B,2024,7,1\n",  # a blank line between rows
    ],
)
def test_a_group_with_an_odd_file_is_read_file_by_file(tmp_path, odd):
    good = plain(tmp_path, "good.csv", f"{HEADER}\nR1,ORG-1,wholesale,B2B,2024,7,1\n")
    bad = plain(tmp_path, "odd.csv", f"{HEADER}\nR1,ORG-2,wholesale,B2B,2024,7,1\n{odd}")
    other = plain(tmp_path, "other.csv", f"{HEADER},grade_y\nR1,ORG-3,retail,B2C,2024,7,1,8\n")
    results = read_plain([good, bad, other], together, lambda f: ("alone", f, None))
    assert [r[0] for r in results] == ["alone", "alone", "together"]


def test_a_group_whose_mapping_fails_is_read_file_by_file(tmp_path):
    missing_year = "respondent_id,organisation_id,sector,market\nR1,ORG-1,wholesale,B2B\n"
    files = [plain(tmp_path, f"{n}.csv", missing_year) for n in ("x", "y")]
    assert [r[0] for r in read_plain(files, together, lambda f: ("alone",))] == ["alone"] * 2


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("quoted.csv", f'{HEADER}\n"R1",ORG-1,wholesale,B2B,2024,7,1\n'),
        ("blank_first.csv", f"\n{HEADER}\nR1,ORG-1,wholesale,B2B,2024,7,1\n"),
        ("spaces.csv", f"{HEADER}\nR1, ORG-1,wholesale,B2B,2024,7,1\n"),
        ("unfinished.csv", f"{HEADER}\nR1,ORG-1,wholesale,B2B,2024,7,1"),
        ("header_only.csv", f"{HEADER}\n"),
        ("semicolons.csv", f"{HEADER.replace(',', ';')}\nR1;ORG-1;wholesale;B2B;2024;7;1\n"),
        ("email.csv", f"{HEADER}\nR1@example.nl,ORG-1,wholesale,B2B,2024,7,1\n"),
        ("accent.csv", f"{HEADER}\nR1,ORG-1,caf\u00e9,B2B,2024,7,1\n"),
        ("qualtrics.csv", f'{HEADER}\n{{"ImportId":"QID1"}},x,x,x,x,x,x\n'),
        ("notes.txt", f"{HEADER}\nR1,ORG-1,wholesale,B2B,2024,7,1\n"),
        ("old_mac.csv", f"{HEADER}\rR1,ORG-1,wholesale,B2B,2024,7,1\r"),
        ("control.csv", f"{HEADER}\nR1,ORG-1,whole\x1esale,B2B,2024,7,1\n"),
    ],
)
def test_only_plain_files_are_read_together(tmp_path, name, text):
    d, data = delivery(tmp_path, name, text)
    assert plain_header(d.path, None, data) is None


def test_a_file_with_a_manifest_or_not_in_memory_is_read_alone(tmp_path):
    d, data = delivery(tmp_path, "a.csv", f"{HEADER}\nR1,ORG-1,wholesale,B2B,2024,7,1\n")
    assert plain_header(d.path, None, data) == f"{HEADER}\n".encode()
    assert plain_header(d.path, tmp_path / "a.csv.yml", data) is None
    assert PlainCsv.of(d, ("h", None), None) is None


def test_rows_are_counted_from_the_lines(tmp_path):
    file = plain(tmp_path, "a.csv", f"{HEADER}\n" + "R1,ORG-1,wholesale,B2B,2024,7,1\n" * 3)
    assert file.rows == 3
    assert read_plain([file], together, alone)[0][2].frame.height == 3
    assert isinstance(read_plain([file], together, alone)[0][2].row_numbers, pl.Series)
