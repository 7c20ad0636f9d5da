"""Study manifests: where they are found, what they may say, and how a bad one is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxbench.ingest.landing import scan_landing
from cxbench.ingest.manifest import ManifestError, find_manifest, load_manifest
from validations.manifest_schema import StudyManifest


def write(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def manifest(text: str, tmp_path: Path) -> StudyManifest:
    return load_manifest(write(tmp_path / "study.csv.yml", text), "study.csv.yml")


def reason(text: str, tmp_path: Path) -> str:
    with pytest.raises(ManifestError) as error:
        manifest(text, tmp_path)
    return str(error.value)


def test_a_sidecar_wins_over_the_stem_and_the_folder_manifest(tmp_path):
    survey = write(tmp_path / "study.xlsx")
    write(tmp_path / "manifest.yml")
    assert find_manifest(survey) == tmp_path / "manifest.yml"
    write(tmp_path / "_manifest.yaml")
    assert find_manifest(survey) == tmp_path / "manifest.yml"
    write(tmp_path / "study.yml")
    assert find_manifest(survey) == tmp_path / "study.yml"
    write(tmp_path / "study.xlsx.yml")
    assert find_manifest(survey) == tmp_path / "study.xlsx.yml"
    assert find_manifest(write(tmp_path / "sub" / "other.csv")) is None  # one folder only


def test_manifests_are_not_deliveries_but_change_their_files_hash(tmp_path):
    survey = write(tmp_path / "a" / "study.csv", "respondent_id\n")
    hashes = [scan_landing(tmp_path)[0].content_hash()]
    for year in (2020, 2021):
        write(tmp_path / "a" / "manifest.yml", f"year: {year}\n")
        deliveries = scan_landing(tmp_path)
        assert [(d.source_file, d.manifest_file) for d in deliveries] == [
            ("a/study.csv", "a/manifest.yml")
        ]
        hashes.append(deliveries[0].content_hash())
    assert len(set(hashes)) == 3
    assert survey.read_text() == "respondent_id\n"


def test_a_full_manifest_is_read(tmp_path):
    read = manifest(
        """
organisation: 4711
sector: Financiële dienstverlening
market: b2b
year: 2020
columns:
  Respondentnummer: respondent_id
  Q1: recommend
  Telefonische bereikbaarheid: grade_telephone
recode:
  agree_welcome: {Helemaal eens: 5, Eens: 4, Nee: null, 1: 1}
scale:
  recommend: {from: [1, 11]}
value_labels: [Q7]
drop: [Regio]
sheet: 2
delimiter: tab
encoding: windows-1252
decimal: ","
skip_rows: 2
header_rows: 3
date_format: "%d-%m-%Y"
""",
        tmp_path,
    )
    assert read.constants == {
        "organisation_id": "4711",
        "sector": "Financiële dienstverlening",
        "market": "B2B",
        "year": "2020",
    }
    assert read.recode_text("agree_welcome") == {
        "Helemaal eens": "5",
        "Eens": "4",
        "Nee": None,  # YAML 1.1 would have read Nee... and `no` as false
        "1": "1",
    }
    assert (read.delimiter, read.encoding, read.sheet) == ("\t", "cp1252", 2)
    assert read.scale["recommend"].from_ == (1, 11)


def test_an_empty_manifest_changes_nothing(tmp_path):
    assert manifest("# nothing to say\n", tmp_path) == StudyManifest()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("colums: {}\n", "manifest study.csv.yml: unknown key 'colums'"),
        ("columns: {Q1: nps}\n", "'nps' (for 'Q1') is not a canonical column"),
        ("columns: {Q1: recommend, Q2: recommend}\n", "'Q1' and 'Q2' both map onto recommend"),
        ("columns: {E-mailadres: respondent_id}\n", "looks like personal data"),
        ("columns: {Naam klant: organisation_id}\n", "looks like personal data"),
        ("year: twenty\n", "year: Input should be a valid integer"),
        ("drop: Regio\n", "drop: Input should be a valid list"),
        ("market: B2G\n", "market: must be one of B2B, B2C"),
        ("sector: Bakkerij\n", "'Bakkerij' is not a known sector"),
        ("scale: {recommend: {from: [1, 5]}}\n", "cannot be shifted onto 0-10"),
        ("scale: {weight: {from: [0, 1]}}\n", "weight is not an answer item"),
        ("scale: {recommend: {from: [1, 11]}}\nrecode: {recommend: {a: 1}}\n", "not both"),
        ("recode: {Q1: {a: 1}}\n", "'Q1' is not a canonical column (use its canonical name)"),
        ("delimiter: ';;'\n", "must be one character"),
        ("encoding: klingon\n", "'klingon' is not a known text encoding"),
        ("decimal: ';'\n", "decimal:"),
        ("header_rows: 0\n", "header_rows:"),
        ("columns: {Q1: recommend}\ndrop: [Q1]\n", "q1: both mapped and dropped"),
        ("- year: 2020\n", "must be a mapping of keys, not a list"),
        ("columns: {Q1: [\n", "not readable YAML"),
    ],
)
def test_a_bad_manifest_is_one_clear_reason(text, expected, tmp_path):
    message = reason(text, tmp_path)
    assert message.startswith("manifest study.csv.yml: ")
    assert expected in message
    assert "\n" not in message


def test_many_errors_are_cut_short(tmp_path):
    message = reason("a: 1\nb: 2\nc: 3\nd: 4\n", tmp_path)
    assert message.count("unknown key") == 3 and message.endswith("; ...")


def test_notes_are_not_deliveries_but_tables_saved_as_txt_are(tmp_path):
    write(tmp_path / "toelichting.txt", "Geleverd door het veldwerkbureau\n")
    write(tmp_path / "README.md", "# levering\n")
    write(tmp_path / "Thumbs.db", "")
    write(tmp_path / "excel_export.txt", "Respondent_ID\tOrganisation_ID\tSector\n")
    write(tmp_path / "mapped.txt", "Resp\tOrg\n")
    write(tmp_path / "mapped.txt.yml", "columns: {Resp: respondent_id}\n")
    found = sorted(d.source_file for d in scan_landing(tmp_path))
    assert found == ["excel_export.txt", "mapped.txt"]
