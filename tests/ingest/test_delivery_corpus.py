"""Real deliveries: every layout and every odd or bad file ends where `expected.csv` says.

The corpus is generated into a temporary landing folder (tests/fixtures/deliveries/make_corpus.py)
and ingested in-process; one slow test runs `cxbench run` over it end to end.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import polars as pl
import pytest

from cxbench.ingest import pipeline
from cxbench.ingest.landing import scan_landing
from cxbench.ingest.manifest import find_manifest, load_manifest
from cxbench.ingest.pipeline import ingest_landing
from cxbench.ingest.plain import PlainCsv
from cxbench.ingest.readers import read_delivery
from tests.conftest import run_cxbench
from tests.fixtures.deliveries.make_corpus import (
    LAYOUTS,
    expected_outcomes,
    study,
    write_corpus,
    write_layouts,
)

# Values of the corpus's personal-data columns: none may appear in any warehouse table.
PERSONAL_VALUES = ("@example.nl", "Jansen", "192.0.2.1", "geen opmerking", "Prima, ga zo door")
LOG_COLUMNS = ["source_file", "status", "rows_read", "rows_accepted", "rows_quarantined"]


def read(warehouse: Path, sql: str) -> pl.DataFrame:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.sql(sql).pl()
    finally:
        con.close()


def fingerprint(folder: Path) -> dict[str, tuple[str, float]]:
    return {
        p.relative_to(folder).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime,
        )
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    root = tmp_path_factory.mktemp("corpus")
    landing, warehouse = root / "landing", root / "warehouse.duckdb"
    write_corpus(landing)
    before = fingerprint(landing)
    ingest_landing(landing, warehouse)
    return landing, warehouse, before


def test_every_file_ends_with_its_expected_status_counts_and_reason(corpus):
    _, warehouse, _ = corpus
    logged = read(warehouse, "select * from audit.file_log")
    expected = expected_outcomes()
    assert sorted(logged["source_file"]) == sorted(expected["source_file"])
    joined = expected.join(logged, on="source_file", suffix="_logged")
    for row in joined.iter_rows(named=True):
        got = tuple(row[f"{c}_logged"] for c in LOG_COLUMNS[1:])
        want = tuple(row[c] for c in LOG_COLUMNS[1:])
        assert got == want, (row["source_file"], row["reason_logged"])
        assert row["reason"] in (row["reason_logged"] or ""), row["source_file"]
    assert len(expected) >= 25


def test_rows_are_conserved_and_rejected_files_have_one_reason(corpus):
    _, warehouse, _ = corpus
    log = read(warehouse, "select * from audit.file_log")
    assert (log["rows_read"] == log["rows_accepted"] + log["rows_quarantined"]).all()
    assert log.filter(pl.col("status") == "rejected")["reason"].str.len_chars().min() > 0
    quarantined = read(
        warehouse,
        "select source_file, count(distinct row_number) as n from audit.quarantined_rows "
        "group by 1",
    )
    counted = log.join(quarantined, on="source_file").filter(pl.col("status") != "rejected")
    assert (counted["n"] == counted["rows_quarantined"]).all()
    raw = read(warehouse, "select source_file, count(*) as n from raw.survey_responses group by 1")
    loaded = log.filter(pl.col("status").is_in(["loaded", "partially_loaded"]))
    assert dict(raw.iter_rows()) == dict(loaded.select("source_file", "rows_accepted").iter_rows())


def test_quarantine_names_file_row_column_check_and_the_value_as_delivered(corpus):
    _, warehouse, _ = corpus
    rows = read(
        warehouse,
        "select source_file, row_number, column_name, check_name, bad_value "
        "from audit.quarantined_rows where source_file like 'bad_rows%' order by all",
    )
    assert rows.rows() == [
        ("bad_rows.csv", 3, "recommend", "integer_0_10", "11"),
        ("bad_rows.csv", 8, "grade_overall", "number_1_10", "zeven"),
        ("bad_rows.csv", 13, "respondent_id", "unique_respondent", "R001"),
        ("bad_rows.csv", 18, "sector", "known_sector", "Bakkerij"),
        (
            "bad_rows.csv",
            23,
            "respondent_id",
            "code_format",
            '=HYPERLINK("https://crm.invalid/r023","R023")',
        ),
        ("bad_rows.csv", 28, "year", "plausible_year", "1890"),
        ("bad_rows.xlsx", 5, "recommend", "integer_0_10", "12"),  # below a two-row title
        ("bad_rows_dutch.csv", 2, "grade_overall", "number_1_10", "11,5"),  # as delivered
    ]


def personal_values(database: Path) -> list[tuple[str, str, str]]:
    """(schema, table, value) for every personal value found in any table of the database."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = con.sql(
            "select table_catalog, table_schema, table_name from information_schema.tables"
        ).fetchall()
        found = []
        for catalog, schema, table in tables:
            text = con.sql(f'select * from "{catalog}"."{schema}"."{table}"').pl().write_csv()
            found += [(schema, table, value) for value in PERSONAL_VALUES if value in text]
        return found
    finally:
        con.close()


def test_no_personal_data_in_any_warehouse_table(corpus):
    _, warehouse, _ = corpus
    assert personal_values(warehouse) == []
    columns = read(warehouse, "select * from raw.survey_responses limit 0").columns
    assert not {"email", "e-mailadres", "naam", "recipientemail", "opmerkingen"} & set(columns)


