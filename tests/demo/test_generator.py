"""The demo studies: streamed, scalable, plausible, and calibrated to the seed figures.

The figures are computed from the studies as generated; `test_deliveries.py` shows that the
delivered files, whatever their layout, hold exactly these rows.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cxbench.demo import write_demo_landing
from cxbench.demo.writer import all_studies
from tests.demo.conftest import Landing
from tests.demo.helpers import SEED, layout_of, study_files, survey_files

TOUCH = ("start_relationship", "information", "payment", "question", "complaint", "service_request")


# --- helpers -------------------------------------------------------------------------------------


def wmean(frame: pl.DataFrame, indicator: pl.Expr) -> float:
    """Design-based point estimate: weighted mean over the rows that answered (nulls dropped)."""
    rows = frame.select(value=indicator, weight=pl.col("weight")).drop_nulls("value")
    return float((rows["value"] * rows["weight"]).sum() / rows["weight"].sum())


def nps_score() -> pl.Expr:
    r = pl.col("recommend")
    return pl.when(r >= 9).then(100.0).when(r >= 7).then(0.0).when(r >= 0).then(-100.0)


def share(column: str, low: float, high: float) -> pl.Expr:
    """0/100 indicator of an answer in [low, high]; null when the item was not answered."""
    value = pl.col(column)
    return pl.when(value.is_null()).then(None).otherwise(value.is_between(low, high) * 100.0)


def top_performers(year_rows: pl.DataFrame) -> pl.Series:
    """Organisations with >= 30 valid recommend answers and own NPS >= their 75th percentile."""
    per_org = (
        year_rows.filter(pl.col("recommend").is_not_null())
        .group_by("organisation_id")
        .agg(
            n=pl.len(),
            nps=(nps_score() * pl.col("weight")).sum() / pl.col("weight").sum(),
        )
        .filter(pl.col("n") >= 30)
    )
    threshold = np.percentile(per_org["nps"].to_numpy(), 75)
    return per_org.filter(pl.col("nps") >= threshold)["organisation_id"]


def figures(data: pl.DataFrame) -> dict[str, float]:
    """Every figure of seed-figures.md sections A, B and C, computed from the landing files."""
    out: dict[str, float] = {}
    b2b = data.filter(pl.col("market") == "B2B")
    for year in (2018, 2019, 2020):
        out[f"A nps {year}"] = wmean(b2b.filter(pl.col("year") == year), nps_score())
    y20 = b2b.filter(pl.col("year") == 2020)
    for name, low, high in (("promoters", 9, 10), ("passives", 7, 8), ("detractors", 0, 6)):
        out[f"A 2020 {name}"] = wmean(y20, share("recommend", low, high))
    for sector in ("industry", "wholesale", "transport_logistics"):
        out[f"A 2020 promoters {sector}"] = wmean(
            y20.filter(pl.col("sector") == sector), share("recommend", 9, 10)
        )
    for sector in (
        "financial_services",
        "construction_installation",
        "facility_services",
        "waste",
        "ict",
        "professional_services",
    ):
        out[f"A 2020 nps {sector}"] = wmean(y20.filter(pl.col("sector") == sector), nps_score())
    out["A 2020 grade_overall"] = wmean(y20, pl.col("grade_overall"))
    is_top = pl.col("organisation_id").is_in(top_performers(y20).implode())
    top, others = y20.filter(is_top), y20.filter(~is_top)
    out["A 2020 top nps"] = wmean(top, nps_score())
    out["A 2020 top promoters"] = wmean(top, share("recommend", 9, 10))
    out["A 2020 complaint_handling top"] = wmean(top, pl.col("grade_complaint_handling"))
    out["A 2020 complaint_handling all"] = wmean(y20, pl.col("grade_complaint_handling"))
    out["A 2020 customer_service top"] = wmean(top, pl.col("grade_customer_service"))
    out["A 2020 customer_service others"] = wmean(others, pl.col("grade_customer_service"))

    b2c = data.filter(pl.col("market") == "B2C")
    touch_columns = [f"touch_{m}" for m in TOUCH]
    for year in (2011, 2012):
        rows = b2c.filter(pl.col("year") == year)
        rated = rows.filter(pl.any_horizontal(pl.col(touch_columns).is_not_null()))
        out[f"B {year} respondents"] = rated.height
        out[f"B {year} rated moments"] = (
            rated.select(pl.sum_horizontal(pl.col(touch_columns).is_not_null())).to_series().sum()
        )
        for statement in ("welcome", "valued", "important", "authentic"):
            column = f"agree_{statement}"
            out[f"B {year} {statement} agree"] = wmean(rows, share(column, 4, 5))
            out[f"B {year} {statement} disagree"] = wmean(rows, share(column, 1, 2))
        for moment in TOUCH:
            out[f"B {year} positive {moment}"] = wmean(rows, share(f"touch_{moment}", 4, 5))
        ratings = rated.unpivot(touch_columns, index=["sector", "weight"]).drop_nulls("value")
        for sector in ratings["sector"].unique().sort():
            out[f"B {year} positive sector {sector}"] = wmean(
                ratings.filter(pl.col("sector") == sector), share("value", 4, 5)
            )
    for year in range(2007, 2014):
        rows = b2c.filter(pl.col("year") == year)
        out[f"C {year} knows_customer"] = wmean(rows, pl.col("grade_knows_customer"))
        if year >= 2010:
            out[f"C {year} service_orientation"] = wmean(rows, pl.col("grade_service_orientation"))
    return out


def calibration_failures(f: dict[str, float]) -> list[str]:
    """Each seed figure with its tolerance; returns the ones that miss."""
    checks: list[tuple[str, bool]] = []

    def near(key: str, value: float, tolerance: float) -> None:
        checks.append(
            (f"{key} = {f[key]:.2f}, want {value} ± {tolerance}", abs(f[key] - value) <= tolerance)
        )

    for year, value in ((2018, 14), (2019, 12), (2020, 11)):
        near(f"A nps {year}", value, 2)
    for name, value in (("promoters", 29), ("passives", 53), ("detractors", 18)):
        near(f"A 2020 {name}", value, 2)
    for sector, value in (("industry", 43), ("wholesale", 35), ("transport_logistics", 32)):
        near(f"A 2020 promoters {sector}", value, 3)
    for sector in ("financial_services", "construction_installation", "facility_services", "waste"):
        checks.append((f"A 2020 nps {sector} < 0", f[f"A 2020 nps {sector}"] < 0))
    for sector in ("ict", "professional_services"):
        near(f"A 2020 nps {sector}", f["A nps 2020"], 8)
    near("A 2020 grade_overall", 7.8, 0.1)
    near("A 2020 top nps", 40, 4)
    checks.append(("A 2020 top promoters > 50", f["A 2020 top promoters"] > 50))
    near("A 2020 complaint_handling top", 7.2, 0.15)
    near("A 2020 complaint_handling all", 6.6, 0.15)
    near("A 2020 customer_service top", 8.9, 0.15)
    near("A 2020 customer_service others", 8.0, 0.15)

    checks.append(("B 2012 respondents == 4021", f["B 2012 respondents"] == 4021))
    checks.append(("B 2012 rated moments == 22873", f["B 2012 rated moments"] == 22873))
    for key, value in (
        ("welcome agree", 23),
        ("welcome disagree", 27),
        ("valued agree", 14),
        ("valued disagree", 42),
        ("important disagree", 66),
        ("authentic disagree", 55),
    ):
        near(f"B 2012 {key}", value, 2)
    near("B 2011 authentic disagree", 51, 2)
    near("B 2012 positive complaint", 45, 3)
    for year in (2011, 2012):
        moments = {m: f[f"B {year} positive {m}"] for m in TOUCH}
        checks.append((f"B {year} payment highest", max(moments, key=moments.get) == "payment"))
        sectors = {k: v for k, v in f.items() if k.startswith(f"B {year} positive sector ")}
        checks.append(
            (f"B {year} government lowest", min(sectors, key=sectors.get).endswith("government"))
        )
    moments_2012 = {m: f[f"B 2012 positive {m}"] for m in TOUCH}
    checks.append(
        ("B 2012 complaint lowest", min(moments_2012, key=moments_2012.get) == "complaint")
    )
    for year, gov, housing in ((2011, 44, 61), (2012, 42, 55)):
        near(f"B {year} positive sector government", gov, 3)
        near(f"B {year} positive sector housing", housing, 3)

    near("C 2007 knows_customer", 7.4, 0.1)
    near("C 2013 knows_customer", 6.7, 0.1)
    knows = [f[f"C {year} knows_customer"] for year in range(2007, 2014)]
    checks.append(("C knows_customer falls every year", all(np.diff(knows) < 0)))
    near("C 2010 service_orientation", 5.8, 0.1)
    near("C 2013 service_orientation", 7.7, 0.1)
    return [label for label, ok in checks if not ok]


# --- tests ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data(calibrated: pl.DataFrame) -> pl.DataFrame:
    return calibrated


def test_generation_is_fast(demo_landing: Landing) -> None:
    assert demo_landing.cpu_seconds < 10


def test_studies_are_streamed() -> None:
    """The first study of a 10x set is ready long before the set could be generated."""
    started = time.process_time()
    first = next(all_studies(SEED, 10.0))
    assert time.process_time() - started < 2
    assert first.path.parts[0] == "b2b"
    assert (first.source, first.position) == ("integron", 0)


def test_other_seed_other_data(tmp_path: Path) -> None:
    def contents(dest: Path) -> set[bytes]:
        return {p.read_bytes() for p in survey_files(dest) if p.stat().st_size}

    write_demo_landing(tmp_path / "one", seed=SEED, scale=0.1)
    write_demo_landing(tmp_path / "other", seed=SEED + 1, scale=0.1)
    assert contents(tmp_path / "one").isdisjoint(contents(tmp_path / "other"))


def test_canonical_files_follow_the_contract(demo_landing: Landing) -> None:
    dest, files = demo_landing.dest, demo_landing.files
    assert sorted(p for p in dest.rglob("*") if p.is_file()) == sorted(files)
    required = ["respondent_id", "organisation_id", "sector", "market", "year"]
    canonical = [p for p in study_files(dest) if layout_of(p) == "canonical"]
    assert len(canonical) > 400
    for path in canonical:
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and b";" not in raw
        assert not path.with_name(path.name + ".yml").exists()
        frame = pl.read_csv(path, infer_schema=False)
        assert frame.columns[:6] == [*required, "response_date"]
        assert frame.columns[-1] == "weight"
        assert frame.height > 0
        org, year = frame["organisation_id"][0], frame["year"][0]
        assert path.name.endswith(f"_{org}_{year}.csv")


def test_values_follow_the_contract(data: pl.DataFrame) -> None:
    assert set(data["market"]) == {"B2B", "B2C"}
    assert (data["response_date"].dt.year() == data["year"]).all()
    for column in ("respondent_id", "organisation_id", "sector", "market", "year"):
        assert data[column].null_count() == 0
    recommend = data["recommend"].drop_nulls()
    assert recommend.is_between(0, 10).all() and (recommend == recommend.round(0)).all()
    for column in [c for c in data.columns if c.startswith("grade_")]:
        assert data[column].drop_nulls().is_between(1, 10).all()
    for column in [c for c in data.columns if c.startswith(("touch_", "agree_"))]:
        values = data[column].drop_nulls()
        assert values.is_between(1, 5).all() and (values == values.round(0)).all()
    assert data["weight"].is_between(0.5, 2.0).all()
    assert (data["weight"] != 1.0).any()
    assert data.filter(pl.col("market") == "B2B")["sector"].n_unique() == 9
    assert data.filter(pl.col("market") == "B2C")["sector"].n_unique() == 8
    study_respondent = pl.struct("organisation_id", "year", "respondent_id")
    assert data.select(study_respondent.is_unique().all()).item()


def test_b2b_has_uneven_studies_and_persistent_organisations(data: pl.DataFrame) -> None:
    studies = data.filter(pl.col("market") == "B2B").group_by("organisation_id", "year").len()
    per_year = studies.group_by("year").len()["len"]
    assert per_year.min() >= 200 and per_year.max() <= 215
    assert studies["len"].min() < 30 and studies["len"].max() > 400
    years_per_org = studies.group_by("organisation_id").len()["len"]
    assert (years_per_org == 3).any() and (years_per_org < 3).any()


def test_kbo_sectors_pass_disclosure_control(data: pl.DataFrame) -> None:
    kbo = data.filter(pl.col("organisation_id").str.starts_with("KBO-"))
    per_org = kbo.group_by("year", "sector", "organisation_id").len()
    cells = per_org.group_by("year", "sector").agg(
        organisations=pl.len(), respondents=pl.col("len").sum(), largest=pl.col("len").max()
    )
    assert (cells["organisations"] >= 3).all() and (cells["respondents"] >= 30).all()
    assert (cells["largest"] <= 0.5 * cells["respondents"]).all()


def test_series_items_do_not_overlap(data: pl.DataFrame) -> None:
    kbo = data.filter(pl.col("organisation_id").str.starts_with("KBO-"))
    cey = data.filter(pl.col("organisation_id").str.starts_with("CEY-"))
    assert kbo["grade_knows_customer"].null_count() == kbo.height
    assert cey["touch_payment"].null_count() == cey.height
    assert cey["recommend"].null_count() == cey.height


def test_scale_changes_study_counts(tmp_path: Path, demo_landing: Landing) -> None:
    full = len(survey_files(demo_landing.dest))
    small = write_demo_landing(tmp_path / "small", seed=SEED, scale=0.1)
    assert len(survey_files(tmp_path / "small")) < full / 5
    assert set(small) == {p for p in (tmp_path / "small").rglob("*") if p.is_file()}
    half = sum(1 for _ in all_studies(SEED, 0.5))
    assert 0.45 * full < half < 0.55 * full
    with pytest.raises(ValueError):
        write_demo_landing(tmp_path / "none", scale=0)


def test_exact_2012_counts(data: pl.DataFrame) -> None:
    f = figures(data)
    assert f["B 2012 respondents"] == 4021
    assert f["B 2012 rated moments"] == 22873


def test_calibration(data: pl.DataFrame) -> None:
    assert calibration_failures(figures(data)) == []
