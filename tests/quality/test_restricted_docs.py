"""Nothing from a restricted table reaches a public folder: its Data Docs are a site of their
own in published/restricted/quality/, and published/quality/ never shows its values."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from cxbench.settings import DataHome
from orchestration.assets.quality import build_quality_report

pytestmark = pytest.mark.slow

# A value no public table holds: an NPS out of range, in the restricted table only.
SPOILED_NPS = 987.654321


@pytest.fixture(scope="module")
def spoiled(published_home: Path, tmp_path_factory: pytest.TempPathFactory):
    home = DataHome(tmp_path_factory.mktemp("restricted-docs") / "home")
    home.root.mkdir()
    shutil.copyfile(published_home / "warehouse.duckdb", home.warehouse)
    con = duckdb.connect(str(home.warehouse))
    try:
        organisations = [
            organisation
            for (organisation,) in con.execute(
                "select distinct organisation_id from marts.organisation_positions"
            ).fetchall()
        ]
        con.execute(f"update marts.organisation_positions set nps = {SPOILED_NPS}")
    finally:
        con.close()
    report = build_quality_report(home, run_name="restricted-spoiled")
    return home, report, organisations


def site_text(folder: Path) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in folder.rglob("*")
        if path.is_file() and path.suffix in {".html", ".json", ".js", ".css", ".txt"}
    )


def test_the_failed_restricted_table_blocks_and_its_docs_stay_restricted(spoiled):
    home, report, _ = spoiled
    assert not report.success
    failed = {f.table for f in report.failures}
    assert failed == {"organisation_positions"}
    restricted = home.restricted / "quality"
    assert (restricted / "index.html").is_file()
    (page,) = (restricted / "validations" / "organisation_positions").rglob("*.html")
    html = page.read_text(encoding="utf-8")
    assert "Failed" in html and "987.65" in html


def test_the_public_data_docs_hold_no_organisation_and_no_restricted_value(spoiled):
    home, _, organisations = spoiled
    public = home.published / "quality"
    assert (public / "index.html").is_file()
    text = site_text(public)
    assert "organisation_positions" not in text
    assert "987.65" not in text
    named = [o for o in organisations if re.search(rf"\b{re.escape(o)}\b", text)]
    assert named == []
    assert not list(public.rglob("*organisation_positions*"))
