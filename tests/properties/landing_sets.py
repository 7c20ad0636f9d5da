"""Random *valid* landing sets (canonical CSV, format v1, docs/contract.md §3) for property tests.

Written from the contract alone, not from the pipeline's code: the shapes a research firm's
deliveries really take, with the extremes that make unusual, not wrong, data:

- every answer the best or the worst (all promoters, all detractors, all grades 10 or 1), every
  answer qualifying (all grades sufficient with decimals), one constant answer;
- one organisation in a market-year, one-respondent studies, organisations missing years, a
  sector present in one year only;
- weights from 0.01 to 1,000 (log-uniform, two extremes mixed, constant, or no weight column);
- an item nobody answered in a year (its column absent, or present and empty), missing answers
  everywhere;
- organisations spanning sectors (a conglomerate's divisions, a per-respondent sector column),
  sector names written as codes or as their Dutch or English labels;
- a re-delivery: a later file of the same organisation x year supersedes the earlier one;
- odd but valid organisation codes (spaces, punctuation, accents, a comma inside quotes).

The hypothesis strategy draws a compact `LandingSet` (its repr is what hypothesis prints for a
failing example); the answers of each study come from a numpy generator seeded by the drawn
study, so an example is small to print and exactly reproducible. `LandingSet.write` writes the
files; `LandingSet.respondents` is the canonical frame the benchmark must be made of (sector codes,
weight 1 where none was given, the superseded delivery left out).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from validations.sectors import MARKETS, sectors

# Items every study may carry: (column, kind). Kinds set the scale and the extremes.
ITEMS: tuple[tuple[str, str], ...] = (
    ("recommend", "recommend"),
    ("grade_overall", "grade"),
    ("grade_customer_service", "grade"),
    ("touch_payment", "touch"),
    ("touch_complaint", "touch"),
    ("agree_welcome", "agree"),
)
SCALES = {"recommend": (0, 10), "grade": (1, 10), "touch": (1, 5), "agree": (1, 5)}

# How one study answers one item. `absent`: the column is not in the file; `empty`: it is, but
# nobody answered; `sparse`: most answers missing; `best` / `worst`: every answer the scale's
# end; `high`: every answer qualifying (promoter, sufficient grade with decimals, positive or
# agreeing); `low`: every answer the other side (detractor, insufficient grade, negative).
ANSWER_PROFILES = (
    "random",
    "best",
    "worst",
    "high",
    "low",
    "constant",
    "sparse",
    "empty",
    "absent",
)
WEIGHT_PROFILES = ("absent", "ones", "loguniform", "extremes", "constant", "empty")
SPELLINGS = ("code", "label_nl", "label_en")
ORGANISATION_CODES = (
    "ORG1",
    "ORG2",
    "org-3",
    "Acme B.V.",
    "Acme, Inc.",
    "ÖRG 6",
    "7",
    "b2b/x_8",
)
# Disclosure and top-performer settings (dbt vars): loose ones under which small generated sets
# publish every cell (every figure compared with R; drawn half of the time, and what a failing
# example shrinks to), a middle ground, and the contract's defaults (suppression at work).
THRESHOLDS = (
    {"min_respondents": 1, "min_organisations": 1, "max_share": 1.0, "top_min_answers": 1},
    {"min_respondents": 5, "min_organisations": 2, "max_share": 0.8, "top_min_answers": 5},
    {"min_respondents": 30, "min_organisations": 3, "max_share": 0.5, "top_min_answers": 30},
)
THRESHOLD_DRAWS = (0, 0, 1, 2)


@dataclass(frozen=True)
class Division:
    """Part of an organisation's respondents in a sector (of a market)."""

    market: str
    sector: str


