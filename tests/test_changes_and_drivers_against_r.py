"""Changes (two-year design) and key drivers equal R's survey package (contract sections 6, 9).

The pipeline runs end to end on generated panel studies (tests/reference/generate_panel.py):
organisations with a lasting level of their own drop in and out between years, aspects are
correlated, and the extremes are fixed: a market-year with one organisation, an organisation
present in one year only, a sector with one organisation, a sector answering constantly, a
two-year design with one organisation. R is fed the observations derived in pandas from the
contract (tests/reference/observations.py), never the pipeline's own sums:

- every change and change se before disclosure control (int_*_changes) and every published one
  equals svycontrast on svyby(~y, ~sector + year, two-year design, svymean, covmat = TRUE), and
  the published significance is |change| / R's se > 1.96;
- every coefficient, se, p-value (t on the design df), importance and complete-case mean of
  int_driver_estimates and of the published drivers_by_year equals svyglm on the complete
  cases (subset() of the market-year design for a sector).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.conftest import publish_respondents
from tests.reference import observations as obs
from tests.reference.generate_panel import make_panel_frame
from tests.reference.r_panel import r_changes, r_drivers

RTOL = 1e-9
ATOL_MEAN = 1e-12  # grades, percentages and their se: R and the build agree to ~1e-13
# Coefficients that are 0 in exact arithmetic (a constant NPS score in a sector) come out of
# both R's QR and the build's elimination as rounding noise of ~1e-13 NPS points.
ATOL_COEFFICIENT = 1e-9
# Below this se a cell's variance is rounding noise (constant answers): no test to compare.
DEGENERATE_SE = 1e-8
Z = 1.96
MIN_RESPONDENTS, MIN_ORGANISATIONS, MAX_SHARE = 30, 3, 0.5

# table -> (derive observations, headline measure, changes model, item column, change columns)
CHANGE_TABLES = {
    "nps_by_sector_year": (
        obs.nps_observations,
        "nps",
        "int_nps_changes",
        None,
        ("nps_change", "nps_change_se", "nps_change_significant"),
    ),
    "grades_by_sector_year": (
        obs.grade_observations,
        "mean_grade",
        "int_grade_changes",
        "aspect",
        ("change", "change_se", "change_significant"),
    ),
    "statements_by_sector_year": (
        obs.statement_observations,
        "pct_agree",
        "int_statement_changes",
        "statement",
        ("change", "change_se", "change_significant"),
    ),
}
CHANGE_KEYS = ["market", "item", "year", "sector"]
DRIVER_KEYS = ["market", "year", "sector", "item"]


@pytest.fixture(scope="module", params=[5, 23], ids=lambda s: f"seed{s}")
def case(request, tmp_path_factory):
    respondents = make_panel_frame(request.param)
    home = tmp_path_factory.mktemp(f"panel_seed{request.param}")
    return respondents, publish_respondents(respondents, home)


def _close(actual: pd.Series, expected: pd.Series, atol: float = ATOL_MEAN) -> np.ndarray:
    """Equal within RTOL relative (atol for values 0 in exact arithmetic); NaN equals NaN."""
    a, e = actual.astype(float).to_numpy(), expected.astype(float).to_numpy()
    return np.isclose(a, e, rtol=RTOL, atol=atol) | (np.isnan(a) & np.isnan(e))


def _r_changes(respondents: pd.DataFrame, table: str) -> pd.DataFrame:
    derive, measure, *_ = CHANGE_TABLES[table]
    return r_changes(derive(respondents), measure)


def _assert_same(frame: pd.DataFrame, column: str, expected: str, atol: float = ATOL_MEAN):
    ok = _close(frame[column], frame[expected], atol)
    assert ok.all(), frame.loc[~ok, [*frame.columns[:4], column, expected]].head(10)


@pytest.mark.parametrize("table", list(CHANGE_TABLES))
def test_every_change_and_its_se_equal_the_two_year_design(case, table):
    """int_*_changes holds every cell's change before disclosure control, extremes included."""
    respondents, publication = case
    _, measure, model, *_ = CHANGE_TABLES[table]
    reference = _r_changes(respondents, table)
    built = publication.warehouse(f"select * from intermediate.{model}")
    merged = built.merge(
        reference, on=CHANGE_KEYS, how="outer", suffixes=("", "_r"), indicator=True
    )
    assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both", CHANGE_KEYS]
    assert len(merged) > 0
    assert (merged["n_change_organisations"] == merged["n_change_organisations_r"]).all()
    _assert_same(merged, f"{measure}_change", "change")
    _assert_same(merged, f"{measure}_change_se", "change_se")
    single = merged["n_change_organisations"] == 1
    assert merged.loc[single, f"{measure}_change_se"].isna().all()
    assert merged.loc[~single, f"{measure}_change_se"].notna().all()
    if table == "statements_by_sector_year":
        assert single.any(), "agree_welcome (P01 alone, 2021-2022) must give a one-cluster design"


@pytest.mark.parametrize("table", list(CHANGE_TABLES))
def test_published_changes_and_significance_follow_r(case, table):
    respondents, publication = case
    _, measure, _, item_column, (change, change_se, significant) = CHANGE_TABLES[table]
    reference = _r_changes(respondents, table)
    published = publication.table(table)
    published["item"] = "recommend" if item_column is None else published[item_column]
    merged = published.merge(reference, on=CHANGE_KEYS, how="left", suffixes=("", "_r"))

    previous = published.assign(year=published["year"] + 1)[
        ["market", "item", "sector", "year", "suppressed"]
    ]
    paired = merged.merge(
        previous, on=["market", "item", "sector", "year"], how="left", suffixes=("", "_prev")
    )
    both_published = ~paired["suppressed"] & paired["suppressed_prev"].eq(False)
    shown = paired[both_published]
    hidden = paired[~both_published]
    assert hidden[[change, change_se, significant]].isna().all().all()
    if table == "statements_by_sector_year":
        return  # one organisation: every cell is suppressed, nothing is published
    assert len(shown) > 0, "the generated data must publish changes"
    _assert_same(shown, change, "change")
    _assert_same(shown, change_se, "change_se")

    statistic = shown["change"].abs() / shown["change_se"]
    testable = shown["change_se"] > 0
    expected = statistic[testable] > Z
    assert (shown.loc[testable, significant].astype(bool) == expected).all()
    assert shown.loc[~testable, significant].isna().all()


