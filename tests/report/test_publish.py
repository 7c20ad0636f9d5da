"""Writing the report from a published snapshot: files, the client edition's folder, the
`cxbench report` command and the Dagster asset."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import pytest

from cxbench.report.build import publish_report
from cxbench.settings import DataHome
from orchestration.cli import main


@pytest.fixture
def home(published_home: Path, tmp_path: Path) -> DataHome:
    """A private copy of the published sample, so tests can write reports into it."""
    root = tmp_path / "home"
    shutil.copytree(published_home, root)
    return DataHome(root)


def test_public_report_and_chart_images(home: DataHome):
    folder = home.published / "report"
    folder.mkdir(parents=True)
    (folder / "fig-from-an-old-edition.svg").write_text("<svg/>")
    (folder / "notes.txt").write_text("kept")
    written = publish_report(home)
    assert written[0] == folder / "index.html"
    images = sorted(folder.glob("fig-*.svg"))
    assert len(images) >= 5 and set(images) == set(written[1:])
    for image in images:
        assert ET.parse(image).getroot().tag == "{http://www.w3.org/2000/svg}svg"
    assert not (folder / "fig-from-an-old-edition.svg").exists()
    assert (folder / "notes.txt").exists()
    assert not list(folder.glob(".*"))  # no temporary files left behind
    assert "Klantbeleving in Nederland" in written[0].read_text(encoding="utf-8")


def test_client_edition_goes_to_restricted_only(home: DataHome):
    written = publish_report(home, organisation="ORG-7", lang="en")
    assert written == [home.restricted / "report_ORG-7.html"]
    assert "Position of ORG-7" in written[0].read_text(encoding="utf-8")
    assert not (home.published / "report").exists()


def test_client_edition_reads_the_organisations_grades(home: DataHome):
    (page,) = publish_report(home, organisation="ORG-7", lang="en")
    text = page.read_text(encoding="utf-8")
    assert "Grades of ORG-7 on the key drivers" in text and "8.8" in text


def test_a_publication_from_before_key_drivers_still_reports(home: DataHome):
    """Snapshots and editions published before drivers_by_year and organisation_grades."""
    con = duckdb.connect(str(home.snapshot))
    con.execute("drop table benchmark.drivers_by_year")
    con.close()
    (home.restricted / "organisation_grades.parquet").unlink()
    assert "geen kerndrijvers" in publish_report(home)[0].read_text(encoding="utf-8")
    (page,) = publish_report(home, organisation="ORG-7")
    assert "Positie van ORG-7" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("organisation", "message"),
    [("NOPE", "has no published position"), ("../x", "not an organisation code")],
)
def test_client_edition_refuses_unknown_organisations(home: DataHome, organisation, message):
    with pytest.raises(ValueError, match=message):
        publish_report(home, organisation=organisation)


def test_client_edition_is_never_written_into_the_public_folder(home: DataHome):
    for folder in (home.published / "report", home.published):
        with pytest.raises(ValueError, match="public folder"):
            publish_report(home, organisation="ORG-7", dest=folder)


def test_missing_publication_is_reported(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="cxbench run"):
        publish_report(DataHome(tmp_path))


def test_cli(home: DataHome, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture):
    monkeypatch.setenv("CXBENCH_HOME", str(home.root))
    assert main(["report", "--lang", "en"]) == 0
    page = home.published / "report" / "index.html"
    assert '<html lang="en">' in page.read_text(encoding="utf-8")
    assert main(["report", "--organisation", "ORG-7"]) == 0
    assert (home.restricted / "report_ORG-7.html").exists()
    assert main(["report", "--dest", str(home.root / "elsewhere")]) == 0
    assert (home.root / "elsewhere" / "index.html").exists()
    assert main(["report", "--organisation", "ORG-7", "--dest", str(page.parent)]) == 1
    assert "public folder" in capsys.readouterr().err


def test_asset_materialises_the_report(home: DataHome):
    from dagster import materialize

    from orchestration.assets.report import benchmark_report
    from orchestration.resources import DataHomeResource

    result = materialize(
        [benchmark_report], resources={"data_home": DataHomeResource(root=str(home.root))}
    )
    assert result.success
    assert (home.published / "report" / "index.html").exists()


def test_asset_is_registered_downstream_of_the_publication():
    from dagster import AssetKey

    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    node = graph.get(AssetKey(["published", "benchmark_report"]))
    assert AssetKey(["published", "benchmark_snapshot"]) in node.parent_keys
    assert node.group_name == "publication"
    job = defs.resolve_job_def("benchmark")
    assert AssetKey(["published", "benchmark_report"]) in job.asset_layer.selected_asset_keys
