"""Tests that prove the R ``survey`` reference harness itself.

They need ``Rscript`` and the R ``survey`` package and FAIL (never skip) when either is missing.

Tolerances: means must match plain numpy weighted means to 1e-12 (absolute; values are ≤ 100).
Standard errors must match the numpy linearisation to a relative 1e-9; the only exception is a
standard error that is zero in exact arithmetic (a sector served by one organisation inside a
larger design: that organisation's linearised total within the domain is exactly zero), where R
returns rounding noise of ~1e-16 and an absolute 1e-12 is accepted instead.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from . import r_survey
from .generate import make_survey_frame
from .linearised import numpy_domain_means
from .r_survey import RSurveyUnavailableError, r_domain_means

KEY_COLUMNS = ["market", "year", "item", "sector", "n_observations", "n_organisations"]
SE_RELATIVE_TOLERANCE = 1e-9
ZERO_SE_ABSOLUTE_TOLERANCE = 1e-12


def _hand_made() -> pd.DataFrame:
    """Two design groups; sectors with 1, 2 and 3 organisations; uneven weights and sizes."""
    rows = [
        # market, year, item, sector, organisation_id, weight, score, flag
        ("B2B", 2023, "recommend", "ict", "A", 1.0, 9.0, 100.0),
        ("B2B", 2023, "recommend", "ict", "A", 2.5, 3.0, 0.0),
        ("B2B", 2023, "recommend", "ict", "A", 0.4, 10.0, 100.0),
        ("B2B", 2023, "recommend", "ict", "B", 1.7, 7.0, 0.0),
        ("B2B", 2023, "recommend", "waste", "C", 0.3, 6.0, 0.0),
        ("B2B", 2023, "recommend", "waste", "C", 3.0, 8.0, 0.0),
        ("B2B", 2023, "recommend", "industry", "D", 1.2, 10.0, 100.0),
        ("B2B", 2023, "recommend", "industry", "E", 0.9, 0.0, 0.0),
        ("B2B", 2023, "recommend", "industry", "F", 2.2, 9.0, 100.0),
        ("B2B", 2023, "recommend", "industry", "F", 1.1, 5.0, 0.0),
        ("B2C", 2024, "grade_overall", "telecom", "G", 1.0, 7.5, 100.0),
        ("B2C", 2024, "grade_overall", "telecom", "H", 1.0, 6.1, 100.0),
        ("B2C", 2024, "grade_overall", "banking", "I", 0.5, 8.8, 100.0),
        ("B2C", 2024, "grade_overall", "banking", "I", 2.0, 4.2, 0.0),
    ]
    return pd.DataFrame(
        rows,
        columns=["market", "year", "item", "sector", "organisation_id", "weight", "score", "flag"],
    )


def _observations(frame: pd.DataFrame) -> pd.DataFrame:
    """Long observations (one design per market × year × item) from a survey frame.

    Measures: ``score`` (the answer) and ``high`` (0/100 indicator of an answer in the top
    two-fifths of the item's answers), so means and percentages are both exercised.
    """
    items = ["recommend", "grade_overall", "grade_complaint_handling", "touch_payment"]
    parts = []
    for item in items:
        rows = frame.loc[frame[item].notna()].copy()
        value = rows[item].astype("float64")
        rows["item"] = item
        rows["score"] = value
        rows["high"] = 100.0 * (value >= value.quantile(0.6))
        parts.append(
            rows[["market", "year", "item", "sector", "organisation_id", "weight", "score", "high"]]
        )
    return pd.concat(parts, ignore_index=True)


def _assert_se_close(r_se: pd.Series, np_se: pd.Series) -> None:
    """Relative 1e-9, or absolute 1e-12 where the exact standard error is zero."""
    r_values = r_se.to_numpy(dtype=float)
    np_values = np_se.to_numpy(dtype=float)
    assert np.array_equal(np.isnan(r_values), np.isnan(np_values))
    ok = ~np.isnan(np_values)
    diff = np.abs(r_values[ok] - np_values[ok])
    bound = np.maximum(SE_RELATIVE_TOLERANCE * np.abs(np_values[ok]), ZERO_SE_ABSOLUTE_TOLERANCE)
    worst = np.argmax(diff / bound) if diff.size else 0
    assert (diff <= bound).all(), (
        f"se mismatch: R {r_values[ok][worst]!r} vs numpy {np_values[ok][worst]!r}"
    )


def test_means_equal_plain_weighted_means() -> None:
    """(a) R's means are the weighted means sum(w*y)/sum(w), per sector and ALL, to 1e-12."""
    data = _hand_made()
    result = r_domain_means(data, ["score", "flag"])

    expected_cells = []
    for (market, year, item), group in data.groupby(["market", "year", "item"], sort=True):
        domains = [(s, g) for s, g in group.groupby("sector", sort=True)] + [("ALL", group)]
        for sector, rows in domains:
            expected_cells.append(
                {
                    "market": market,
                    "year": year,
                    "item": item,
                    "sector": sector,
                    "n_observations": len(rows),
                    "n_organisations": rows["organisation_id"].nunique(),
                    "score": np.average(rows["score"], weights=rows["weight"]),
                    "flag": np.average(rows["flag"], weights=rows["weight"]),
                }
            )
    expected = pd.DataFrame(expected_cells)

    assert list(result.columns) == [*KEY_COLUMNS, "score", "score_se", "flag", "flag_se"]
    assert result[KEY_COLUMNS].to_dict("records") == expected[KEY_COLUMNS].to_dict("records")
    for measure in ["score", "flag"]:
        np.testing.assert_allclose(result[measure], expected[measure], rtol=0, atol=1e-12)
    assert result["year"].dtype == data["year"].dtype
    # Every cell of these designs (>= 2 organisations each) has a standard error.
    assert result[["score_se", "flag_se"]].notna().all().all()


def test_hand_made_se_matches_linearisation() -> None:
    """(b) on the hand-made data: R's se equals the numpy linearisation."""
    data = _hand_made()
    r_result = r_domain_means(data, ["score", "flag"])
    np_result = numpy_domain_means(data, ["score", "flag"])
    pd.testing.assert_frame_equal(r_result[KEY_COLUMNS], np_result[KEY_COLUMNS])
    for measure in ["score", "flag"]:
        np.testing.assert_allclose(r_result[measure], np_result[measure], rtol=0, atol=1e-12)
        _assert_se_close(r_result[f"{measure}_se"], np_result[f"{measure}_se"])


def test_hand_made_se_by_hand() -> None:
    """The numpy formula itself, spelled out for one domain of the hand-made data."""
    data = _hand_made()
    group = data[data["market"] == "B2B"]
    ict = group[group["sector"] == "ict"]
    mean = np.average(ict["score"], weights=ict["weight"])
    total_weight = ict["weight"].sum()
    z = {org: 0.0 for org in group["organisation_id"].unique()}  # 6 clusters, 4 outside ict
    for row in ict.itertuples():
        z[row.organisation_id] += row.weight * (row.score - mean) / total_weight
    n = len(z)
    se = np.sqrt(n / (n - 1) * sum(v * v for v in z.values()))

    r_result = r_domain_means(data, ["score"])
    cell = r_result[(r_result["market"] == "B2B") & (r_result["sector"] == "ict")]
    assert cell["score_se"].item() == pytest.approx(se, rel=1e-12)


@pytest.mark.parametrize("seed", [1, 7])
def test_generated_frame_matches_linearisation(seed: int) -> None:
    """(b) generated survey data: awkward sectors, uneven weights and sizes, many designs."""
    observations = _observations(make_survey_frame(seed))
    r_result = r_domain_means(observations, ["score", "high"])
    np_result = numpy_domain_means(observations, ["score", "high"])

    # The awkward cases really are present.
    sectors = r_result[r_result["sector"] != "ALL"]
    assert (sectors["n_organisations"] == 1).any()
    assert (sectors["n_organisations"] == 2).any()
    assert observations["weight"].nunique() > 100
    assert r_result.groupby(["market", "year", "item"]).ngroups >= 15

    pd.testing.assert_frame_equal(r_result[KEY_COLUMNS], np_result[KEY_COLUMNS])
    for measure in ["score", "high"]:
        np.testing.assert_allclose(r_result[measure], np_result[measure], rtol=0, atol=1e-12)
        _assert_se_close(r_result[f"{measure}_se"], np_result[f"{measure}_se"])
    # A sector with one organisation inside a larger design: se is zero up to rounding.
    lone = r_result[(r_result["sector"] != "ALL") & (r_result["n_organisations"] == 1)]
    assert (lone["score_se"].abs() < ZERO_SE_ABSOLUTE_TOLERANCE).all()


def test_extreme_random_data_matches_linearisation() -> None:
    """(b) random data with extreme weights (0.05–20) and cluster sizes (1–300 rows)."""
    rng = np.random.default_rng(20240607)
    frames = []
    for group_index in range(6):
        # sector -> number of organisations: one lone, one pair, one bigger sector.
        plan = {"s_lone": 1, "s_pair": 2, "s_many": int(rng.integers(3, 9))}
        for sector, n_orgs in plan.items():
            for org_index in range(n_orgs):
                size = int(rng.choice([1, 2, 5, 40, 300]))
                frames.append(
                    pd.DataFrame(
                        {
                            "market": "B2B" if group_index % 2 else "B2C",
                            "year": 2020 + group_index // 2,
                            "item": "x",
                            "sector": sector,
                            "organisation_id": f"{sector}-{org_index}",
                            "weight": np.exp(rng.uniform(np.log(0.05), np.log(20.0), size)),
                            "y": rng.integers(0, 11, size).astype(float) + rng.normal(0, 3),
                            "ind": 100.0 * (rng.random(size) < rng.random()),
                        }
                    )
                )
    data = pd.concat(frames, ignore_index=True)
    r_result = r_domain_means(data, ["y", "ind"])
    np_result = numpy_domain_means(data, ["y", "ind"])
    pd.testing.assert_frame_equal(r_result[KEY_COLUMNS], np_result[KEY_COLUMNS])
    for measure in ["y", "ind"]:
        np.testing.assert_allclose(r_result[measure], np_result[measure], rtol=0, atol=1e-12)
        _assert_se_close(r_result[f"{measure}_se"], np_result[f"{measure}_se"])


def test_single_organisation_design() -> None:
    """(c) a design group with one organisation: weighted means, every se NaN.

    R survey 4.1-1's svydesign() stops with "Design has only one primary sampling unit";
    the harness then returns the weighted means with NaN standard errors. Other design groups in
    the same call are unaffected.
    """
    data = _hand_made()
    lone = pd.DataFrame(
        {
            "market": "B2C",
            "year": 2025,
            "item": "recommend",
            "sector": ["housing", "housing", "housing", "energy"],
            "organisation_id": "Z",  # also in two sectors: still one PSU
            "weight": [0.5, 1.5, 2.75, 1.0],
            "score": [10.0, 2.0, 7.0, 9.0],
            "flag": [100.0, 0.0, 0.0, 100.0],
        }
    )
    one_row = lone.iloc[[0]].assign(year=2026)
    data = pd.concat([data, lone, one_row], ignore_index=True)

    r_result = r_domain_means(data, ["score", "flag"])
    np_result = numpy_domain_means(data, ["score", "flag"])

    single = r_result[r_result["year"].isin([2025, 2026])]
    assert single[["year", "sector"]].to_dict("records") == [
        {"year": 2025, "sector": "energy"},
        {"year": 2025, "sector": "housing"},
        {"year": 2025, "sector": "ALL"},
        {"year": 2026, "sector": "housing"},
        {"year": 2026, "sector": "ALL"},
    ]
    assert single[["score_se", "flag_se"]].isna().all().all()
    assert (single["n_organisations"] == 1).all()
    housing = lone[lone["sector"] == "housing"]
    expected_score = [
        9.0,
        np.average(housing["score"], weights=housing["weight"]),
        np.average(lone["score"], weights=lone["weight"]),
        10.0,
        10.0,
    ]
    np.testing.assert_allclose(single["score"], expected_score, rtol=0, atol=1e-12)

    # The rest of the call is as without the single-organisation groups.
    others = r_result[~r_result["year"].isin([2025, 2026])].reset_index(drop=True)
    alone = r_domain_means(_hand_made(), ["score", "flag"])
    pd.testing.assert_frame_equal(others, alone)
    # numpy agrees, including the NaN standard errors.
    pd.testing.assert_frame_equal(r_result[KEY_COLUMNS], np_result[KEY_COLUMNS])
    for measure in ["score", "flag"]:
        np.testing.assert_allclose(r_result[measure], np_result[measure], rtol=0, atol=1e-12)
        _assert_se_close(r_result[f"{measure}_se"], np_result[f"{measure}_se"])


def test_other_design_keys() -> None:
    """design_by may be any columns, e.g. market × year without an item column."""
    data = _hand_made().drop(columns="item")
    result = r_domain_means(data, ["score"], design_by=("market", "year"))
    expected = numpy_domain_means(data, ["score"], design_by=("market", "year"))
    assert list(result.columns[:3]) == ["market", "year", "sector"]
    pd.testing.assert_frame_equal(
        result.drop(columns="score_se"),
        expected.drop(columns="score_se"),
        check_exact=False,
        rtol=0,
        atol=1e-12,
    )
    _assert_se_close(result["score_se"], expected["score_se"])


def test_one_r_process_for_all_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    """All design groups (here 20) go through a single Rscript process, well within 5 s."""
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        calls.append(list(args))
        return real_run(args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(r_survey.subprocess, "run", counting_run)
    observations = _observations(make_survey_frame(3))
    assert observations.groupby(["market", "year", "item"]).ngroups == 20
    started = time.perf_counter()
    r_domain_means(observations, ["score", "high"])
    elapsed = time.perf_counter() - started
    assert len(calls) == 1
    assert elapsed < 5.0, f"R reference took {elapsed:.1f} s for 20 design groups"


def test_missing_rscript_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Rscript: a clear RSurveyUnavailableError (the tests fail, they do not skip)."""
    monkeypatch.delenv(r_survey.RSCRIPT_ENV, raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(RSurveyUnavailableError, match="Rscript not found"):
        r_domain_means(_hand_made(), ["score"])
    with pytest.raises(RSurveyUnavailableError, match="Rscript not found"):
        r_domain_means(_hand_made(), ["score"], rscript="/nonexistent/Rscript")


def test_missing_survey_package_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """R without the survey package (library paths pointed at an empty folder)."""
    empty = tmp_path / "empty-library"
    empty.mkdir()
    monkeypatch.setenv("R_LIBS_SITE", str(empty))
    monkeypatch.setenv("R_LIBS_USER", str(empty))
    monkeypatch.setenv("R_LIBS", str(empty))
    with pytest.raises(RSurveyUnavailableError, match="'survey' is not installed"):
        r_domain_means(_hand_made(), ["score"])


def test_survey_version_is_reported() -> None:
    """The harness can name the survey version it checks against."""
    version = r_survey.r_survey_version()
    assert version.split(".")[0].isdigit()


def test_invalid_input_is_rejected() -> None:
    """Missing values and non-positive weights are caller errors, not silently dropped."""
    data = _hand_made()
    with pytest.raises(ValueError, match="without missing values"):
        r_domain_means(
            data.assign(score=np.where(data.index == 0, np.nan, data["score"])), ["score"]
        )
    with pytest.raises(ValueError, match="weights must be > 0"):
        r_domain_means(data.assign(weight=0.0), ["score"])
    with pytest.raises(ValueError, match="lack columns"):
        r_domain_means(data, ["nonexistent"])
