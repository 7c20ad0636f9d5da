"""What every published table must satisfy, as Great Expectations 1.x expectations.

dbt's tests guard the models while they are built; these suites are the independent last check
on exactly what is about to be published (docs/contract.md §7, §9): value ranges, shares that
add up, intervals around their estimate, disclosure control (suppressed cells hide their
estimates, published cells meet the run's thresholds), unique keys and known sector codes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation
from great_expectations.expectations.row_conditions import Column

from validations.sectors import MARKETS, sectors
from validations.survey_schema import FIRST_PLAUSIBLE_YEAR

MARTS_SCHEMA = "marts"
# Rounding of a sum of doubles: shares add up to 100 within this.
SUM_TOLERANCE = 1e-6
PUBLISHED = Column("suppressed") == False  # noqa: E712 - a GX condition, not a Python comparison
SUPPRESSED = Column("suppressed") == True  # noqa: E712


@dataclass(frozen=True)
class Thresholds:
    """The disclosure thresholds of the run (its dbt vars, recorded in publication_info)."""

    min_respondents: int
    min_organisations: int


@dataclass(frozen=True)
class TableRules:
    """One published table: the query that reads it and the expectations it must meet.

    A `restricted` table names organisations: its Data Docs (which show example values of a
    failed expectation) go to published/restricted/, never to the public published/quality/.
    """

    table: str
    query: str
    expectations: Callable[[Thresholds], list[Expectation]]
    restricted: bool = False


def _between(column: str, low: float | None, high: float | None, **kwargs) -> Expectation:
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high, **kwargs)


def _not_null(*columns: str, **kwargs) -> list[Expectation]:
    return [gxe.ExpectColumnValuesToNotBeNull(column=c, **kwargs) for c in columns]


def _interval(estimate: str, low: str, high: str) -> list[Expectation]:
    """low <= estimate <= high wherever all three are published."""
    return [
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=estimate, column_B=low, or_equal=True, ignore_row_if="either_value_is_missing"
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=high, column_B=estimate, or_equal=True, ignore_row_if="either_value_is_missing"
        ),
    ]


def _sectors_of_each_market(column: str = "sector", total: bool = True) -> list[Expectation]:
    """Sector codes of the sector reference (validations/sectors.py), each in its own market."""
    extra = ["ALL"] if total else []
    return [
        gxe.ExpectColumnValuesToBeInSet(
            column=column,
            value_set=sorted(c for c, s in sectors().items() if s.market == market) + extra,
            row_condition=Column("market") == market,
        )
        for market in MARKETS
    ]


def _cell_table(
    keys: Sequence[str],
    estimates: Sequence[str],
    headline: str,
    thresholds: Thresholds,
    sector: bool = True,
) -> list[Expectation]:
    """What every table of disclosure-controlled cells satisfies."""
    last_year = dt.date.today().year + 1
    expectations: list[Expectation] = [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=list(keys)),
        *_not_null(*keys, "n_respondents", "n_organisations", "suppressed"),
        gxe.ExpectColumnValuesToBeInSet(column="market", value_set=list(MARKETS)),
        _between("year", FIRST_PLAUSIBLE_YEAR, last_year),
        _between("n_respondents", 1, None),
        _between("n_organisations", 1, None),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="n_respondents", column_B="n_organisations", or_equal=True
        ),
        # Disclosure control (docs/contract.md §7).
        _between("n_respondents", thresholds.min_respondents, None, row_condition=PUBLISHED),
        _between("n_organisations", thresholds.min_organisations, None, row_condition=PUBLISHED),
        gxe.ExpectColumnValuesToBeNull(column="suppression_reason", row_condition=PUBLISHED),
        gxe.ExpectColumnValuesToNotBeNull(column="suppression_reason", row_condition=SUPPRESSED),
        gxe.ExpectColumnValuesToNotBeNull(column=headline, row_condition=PUBLISHED),
        *[gxe.ExpectColumnValuesToBeNull(column=e, row_condition=SUPPRESSED) for e in estimates],
    ]
    if sector:
        expectations += _sectors_of_each_market()
    return expectations


def _percentages(*columns: str) -> list[Expectation]:
    return [_between(c, 0, 100) for c in columns]


def _standard_errors(*columns: str) -> list[Expectation]:
    return [_between(c, 0, None) for c in columns]


def _at_most_100(column: str) -> list[Expectation]:
    return [_between(column, None, 100 + SUM_TOLERANCE)]


NPS_ESTIMATES = (
    "pct_promoters",
    "pct_passives",
    "pct_detractors",
    "nps",
    "nps_se",
    "nps_ci_low",
    "nps_ci_high",
    "nps_change",
    "nps_change_significant",
    "pct_promoters_se",
    "pct_passives_se",
    "pct_detractors_se",
)


def nps_by_sector_year(t: Thresholds) -> list[Expectation]:
    return [
        *_cell_table(("market", "sector", "year"), NPS_ESTIMATES, "nps", t),
        _between("nps", -100, 100),
        *_percentages("pct_promoters", "pct_passives", "pct_detractors"),
        *_standard_errors("nps_se", "pct_promoters_se", "pct_passives_se", "pct_detractors_se"),
        *_interval("nps", "nps_ci_low", "nps_ci_high"),
        # gx_ columns are computed by the query: promoters + passives + detractors = 100, and
        # NPS = promoters - detractors, wherever published.
        _between("gx_shares_total", 100 - SUM_TOLERANCE, 100 + SUM_TOLERANCE),
        _between("gx_nps_identity_gap", -SUM_TOLERANCE, SUM_TOLERANCE),
    ]


GRADE_ESTIMATES = (
    "mean_grade",
    "mean_grade_se",
    "ci_low",
    "ci_high",
    "pct_sufficient",
    "pct_sufficient_se",
    "change",
    "change_significant",
)


def grades_by_sector_year(t: Thresholds) -> list[Expectation]:
    return [
        *_cell_table(("market", "sector", "year", "aspect"), GRADE_ESTIMATES, "mean_grade", t),
        _between("mean_grade", 1, 10),
        *_percentages("pct_sufficient"),
        *_standard_errors("mean_grade_se", "pct_sufficient_se"),
        *_interval("mean_grade", "ci_low", "ci_high"),
    ]


TOUCHPOINT_ESTIMATES = (
    "pct_positive",
    "pct_negative",
    "pct_positive_se",
    "pct_negative_se",
    "ci_low",
    "ci_high",
    "change",
    "change_significant",
)


def touchpoints_by_sector_year(t: Thresholds) -> list[Expectation]:
    keys = ("market", "sector", "year", "touchpoint")
    return [
        *_cell_table(keys, TOUCHPOINT_ESTIMATES, "pct_positive", t),
        *_not_null("n_ratings"),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="n_ratings", column_B="n_respondents", or_equal=True
        ),
        *_percentages("pct_positive", "pct_negative"),
        *_standard_errors("pct_positive_se", "pct_negative_se"),
        *_interval("pct_positive", "ci_low", "ci_high"),
        *_at_most_100("gx_shares_total"),
    ]


STATEMENT_ESTIMATES = (
    "pct_agree",
    "pct_disagree",
    "pct_agree_se",
    "pct_disagree_se",
    "ci_low",
    "ci_high",
    "change",
    "change_significant",
)


def statements_by_sector_year(t: Thresholds) -> list[Expectation]:
    keys = ("market", "sector", "year", "statement")
    return [
        *_cell_table(keys, STATEMENT_ESTIMATES, "pct_agree", t),
        *_percentages("pct_agree", "pct_disagree"),
        *_standard_errors("pct_agree_se", "pct_disagree_se"),
        *_interval("pct_agree", "ci_low", "ci_high"),
        *_at_most_100("gx_shares_total"),
    ]


SHARE_MEASURES = ("pct_promoters", "pct_passives", "pct_detractors")
MEASURE_PATTERN = r"^(?:nps|pct_(?:promoters|passives|detractors)|grade_[a-z0-9_]+)$"


def top_performers_by_year(t: Thresholds) -> list[Expectation]:
    keys = ("market", "year", "performer_group", "measure")
    measure = Column("measure")
    return [
        *_cell_table(keys, ("value", "value_se", "ci_low", "ci_high"), "value", t, sector=False),
        gxe.ExpectColumnValuesToBeInSet(
            column="performer_group", value_set=["top_performers", "others", "all"]
        ),
        gxe.ExpectColumnValuesToMatchRegex(column="measure", regex=MEASURE_PATTERN),
        _between("value", -100, 100, row_condition=measure == "nps"),
        _between("value", 0, 100, row_condition=measure.is_in(SHARE_MEASURES)),
        _between("value", 1, 10, row_condition=measure.is_not_in(("nps", *SHARE_MEASURES))),
        *_standard_errors("value_se"),
        *_interval("value", "ci_low", "ci_high"),
    ]


DRIVER_ESTIMATES = (
    "coefficient",
    "coefficient_se",
    "p_value",
    "importance",
    "mean_grade",
    "mean_grade_se",
    "degrees_of_freedom",
)


def drivers_by_year(t: Thresholds) -> list[Expectation]:
    keys = ("market", "sector", "year", "aspect")
    return [
        *_cell_table(keys, DRIVER_ESTIMATES, "mean_grade", t),
        _between("mean_grade", 1, 10),
        _between("p_value", 0, 1),
        _between("degrees_of_freedom", 1, None),
        *_standard_errors("coefficient_se", "mean_grade_se"),
    ]


def publication_info(t: Thresholds) -> list[Expectation]:
    return [
        gxe.ExpectTableRowCountToEqual(value=1),
        *_not_null("published_at", "edition", "n_files", "min_respondents", "min_organisations"),
        _between("min_respondents", 1, None),
        _between("min_organisations", 1, None),
        _between("max_organisation_share", 0, 1),
        _between("protection_level", 0, 1),
        _between("z_value", 0, None, strict_min=True),
        _between("top_performer_percentile", 0, 1),
        _between("n_files", 0, None),
    ]


def organisation_positions(t: Thresholds) -> list[Expectation]:
    """Restricted output: no disclosure control, but the same ranges, keys and sectors."""
    return [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["market", "year", "organisation_id"]),
        *_not_null("organisation_id", "market", "sector", "year", "n_respondents"),
        gxe.ExpectColumnValuesToBeInSet(column="market", value_set=list(MARKETS)),
        *_sectors_of_each_market(total=False),
        _between("n_respondents", 1, None),
        _between("nps", -100, 100),
        *_standard_errors("nps_se"),
        *_interval("nps", "nps_ci_low", "nps_ci_high"),
        *_percentages("sector_percentile", "market_percentile"),
    ]


def organisation_grades(t: Thresholds) -> list[Expectation]:
    """Restricted output: an organisation's own grades, no disclosure control."""
    keys = ["market", "year", "organisation_id", "sector", "aspect"]
    return [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=keys),
        *_not_null(*keys, "n_respondents", "mean_grade"),
        gxe.ExpectColumnValuesToBeInSet(column="market", value_set=list(MARKETS)),
        *_sectors_of_each_market(total=False),
        _between("n_respondents", 1, None),
        _between("mean_grade", 1, 10),
    ]


