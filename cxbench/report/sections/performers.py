"""Top performers against the rest: NPS, promoters, detractors and grades per group."""

from __future__ import annotations

from cxbench.report.charts.common import BLUE, GREY, LIGHT_BLUE, LegendItem
from cxbench.report.charts.panels import Column, Panel, panels_chart
from cxbench.report.data import BenchmarkData, Row
from cxbench.report.i18n import Locale, capitalise
from cxbench.report.model import DataTable, Figure, Section
from cxbench.report.references import Labels, labels
from cxbench.report.sections.common import slug, suppressed_cell

GROUPS = (("top_performers", BLUE), ("others", LIGHT_BLUE), ("all", GREY))
RATE_MEASURES = ("nps", "pct_promoters", "pct_detractors")


def performer_year(data: BenchmarkData, market: str) -> int | None:
    """The latest year of the market with a top-performer group."""
    years = data.top_performers.values("year", market=market, performer_group="top_performers")
    return years[-1] if years else None


def measures(data: BenchmarkData, market: str, year: int) -> list[str]:
    """Measures the top performers have a cell for (published or suppressed): grades asked only
    of organisations without a recommend question have no top-performer group."""
    present = data.top_performers.values(
        "measure", market=market, year=year, performer_group="top_performers"
    )
    grades = [m.removeprefix("grade_") for m in present if m.startswith("grade_")]
    ordered = Labels.order(labels().aspects, grades)
    return [m for m in RATE_MEASURES if m in present] + [f"grade_{g}" for g in ordered]


def measure_label(loc: Locale, measure: str) -> str:
    if measure.startswith("grade_"):
        return loc.t("measure_grade", aspect=loc.aspect(measure.removeprefix("grade_")))
    return loc.t(f"measure_{measure}")


def measure_value(loc: Locale, measure: str, value: float | None) -> str:
    if measure == "nps":
        return loc.signed(value)
    if measure.startswith("pct_"):
        return loc.percent(value)
    return loc.grade(value)


def performers_section(data: BenchmarkData, loc: Locale) -> Section:
    info = data.info
    percentile = info.get("top_performer_percentile") or 0.75
    blocks: list = [
        loc.t(
            "performers_intro",
            min_answers=info.get("top_performer_min_answers", 30),
            percentile=loc.ordinal(100 * percentile),
            top_share=loc.number(100 * (1 - percentile)),
        )
    ]
    found = False
    for market in data.top_performers.markets():
        year = performer_year(data, market)
        if year is None:
            continue
        found = True
        blocks.append(_headline(data, loc, market, year))
        blocks.append(performers_figure(data, loc, market, year))
    if not found:
        blocks.append(loc.t("performers_none"))
    return Section("performers", loc.t("performers_title"), tuple(blocks))


def _headline(data: BenchmarkData, loc: Locale, market: str, year: int) -> str:
    top = (
        data.top_performers.one(
            market=market, year=year, performer_group="top_performers", measure="nps"
        )
        or {}
    )
    others = (
        data.top_performers.one(market=market, year=year, performer_group="others", measure="nps")
        or {}
    )
    return loc.t(
        "performers_headline",
        market=market,
        year=year,
        orgs=loc.count(top.get("n_organisations")),
        top=measure_value(loc, "nps", top.get("value")),
        others=measure_value(loc, "nps", others.get("value")),
    )


def performers_figure(data: BenchmarkData, loc: Locale, market: str, year: int) -> Figure:
    codes = measures(data, market, year)
    table_rows: list[tuple] = []
    panels = []
    for measure in codes:
        columns = []
        for group, color in GROUPS:
            r: Row = (
                data.top_performers.one(
                    market=market, year=year, performer_group=group, measure=measure
                )
                or {}
            )
            suppressed = bool(r.get("suppressed")) or not r
            columns.append(
                Column(
                    value=r.get("value"),
                    low=r.get("ci_low"),
                    high=r.get("ci_high"),
                    text=measure_value(loc, measure, r.get("value")),
                    color=color,
                    suppressed=suppressed,
                )
            )
            if r:
                table_rows.append(
                    (
                        measure_label(loc, measure),
                        loc.t(f"group_{group}"),
                        suppressed_cell(loc) if suppressed else columns[-1].text,
                        loc.interval(
                            r.get("ci_low"),
                            r.get("ci_high"),
                            0 if not measure.startswith("grade_") else 1,
                            signed=measure == "nps",
                        ),
                        loc.count(r.get("n_respondents")),
                        loc.count(r.get("n_organisations")),
                    )
                )
        is_grade = measure.startswith("grade_")
        panels.append(
            Panel(
                title=capitalise(measure_label(loc, measure)),
                columns=tuple(columns),
                fmt=(lambda v: loc.number(v))
                if is_grade
                else (loc.signed if measure == "nps" else lambda v: loc.percent(v)),
                limits=(0, 10) if is_grade else ((-100, 100) if measure == "nps" else (0, 100)),
                include=(0.0, 10.0) if is_grade else (0.0,),
            )
        )
    groups = [LegendItem(loc.t(f"group_{g}"), c) for g, c in GROUPS]
    title = loc.t("performers_fig_title", market=loc.market(market), year=year)
    description = loc.t(
        "performers_desc",
        values="; ".join(f"{row[0]}, {row[1]}: {row[2]}" for row in table_rows),
    )
    svg = panels_chart(
        slug("top-performers", market, year),
        title,
        description,
        panels,
        groups,
        loc.t("legend_interval"),
        loc.t("suppressed"),
        per_row=4 if len(panels) > 6 else 3,
    )
    table = DataTable(
        headers=(
            loc.t("col_measure"),
            loc.t("col_group"),
            loc.t("col_value"),
            loc.t("col_interval"),
            loc.t("col_respondents"),
            loc.t("col_organisations"),
        ),
        rows=tuple(table_rows),
        numeric_from=2,
    )
    top = (
        data.top_performers.one(
            market=market, year=year, performer_group="top_performers", measure="nps"
        )
        or {}
    )
    everyone = (
        data.top_performers.one(market=market, year=year, performer_group="all", measure="nps")
        or {}
    )
    note = loc.t(
        "performers_note",
        top_orgs=loc.count(top.get("n_organisations")),
        top_n=loc.count(top.get("n_respondents")),
        all_orgs=loc.count(everyone.get("n_organisations")),
        all_n=loc.count(everyone.get("n_respondents")),
    )
    return Figure(slug("top-performers", market, year), title, svg, note, table)