@dataclass(frozen=True)
class Study:
    """One delivery: an organisation's respondents in one year."""

    organisation_id: str
    year: int
    n: int
    divisions: tuple[Division, ...]  # the first is the organisation's own sector
    answers: tuple[tuple[str, str], ...]  # (item column, profile)
    weights: str
    spelling: str
    seed: int

    def frame(self) -> pd.DataFrame:
        """The study's rows as delivered (strings as the CSV holds them, '' for empty)."""
        rng = np.random.default_rng(self.seed)
        n = self.n
        if len(self.divisions) == 1:
            division = np.zeros(n, dtype=int)
        else:
            share = rng.uniform(0.1, 0.9)
            division = (rng.random(n) < share).astype(int)
        reference = sectors()
        columns: dict[str, list[str]] = {
            "respondent_id": [f"R{i + 1}" for i in range(n)],
            "organisation_id": [self.organisation_id] * n,
            "sector": [
                _spelled(reference[self.divisions[d].sector], self.spelling) for d in division
            ],
            "market": [self.divisions[d].market for d in division],
            "year": [str(self.year)] * n,
        }
        for column, profile in self.answers:
            if profile == "absent":
                continue
            kind = dict(ITEMS)[column]
            columns[column] = [_text(v) for v in _answers(kind, profile, n, rng)]
        if self.weights != "absent":
            columns["weight"] = [_text(v) for v in _weights(self.weights, n, rng)]
        return pd.DataFrame(columns)

    def canonical(self) -> pd.DataFrame:
        """The rows as the benchmark must read them: numbers, sector codes, weight 1 if none."""
        frame = self.frame()
        codes = {_spelled(reference, self.spelling): code for code, reference in sectors().items()}
        out = frame.assign(
            sector=frame["sector"].map(codes),
            year=frame["year"].astype("int64"),
        )
        for column, _ in ITEMS:
            if column in out.columns:
                out[column] = pd.to_numeric(out[column].replace("", np.nan), errors="raise")
            else:
                out[column] = np.nan
        if "weight" in out.columns:
            out["weight"] = pd.to_numeric(out["weight"].replace("", np.nan)).fillna(1.0)
        else:
            out["weight"] = 1.0
        return out.astype({"weight": "float64"})


@dataclass(frozen=True)
class LandingSet:
    """Deliveries in the order they arrive; the last delivery of an organisation x year counts."""

    studies: tuple[Study, ...]
    thresholds: int  # index into THRESHOLDS

    @property
    def settings(self) -> dict[str, float]:
        return THRESHOLDS[self.thresholds]

    def dbt_vars(self) -> list[str]:
        """`cxbench run --var` arguments for the drawn thresholds (all of them, every run)."""
        s = self.settings
        return [
            f"cxbench_min_respondents={s['min_respondents']}",
            f"cxbench_min_organisations={s['min_organisations']}",
            f"cxbench_max_organisation_share={s['max_share']}",
            f"cxbench_top_performer_min_answers={s['top_min_answers']}",
        ]

    def counted(self) -> list[Study]:
        """The studies the benchmark is made of: each organisation x year's last delivery."""
        last: dict[tuple[str, int], Study] = {}
        for study in self.studies:
            last[(study.organisation_id, study.year)] = study
        return list(last.values())

    def respondents(self) -> pd.DataFrame:
        return pd.concat([s.canonical() for s in self.counted()], ignore_index=True)

    def write(self, landing: Path) -> list[Path]:
        """One CSV per delivery, modified one second apart in delivery order."""
        landing.mkdir(parents=True, exist_ok=True)
        written = []
        for i, study in enumerate(self.studies):
            path = landing / f"delivery_{i:03d}.csv"
            study.frame().to_csv(path, index=False)
            os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
            written.append(path)
        return written


def _spelled(sector, spelling: str) -> str:
    return {"code": sector.code, "label_nl": sector.label_nl, "label_en": sector.label_en}[spelling]


