"""The promises of :func:`.generate.make_survey_frame` hold for several seeds."""

from __future__ import annotations

import pandas as pd
import pytest

from .generate import make_survey_frame

B2B_SECTORS = {"industry", "wholesale", "ict", "waste", "financial_services"}
B2C_SECTORS = {"telecom", "banking", "housing"}


def test_deterministic() -> None:
    """Same seed, same frame; another seed, another frame."""
    pd.testing.assert_frame_equal(make_survey_frame(5), make_survey_frame(5))
    assert not make_survey_frame(5).equals(make_survey_frame(6))


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 42])
def test_structure(seed: int) -> None:
    """Columns, ranges, missingness and the awkward cells statistics tests rely on."""
    f = make_survey_frame(seed)
    assert list(f.columns) == [
        "respondent_id", "organisation_id", "sector", "market", "year", "recommend",
        "grade_overall", "grade_complaint_handling", "touch_payment", "touch_complaint",
        "touch_question", "agree_welcome", "agree_valued", "weight",
    ]  # fmt: skip
    assert not f.duplicated(["organisation_id", "year", "respondent_id"]).any()
    assert f.duplicated("respondent_id").any()  # unique only within organisation × year
    assert (f.groupby("organisation_id")[["sector", "market"]].nunique() == 1).all().all()
    assert set(f.loc[f["market"] == "B2B", "sector"]) == B2B_SECTORS
    assert set(f.loc[f["market"] == "B2C", "sector"]) == B2C_SECTORS
    assert 2 <= f["year"].nunique() <= 3
    assert 38 <= f["organisation_id"].nunique() <= 42

    sizes = f.groupby(["organisation_id", "year"]).size()
    assert sizes.min() == 3 and sizes.max() == 400
    years_per_org = f.groupby(["market", "organisation_id"])["year"].nunique()
    market_years = f.groupby("market")["year"].nunique()
    assert (
        years_per_org < market_years.reindex(years_per_org.index.get_level_values(0)).to_numpy()
    ).any()  # some organisations miss a year

    orgs = f.groupby(["market", "year", "sector"])["organisation_id"].nunique()
    assert (orgs == 1).any() and (orgs == 2).any()
    share = f.groupby(["market", "year", "sector", "organisation_id"]).size()
    share = share / share.groupby(level=[0, 1, 2]).transform("sum")
    assert (share > 0.5).any()

    assert f["recommend"].dropna().between(0, 10).all()
    assert 0.05 < f["recommend"].isna().mean() < 0.15
    grade = f["grade_overall"].dropna()
    assert grade.between(1, 10).all() and (grade.round(1) == grade).all()
    assert 0.10 < f["grade_overall"].isna().mean() < 0.20
    assert f["grade_complaint_handling"].isna().mean() > 0.6
    for column in ["touch_payment", "touch_complaint", "touch_question"]:
        assert f[column].dropna().between(1, 5).all()
        assert f[column].isna().mean() > 0.3
    for column in ["agree_welcome", "agree_valued"]:
        assert f[column].dropna().between(1, 5).all()
        assert 0.0 < f[column].isna().mean() < 0.3
    assert f["weight"].between(0.3, 3.0).all()
    per_org_weights = f.groupby("organisation_id")["weight"].agg(["min", "max"])
    assert ((per_org_weights["min"] == 1) & (per_org_weights["max"] == 1)).any()
    assert (per_org_weights["max"] > 2 * per_org_weights["min"]).any()