@pytest.fixture(scope="module")
def drivers(case):
    respondents, publication = case
    complete, aspects = obs.driver_observations(respondents)
    reference = r_drivers(complete, aspects)
    return reference, publication


def _compare_drivers(merged: pd.DataFrame) -> None:
    _assert_same(merged, "coefficient", "coefficient_r", ATOL_COEFFICIENT)
    _assert_same(merged, "coefficient_se", "coefficient_se_r", ATOL_COEFFICIENT)
    _assert_same(merged, "mean_grade", "mean_grade_r")
    _assert_same(merged, "mean_grade_se", "mean_grade_se_r")
    # importance divides by the NPS score's sd: where the score does not vary, R's value is 0/0
    # or rounding noise over rounding noise, the build's null.
    varies = merged["score_varies"].astype(bool)
    _assert_same(merged[varies], "importance", "importance_r", ATOL_COEFFICIENT)
    assert merged.loc[~varies, "importance"].isna().all()
    # p-values: where R's se is a variance (not rounding noise of constant answers).
    tested = merged[merged["coefficient_se_r"] > DEGENERATE_SE]
    _assert_same(tested, "p_value", "p_value_r", 0.0)
    degenerate = merged[merged["coefficient_se_r"] <= DEGENERATE_SE]
    assert (degenerate["coefficient_se"] <= DEGENERATE_SE).all()


def test_every_driver_regression_equals_svyglm(drivers):
    """int_driver_estimates: every market-year and sector cell before disclosure control."""
    reference, publication = drivers
    built = publication.warehouse("select * from intermediate.int_driver_estimates")
    merged = built.merge(
        reference, on=DRIVER_KEYS, how="outer", suffixes=("", "_r"), indicator=True
    )
    assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both", DRIVER_KEYS]
    assert (merged["n_respondents"] == merged["n_respondents_r"]).all()
    assert (merged["n_organisations"] == merged["n_organisations_r"]).all()
    _compare_drivers(merged)
    with_df = merged["df_r"].notna()
    assert (merged.loc[with_df, "df"] == merged.loc[with_df, "df_r"]).all()
    assert (merged["aliased"] == merged["coefficient_r"].isna()).all()

    # The extremes are there: an aspect aliased in a sector of constant answers, a market-year
    # with one organisation (no variance), domains with one organisation (no df for a p-value),
    # and B2C's model gaining grade_app in 2023.
    assert merged.loc[merged["sector"] == "financial_services", "aliased"].any()
    single = merged[(merged["market"] == "B2C") & (merged["year"] == 2022)]
    assert len(single) > 0 and single["coefficient_se"].isna().all()
    assert (merged["df"] < 1).any() and merged.loc[merged["df"] < 1, "p_value"].isna().all()
    b2c = merged[merged["market"] == "B2C"]
    assert set(b2c.loc[b2c["year"] == 2022, "item"]) == {
        "customer_service",
        "complaint_handling",
        "knows_customer",
    }
    assert "app" in set(b2c.loc[b2c["year"] == 2023, "item"])
    assert len(merged) >= 60


def test_published_drivers_equal_svyglm_with_disclosure_control(drivers):
    reference, publication = drivers
    published = publication.table("drivers_by_year").rename(columns={"aspect": "item"})
    assert "organisation_id" not in published.columns
    merged = published.merge(
        reference, on=DRIVER_KEYS, how="outer", suffixes=("", "_r"), indicator=True
    )
    assert (merged["_merge"] == "both").all()
    assert (merged["n_respondents"] == merged["n_respondents_r"]).all()

    shown = merged[~merged["suppressed"]]
    assert len(shown) > 0 and (shown["sector"] != "ALL").any()
    _compare_drivers(shown)
    assert (shown["degrees_of_freedom"] == shown["df"]).all()

    estimates = ["coefficient", "coefficient_se", "p_value", "importance", "mean_grade"]
    hidden = merged[merged["suppressed"]]
    assert hidden[[*estimates, "mean_grade_se", "degrees_of_freedom"]].isna().all().all()

    # Primary rules of contract section 7, and a regression needs df = organisations -
    # coefficients >= 1 (the coefficients: the intercept and the aspects R does not alias).
    share = merged["largest_organisation"] / merged["n_respondents_r"]
    coefficients = 1 + merged.groupby(["market", "year", "sector"])["coefficient_r"].transform(
        lambda c: c.notna().sum()
    )
    too_few = merged["n_organisations_r"] - coefficients < 1
    primary = (
        (merged["n_respondents_r"] < MIN_RESPONDENTS)
        | (merged["n_organisations_r"] < MIN_ORGANISATIONS)
        | (share > MAX_SHARE)
        | too_few
    )
    assert merged.loc[primary, "suppressed"].all()
    secondary = merged["suppressed"] & ~primary
    assert merged.loc[secondary, "suppression_reason"].str.startswith("complementary").all()
    regression_rule = merged["suppression_reason"].str.startswith("too few organisations")
    assert regression_rule.any(), "the generated data must exercise the regression's rule"
    assert (too_few[regression_rule]).all()
