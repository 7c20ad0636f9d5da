"""The observations behind each published table, derived from respondent rows in pandas.

Written from docs/contract.md §5, §6 and §9 alone, independently of the dbt SQL, so that the
R reference (r_survey.r_domain_means) can be fed the same designs the pipeline should use.
Every frame has market, year, item, sector, organisation_id, respondent_id, weight + measures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

KEYS = ["market", "year", "sector", "organisation_id", "respondent_id", "weight"]


def _share(condition: pd.Series) -> pd.Series:
    return np.where(condition, 100.0, 0.0)


def nps_observations(respondents: pd.DataFrame) -> pd.DataFrame:
    answered = respondents[respondents["recommend"].notna()]
    recommend = answered["recommend"].astype(int)
    return answered[KEYS].assign(
        item="recommend",
        pct_promoters=_share(recommend >= 9),
        pct_passives=_share(recommend.between(7, 8)),
        pct_detractors=_share(recommend <= 6),
        nps=_share(recommend >= 9) - _share(recommend <= 6),
    )


def _long(respondents: pd.DataFrame, prefix: str) -> pd.DataFrame:
    columns = [c for c in respondents.columns if c.startswith(prefix)]
    long = respondents.melt(id_vars=KEYS, value_vars=columns, var_name="item", value_name="answer")
    long = long[long["answer"].notna()].copy()
    long["item"] = long["item"].str.removeprefix(prefix)
    long["answer"] = long["answer"].astype(float)
    return long


def grade_observations(respondents: pd.DataFrame) -> pd.DataFrame:
    long = _long(respondents, "grade_")
    return long.assign(mean_grade=long["answer"], pct_sufficient=_share(long["answer"] >= 5.5))


def touchpoint_observations(respondents: pd.DataFrame) -> pd.DataFrame:
    """Each rating one observation; touchpoint 'ALL' pools every rating of the market-year."""
    long = _long(respondents, "touch_")
    long = long.assign(
        pct_positive=_share(long["answer"] >= 4), pct_negative=_share(long["answer"] <= 2)
    )
    return pd.concat([long, long.assign(item="ALL")], ignore_index=True)


def statement_observations(respondents: pd.DataFrame) -> pd.DataFrame:
    long = _long(respondents, "agree_")
    return long.assign(
        pct_agree=_share(long["answer"] >= 4), pct_disagree=_share(long["answer"] <= 2)
    )


def organisation_nps(respondents: pd.DataFrame) -> pd.DataFrame:
    """Each organisation's own weighted NPS and its number of valid recommend answers."""
    obs = nps_observations(respondents)
    grouped = obs.assign(wy=obs["weight"] * obs["nps"]).groupby(
        ["market", "year", "organisation_id"]
    )
    return pd.DataFrame(
        {"nps": grouped["wy"].sum() / grouped["weight"].sum(), "n_answers": grouped.size()}
    ).reset_index()


def performer_groups(respondents: pd.DataFrame, min_answers: int = 30) -> pd.DataFrame:
    """Top performers: >= min_answers valid answers and NPS >= the 75th percentile (linear)."""
    organisations = organisation_nps(respondents)
    eligible = organisations[organisations["n_answers"] >= min_answers]
    threshold = eligible.groupby(["market", "year"])["nps"].quantile(0.75).rename("threshold")
    organisations = organisations.join(threshold, on=["market", "year"])
    organisations["is_top_performer"] = (organisations["n_answers"] >= min_answers) & (
        organisations["nps"] >= organisations["threshold"]
    )
    return organisations


def performer_observations(respondents: pd.DataFrame) -> pd.DataFrame:
    """One design per measure; the performer group takes the place of the sector."""
    groups = performer_groups(respondents)[
        ["market", "year", "organisation_id", "is_top_performer"]
    ]
    nps = nps_observations(respondents)
    frames = [
        nps[KEYS].assign(item=measure, value=nps[measure])
        for measure in ["nps", "pct_promoters", "pct_passives", "pct_detractors"]
    ]
    grades = grade_observations(respondents)
    frames.append(grades[KEYS].assign(item="grade_" + grades["item"], value=grades["mean_grade"]))
    observations = pd.concat(frames, ignore_index=True).merge(
        groups, on=["market", "year", "organisation_id"], how="left"
    )
    observations["sector"] = np.where(
        observations["is_top_performer"].fillna(False).astype(bool), "top_performers", "others"
    )
    return observations.drop(columns="is_top_performer")


def driver_observations(respondents: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The complete cases of the key-driver model (contract section 9, drivers_by_year).

    The model of a market-year regresses the NPS score (+100 / 0 / -100) on every
    ``grade_<aspect>`` but ``grade_overall`` that a respondent with a recommend answer of that
    market-year graded; its respondents are those with a recommend answer and every such grade.
    Returns the complete cases (KEYS, ``y`` and every aspect column, NaN for an aspect outside
    the market-year's model) and the aspect columns.
    """
    aspects = sorted(
        c for c in respondents.columns if c.startswith("grade_") and c != "grade_overall"
    )
    answered = respondents[respondents["recommend"].notna()]
    frames = []
    for _, rows in answered.groupby(["market", "year"], sort=True):
        in_model = [a for a in aspects if rows[a].notna().any()]
        if not in_model:
            continue
        complete = rows.dropna(subset=in_model)
        recommend = complete["recommend"].astype(int)
        frame = complete[KEYS].assign(y=_share(recommend >= 9) - _share(recommend <= 6))
        for aspect in aspects:
            frame[aspect] = complete[aspect].astype(float) if aspect in in_model else np.nan
        frames.append(frame)
    return pd.concat(frames, ignore_index=True), aspects
