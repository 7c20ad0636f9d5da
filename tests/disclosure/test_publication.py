"""The disclosure audit on a real publication: generated studies, the whole pipeline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from cxbench.disclosure.audit import audit_frames
from cxbench.disclosure.restricted import position_findings
from cxbench.disclosure.system import blocks, intervals
from cxbench.disclosure.tables import SPECS
from cxbench.disclosure.warehouse import WEIGHT_SUMS, read_marts
from tests.conftest import REPO
from tests.publication.homes import copy_home
from tests.quality.test_blocked_run import published_state

pytestmark = pytest.mark.slow

# The true (unsuppressed) values of each public table's cells, keyed like the table.
TRUTH = {
    "nps_by_sector_year": (
        "int_nps_estimates",
        "market, sector, year",
        ("pct_promoters", "pct_passives", "pct_detractors", "nps"),
    ),
    "grades_by_sector_year": (
        "int_grade_estimates",
        "market, sector, year, item as aspect",
        ("mean_grade", "pct_sufficient"),
    ),
    "touchpoints_by_sector_year": (
        "int_touchpoint_estimates",
        "market, sector, year, item as touchpoint",
        ("pct_positive", "pct_negative"),
    ),
    "statements_by_sector_year": (
        "int_statement_estimates",
        "market, sector, year, item as statement",
        ("pct_agree", "pct_disagree"),
    ),
    "drivers_by_year": (
        "int_driver_estimates",
        "market, sector, year, item as aspect",
        ("mean_grade",),
    ),
    "top_performers_by_year": (
        "int_performer_estimates",
        "market, year, case when sector = 'ALL' then 'all' else sector end as performer_group, "
        "item as measure",
        ("value",),
    ),
}


def snapshot_tables(home: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(home / "published" / "benchmark.duckdb"), read_only=True)
    try:
        return {t: con.execute(f"select * from benchmark.{t}").df() for t in SPECS}
    finally:
        con.close()


def test_the_published_tables_pass_an_independent_audit(published_home):
    tables = snapshot_tables(published_home)
    assert sum(int(t["suppressed"].sum()) for t in tables.values()) > 0
    report = audit_frames(tables)  # counts only: what any reader of the snapshot has
    assert report.success, report.summary()
    exact = [i for i in report.intervals if i.width <= 1e-6 * i.scale]
    assert exact == []
    primary = [i for i in report.intervals if i.primary]
    assert all(i.relative_width >= 0.1 or i.covers_neighbours() for i in primary)


def test_the_published_snapshot_is_what_was_audited(published_home):
    con = duckdb.connect(str(published_home / "warehouse.duckdb"), read_only=True)
    try:
        marts, _ = read_marts(con)
    finally:
        con.close()
    published = snapshot_tables(published_home)
    for table, frame in marts.items():
        keys = list(SPECS[table].keys)
        left = frame.sort_values(keys).reset_index(drop=True)
        right = published[table].sort_values(keys).reset_index(drop=True)
        pd.testing.assert_frame_equal(left[right.columns], right, check_dtype=False)


def test_every_interval_holds_the_true_value(published_home):
    """With the cells' weight sums the reader's equations hold exactly (unequal weights too):
    the true values of every suppressed cell lie inside their intervals."""
    con = duckdb.connect(str(published_home / "warehouse.duckdb"), read_only=True)
    try:
        frames, sums = read_marts(con)
        truths = {}
        for table, (relation, keys, measures) in TRUTH.items():
            truth = con.execute(
                f"select {keys}, {', '.join(measures)} from intermediate.{relation}"
            ).df()
            on = list(SPECS[table].keys)
            truths[table] = frames[table][on].merge(truth, on=on, how="left")
    finally:
        con.close()
    assert set(sums) == set(WEIGHT_SUMS)
    checked = 0
    for table, frame in frames.items():
        spec = SPECS[table]
        truth = truths[table]
        for block in blocks(frame, spec, sums[table]):
            assert block.readings == 2
            for index, (low, high) in intervals(block, reading=1).items():
                v = block.variables[index]
                column = spec.value_column if spec.long else v.measure
                value = truth.loc[v.row, column]
                slack = 1e-6 * v.scale
                assert low - slack <= value <= high + slack, (table, block.cells[v.row], v)
                checked += 1
    assert checked > 100


def test_restricted_positions_reveal_no_suppressed_cell(published_home):
    positions = pd.read_parquet(
        published_home / "published" / "restricted" / "organisation_positions.parquet"
    )
    nps = snapshot_tables(published_home)["nps_by_sector_year"]
    assert position_findings(positions, nps, min_answers=30, min_organisations=3) == []

    # Two organisations in B2B financial_services 2023 (tests/reference/generate.py): the public
    # cell is suppressed, so nothing in the positions is computed against it.
    cell = nps.set_index(["market", "sector", "year"]).loc[("B2B", "financial_services", 2023)]
    assert bool(cell["suppressed"])
    inside = positions[
        (positions["market"] == "B2B")
        & (positions["sector"] == "financial_services")
        & (positions["year"] == 2023)
    ]
    assert len(inside) == 2
    assert inside[["gap_to_sector", "gap_significant", "sector_percentile"]].isna().all().all()

    # Elsewhere nps - gap_to_sector is the published sector NPS, and percentiles rank eligible
    # organisations only.
    published = nps[~nps["suppressed"]].rename(columns={"nps": "sector_nps"})
    merged = positions.merge(published[["market", "sector", "year", "sector_nps"]])
    gaps = merged[merged["gap_to_sector"].notna()]
    assert len(gaps) > 0
    assert ((gaps["nps"] - gaps["gap_to_sector"] - gaps["sector_nps"]).abs() < 1e-9).all()
    ranked = positions[positions["sector_percentile"].notna()]
    assert len(ranked) > 0 and (ranked["n_respondents"] >= 30).all()
    assert positions.loc[positions["n_respondents"] < 30, "market_percentile"].isna().all()


def test_a_publication_the_audit_fails_is_blocked_naming_the_cell(published_home, tmp_path):
    """dbt's suppression alone (today's rule) leaves cells the audit fails: nothing is
    published, and `cxbench run` names the check, the table and the cell."""
    home = copy_home(published_home, tmp_path / "home")
    before = published_state(home)
    env = {**os.environ, "CXBENCH_HOME": str(home), "DO_NOT_TRACK": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "tests.disclosure.unprotected_run", "--quiet"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 1, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("cxbench: publication blocked: check disclosure_audit of marts/")
    assert " cell market=" in line
    assert "can be pinned to" in line or "is recomputable" in line
    assert published_state(home) == before
