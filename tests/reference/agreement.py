"""Every published figure of a publication against R ``survey`` (one ``Rscript`` for all of it).

For respondent rows (the canonical frame a benchmark is made of) this derives each table's
observations independently of the dbt SQL (:mod:`.observations`), has R compute every design's
domain estimates (:func:`.r_survey.r_domain_means`, all tables and measures in one R process) and
compares them with what a publication holds:

- the cells: the same market x year x item x sector (or performer group) cells, with the same
  n_organisations, n_respondents (distinct) and, for touchpoints, n_ratings;
- every published estimate and standard error equals R's to ``RTOL`` relative (``ATOL`` absolute
  for values that are 0: R leaves rounding noise where the exact value is 0);
- a cell whose answers are all equal publishes exactly that value with a standard error of
  exactly 0 (a share where every answer qualifies is exactly 100, none exactly 0);
- every estimate and interval bound lies on its measure's scale, and the bounds are
  estimate -/+ z x se clipped to it;
- suppressed cells publish no estimate;
- the restricted organisation_positions: one row per organisation x sector x market x year with
  the organisation's own NPS and se (R: ``svyby(~nps, ~sector, svydesign(ids = ~1, weights =
  ~weight, data = organisation_rows), svymean)``) and its top-performer status.

Top performers are decided here in exact rational arithmetic (organisations' NPS and the 75th
percentile with linear interpolation), so that organisations tied with the threshold are judged
on their true NPS, not on rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from . import observations as obs
from .r_survey import ALL_SECTOR, r_domain_means

RTOL = 1e-9
ATOL = 1e-11
KEYS = ["market", "year", "item", "sector"]
DESIGN = ["table", "market", "year", "item", "measure"]
Z = 1.96

NPS_SCALE, SHARE_SCALE, GRADE_SCALE = (-100.0, 100.0), (0.0, 100.0), (1.0, 10.0)


@dataclass(frozen=True)
class Measure:
    name: str
    scale: tuple[float, float]
    interval: tuple[str, str] | None = None  # (low, high) columns of its confidence interval


@dataclass(frozen=True)
class TableSpec:
    derive: object  # respondents -> observations
    item_column: str | None  # the published column holding the item (None: always recommend)
    measures: tuple[Measure, ...]


TABLES: dict[str, TableSpec] = {
    "nps_by_sector_year": TableSpec(
        obs.nps_observations,
        None,
        (
            Measure("pct_promoters", SHARE_SCALE),
            Measure("pct_passives", SHARE_SCALE),
            Measure("pct_detractors", SHARE_SCALE),
            Measure("nps", NPS_SCALE, ("nps_ci_low", "nps_ci_high")),
        ),
    ),
    "grades_by_sector_year": TableSpec(
        obs.grade_observations,
        "aspect",
        (
            Measure("mean_grade", GRADE_SCALE, ("ci_low", "ci_high")),
            Measure("pct_sufficient", SHARE_SCALE),
        ),
    ),
    "touchpoints_by_sector_year": TableSpec(
        obs.touchpoint_observations,
        "touchpoint",
        (
            Measure("pct_positive", SHARE_SCALE, ("ci_low", "ci_high")),
            Measure("pct_negative", SHARE_SCALE),
        ),
    ),
    "statements_by_sector_year": TableSpec(
        obs.statement_observations,
        "statement",
        (
            Measure("pct_agree", SHARE_SCALE, ("ci_low", "ci_high")),
            Measure("pct_disagree", SHARE_SCALE),
        ),
    ),
}
PERFORMERS = "top_performers_by_year"
POSITIONS = "organisation_positions"


def measure_scale(measure: str) -> tuple[float, float]:
    """The scale of a top_performers_by_year measure."""
    if measure == "nps":
        return NPS_SCALE
    return SHARE_SCALE if measure.startswith("pct_") else GRADE_SCALE


# --- top performers, exactly ------------------------------------------------------------------


def _exact(value: float) -> Fraction:
    return Fraction(float(value))


def exact_performer_groups(
    respondents: pd.DataFrame, min_answers: int, percentile: float = 0.75
) -> pd.DataFrame:
    """Per market x year x organisation: answers, exact NPS and whether it is a top performer."""
    nps = obs.nps_observations(respondents)
    records = []
    for (market, year, organisation), rows in nps.groupby(
        ["market", "year", "organisation_id"], sort=True
    ):
        weights = [_exact(w) for w in rows["weight"]]
        scores = [_exact(s) for s in rows["nps"]]
        value = sum((w * s for w, s in zip(weights, scores, strict=True)), Fraction(0)) / sum(
            weights, Fraction(0)
        )
        records.append((market, year, organisation, len(rows), value))
    groups = pd.DataFrame(records, columns=["market", "year", "organisation_id", "n", "nps"])
    groups["is_top_performer"] = False
    p = Fraction(percentile)
    for _, members in groups.groupby(["market", "year"]):
        eligible = members[members["n"] >= min_answers]
        if eligible.empty:
            continue
        values = sorted(eligible["nps"])
        position = p * (len(values) - 1)
        j = int(position)
        threshold = values[j]
        if j + 1 < len(values):
            threshold += (position - j) * (values[j + 1] - values[j])
        top = eligible.index[[v >= threshold for v in eligible["nps"]]]
        groups.loc[top, "is_top_performer"] = True
    return groups


def performer_observations(respondents: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """One design per measure; the performer group takes the place of the sector."""
    nps = obs.nps_observations(respondents)
    frames = [
        nps[obs.KEYS].assign(item=m, value=nps[m])
        for m in ["nps", "pct_promoters", "pct_passives", "pct_detractors"]
    ]
    grades = obs.grade_observations(respondents)
    frames.append(
        grades[obs.KEYS].assign(item="grade_" + grades["item"], value=grades["mean_grade"])
    )
    observations = pd.concat(frames, ignore_index=True).merge(
        groups[["market", "year", "organisation_id", "is_top_performer"]],
        on=["market", "year", "organisation_id"],
        how="left",
        validate="many_to_one",
    )
    # Organisations without a recommend answer cannot be eligible: others.
    top = observations["is_top_performer"].astype("boolean").fillna(False).astype(bool)
    observations["sector"] = np.where(top, "top_performers", "others")
    return observations.drop(columns="is_top_performer")


# --- the reference ----------------------------------------------------------------------------


def _long(table: str, observations: pd.DataFrame, measures: list[str]) -> pd.DataFrame:
    columns = ["market", "year", "item", "sector", "organisation_id", "respondent_id", "weight"]
    return pd.concat(
        [
            observations[columns].assign(table=table, measure=m, value=observations[m])
            for m in measures
        ],
        ignore_index=True,
    )


def _cells(long: pd.DataFrame) -> pd.DataFrame:
    """Per design x domain: distinct respondents, the largest organisation, min and max answer."""
    both = pd.concat([long, long.assign(sector=ALL_SECTOR)], ignore_index=True)
    keys = [*DESIGN, "sector"]
    per_org = both.groupby([*keys, "organisation_id"])["respondent_id"].nunique()
    sizes = per_org.groupby(keys).agg(["sum", "max"])
    sizes.columns = ["n_distinct_respondents", "largest_organisation"]
    values = both.groupby(keys)["value"].agg(["min", "max"])
    values.columns = ["value_min", "value_max"]
    return sizes.join(values).reset_index()


def reference(respondents: pd.DataFrame, top_min_answers: int) -> pd.DataFrame:
    """R's estimate and se of every design x domain of every table, with the cells' counts."""
    parts = []
    for table, spec in TABLES.items():
        observations = spec.derive(respondents)
        if len(observations):
            parts.append(_long(table, observations, [m.name for m in spec.measures]))
    groups = exact_performer_groups(respondents, top_min_answers)
    performers = performer_observations(respondents, groups)
    if len(performers):
        parts.append(_long(PERFORMERS, performers, ["value"]))
    nps = obs.nps_observations(respondents)
    if len(nps):
        # Each organisation on its own (svydesign(ids = ~1)): respondents are the units, its
        # sectors the domains.
        own = nps.assign(item=nps["organisation_id"], organisation_id=nps["respondent_id"])
        parts.append(_long(POSITIONS, own, ["nps"]))
    long = pd.concat(parts, ignore_index=True)
    estimates = r_domain_means(long, ["value"], design_by=DESIGN)
    merged = estimates.merge(_cells(long), on=[*DESIGN, "sector"], validate="one_to_one")
    return merged


# --- comparing --------------------------------------------------------------------------------


@dataclass
class Problems:
    """What does not hold, in words (at most a few examples per kind)."""

    found: list[str]

    def add(self, what: str, rows: pd.DataFrame, columns: list[str], limit: int = 3) -> None:
        if len(rows):
            shown = rows[columns].head(limit).to_dict("records")
            self.found.append(f"{what}: {len(rows)} rows, e.g. {shown}")

    def __bool__(self) -> bool:
        return bool(self.found)

    def __str__(self) -> str:
        return "\n".join(self.found)


def close(actual: pd.Series, expected: pd.Series) -> np.ndarray:
    """Equal to RTOL relative, ATOL absolute; both missing counts as equal."""
    a = actual.astype("float64").to_numpy()
    e = expected.astype("float64").to_numpy()
    both_missing = np.isnan(a) & np.isnan(e)
    with np.errstate(invalid="ignore"):
        near = np.abs(a - e) <= RTOL * np.abs(e) + ATOL
    return both_missing | near


def _published_cells(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    if table == PERFORMERS:
        frame = frame.rename(columns={"measure": "item", "performer_group": "sector"})
        return frame.assign(sector=frame["sector"].replace({"all": ALL_SECTOR}))
    item_column = TABLES[table].item_column
    if item_column is None:
        return frame.assign(item="recommend")
    return frame.rename(columns={item_column: "item"})


def compare_cells(
    table: str, published: pd.DataFrame, expected: pd.DataFrame, problems: Problems
) -> int:
    """One public table against the reference; returns the number of estimates compared."""
    cells = _published_cells(table, published)
    if table == PERFORMERS:
        measures = [Measure("value", (0, 0), ("ci_low", "ci_high"))]
    else:
        measures = list(TABLES[table].measures)
    wide = _wide(expected[expected["table"] == table], [m.name for m in measures])
    dup = cells[cells.duplicated(KEYS, keep=False)]
    problems.add(f"{table}: duplicated keys", dup, KEYS)
    merged = cells.merge(wide, on=KEYS, how="outer", indicator=True, suffixes=("", "_ref"))
    problems.add(
        f"{table}: cells published or expected only on one side",
        merged[merged["_merge"] != "both"],
        [*KEYS, "_merge"],
    )
    merged = merged[merged["_merge"] == "both"]
    problems.add(
        f"{table}: n_organisations differs from the respondent rows",
        merged[merged["n_organisations"] != merged["n_organisations_ref"]],
        [*KEYS, "n_organisations", "n_organisations_ref"],
    )
    problems.add(
        f"{table}: n_respondents differs from the distinct respondents",
        merged[merged["n_respondents"] != merged["n_distinct_respondents"]],
        [*KEYS, "n_respondents", "n_distinct_respondents"],
    )
    if table == "touchpoints_by_sector_year":
        problems.add(
            f"{table}: n_ratings differs from the ratings",
            merged[merged["n_ratings"] != merged["n_observations"]],
            [*KEYS, "n_ratings", "n_observations"],
        )
    shown = merged[~merged["suppressed"].astype(bool)]
    hidden = merged[merged["suppressed"].astype(bool)]
    compared = 0
    for m in measures:
        name = m.name
        se = f"{name}_se"
        for column in (name, se):
            bad = ~close(shown[column], shown[f"{column}_r"])
            problems.add(
                f"{table}: {column} differs from R survey",
                shown[bad],
                [*KEYS, column, f"{column}_r"],
            )
            problems.add(
                f"{table}: suppressed cell publishes {column}",
                hidden[hidden[column].notna()],
                [*KEYS, column],
            )
            compared += int(shown[column].notna().sum())
        low_high = (
            shown["item"].map(measure_scale).tolist()
            if table == PERFORMERS
            else [m.scale] * len(shown)
        )
        low = pd.Series([s[0] for s in low_high], index=shown.index, dtype="float64")
        high = pd.Series([s[1] for s in low_high], index=shown.index, dtype="float64")
        estimate = shown[name].astype("float64")
        problems.add(
            f"{table}: {name} off its scale",
            shown[(estimate < low) | (estimate > high)],
            [*KEYS, name],
        )
        exact = shown[shown[f"{name}_min"] == shown[f"{name}_max"]]
        problems.add(
            f"{table}: {name} of a cell whose answers are all equal is not exactly that answer",
            exact[exact[name] != exact[f"{name}_min"]],
            [*KEYS, name, f"{name}_min"],
        )
        problems.add(
            f"{table}: {se} of a cell whose answers are all equal is not exactly 0",
            exact[exact[se].notna() & (exact[se] != 0)],
            [*KEYS, se],
        )
        if m.interval is not None:
            lo, hi = m.interval
            expected_low = np.maximum(estimate - Z * shown[se], low)
            expected_high = np.minimum(estimate + Z * shown[se], high)
            for column, value in ((lo, expected_low), (hi, expected_high)):
                bad = ~close(shown[column], value)
                problems.add(
                    f"{table}: {column} is not the estimate -/+ z x se clipped to the scale",
                    shown[bad].assign(expected=value[bad]),
                    [*KEYS, name, se, column, "expected"],
                )
            problems.add(
                f"{table}: interval bound off the scale",
                shown[(shown[lo] < low) | (shown[hi] > high)],
                [*KEYS, lo, hi],
            )
    return compared


def _wide(long: pd.DataFrame, measures: list[str]) -> pd.DataFrame:
    """Reference rows of one table, one row per cell with <m>_r, <m>_se_r, <m>_min, <m>_max."""
    base = [*KEYS, "n_observations", "n_organisations", "n_distinct_respondents"]
    out = None
    for m in measures:
        part = long[long["measure"] == m].rename(
            columns={
                "value": f"{m}_r",
                "value_se": f"{m}_se_r",
                "value_min": f"{m}_min",
                "value_max": f"{m}_max",
            }
        )[[*base, f"{m}_r", f"{m}_se_r", f"{m}_min", f"{m}_max", "largest_organisation"]]
        out = (
            part
            if out is None
            else out.merge(
                part.drop(columns="largest_organisation"), on=base, validate="one_to_one"
            )
        )
    assert out is not None
    return out.rename(columns={"n_organisations": "n_organisations_ref"})


def compare_positions(
    positions: pd.DataFrame,
    expected: pd.DataFrame,
    groups: pd.DataFrame,
    problems: Problems,
) -> int:
    """organisation_positions: keys unique, own NPS and se equal to R, top performers exact."""
    keys = ["market", "year", "organisation_id", "sector"]
    problems.add(
        "organisation_positions: duplicated keys",
        positions[positions.duplicated(keys, keep=False)],
        keys,
    )
    own = expected[(expected["table"] == POSITIONS) & (expected["sector"] != ALL_SECTOR)]
    own = own.rename(columns={"item": "organisation_id", "value": "nps_r", "value_se": "nps_se_r"})[
        [*keys, "nps_r", "nps_se_r", "n_observations", "value_min", "value_max"]
    ]
    merged = positions.merge(own, on=keys, how="outer", indicator=True)
    problems.add(
        "organisation_positions: rows published or expected only on one side",
        merged[merged["_merge"] != "both"],
        [*keys, "_merge"],
    )
    merged = merged[merged["_merge"] == "both"]
    problems.add(
        "organisation_positions: n_respondents differs",
        merged[merged["n_respondents"] != merged["n_observations"]],
        [*keys, "n_respondents", "n_observations"],
    )
    for column in ("nps", "nps_se"):
        bad = ~close(merged[column], merged[f"{column}_r"])
        problems.add(
            f"organisation_positions: {column} differs from R survey",
            merged[bad],
            [*keys, column, f"{column}_r"],
        )
    problems.add(
        "organisation_positions: nps off the scale or interval off the scale",
        merged[
            (merged["nps"].abs() > 100)
            | (merged["nps_ci_low"] < -100)
            | (merged["nps_ci_high"] > 100)
        ],
        [*keys, "nps", "nps_ci_low", "nps_ci_high"],
    )
    constant = merged[merged["value_min"] == merged["value_max"]]
    problems.add(
        "organisation_positions: constant answers but nps not exactly that or se not 0",
        constant[
            (constant["nps"] != constant["value_min"])
            | (constant["nps_se"].notna() & (constant["nps_se"] != 0))
        ],
        [*keys, "nps", "nps_se"],
    )
    flags = positions.merge(
        groups[["market", "year", "organisation_id", "is_top_performer"]],
        on=["market", "year", "organisation_id"],
        how="left",
        suffixes=("", "_exact"),
    )
    problems.add(
        "organisation_positions: is_top_performer differs from the exact rule",
        flags[flags["is_top_performer"] != flags["is_top_performer_exact"]],
        [*keys, "is_top_performer", "is_top_performer_exact"],
    )
    return 2 * len(merged)


def compare_publication(
    respondents: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    positions: pd.DataFrame,
    top_min_answers: int,
) -> tuple[Problems, int]:
    """Every public table in `tables` and the restricted positions against R survey."""
    problems = Problems([])
    expected = reference(respondents, top_min_answers)
    compared = 0
    for table in [*TABLES, PERFORMERS]:
        compared += compare_cells(table, tables[table], expected, problems)
    groups = exact_performer_groups(respondents, top_min_answers)
    compared += compare_positions(positions, expected, groups, problems)
    return problems, compared


def read_positions(home: Path) -> pd.DataFrame:
    return pd.read_parquet(home / "published" / "restricted" / "organisation_positions.parquet")
