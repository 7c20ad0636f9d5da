"""Reference design-based domain means computed by R's ``survey`` package.

For every design group (by default market × year × item) R runs exactly what docs/contract.md
§6 prescribes::

    des <- svydesign(ids = ~organisation_id, weights = ~weight, data = group_rows)
    svyby(~m1 + m2, ~sector, des, svymean)   # sector rows
    svymean(~m1 + m2, des)                    # sector = "ALL"

All design groups go through one ``Rscript`` process (``survey_reference.R`` next to this file).
Data is exchanged through temporary CSV files holding only numbers written with ``%.17g``
(group, sector and organisation are passed as integer codes, so no text quoting or encoding
can interfere), and read back with Python's correctly rounded ``float()``.

Single-organisation design groups: R ``survey`` 4.1-1 refuses to build the design
(``svydesign`` stops with "Design has only one primary sampling unit", for every value of
``options(survey.lonely.psu)``). For such a group the R script returns the weighted means
(``sum(w * y) / sum(w)``, svymean's arithmetic) and NaN for every standard error. A sector with
one organisation inside a design group with two or more organisations is an ordinary domain:
its standard error is what ``svyby`` returns (0 up to rounding, because that organisation's
linearised total within the domain is zero).

If ``Rscript`` or the R ``survey`` package is missing, :class:`RSurveyUnavailableError` is raised:
tests using this module fail, they never skip.
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

R_SCRIPT = Path(__file__).with_name("survey_reference.R")
ALL_SECTOR = "ALL"
RSCRIPT_ENV = "CXBENCH_RSCRIPT"
_EXIT_NO_SURVEY = 3
_TIMEOUT_SECONDS = 600


class RSurveyUnavailableError(RuntimeError):
    """``Rscript`` or the R ``survey`` package is not available on this machine."""


class RSurveyError(RuntimeError):
    """The R reference computation failed or returned something unexpected."""


def find_rscript(rscript: str | None = None) -> str:
    """Return the ``Rscript`` executable to use.

    Order: the ``rscript`` argument, the ``CXBENCH_RSCRIPT`` environment variable, ``Rscript``
    on ``PATH``. Raises :class:`RSurveyUnavailableError` when none is an executable file.
    """
    candidate = rscript or os.environ.get(RSCRIPT_ENV) or "Rscript"
    found = shutil.which(candidate)
    if found is None:
        raise RSurveyUnavailableError(
            f"Rscript not found ({candidate!r}): install R and its 'survey' package "
            "(Debian: apt-get install r-base-core r-cran-survey) or set "
            f"{RSCRIPT_ENV} to the Rscript executable"
        )
    return found


def r_survey_version(rscript: str | None = None) -> str:
    """Return the installed R ``survey`` package version, e.g. ``"4.1.1"``."""
    exe = find_rscript(rscript)
    proc = subprocess.run(
        [exe, "--vanilla", "-e", 'cat(as.character(packageVersion("survey")))'],
        capture_output=True,
        text=True,
        timeout=_TIMEOUT_SECONDS,
        check=False,
    )
    if proc.returncode != 0:
        raise RSurveyUnavailableError(f"R package 'survey' is not available: {proc.stderr.strip()}")
    return proc.stdout.strip()


def _validate(observations: pd.DataFrame, measures: Sequence[str], keys: list[str]) -> None:
    """Raise ``ValueError`` when the input cannot form a valid design."""
    if not measures:
        raise ValueError("measures must name at least one column")
    if len(set(measures)) != len(measures):
        raise ValueError(f"duplicate measures: {list(measures)}")
    required = [*keys, "sector", "organisation_id", "weight", *measures]
    missing = [c for c in required if c not in observations.columns]
    if missing:
        raise ValueError(f"observations lack columns {missing}")
    if observations.empty:
        raise ValueError("observations is empty")
    ident = observations[[*keys, "sector", "organisation_id"]]
    if ident.isna().to_numpy().any():
        raise ValueError("design keys, sector and organisation_id must not be missing")
    values = observations[["weight", *measures]].astype("float64").to_numpy()
    if not np.isfinite(values).all():
        raise ValueError("weight and measures must be finite numbers without missing values")
    if not (values[:, 0] > 0).all():
        raise ValueError("weights must be > 0")
    if (observations["sector"].astype(str) == ALL_SECTOR).any():
        raise ValueError(f"sector {ALL_SECTOR!r} is reserved for the design-group total")


def cell_counts(observations: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows and distinct organisations per design group × sector, plus the ``ALL`` rows.

    Returns columns ``*keys, sector, n_observations, n_organisations``.
    """

    def count(by: list[str]) -> pd.DataFrame:
        grouped = observations.groupby(by, sort=False, dropna=False)
        return pd.DataFrame(
            {
                "n_observations": grouped.size(),
                "n_organisations": grouped["organisation_id"].nunique(),
            }
        ).reset_index()

    per_sector = count([*keys, "sector"])
    total = count(keys)
    total.insert(len(keys), "sector", ALL_SECTOR)
    counts = pd.concat([per_sector, total], ignore_index=True)
    counts["sector"] = counts["sector"].astype(str)
    return counts.astype({"n_observations": "int64", "n_organisations": "int64"})


