"""Reference changes (two-year design) and key-driver regressions computed by R's ``survey``.

Siblings of :func:`.r_survey.r_domain_means`, with the same exchange (numbers-only CSV files
written with ``%.17g``, read back with Python's correctly rounded ``float()``) and the same
failure modes (:class:`.r_survey.RSurveyUnavailableError` when R or survey is missing: tests
fail, they never skip).

- :func:`r_changes` runs ``survey_changes.R``: per market × item and consecutive years t − 1, t,
  ``svydesign(ids = ~organisation_id, weights = ~weight, data = both_years)``, then
  ``svyby(~y, ~sector + year, des, svymean, covmat = TRUE)`` and ``svycontrast`` of each sector's
  two cells (and of the two years' totals for ``ALL``).
- :func:`r_drivers` runs ``survey_regression.R``: per market × year,
  ``svyglm(y ~ x1 + … + xk, des)`` for ``ALL`` and ``svyglm(…, subset(des, sector == s))`` for
  each sector, on the complete cases the caller passes.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .r_survey import (
    _EXIT_NO_SURVEY,
    _TIMEOUT_SECONDS,
    ALL_SECTOR,
    RSurveyError,
    RSurveyUnavailableError,
    _read_r_output,
    find_rscript,
)

HERE = Path(__file__).parent
CHANGES_SCRIPT = HERE / "survey_changes.R"
REGRESSION_SCRIPT = HERE / "survey_regression.R"


def _run(script: Path, table: pd.DataFrame, integer_columns: Sequence[str]) -> pd.DataFrame:
    """Write `table` (numbers only), run `script` on it, read its output."""
    exe = find_rscript()
    with tempfile.TemporaryDirectory(prefix="cxbench-r-panel-") as tmp:
        infile, outfile = Path(tmp) / "input.csv", Path(tmp) / "output.csv"
        formats = ["%d" if c in integer_columns else "%.17g" for c in table.columns]
        with infile.open("w", encoding="ascii", newline="\n") as fh:
            fh.write(",".join(table.columns) + "\n")
            np.savetxt(fh, table.to_numpy(dtype=np.float64), fmt=formats, delimiter=",")
        proc = subprocess.run(
            [exe, "--vanilla", str(script), str(infile), str(outfile)],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_SECONDS,
            check=False,
        )
        if proc.returncode == _EXIT_NO_SURVEY or "there is no package called" in proc.stderr:
            raise RSurveyUnavailableError(
                f"the R package 'survey' is not installed: {proc.stderr.strip()}"
            )
        if proc.returncode != 0:
            raise RSurveyError(f"{script.name} failed ({proc.returncode}):\n{proc.stderr}")
        return _read_r_output(outfile)


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    codes, labels = pd.factorize(values.astype(str), sort=True)
    return codes.astype(np.int64), np.asarray(labels, dtype=object)


def r_changes(
    observations: pd.DataFrame, measure: str, design_by: Sequence[str] = ("market", "item")
) -> pd.DataFrame:
    """Every year-over-year change of `measure` with its se from the two-year design.

    Args:
        observations: one row per observation with the ``design_by`` columns, ``year``,
            ``sector``, ``organisation_id``, ``weight`` (> 0) and `measure` (no missing values).
        measure: the column whose domain means change.
        design_by: the columns that, with the pair of years, define one design.

    Returns:
        One row per ``design_by`` × later year t (where t − 1 has observations too) × sector
        present in both years, plus ``sector == "ALL"``: columns ``*design_by, year, sector,
        change, change_se, n_change_organisations`` (organisations in either year; change_se is
        NaN when that is 1).
    """
    keys = list(design_by)
    obs = observations.reset_index(drop=True)
    pairs = []
    for group, rows in obs.groupby(keys, sort=True):
        years = set(rows["year"])
        for year in sorted(years):
            if year - 1 in years:
                both = rows[rows["year"].isin([year - 1, year])]
                pairs.append((*(group if isinstance(group, tuple) else (group,)), year, both))
    if not pairs:
        raise ValueError("no consecutive years to compare")
    frames = []
    for code, (*_, year, both) in enumerate(pairs):
        frames.append(both.assign(g=code, t=(both["year"] == year).astype(np.int64)))
    stacked = pd.concat(frames, ignore_index=True)
    sector_code, sector_labels = _codes(stacked["sector"])
    org_code, _ = _codes(stacked["organisation_id"])
    table = pd.DataFrame(
        {
            "g": stacked["g"].to_numpy(),
            "s": sector_code,
            "t": stacked["t"].to_numpy(),
            "o": org_code,
            "w": stacked["weight"].astype("float64").to_numpy(),
            "y": stacked[measure].astype("float64").to_numpy(),
        }
    )
    raw = _run(CHANGES_SCRIPT, table, integer_columns=("g", "s", "t", "o"))
    if list(raw.columns) != ["g", "s", "change", "se"]:
        raise RSurveyError(f"unexpected R output columns: {list(raw.columns)}")
    labels = np.append(sector_labels, ALL_SECTOR)
    records = []
    for g, s, change, se in raw.itertuples(index=False):
        *group, year, both = pairs[g]
        records.append(
            {
                **dict(zip(keys, group, strict=True)),
                "year": year,
                "sector": labels[s],
                "change": change,
                "change_se": se,
                "n_change_organisations": both["organisation_id"].nunique(),
            }
        )
    return pd.DataFrame.from_records(records)


def r_drivers(complete_cases: pd.DataFrame, aspects: Sequence[str]) -> pd.DataFrame:
    """svyglm of ``y`` on the `aspects` columns per market × year, for ``ALL`` and each sector.

    Args:
        complete_cases: one row per respondent of the model with ``market``, ``year``,
            ``sector``, ``organisation_id``, ``weight``, ``y`` (NPS score) and a column per
            aspect, without missing values in the aspects the market-year's model has; a
            market-year whose model lacks an aspect has NaN in that column throughout.
        aspects: the aspect columns, in the order the pipeline numbers them.

    Returns:
        One row per market × year × sector (and ``ALL``) × aspect of the market-year's model:
        ``market, year, sector, item, n_respondents, n_organisations, largest_organisation,
        coefficient, coefficient_se, p_value, df, importance, mean_grade, mean_grade_se`` (NaN
        where R gives NA) and ``score_varies`` (False where every respondent of the cell has the
        same NPS score: R's importance is then 0/0 or rounding noise over a variance of ~1e-28).
    """
    records = []
    for (market, year), rows in complete_cases.groupby(["market", "year"], sort=True):
        in_model = [a for a in aspects if rows[a].notna().any()]
        if not in_model:
            continue
        sector_code, sector_labels = _codes(rows["sector"])
        org_code, _ = _codes(rows["organisation_id"])
        table = pd.DataFrame(
            {
                "g": 0,
                "s": sector_code,
                "o": org_code,
                "w": rows["weight"].astype("float64").to_numpy(),
                "y": rows["y"].astype("float64").to_numpy(),
                **{
                    f"x{j + 1}": rows[a].astype("float64").to_numpy()
                    for j, a in enumerate(in_model)
                },
            }
        )
        raw = _run(REGRESSION_SCRIPT, table, integer_columns=("g", "s", "o"))
        labels = np.append(sector_labels, ALL_SECTOR)
        for r in raw.itertuples(index=False):
            sector = labels[r.s]
            cell = rows if sector == ALL_SECTOR else rows[rows["sector"] == sector]
            per_org = cell.groupby("organisation_id").size()
            records.append(
                {
                    "market": market,
                    "year": year,
                    "sector": sector,
                    "item": in_model[int(r.j) - 1].removeprefix("grade_"),
                    "n_respondents": len(cell),
                    "n_organisations": len(per_org),
                    "largest_organisation": int(per_org.max()),
                    "coefficient": r.coefficient,
                    "coefficient_se": r.se,
                    "p_value": r.p,
                    "df": r.df,
                    "importance": r.importance,
                    "mean_grade": r.mean,
                    "mean_grade_se": r.mean_se,
                    "score_varies": cell["y"].nunique() > 1,
                }
            )
    return pd.DataFrame.from_records(records)
