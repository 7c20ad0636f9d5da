"""A run reads only deliveries whose file (or manifest) changed since it last hashed them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cxbench.ingest import known_hashes
from cxbench.ingest.landing import Delivery
from cxbench.ingest.pipeline import ingest_landing
from tests.ingest.test_ingest import file_log, study_rows, write


@pytest.fixture
def hashed_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The deliveries whose bytes a run hashes."""
    seen: list[str] = []
    original = Delivery.hashes

    def counting(self: Delivery, data: bytes | None = None):
        seen.append(self.source_file)
        return original(self, data)

    monkeypatch.setattr(Delivery, "hashes", counting)
    return seen


def test_unchanged_files_are_not_read_again(tmp_path: Path, hashed_files: list[str]):
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    first = write(landing / "a.csv", study_rows(20, "ORG-1"))
    write(landing / "b.csv", study_rows(20, "ORG-2"))
    assert len(ingest_landing(landing, warehouse).outcomes) == 2
    assert sorted(hashed_files) == ["a.csv", "b.csv"]
    assert set(known_hashes.load(warehouse)) == {"a.csv", "b.csv"}

    hashed_files.clear()
    write(landing / "c.csv", study_rows(20, "ORG-3"))
    assert [o.source_file for o in ingest_landing(landing, warehouse).outcomes] == ["c.csv"]
    assert hashed_files == ["c.csv"]

    # The same size and modification time put back (cp -p): the change time still moves, so the
    # file is read, and its new content supersedes the old.
    hashed_files.clear()
    stat = first.stat()
    first.write_text(first.read_text().replace("R0005,", "R0099,"))
    assert first.stat().st_size == stat.st_size
    os.utime(first, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert [o.source_file for o in ingest_landing(landing, warehouse).outcomes] == ["a.csv"]
    assert hashed_files == ["a.csv"]
    assert file_log(warehouse).loc["a.csv"].shape[0] == 2  # the old reading and the new


def test_a_changed_manifest_makes_its_files_read_again(tmp_path: Path, hashed_files: list[str]):
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    write(landing / "b2b" / "a.csv", study_rows(20, "ORG-1"))
    write(landing / "b2c" / "b.csv", study_rows(20, "ORG-2"))
    manifest = landing / "b2b" / "a.csv.yml"
    manifest.write_text("sector: wholesale\n")
    ingest_landing(landing, warehouse)
    hashed_files.clear()
    manifest.write_text("sector: ict\n")
    ingest_landing(landing, warehouse)
    assert hashed_files == ["b2b/a.csv"]


def test_a_lost_record_costs_only_the_reading(tmp_path: Path, hashed_files: list[str]):
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    write(landing / "a.csv", study_rows(20, "ORG-1"))
    ingest_landing(landing, warehouse)
    known_hashes.record_path(warehouse).write_text("{not json")
    hashed_files.clear()
    assert ingest_landing(landing, warehouse).outcomes == []
    assert hashed_files == ["a.csv"]
