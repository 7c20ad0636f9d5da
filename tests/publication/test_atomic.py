"""Atomic publication: readers see the old or the new snapshot, never an error or a mix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from cxbench.publication import KEEP_VERSIONS, publish
from cxbench.settings import DataHome
from tests.conftest import REPO
from tests.publication.homes import copy_home

pytestmark = pytest.mark.slow


@pytest.fixture
def home(published_home: Path, tmp_path: Path) -> DataHome:
    return DataHome(copy_home(published_home, tmp_path / "home"))


def published_at(snapshot: Path) -> str:
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        row = con.execute("select published_at from benchmark.publication_info")
        return str(row.fetchone()[0])
    finally:
        con.close()


def test_the_contract_paths_point_into_the_current_version(home: DataHome):
    published = home.published
    assert os.readlink(published / "benchmark.duckdb") == "current/benchmark.duckdb"
    assert os.readlink(published / "parquet") == "current/parquet"
    assert (published / "restricted").is_dir() and not (published / "restricted").is_symlink()
    assert os.readlink(published / "restricted" / "organisation_positions.parquet") == (
        "../current/restricted/organisation_positions.parquet"
    )
    current = os.readlink(published / "current")
    assert current.startswith("versions/snapshot/")
    assert sorted(p.name for p in (published / "parquet").glob("*.parquet")) == sorted(
        f"{t}.parquet"
        for t in (
            "nps_by_sector_year",
            "grades_by_sector_year",
            "touchpoints_by_sector_year",
            "statements_by_sector_year",
            "top_performers_by_year",
            "drivers_by_year",
            "publication_info",
        )
    )


def test_a_reader_polling_through_publications_sees_no_error(home: DataHome, tmp_path: Path):
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-m", "tests.publication.poll_snapshot", str(home.published), str(stop)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.0)  # let it read the first publication a few times
        stamps = [publish(home).published_at for _ in range(12)]
        time.sleep(0.3)
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    summary = json.loads(out)
    assert summary["errors"] == []
    assert summary["rounds"] > 20
    assert len(summary["seen"]) >= 3  # it saw publications change under it
    assert summary["seen"][-1] == str(stamps[-1])  # and ends on the newest
    assert published_at(home.snapshot) == str(stamps[-1])


def test_a_reader_holding_the_old_snapshot_keeps_reading_it(home: DataHome):
    before = published_at(home.snapshot)
    con = duckdb.connect(str(home.snapshot), read_only=True)
    parquet = pq.ParquetFile(home.parquet / "nps_by_sector_year.parquet")
    try:
        for _ in range(KEEP_VERSIONS + 1):  # its version is deleted meanwhile
            publish(home)
        old = con.execute("select published_at from benchmark.publication_info")
        assert str(old.fetchone()[0]) == before
        assert con.execute("select count(*) from benchmark.nps_by_sector_year").fetchone()
        assert parquet.read().num_rows > 0
    finally:
        con.close()
    assert published_at(home.snapshot) != before


def test_old_versions_and_leftovers_of_killed_publications_are_removed(home: DataHome):
    versions = home.published / "versions" / "snapshot"
    dead = versions / ".incoming-999999999-20200101T000000000000Z-deadbeef"
    (dead / "parquet").mkdir(parents=True)
    (dead / "benchmark.duckdb").write_bytes(b"half written")
    os.symlink("versions/nowhere", home.published / ".incoming-999999999-abc")
    for _ in range(KEEP_VERSIONS + 2):
        publication = publish(home)
    names = sorted(p.name for p in versions.iterdir())
    assert len(names) == KEEP_VERSIONS
    assert names[-1] == publication.version
    assert not list(home.published.rglob(".incoming-*"))


def test_a_data_home_with_plain_files_moves_to_versions(home: DataHome):
    """Data homes published before versioning have a plain file and folders: replaced."""
    published = home.published
    for entry in ("benchmark.duckdb", "parquet", "current"):
        (published / entry).unlink()
    (published / "restricted" / "organisation_positions.parquet").unlink()
    (published / "benchmark.duckdb").write_bytes(b"old plain snapshot")
    (published / "parquet").mkdir()
    (published / "parquet" / "nps_by_sector_year.parquet").write_bytes(b"old")
    (published / "restricted" / "organisation_positions.parquet").write_bytes(b"old")
    (published / "restricted" / "report_ORG01.html").write_text("client report")
    publish(home)
    assert (published / "benchmark.duckdb").is_symlink() and (published / "parquet").is_symlink()
    assert published_at(home.snapshot)
    assert pq.read_table(published / "restricted" / "organisation_positions.parquet").num_rows
    assert (published / "restricted" / "report_ORG01.html").read_text() == "client report"
    assert not list(published.glob(".incoming-*"))