def order_output(frame: pd.DataFrame, keys: list[str], measures: Sequence[str]) -> pd.DataFrame:
    """Put columns in the documented order and sort rows by keys, then sector (``ALL`` last)."""
    columns = [*keys, "sector", "n_observations", "n_organisations"]
    for m in measures:
        columns += [m, f"{m}_se"]
    out = frame[columns].copy()
    out["_all_last"] = out["sector"] == ALL_SECTOR
    out = out.sort_values([*keys, "_all_last", "sector"], kind="stable")
    return out.drop(columns="_all_last").reset_index(drop=True)


def _read_r_output(path: Path) -> pd.DataFrame:
    """Read the R script's CSV with Python's correctly rounded ``float()`` (``NA`` -> NaN)."""
    with path.open(encoding="ascii", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = list(reader)
    columns: dict[str, object] = {}
    for j, name in enumerate(header):
        cells = [row[j] for row in rows]
        if name in ("g", "s"):
            columns[name] = np.array([int(c) for c in cells], dtype=np.int64)
        else:
            columns[name] = np.array(
                [math.nan if c == "NA" else float(c) for c in cells], dtype=np.float64
            )
    return pd.DataFrame(columns)


def r_domain_means(
    observations: pd.DataFrame,
    measures: list[str],
    design_by: Sequence[str] = ("market", "year", "item"),
    *,
    rscript: str | None = None,
) -> pd.DataFrame:
    """Design-based means and standard errors per design group × sector, computed by R ``survey``.

    Args:
        observations: one row per observation with the ``design_by`` columns, ``sector``,
            ``organisation_id``, ``weight`` (> 0) and one numeric column per measure, without
            missing values (pass only the rows that belong to the design).
        measures: the measure columns to estimate (e.g. ``["nps_score"]``).
        design_by: the columns that define one design (one ``svydesign`` call each).
        rscript: ``Rscript`` executable; default ``$CXBENCH_RSCRIPT`` or ``Rscript`` on PATH.

    Returns:
        One row per design group × sector, plus one ``sector == "ALL"`` row per design group,
        with columns ``*design_by, sector, n_observations, n_organisations`` and, per measure,
        ``<m>`` (svymean estimate) and ``<m>_se`` (its standard error; NaN when the design group
        has a single organisation). Rows are sorted by ``design_by``, then sector, ``ALL`` last.

    Raises:
        RSurveyUnavailableError: ``Rscript`` or the R ``survey`` package is missing.
        RSurveyError: R failed or returned an unexpected result.
        ValueError: invalid input.
    """
    keys = list(design_by)
    measures = list(measures)
    _validate(observations, measures, keys)
    exe = find_rscript(rscript)

    obs = observations.reset_index(drop=True)
    grouped = obs.groupby(keys, sort=True, dropna=False)
    group_code = grouped.ngroup().to_numpy(dtype=np.int64)
    group_keys = grouped.size().reset_index()[keys]
    sector_code, sector_labels = pd.factorize(obs["sector"].astype(str), sort=True)
    org_code, _ = pd.factorize(obs["organisation_id"].astype(str), sort=True)

    r_names = [f"m{j + 1}" for j in range(len(measures))]
    values = obs[["weight", *measures]].astype("float64").to_numpy()
    codes = np.column_stack([group_code, sector_code, org_code]).astype(np.int64)

    with tempfile.TemporaryDirectory(prefix="cxbench-r-survey-") as tmp:
        infile = Path(tmp) / "observations.csv"
        outfile = Path(tmp) / "estimates.csv"
        header = ",".join(["g", "s", "o", "w", *r_names])
        with infile.open("w", encoding="ascii", newline="\n") as fh:
            fh.write(header + "\n")
            np.savetxt(
                fh,
                np.column_stack([codes.astype(np.float64), values]),
                fmt=["%d", "%d", "%d"] + ["%.17g"] * values.shape[1],
                delimiter=",",
            )
        proc = subprocess.run(
            [exe, "--vanilla", str(R_SCRIPT), str(infile), str(outfile)],
            capture_output=True,
            text=True,
            timeout=_TIMEOUT_SECONDS,
            check=False,
        )
        if proc.returncode == _EXIT_NO_SURVEY or "there is no package called" in proc.stderr:
            raise RSurveyUnavailableError(
                "the R package 'survey' is not installed (Debian: apt-get install r-cran-survey)"
                f": {proc.stderr.strip()}"
            )
        if proc.returncode != 0:
            raise RSurveyError(
                f"{R_SCRIPT.name} failed with exit status {proc.returncode}:\n{proc.stderr}"
            )
        raw = _read_r_output(outfile)

    expected = {"g", "s", *r_names, *(f"se{j + 1}" for j in range(len(measures)))}
    if set(raw.columns) != expected:
        raise RSurveyError(f"unexpected R output columns: {list(raw.columns)}")
    labels = np.append(np.asarray(sector_labels, dtype=object), ALL_SECTOR)
    result = group_keys.iloc[raw["g"].to_numpy()].reset_index(drop=True)
    result["sector"] = pd.Series(labels[raw["s"].to_numpy()], dtype=str)
    for j, m in enumerate(measures):
        result[m] = raw[f"m{j + 1}"].astype("float64").to_numpy()
        result[f"{m}_se"] = raw[f"se{j + 1}"].astype("float64").to_numpy()

    counts = cell_counts(obs, keys)
    merged = counts.merge(result, on=[*keys, "sector"], how="outer", indicator=True)
    if not (merged["_merge"] == "both").all():
        bad = merged.loc[merged["_merge"] != "both", [*keys, "sector", "_merge"]]
        raise RSurveyError(f"R output does not match the design cells:\n{bad}")
    return order_output(merged.drop(columns="_merge"), keys, measures)
