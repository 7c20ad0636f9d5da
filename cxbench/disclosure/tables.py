"""What each public table publishes, as the reader's linear system sees it.

A table is a set of rows (cells). Each cell has measures (estimates on a known scale), a count
that serves as its weight (respondents, or ratings where one respondent rates several contact
moments), coordinates along one or two margins whose total is a published row of the same table
(sector `ALL`; touchpoint `ALL`; performer group `all`) and ties between its own measures
(promoters + passives + detractors = 100, NPS = promoters - detractors, ...). Cells of different
blocks (market x year x item) share no equation, so each block is its own system.

Adding a table is adding a `TableSpec` here: its keys, blocks, margins, weight column and the
measures that are weighted means over the margin. Measures that are not (regression
coefficients, standard errors, importance) are not part of the reader's linear system, but they
are nulled with the cell all the same (cxbench.disclosure.warehouse).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

# docs/contract.md §7: a primary-suppressed cell must not be pinned narrower than this share of
# its measure's scale (dbt var cxbench_protection_level, recorded in publication_info).
DEFAULT_PROTECTION_LEVEL = 0.10

PERCENT = (0.0, 100.0)
NPS = (-100.0, 100.0)
GRADE = (1.0, 10.0)


@dataclass(frozen=True)
class Tie:
    """A linear relation between measures of one cell: sum(coefficient x measure) <sense> rhs.

    `sense` is "==", "<=" or ">=". Ties hold for every respondent, so for every weighted mean
    too, whatever the weights: the reader may use them as hard constraints.
    """

    coefficients: Mapping[str, float]
    sense: str
    rhs: float


@dataclass(frozen=True)
class TableSpec:
    """One public table as the reader's linear system sees it.

    `keys` identify a row; `block` the independent systems; `margins` the (column, total value)
    pairs along which cells add up (respondent- or rating-weighted) to a total row; `weight` the
    count column the reader weights with. Wide tables list their `measures` with their scale;
    long tables (one measure per row) name the `measure_column` and `value_column`, and
    `measure_scale` gives a measure's scale from its name. `tie_key` groups the rows whose
    measures tie (default: the row itself).
    """

    table: str
    keys: tuple[str, ...]
    block: tuple[str, ...]
    margins: tuple[tuple[str, str], ...]
    weight: str
    measures: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    ties: tuple[Tie, ...] = ()
    measure_column: str | None = None
    value_column: str | None = None
    measure_scale: Callable[[str], tuple[float, float]] | None = None
    tie_key: tuple[str, ...] | None = None

    @property
    def long(self) -> bool:
        return self.measure_column is not None

    def scale_of(self, measure: str) -> tuple[float, float]:
        if self.long:
            assert self.measure_scale is not None
            return self.measure_scale(measure)
        return self.measures[measure]

    @property
    def tie_columns(self) -> tuple[str, ...]:
        return self.tie_key or self.keys


SHARES_ADD_UP = Tie({"pct_promoters": 1, "pct_passives": 1, "pct_detractors": 1}, "==", 100)
NPS_IS_PROMOTERS_MINUS_DETRACTORS = Tie(
    {"nps": 1, "pct_promoters": -1, "pct_detractors": 1}, "==", 0
)


def _performer_scale(measure: str) -> tuple[float, float]:
    if measure == "nps":
        return NPS
    if measure.startswith("pct_"):
        return PERCENT
    if measure.startswith("grade_"):
        return GRADE
    raise ValueError(f"top_performers_by_year: unknown measure {measure!r}")


SPECS: dict[str, TableSpec] = {
    spec.table: spec
    for spec in (
        TableSpec(
            "nps_by_sector_year",
            keys=("market", "sector", "year"),
            block=("market", "year"),
            margins=(("sector", "ALL"),),
            weight="n_respondents",
            measures={
                "pct_promoters": PERCENT,
                "pct_passives": PERCENT,
                "pct_detractors": PERCENT,
                "nps": NPS,
            },
            ties=(SHARES_ADD_UP, NPS_IS_PROMOTERS_MINUS_DETRACTORS),
        ),
        TableSpec(
            "grades_by_sector_year",
            keys=("market", "sector", "year", "aspect"),
            block=("market", "year", "aspect"),
            margins=(("sector", "ALL"),),
            weight="n_respondents",
            measures={"mean_grade": GRADE, "pct_sufficient": PERCENT},
            # A sufficient grade is 5.5..10, an insufficient one 1..5.5: with s the share of
            # sufficient grades, 1 + 4.5 s/100 <= mean <= 5.5 + 4.5 s/100.
            ties=(
                Tie({"mean_grade": 1, "pct_sufficient": -0.045}, ">=", 1.0),
                Tie({"mean_grade": 1, "pct_sufficient": -0.045}, "<=", 5.5),
            ),
        ),
        TableSpec(
            "touchpoints_by_sector_year",
            keys=("market", "sector", "year", "touchpoint"),
            block=("market", "year"),
            margins=(("sector", "ALL"), ("touchpoint", "ALL")),
            # Each rating is an observation: the moments pool by ratings into touchpoint ALL,
            # and a moment's ratings are its respondents.
            weight="n_ratings",
            measures={"pct_positive": PERCENT, "pct_negative": PERCENT},
            ties=(Tie({"pct_positive": 1, "pct_negative": 1}, "<=", 100),),
        ),
        TableSpec(
            "statements_by_sector_year",
            keys=("market", "sector", "year", "statement"),
            block=("market", "year", "statement"),
            margins=(("sector", "ALL"),),
            weight="n_respondents",
            measures={"pct_agree": PERCENT, "pct_disagree": PERCENT},
            ties=(Tie({"pct_agree": 1, "pct_disagree": 1}, "<=", 100),),
        ),
        TableSpec(
            "drivers_by_year",
            keys=("market", "sector", "year", "aspect"),
            block=("market", "year", "aspect"),
            margins=(("sector", "ALL"),),
            weight="n_respondents",
            # The mean grade over the regression's complete cases adds up over the sectors like
            # any mean; the coefficients do not (a regression per cell), so they are not here.
            measures={"mean_grade": GRADE},
        ),
        TableSpec(
            "top_performers_by_year",
            keys=("market", "year", "performer_group", "measure"),
            block=("market", "year"),
            margins=(("performer_group", "all"),),
            weight="n_respondents",
            measure_column="measure",
            value_column="value",
            measure_scale=_performer_scale,
            tie_key=("market", "year", "performer_group"),
            ties=(SHARES_ADD_UP, NPS_IS_PROMOTERS_MINUS_DETRACTORS),
        ),
    )
}


def is_primary(reason: object) -> bool:
    """A suppression reason of primary suppression (not `complementary: ...`)."""
    return isinstance(reason, str) and not reason.startswith("complementary")
