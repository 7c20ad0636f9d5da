"""The R harness for changes and drivers (r_panel.py) on cases small enough to check by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from tests.reference.r_panel import r_changes, r_drivers


def _respondents(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["organisation_id", "sector", "year", "weight", "y"])
    return frame.assign(market="B2C", item="recommend")


def test_changes_by_hand():
    """The respondents of the dbt unit test nps_changes_two_year_design."""
    rows = [
        ("a", "telecom", 2020, 1, 100),
        ("a", "telecom", 2020, 1, -100),
        ("a", "telecom", 2020, 2, 100),
        ("b", "telecom", 2020, 1, 0),
        ("b", "telecom", 2020, 3, 100),
        ("d", "banking", 2020, 2, -100),
        ("d", "banking", 2020, 2, 0),
        ("b", "telecom", 2021, 2, 100),
        ("b", "telecom", 2021, 2, -100),
        ("c", "telecom", 2021, 1, 100),
        ("c", "telecom", 2021, 3, 0),
        ("d", "banking", 2021, 4, 100),
        ("d", "banking", 2021, 4, -100),
        ("d", "banking", 2021, 8, 0),
    ]
    result = r_changes(_respondents(rows), "y").set_index("sector")
    assert set(result.index) == {"telecom", "banking", "ALL"}
    assert (result["n_change_organisations"] == 4).all()
    # z (2021 - 2020) per organisation a: 6.25, b: -12.5, c: 6.25; n/(n-1) = 4/3
    assert result.loc["telecom", "change"] == -50
    assert result.loc["telecom", "change_se"] == pytest.approx(np.sqrt(4 / 3 * 234.375), rel=1e-15)
    assert result.loc["banking", "change"] == 50
    assert result.loc["banking", "change_se"] == 0
    assert result.loc["ALL", "change"] == pytest.approx(100 / 24 - 25, rel=1e-15)


def test_a_two_year_design_with_one_organisation_has_no_se():
    rows = [("a", "telecom", 2020, 1, 100), ("a", "telecom", 2021, 1, 0)]
    result = r_changes(_respondents(rows), "y")
    assert result["change"].tolist() == [-100, -100]
    assert result["change_se"].isna().all()


def _sandwich(x: np.ndarray, y: np.ndarray, w: np.ndarray, cluster: np.ndarray, n: int):
    """WLS with the cluster sandwich, n/(n-1) over n design clusters (svyglm's arithmetic)."""
    design = np.column_stack([np.ones(len(y)), x])
    bread = np.linalg.inv(design.T @ (design * w[:, None]))
    beta = bread @ design.T @ (w * y)
    scores = design * (w * (y - design @ beta))[:, None]
    totals = np.zeros((cluster.max() + 1, design.shape[1]))
    np.add.at(totals, cluster, scores)
    variance = n / (n - 1) * bread @ totals.T @ totals @ bread
    return beta, np.sqrt(np.diag(variance))


def test_drivers_equal_the_textbook_sandwich():
    rng = np.random.default_rng(3)
    n = 400
    organisation = rng.integers(0, 12, n)
    latent = rng.normal(0, 1, n) + organisation / 6
    frame = pd.DataFrame(
        {
            "market": "B2B",
            "year": 2024,
            "sector": np.where(organisation < 7, "industry", "ict"),
            "organisation_id": [f"o{o:02d}" for o in organisation],
            "weight": rng.uniform(0.3, 3, n),
            "grade_a": np.round(6 + latent + rng.normal(0, 1, n), 1),
            "grade_b": np.round(7 + 0.5 * latent + rng.normal(0, 1, n), 1),
        }
    )
    frame["y"] = np.where(latent + rng.normal(0, 1, n) > 0.8, 100.0, -100.0)
    result = r_drivers(frame, ["grade_a", "grade_b"]).set_index(["sector", "item"])

    codes = pd.factorize(frame["organisation_id"], sort=True)[0]
    x = frame[["grade_a", "grade_b"]].to_numpy()
    for sector, rows in [("ALL", np.ones(n, bool)), ("ict", frame["sector"].eq("ict").to_numpy())]:
        beta, se = _sandwich(
            x[rows], frame["y"].to_numpy()[rows], frame["weight"].to_numpy()[rows], codes[rows], 12
        )
        df = len(np.unique(codes[rows])) - 3
        for j, item in enumerate(["a", "b"]):
            row = result.loc[(sector, item)]
            assert row["coefficient"] == pytest.approx(beta[j + 1], rel=1e-10)
            assert row["coefficient_se"] == pytest.approx(se[j + 1], rel=1e-10)
            assert row["df"] == df
            p = 2 * stats.t.sf(abs(beta[j + 1] / se[j + 1]), df)
            assert row["p_value"] == pytest.approx(p, rel=1e-8)
