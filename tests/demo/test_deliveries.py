"""The demo deliveries: the same bytes for the same seed, a realistic layout mix, and an ingest
that yields exactly the calibrated rows while the mess ends where it should in the audit tables.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polars as pl
import pyreadstat
import pytest
from polars.testing import assert_frame_equal

from cxbench.demo.layouts import LAYOUT_SHARES
from cxbench.demo.mess import DIRTY_ROWS, EMPTY_EXPORT
from cxbench.demo.questionnaire import TOUCH_LABELS
from cxbench.demo.writer import README
from cxbench.ingest.manifest import find_manifest, load_manifest
from tests.demo.conftest import Ingested, Landing
from tests.demo.helpers import NUMERIC, SEED, is_extra, layout_of, study_files, survey_files

REPO = Path(__file__).resolve().parents[2]
WRITE = (
    "import sys; from pathlib import Path; from cxbench.demo import write_demo_landing; "
    "write_demo_landing(Path(sys.argv[1]), seed=int(sys.argv[2]), scale=float(sys.argv[3]))"
)
# Studies per layout at scale 1 (901 studies): the shares of LAYOUT_SHARES, give or take.
EXPECTED_MIX = {
    "canonical": (430, 470),
    "dutch_csv": (165, 195),
    "xlsx": (120, 150),
    "spss": (60, 85),
    "qualtrics": (35, 55),
    "parquet": (12, 25),
}
KEY = ["organisation_id", "year", "respondent_id"]
TOUCH = pl.selectors.starts_with("touch_")


def snapshot(dest: Path) -> dict[str, tuple[str, int]]:
    """Every file under `dest`: its content hash and modification time."""
    return {
        p.relative_to(dest).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(dest.rglob("*"))
        if p.is_file()
    }


def is_utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def file_log(ingested: Ingested) -> pl.DataFrame:
    return ingested.con.sql("select * from audit.file_log").pl()


# --- the files -----------------------------------------------------------------------------------


def test_same_seed_same_bytes_in_separate_processes(tmp_path: Path) -> None:
    """Two processes (other hash seeds, other time zones) write the very same files, dates
    included; half the studies are plenty to have every layout and every mishap."""
    runs = [tmp_path / "first", tmp_path / "second"]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WRITE, str(run), str(SEED), "0.5"],
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": str(i), "TZ": zone},
        )
        for i, (run, zone) in enumerate(zip(runs, ("UTC", "America/Santiago"), strict=True))
    ]
    assert [process.wait(timeout=120) for process in processes] == [0, 0]
    assert snapshot(runs[0]) == snapshot(runs[1])
    assert {layout_of(p) for p in study_files(runs[0])} == set(LAYOUT_SHARES)
    assert len([p for p in survey_files(runs[0]) if is_extra(p)]) == 5  # bad files, copy, first


def test_layout_mix(demo_landing: Landing, calibrated: pl.DataFrame) -> None:
    kinds = Counter(layout_of(p) for p in study_files(demo_landing.dest))
    studies = calibrated.select(pl.struct("organisation_id", "year").n_unique()).item()
    assert sum(kinds.values()) == studies
    for kind, (low, high) in EXPECTED_MIX.items():
        assert low <= kinds[kind] <= high, (kind, kinds[kind])


def test_layouts_show_what_the_docs_describe(demo_landing: Landing) -> None:
    """Each layout with the features of docs/deliveries.md, and a valid manifest where needed."""
    files: dict[str, list[Path]] = {}
    for path in study_files(demo_landing.dest):
        files.setdefault(layout_of(path), []).append(path)
    manifests = {
        path: load_manifest(find_manifest(path), path.name)
        for paths in files.values()
        for path in paths
        if find_manifest(path)
    }
    assert not any(p in manifests for p in files["canonical"] + files["parquet"])

    dutch = files["dutch_csv"]
    boms = [p.read_bytes().startswith(b"\xef\xbb\xbf") for p in dutch]
    assert any(boms) and not all(boms)
    assert any(not is_utf8(p) for p, bom in zip(dutch, boms, strict=True) if not bom)
    for path in dutch:
        manifest = manifests[path]
        assert manifest.columns["Respondentnummer"] == "respondent_id"
        assert manifest.date_format == "%d-%m-%Y" and manifest.drop == ["Regio"]

    workbooks = [manifests.get(p) for p in files["xlsx"]]
    assert None in workbooks
    reports = [m for m in workbooks if m]
    assert reports and all(m.sheet == "Resultaten" and m.skip_rows == 3 for m in reports)
    assert all(m.organisation and m.year and m.sector and m.market for m in reports)

    spss = files["spss"]
    kbo = next(p for p in spss if p.name.startswith("kbo_"))
    _, meta = pyreadstat.read_sav(str(kbo), metadataonly=True)
    assert meta.variable_value_labels["Q4_1"] == {float(k): v for k, v in TOUCH_LABELS.items()}
    assert any("recommend" in manifests[p].scale for p in spss)
    assert all(manifests[p].organisation and manifests[p].year for p in spss)

    for path in files["qualtrics"]:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        assert lines[0].startswith("StartDate,") and '"ImportId"' in lines[2]
        assert {"organisation_id", "sector", "market", "year"} == set(manifests[path].constants)

    parquet = pl.read_parquet(files["parquet"][0])
    assert parquet.schema["response_date"] == pl.Date and parquet.schema["weight"] == pl.Float64


# --- the ingest ----------------------------------------------------------------------------------


def test_every_delivery_is_logged_once(ingested: Ingested, demo_landing: Landing) -> None:
    logged = file_log(ingested)["source_file"].sort().to_list()
    expected = [
        p.relative_to(demo_landing.dest).as_posix() for p in survey_files(demo_landing.dest)
    ]
    assert logged == sorted(expected)


def test_rows_are_conserved(ingested: Ingested, calibrated: pl.DataFrame) -> None:
    log = file_log(ingested)
    assert (log["rows_read"] == log["rows_accepted"] + log["rows_quarantined"]).all()
    counted = log.filter(pl.col("status").is_in(["loaded", "partially_loaded"]))
    [(raw_rows,)] = ingested.con.sql("select count(*) from raw.survey_responses").fetchall()
    assert counted["rows_accepted"].sum() == raw_rows == calibrated.height
    assert counted["rows_quarantined"].sum() == len(DIRTY_ROWS)


def test_the_mess_ends_as_planned(ingested: Ingested, demo_landing: Landing) -> None:
    log = file_log(ingested)
    studies = len(study_files(demo_landing.dest))
    assert dict(Counter(log["status"])) == {
        "loaded": studies - len(DIRTY_ROWS),
        "partially_loaded": len(DIRTY_ROWS),
        "rejected": 3,
        "duplicate": 1,
        "superseded": 1,
    }
    outcome = {row["source_file"]: row for row in log.iter_rows(named=True)}

    def having(status: str) -> list[str]:
        return sorted(f for f, row in outcome.items() if row["status"] == status)

    reasons = sorted(outcome[f]["reason"] for f in having("rejected"))
    assert reasons[0] == "file is empty"
    assert reasons[1].startswith("missing required column(s): year")
    assert reasons[2].startswith("not a readable workbook")
    assert [Path(f).name for f in having("rejected") if f.endswith(EMPTY_EXPORT)] == [EMPTY_EXPORT]

    (copy,) = having("duplicate")
    original = copy.replace("_resent", "")
    assert outcome[copy]["reason"] == f"identical to {original}, already ingested"
    assert outcome[original]["status"] in ("loaded", "partially_loaded")

    (first,) = having("superseded")
    (corrected,) = [f for f in outcome if f.startswith(first.removesuffix(".csv") + "_corrected.")]
    assert outcome[corrected]["status"] == "loaded"
    assert outcome[first]["rows_read"] < outcome[corrected]["rows_read"]
    assert all(outcome[f]["rows_quarantined"] == 1 for f in having("partially_loaded"))


def test_the_readme_tells_what_happened(ingested: Ingested, demo_landing: Landing) -> None:
    notes = re.findall(r"^- `([^`]+)`: (\w+):", (demo_landing.dest / README).read_text(), re.M)
    log = file_log(ingested)
    status = dict(zip(log["source_file"], log["status"], strict=True))
    assert dict(notes) == {f: s for f, s in status.items() if s != "loaded"}


def test_dirty_rows_are_quarantined(ingested: Ingested) -> None:
    quarantined = ingested.con.sql(
        """
        select q.check_name, q.column_name, q.bad_value, f.status
        from audit.quarantined_rows as q join audit.file_log as f using (source_file, content_hash)
        """
    ).pl()
    assert (quarantined["status"] == "partially_loaded").all()
    expected = sorted((d.check, d.column) for d in DIRTY_ROWS.values())
    assert sorted(quarantined.select("check_name", "column_name").iter_rows()) == expected
    bad = dict(zip(quarantined["check_name"], quarantined["bad_value"], strict=True))
    assert bad["integer_0_10"] == "11" and bad["known_sector"] == "Bakkerij"
    assert bad["code_format"].startswith("=HYPERLINK(") and bad["not_nullable"] is None


def test_accepted_rows_are_the_calibrated_rows(
    ingested: Ingested, calibrated: pl.DataFrame
) -> None:
    """Whatever the layout, every stored value is the one the generator drew."""
    raw = ingested.con.sql("select * from raw.survey_responses").pl().select(calibrated.columns)
    raw = raw.with_columns(pl.col("year").cast(pl.Int64), NUMERIC.cast(pl.Float64))
    assert_frame_equal(raw.sort(KEY), calibrated.sort(KEY), check_exact=True)


def test_counts_per_year(ingested: Ingested, calibrated: pl.DataFrame) -> None:
    raw = ingested.con.sql("select * from raw.survey_responses").pl()
    per_year = raw.group_by("market", "year").len().sort("market", "year")
    expected = calibrated.group_by("market", "year").len().sort("market", "year")
    assert_frame_equal(per_year, expected, check_dtypes=False)
    b2c_2012 = raw.filter((pl.col("market") == "B2C") & (pl.col("year") == 2012))
    assert b2c_2012["recommend"].drop_nulls().len() == 4021
    assert b2c_2012.select(TOUCH.is_not_null().sum()).sum_horizontal().item() == 22873


@pytest.mark.parametrize("kind", sorted(LAYOUT_SHARES))
def test_every_layout_loads(ingested: Ingested, demo_landing: Landing, kind: str) -> None:
    log = file_log(ingested)
    status = dict(zip(log["source_file"], log["status"], strict=True))
    paths = [p for p in study_files(demo_landing.dest) if layout_of(p) == kind]
    outcomes = Counter(status[p.relative_to(demo_landing.dest).as_posix()] for p in paths)
    assert set(outcomes) <= {"loaded", "partially_loaded"}, outcomes
