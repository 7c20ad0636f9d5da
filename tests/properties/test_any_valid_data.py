"""Issue 14: `cxbench run` publishes on any valid landing set, and publishes the right figures.

Hypothesis generates landing sets no one on the team wrote (tests/properties/landing_sets.py:
extremes, one-organisation market-years, one-respondent studies, weights from 0.01 to 1,000,
silent items, organisations spanning sectors, a re-delivery). For each:

- `cxbench run` (in process, as the CLI runs it) publishes: exit 0, first on the first half of
  the deliveries, then again once the rest have arrived; the second run recomputes only the
  studies the new deliveries touch (dbt_project/macros/study_increments.sql), and everything
  below is checked on its publication;
- rows are conserved: every file logged with rows_read = rows_accepted + rows_quarantined and
  nothing quarantined (every row is valid), a superseded delivery marked so, the warehouse holds
  exactly the counted studies' rows;
- every published estimate and standard error equals R `survey` to 1e-9 relative, through the
  R reference harness (tests/reference/agreement.py), cells whose answers are all equal publish
  exactly that value with a standard error of exactly 0, every estimate and interval bound lies
  on its scale, and the restricted organisation_positions has no duplicated keys.

Profiles (tests/properties/profiles.py): the default runs a few examples for CI;
`--hypothesis-profile=long` runs many (tests/README.md records how many the last long run tried).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import event, given, note

from orchestration.cli import main
from tests.conftest import Publication
from tests.properties.landing_sets import LandingSet, landing_sets
from tests.reference.agreement import TABLES, compare_publication, read_positions

pytestmark = pytest.mark.slow


@contextlib.contextmanager
def _environment(home: Path) -> Iterator[None]:
    """CXBENCH_HOME for the run; the variables a run sets (DAGSTER_HOME, dbt vars) undone."""
    saved = dict(os.environ)
    os.environ["CXBENCH_HOME"] = str(home)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_in_process(home: Path, *args: str) -> tuple[int, str]:
    """`cxbench run --quiet ARGS` in this process: (exit status, what it wrote to stderr)."""
    stderr = io.StringIO()
    with _environment(home), contextlib.redirect_stderr(stderr):
        status = main(["run", "--quiet", *args])
    return status, stderr.getvalue()


def _var_arguments(landing: LandingSet) -> list[str]:
    return [argument for var in landing.dbt_vars() for argument in ("--var", var)]


def check_rows_conserved(landing: LandingSet, publication: Publication) -> None:
    log = publication.warehouse(
        "select source_file, status, rows_read, rows_accepted, rows_quarantined, reason "
        "from audit.file_log order by source_file"
    )
    assert len(log) == len(landing.studies), log
    assert (log["rows_read"] == log["rows_accepted"] + log["rows_quarantined"]).all(), log
    assert (log["rows_quarantined"] == 0).all(), log  # every generated row is valid
    expected_sizes = [s.n for s in landing.studies]
    assert log["rows_read"].tolist() == expected_sizes, log
    counted = {id(s) for s in landing.counted()}
    expected_status = ["loaded" if id(s) in counted else "superseded" for s in landing.studies]
    assert log["status"].tolist() == expected_status, log
    raw = publication.warehouse(
        "select organisation_id, year, count(*) as n from raw.survey_responses group by all"
    )
    per_study = {(s.organisation_id, s.year): s.n for s in landing.counted()}
    assert dict(
        zip(zip(raw["organisation_id"], raw["year"], strict=True), raw["n"], strict=True)
    ) == (per_study)


@given(landing=landing_sets())
def test_any_valid_landing_set_publishes_the_figures_r_survey_computes(landing: LandingSet):
    respondents = landing.respondents()
    note(f"{len(landing.studies)} deliveries, {len(respondents)} respondents counted")
    with tempfile.TemporaryDirectory(prefix="cxbench-property-") as tmp:
        home = Path(tmp) / "home"
        deliveries = landing.write(Path(tmp) / "deliveries")
        first = len(deliveries) // 2
        note(f"first run: {first} deliveries, second run: all {len(deliveries)}")
        for batch in (deliveries[:first], deliveries[first:]):
            (home / "landing").mkdir(parents=True, exist_ok=True)
            for path in batch:  # their delivery times kept: the later delivery supersedes
                shutil.copy2(path, home / "landing" / path.name)
            status, stderr = run_in_process(home, *_var_arguments(landing))
            assert status == 0, f"cxbench run did not publish: {stderr.strip()}"
        publication = Publication(home=home, run=None)
        check_rows_conserved(landing, publication)
        tables = {t: publication.table(t) for t in [*TABLES, "top_performers_by_year"]}
        problems, compared = compare_publication(
            respondents, tables, read_positions(home), landing.settings["top_min_answers"]
        )
        assert not problems, str(problems)
    published = sum(int((~t["suppressed"]).sum()) for t in tables.values())
    event(f"published cells: {'none' if not published else 'some'}")
    event(f"estimates compared with R: {'< 100' if compared < 100 else '>= 100'}")
