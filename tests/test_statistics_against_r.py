"""Every published estimate, standard error and count equals R's survey package, on the
design of docs/contract.md §6.

Changes are checked against the two-year design here too
(tests/test_changes_and_drivers_against_r.py has panel data with the extremes, and drivers).

The pipeline runs end to end on generated studies with uneven weights, missing answers,
organisations missing years and sectors with one or two organisations; the reference feeds R
the observations derived independently in pandas (tests/reference/observations.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.conftest import publish_respondents
from tests.reference import observations as obs
from tests.reference.generate import make_survey_frame
from tests.reference.r_panel import r_changes
from tests.reference.r_survey import r_domain_means

RTOL, ATOL = 1e-9, 1e-12
Z = 1.96
MIN_RESPONDENTS, MIN_ORGANISATIONS, MAX_SHARE = 30, 3, 0.5

# table -> (derive observations, published item column, measures, primary-estimate, se pairs)
TABLES = {
    "nps_by_sector_year": (
        obs.nps_observations,
        None,
        ["pct_promoters", "pct_passives", "pct_detractors", "nps"],
    ),
    "grades_by_sector_year": (obs.grade_observations, "aspect", ["mean_grade", "pct_sufficient"]),
    "touchpoints_by_sector_year": (
        obs.touchpoint_observations,
        "touchpoint",
        ["pct_positive", "pct_negative"],
    ),
    "statements_by_sector_year": (
        obs.statement_observations,
        "statement",
        ["pct_agree", "pct_disagree"],
    ),
    "top_performers_by_year": (obs.performer_observations, "measure", ["value"]),
}
GROUP = {"top_performers_by_year": "performer_group"}


@pytest.fixture(scope="module", params=[11, 29], ids=lambda s: f"seed{s}")
def case(request, tmp_path_factory):
    respondents = make_survey_frame(request.param)
    home = tmp_path_factory.mktemp(f"stats_seed{request.param}")
    return respondents, publish_respondents(respondents, home)


def _reference(respondents: pd.DataFrame, table: str) -> pd.DataFrame:
    derive, _, measures = TABLES[table]
    observations = derive(respondents)
    reference = r_domain_means(observations, measures)
    # Distinct respondents and the largest organisation's share per cell, of the respondents
    # and of the weight (for section 7).
    cells = pd.concat([observations, observations.assign(sector="ALL")])
    keys = ["market", "year", "item", "sector"]
    per_org = cells.groupby([*keys, "organisation_id"])["respondent_id"].nunique()
    sizes = per_org.groupby(keys).agg(["sum", "max"]).reset_index()
    sizes.columns = [*keys, "n_distinct_respondents", "largest_organisation"]
    weights = cells.groupby([*keys, "organisation_id"])["weight"].sum().groupby(keys)
    shares = (weights.max() / weights.sum()).rename("largest_weight_share").reset_index()
    sizes = sizes.merge(shares, on=keys, validate="one_to_one")
    return reference.merge(sizes, on=keys, validate="one_to_one")


def _published(publication, table: str) -> pd.DataFrame:
    _, item_column, _ = TABLES[table]
    published = publication.table(table)
    if item_column is None:
        published["item"] = "recommend"
    else:
        published = published.rename(columns={item_column: "item"})
    if table in GROUP:
        published = published.rename(columns={GROUP[table]: "sector"})
        published["sector"] = published["sector"].replace({"all": "ALL"})
    return published


def _close(actual: pd.Series, expected: pd.Series) -> np.ndarray:
    return np.isclose(actual.astype(float), expected.astype(float), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("table", list(TABLES))
def test_estimates_equal_r_survey(case, table):
    respondents, publication = case
    reference = _reference(respondents, table)
    published = _published(publication, table)
    keys = ["market", "year", "item", "sector"]
    merged = published.merge(reference, on=keys, how="outer", suffixes=("", "_r"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both", keys]

    assert (merged["n_organisations"] == merged["n_organisations_r"]).all()
    n_column = "n_ratings" if table == "touchpoints_by_sector_year" else "n_respondents"
    assert (merged[n_column] == merged["n_observations"]).all()
    assert (merged["n_respondents"] == merged["n_distinct_respondents"]).all()

    shown = merged[~merged["suppressed"]]
    assert len(shown) > 0
    for measure in TABLES[table][2]:
        for column in (measure, f"{measure}_se"):
            ok = _close(shown[column], shown[f"{column}_r"])
            assert ok.all(), shown.loc[~ok, [*keys, column, f"{column}_r"]]
        hidden = merged[merged["suppressed"]]
        assert hidden[measure].isna().all() and hidden[f"{measure}_se"].isna().all()


@pytest.mark.parametrize("table", list(TABLES))
def test_disclosure_control(case, table):
    respondents, publication = case
    reference = _reference(respondents, table)
    published = _published(publication, table)
    merged = published.merge(
        reference, on=["market", "year", "item", "sector"], suffixes=("", "_r")
    )
    primary = (
        (merged["n_distinct_respondents"] < MIN_RESPONDENTS)
        | (merged["n_organisations"] < MIN_ORGANISATIONS)
        | (merged["largest_organisation"] / merged["n_distinct_respondents"] > MAX_SHARE)
        | (merged["largest_weight_share"] > MAX_SHARE)
    )
    assert primary.any(), "the generated data must exercise suppression"
    assert merged.loc[primary, "suppressed"].all()
    secondary = merged["suppressed"] & ~primary
    assert merged.loc[secondary, "suppression_reason"].str.startswith("complementary").all()
    assert merged["suppression_reason"].notna().eq(merged["suppressed"]).all()
    assert "organisation_id" not in publication.table(table).columns

    margins = [("sector", ["market", "year", "item"])]
    if table == "touchpoints_by_sector_year":
        margins.append(("item", ["market", "year", "sector"]))
    for margin, group in margins:
        for _, cells in merged.groupby(group):
            total = cells[cells[margin] == "ALL"]
            parts = cells[cells[margin] != "ALL"]
            if len(total) and not total["suppressed"].iloc[0]:
                assert parts["suppressed"].sum() != 1, (table, margin, cells)


@pytest.mark.parametrize("table", [t for t in TABLES if t != "top_performers_by_year"])
def test_intervals_and_year_over_year_change(case, table):
    respondents, publication = case
    published = _published(publication, table)
    estimate = TABLES[table][2][-1] if table == "nps_by_sector_year" else TABLES[table][2][0]
    se = f"{estimate}_se"
    low, high, change, change_se, significant = (
        ("nps_ci_low", "nps_ci_high", "nps_change", "nps_change_se", "nps_change_significant")
        if table == "nps_by_sector_year"
        else ("ci_low", "ci_high", "change", "change_se", "change_significant")
    )
    shown = published[~published["suppressed"]]
    assert _close(shown[low], shown[estimate] - Z * shown[se]).all()
    assert _close(shown[high], shown[estimate] + Z * shown[se]).all()

    keys = ["market", "sector", "item"]
    previous = published.assign(year=published["year"] + 1)[[*keys, "year", estimate, se]]
    paired = published.merge(previous, on=[*keys, "year"], suffixes=("", "_prev"))
    assert len(paired) > 0
    both = paired[paired[estimate].notna() & paired[f"{estimate}_prev"].notna()]
    assert len(both) > 0
    assert _close(both[change], both[estimate] - both[f"{estimate}_prev"]).all()
    # The change's se is the two-year design's (svycontrast in R), and the test follows it.
    reference = r_changes(TABLES[table][0](respondents), estimate).rename(
        columns={"change": "change_r", "change_se": "change_se_r"}
    )
    checked = both.merge(reference, on=["market", "item", "year", "sector"])
    assert len(checked) == len(both)
    assert _close(checked[change_se], checked["change_se_r"]).all()
    testable = checked["change_se_r"] > 0
    statistic = checked["change_r"].abs() / checked["change_se_r"]
    assert (checked.loc[testable, significant].astype(bool) == (statistic[testable] > Z)).all()
    assert checked.loc[~testable, significant].isna().all()
    # A change against a suppressed year would reveal the suppressed value.
    unpaired = paired[f"{estimate}_prev"].isna()
    assert paired.loc[unpaired, [change, change_se, significant]].isna().all().all()


def test_organisation_positions_equal_r_survey(case):
    respondents, publication = case
    positions = pd.read_parquet(
        publication.home / "published" / "restricted" / "organisation_positions.parquet"
    )
    nps = obs.nps_observations(respondents)
    # Each organisation on its own: svydesign(ids = ~1, weights = ~weight).
    own = nps.assign(item=nps["organisation_id"], organisation_id=nps["respondent_id"])
    reference = r_domain_means(own, ["nps"])
    reference = reference[reference["sector"] != "ALL"].rename(columns={"item": "organisation_id"})
    merged = positions.merge(
        reference,
        on=["market", "year", "organisation_id"],
        suffixes=("", "_r"),
        how="outer",
        indicator=True,
    )
    assert (merged["_merge"] == "both").all()
    assert _close(merged["nps"], merged["nps_r"]).all()
    assert _close(merged["nps_se"], merged["nps_se_r"]).all()

    groups = obs.performer_groups(respondents)
    flags = positions.merge(
        groups, on=["market", "year", "organisation_id"], suffixes=("", "_expected")
    )
    assert len(flags) == len(positions)
    assert flags["is_top_performer"].any()
    assert (flags["is_top_performer"] == flags["is_top_performer_expected"]).all()