def _select(table: str, derived: str = "") -> str:
    extra = f", {derived}" if derived else ""
    return f"select *{extra} from {MARTS_SCHEMA}.{table}"


TABLES: tuple[TableRules, ...] = (
    TableRules(
        "nps_by_sector_year",
        _select(
            "nps_by_sector_year",
            "pct_promoters + pct_passives + pct_detractors as gx_shares_total, "
            "nps - (pct_promoters - pct_detractors) as gx_nps_identity_gap",
        ),
        nps_by_sector_year,
    ),
    TableRules("grades_by_sector_year", _select("grades_by_sector_year"), grades_by_sector_year),
    TableRules(
        "touchpoints_by_sector_year",
        _select("touchpoints_by_sector_year", "pct_positive + pct_negative as gx_shares_total"),
        touchpoints_by_sector_year,
    ),
    TableRules(
        "statements_by_sector_year",
        _select("statements_by_sector_year", "pct_agree + pct_disagree as gx_shares_total"),
        statements_by_sector_year,
    ),
    TableRules("top_performers_by_year", _select("top_performers_by_year"), top_performers_by_year),
    TableRules("drivers_by_year", _select("drivers_by_year"), drivers_by_year),
    TableRules("publication_info", _select("publication_info"), publication_info),
    TableRules(
        "organisation_positions",
        _select("organisation_positions"),
        organisation_positions,
        restricted=True,
    ),
    TableRules(
        "organisation_grades",
        _select("organisation_grades"),
        organisation_grades,
        restricted=True,
    ),
)
PUBLIC_RULES = tuple(rules for rules in TABLES if not rules.restricted)
RESTRICTED_RULES = tuple(rules for rules in TABLES if rules.restricted)