def test_personal_data_columns_are_reported_per_file(corpus):
    _, warehouse, _ = corpus
    log = read(warehouse, "select source_file, personal_data_columns from audit.file_log")
    reported = dict(log.iter_rows())
    assert reported["workbook.xlsx"] == "e-mailadres,naam"
    assert reported["dutch_cp1252.csv"] == "opmerkingen"
    assert reported["labels.sav"] == "email"
    assert set(reported["qualtrics.csv"].split(",")) == {
        "ipaddress",
        "recipientlastname",
        "recipientemail",
        "q6_text",
    }


# Every table ingest writes, in the order it wrote the rows (ingest times left out).
WRITTEN = {
    "audit.file_log": "select * exclude (ingested_at) from audit.file_log order by rowid",
    "audit.quarantined_rows": "select * exclude (logged_at) from audit.quarantined_rows "
    "order by rowid",
    "raw.survey_responses": "select * from raw.survey_responses order by rowid",
    "audit.study_deliveries": "select * from audit.study_deliveries order by rowid",
}


def test_reading_threads_batches_and_reading_from_disk_do_not_change_the_outcome(
    corpus, tmp_path, monkeypatch
):
    """Files are read ahead on threads and validated in batches: one thread, a batch per few
    rows and files parsed from disk instead of from memory must write the very same rows.
    Parsed from disk, no file is read together with others (plain.py): that is compared too."""
    landing, warehouse, _ = corpus
    # The corpus has plain CSV files to read together, of several headers, good and bad ones.
    plain = [
        found
        for d in scan_landing(landing)
        if (found := PlainCsv.of(d, ("", None), d.path.read_bytes())) is not None
    ]
    assert len(plain) >= 5 and len({p.header for p in plain}) >= 3
    monkeypatch.setattr(pipeline, "READ_THREADS", 1)
    monkeypatch.setattr(pipeline, "BATCH_ROWS", 60)
    monkeypatch.setattr(pipeline, "WHOLE_FILE_BYTES", 0)
    other = tmp_path / "one_by_one.duckdb"
    pipeline.ingest_landing(landing, other)
    for table, sql in WRITTEN.items():
        assert read(other, sql).equals(read(warehouse, sql)), table


def test_landing_is_never_modified(corpus):
    landing, _, before = corpus
    assert fingerprint(landing) == before


# How each layout must be recognised, so that the comparison below covers what it claims to.
LAYOUT_READ_AS = {
    "canonical.csv": "text (utf-8, ','",
    "dutch_cp1252.csv": "text (cp1252, ';', decimal ','",
    "dutch_utf8_bom.csv": "text (utf-8, ';', decimal ','",
    "workbook.xlsx": "workbook (sheet 'Resultaten')",
    "labels.sav": "spss",
    "export.parquet": "parquet",
    "qualtrics.csv": "text (utf-8, ','",
}


def test_the_same_study_in_every_layout_gives_identical_raw_rows(tmp_path):
    delivered = study("ORG-L01", n=60, seed=7)
    raw = {}
    for name, path in write_layouts(delivered, tmp_path / "layouts").items():
        manifest = find_manifest(path)
        read_as = read_delivery(path, load_manifest(manifest, str(manifest))).layout
        assert read_as.startswith(LAYOUT_READ_AS[name]), (name, read_as)
        warehouse = tmp_path / f"{path.stem}_{path.suffix[1:]}.duckdb"
        summary = ingest_landing(path.parent, warehouse)
        assert [o.status for o in summary.outcomes] == ["loaded"], (name, summary.outcomes)
        raw[name] = read(
            warehouse,
            "select * exclude (source_file, content_hash) from raw.survey_responses "
            "order by respondent_id",
        )
    reference = raw["canonical.csv"]
    assert reference.height == 60
    assert reference["recommend"].null_count() > 0  # empty answers travel as empty
    assert set(reference["grade_overall"].drop_nulls()) & {5.5, 6.5, 7.5, 8.5}  # decimals
    for name in LAYOUTS:
        assert raw[name].equals(reference), name


def test_a_changed_manifest_reads_its_files_again(tmp_path):
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    written = write_layouts(study("ORG-M01", n=20, seed=3), landing)
    sav = written["labels.sav"]
    ingest_landing(sav.parent, warehouse)
    manifest = sav.with_name("labels.yml")
    manifest.write_text(manifest.read_text().replace("[1, 11]", "[2, 12]"))
    second = ingest_landing(sav.parent, warehouse)
    assert [o.status for o in second.outcomes] == ["loaded"]
    log = read(warehouse, "select status from audit.file_log order by ingested_at")
    assert log["status"].to_list() == ["superseded", "loaded"]
    assert ingest_landing(sav.parent, warehouse).outcomes == []


@pytest.mark.slow
def test_cxbench_run_over_the_corpus_publishes(tmp_path):
    home = tmp_path / "home"
    write_corpus(home / "landing")
    result = run_cxbench(home, "run")
    assert result.returncode == 0, result.stderr
    log = read(home / "warehouse.duckdb", "select source_file, status from audit.file_log")
    expected = expected_outcomes().select("source_file", "status")
    assert dict(log.iter_rows()) == dict(expected.iter_rows())
    assert personal_values(home / "warehouse.duckdb") == []
    assert personal_values(home / "published" / "benchmark.duckdb") == []
