"""Editions: a frozen copy of the benchmark with the manifest to reproduce it."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dagster import Failure

from cxbench.editions import EditionError, data_fingerprint, freeze_edition
from cxbench.ingest.warehouse import warehouse
from cxbench.lake import ENGINE_ENV
from cxbench.publication import PUBLIC_TABLES
from cxbench.settings import DataHome
from orchestration.assets.edition import edition_from_tags
from orchestration.jobs import edition_tags, with_edition_vars
from orchestration.names import EDITION_TAG, THROUGH_YEAR_TAG

FILES = [
    {"source_file": "a.csv", "content_hash": "1" * 64, "status": "loaded", "rows_accepted": 40},
    {
        "source_file": "b.csv",
        "content_hash": "2" * 64,
        "status": "partially_loaded",
        "rows_accepted": 7,
    },
]


def make_home(root: Path, edition: str = "2023", fingerprint: str | None = None) -> DataHome:
    """A data home with a file log and a published snapshot covering 2023 and 2024."""
    home = DataHome(root)
    home.ensure()
    with warehouse(home.warehouse) as con:
        for f in [*FILES, {**FILES[0], "source_file": "dup.csv", "status": "duplicate"}]:
            con.execute(
                "insert into audit.file_log (source_file, content_hash, status, rows_read, "
                "rows_accepted, rows_quarantined, ingested_at) values (?, ?, ?, ?, ?, 0, now())",
                [
                    f["source_file"],
                    f["content_hash"],
                    f["status"],
                    f["rows_accepted"],
                    f["rows_accepted"],
                ],
            )
    con = duckdb.connect(str(home.snapshot))
    for table in PUBLIC_TABLES:
        if table == "publication_info":
            con.execute(
                "create table benchmark.publication_info as select "
                "timestamp '2025-03-01 03:00' as published_at, ? as edition, "
                "? as data_fingerprint, 2 as n_files",
                [edition, fingerprint or data_fingerprint(FILES)],
            )
        else:
            con.execute(
                f"create table benchmark.{table} as select * from (values "
                "('B2B', 'ALL', 2023, 1.5), ('B2B', 'ALL', 2024, 2.5), ('B2C', 'ALL', 2024, 3.5)"
                ") as t(market, sector, year, value)"
            )
    con.close()
    return home


def test_an_edition_is_a_frozen_copy_with_a_manifest(tmp_path):
    home = make_home(tmp_path)
    before = home.snapshot.read_bytes()
    edition = freeze_edition(home, "2023", through_year=2023)
    folder = home.published / "editions" / "2023"
    assert edition.folder == folder
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["edition"] == "2023" and manifest["through_year"] == 2023
    assert manifest["data_fingerprint"] == data_fingerprint(FILES)
    assert manifest["publication_info"]["edition"] == "2023"
    # The delivered files behind the benchmark, duplicates excluded: what a rebuild needs.
    assert [f["source_file"] for f in manifest["files"]] == ["a.csv", "b.csv"]
    assert (
        manifest["software"]["dagster"]
        and "cxbench edition 2023 --year 2023" in manifest["reproduce"]
    )
    nps = pd.read_parquet(folder / "parquet" / "nps_by_sector_year.parquet")
    assert nps["year"].tolist() == [2023]  # fieldwork up to 2023 only
    assert manifest["tables"]["nps_by_sector_year"]["rows"] == 1
    con = duckdb.connect(str(folder / "benchmark.duckdb"), read_only=True)
    assert con.execute("select count(*) from benchmark.grades_by_sector_year").fetchone() == (1,)
    con.close()
    assert (folder / "benchmark.duckdb").stat().st_mode & 0o222 == 0
    assert home.snapshot.read_bytes() == before  # the current publication is untouched
    assert not list((home.published / "editions").glob(".incoming-*"))


def test_without_a_year_the_edition_keeps_every_year(tmp_path):
    home = make_home(tmp_path, edition="all")
    freeze_edition(home, "all")
    nps = pd.read_parquet(
        home.published / "editions" / "all" / "parquet" / "nps_by_sector_year.parquet"
    )
    assert sorted(nps["year"]) == [2023, 2024, 2024]


def test_the_manifest_names_the_engine_the_edition_was_built_on(tmp_path, monkeypatch):
    monkeypatch.setenv(ENGINE_ENV, "duckdb")
    freeze_edition(make_home(tmp_path / "duck"), "2023")
    monkeypatch.setenv(ENGINE_ENV, "spark")
    freeze_edition(make_home(tmp_path / "spark"), "2023")
    duck, spark = (
        json.loads((tmp_path / h / "published/editions/2023/manifest.json").read_text())
        for h in ("duck", "spark")
    )
    assert duck["engine"] == "duckdb" and "--engine" not in duck["reproduce"]
    assert "pyspark" not in duck["software"]
    assert (
        spark["engine"] == "spark" and "cxbench edition 2023 --engine spark" in spark["reproduce"]
    )
    assert spark["software"]["pyspark"] and spark["software"]["dbt-spark"]


def test_an_edition_is_never_overwritten(tmp_path):
    home = make_home(tmp_path)
    freeze_edition(home, "2023")
    with pytest.raises(EditionError, match="already frozen"):
        freeze_edition(home, "2023")


def test_a_snapshot_built_for_another_edition_is_refused(tmp_path):
    home = make_home(tmp_path, edition="current")
    with pytest.raises(EditionError, match="cxbench edition 2023"):
        freeze_edition(home, "2023")
    assert not list((home.published / "editions").iterdir())


def test_a_manifest_must_describe_the_data_of_the_snapshot(tmp_path):
    home = make_home(tmp_path, fingerprint="0" * 32)
    with pytest.raises(EditionError, match="warehouse changed"):
        freeze_edition(home, "2023")
    assert not list((home.published / "editions").iterdir())


def test_edition_names_are_folder_names():
    assert edition_tags("2025", 2025) == {EDITION_TAG: "2025", THROUGH_YEAR_TAG: "2025"}
    for bad in ("", "../x", "a b", ".hidden", "x" * 65):
        with pytest.raises(EditionError):
            edition_tags(bad)


def test_an_edition_run_sets_the_dbt_var_and_keeps_other_vars():
    tags = {EDITION_TAG: "2025"}
    assert with_edition_vars(["build"], {}) == ["build"]
    assert with_edition_vars(["build"], tags) == ["build", "--vars", '{"cxbench_edition": "2025"}']
    merged = with_edition_vars(["build", "--vars", '{"cxbench_min_respondents": 50}'], tags)
    assert json.loads(merged[2]) == {"cxbench_min_respondents": 50, "cxbench_edition": "2025"}


def test_the_edition_asset_needs_the_edition_tag():
    assert edition_from_tags({EDITION_TAG: "2025", THROUGH_YEAR_TAG: "2025"}) == ("2025", 2025)
    assert edition_from_tags({EDITION_TAG: "x"}) == ("x", None)
    with pytest.raises(Failure):
        edition_from_tags({})