def _text(value: float) -> str:
    """A CSV cell: '' for missing, whole numbers without a decimal point, else repr (exact)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def _answers(kind: str, profile: str, n: int, rng: np.random.Generator) -> np.ndarray:
    low, high = SCALES[kind]
    if kind == "grade":
        # Grades with one or two decimals, around the 5.5 boundary too.
        def draw(a: float, b: float, size: int) -> np.ndarray:
            decimals = rng.choice([0, 1, 2], size=size)
            values = rng.uniform(a, b, size=size)
            return np.clip(
                np.array([round(v, d) for v, d in zip(values, decimals, strict=True)]), a, b
            )
    else:

        def draw(a: float, b: float, size: int) -> np.ndarray:
            return rng.integers(int(np.ceil(a)), int(np.floor(b)) + 1, size=size).astype(float)

    qualifying = {"recommend": (9, 10), "grade": (5.5, 10), "touch": (4, 5), "agree": (4, 5)}[kind]
    other = {"recommend": (0, 6), "grade": (1, 5.49), "touch": (1, 2), "agree": (1, 2)}[kind]
    if profile == "random":
        values = draw(low, high, n)
        values[rng.random(n) < 0.2] = np.nan
    elif profile == "best":
        values = np.full(n, float(high))
    elif profile == "worst":
        values = np.full(n, float(low))
    elif profile == "high":
        values = draw(*qualifying, n)
    elif profile == "low":
        values = draw(*other, n)
    elif profile == "constant":
        values = np.full(n, draw(low, high, 1)[0])
    elif profile == "sparse":
        values = draw(low, high, n)
        values[rng.random(n) < 0.85] = np.nan
    elif profile == "empty":
        values = np.full(n, np.nan)
    else:
        raise ValueError(profile)
    return values


def _weights(profile: str, n: int, rng: np.random.Generator) -> np.ndarray:
    if profile == "ones":
        return np.ones(n)
    if profile == "loguniform":
        return 10.0 ** rng.uniform(-2, 3, n)
    if profile == "extremes":
        return np.where(rng.random(n) < 0.5, 0.01, 1000.0)
    if profile == "constant":
        return np.full(n, 10.0 ** rng.uniform(-2, 3))
    if profile == "empty":
        return np.full(n, np.nan)  # the column is there, every cell empty: weight 1
    raise ValueError(profile)


@st.composite
def landing_sets(draw: st.DrawFn) -> LandingSet:
    """A landing set of 1-2 markets, 1-3 consecutive years, 1-5 organisations per market."""
    markets = sorted(draw(st.sets(st.sampled_from(MARKETS), min_size=1)))
    first_year = draw(st.integers(2015, 2024))
    years = list(range(first_year, first_year + draw(st.integers(1, 3))))
    # Per year, items nobody answered (every study of the year leaves them absent or empty).
    silent = {
        year: draw(st.sets(st.sampled_from([c for c, _ in ITEMS]), max_size=2)) for year in years
    }
    sectors_of = {
        market: draw(
            st.lists(
                st.sampled_from(sorted(c for c, s in sectors().items() if s.market == market)),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
        for market in markets
    }
    all_divisions = [Division(m, s) for m in markets for s in sectors_of[m]]
    codes = iter(draw(st.permutations(ORGANISATION_CODES)))
    studies: list[Study] = []
    for market in markets:
        for _ in range(draw(st.integers(1, 5))):
            organisation = next(codes, None)
            if organisation is None:
                break
            home = Division(market, draw(st.sampled_from(sectors_of[market])))
            # A conglomerate: some respondents in another sector (of either market).
            other = draw(st.none() | st.sampled_from(all_divisions))
            divisions = (home,) if other is None or other == home else (home, other)
            present = draw(st.lists(st.sampled_from(years), min_size=1, unique=True))
            for year in sorted(present):
                studies.append(draw(_study(organisation, year, divisions, silent[year])))
    # A re-delivery: a later file of one study replaces the first (its answers differ).
    if studies and draw(st.booleans()):
        again = draw(st.sampled_from(studies))
        replacement = draw(_study(again.organisation_id, again.year, again.divisions, set()))
        studies.append(replacement)
    return LandingSet(tuple(studies), draw(st.sampled_from(THRESHOLD_DRAWS)))


@st.composite
def _study(
    draw: st.DrawFn,
    organisation: str,
    year: int,
    divisions: tuple[Division, ...],
    silent: set[str],
) -> Study:
    n = draw(st.one_of(st.just(1), st.integers(1, 4), st.integers(5, 60)))
    answers = []
    for column, _ in ITEMS:
        profile = draw(st.sampled_from(ANSWER_PROFILES))
        if column in silent:
            profile = draw(st.sampled_from(["absent", "empty"]))
        answers.append((column, profile))
    return Study(
        organisation_id=organisation,
        year=year,
        n=n,
        divisions=divisions,
        answers=tuple(answers),
        weights=draw(st.sampled_from(WEIGHT_PROFILES)),
        spelling=draw(st.sampled_from(SPELLINGS)),
        seed=draw(st.integers(0, 2**32 - 1)),
    )
