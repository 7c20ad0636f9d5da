"""The relationship statements ("Ik voel me welkom", ...): agree / neutral / disagree per year."""

from __future__ import annotations

from cxbench.report.charts.common import BLUE, GREY, ORANGE, LegendItem
from cxbench.report.charts.stacked import Segment, StackRow, stacked_chart
from cxbench.report.data import BenchmarkData, Row
from cxbench.report.i18n import Locale
from cxbench.report.model import DataTable, Figure, Section
from cxbench.report.references import Labels, labels
from cxbench.report.sections.common import (
    change_text,
    n_note,
    short_n,
    slug,
    suppressed_cell,
    suppressed_label,
)

YEARS_SHOWN = 3


def statements_section(data: BenchmarkData, loc: Locale) -> Section:
    blocks: list = [loc.t("statements_intro")]
    for market in data.statements.markets():
        blocks.append(statements_figure(data, loc, market))
    if not data.statements.markets():
        blocks.append(loc.t("no_data"))
    return Section("statements", loc.t("statements_title"), tuple(blocks))


def _neutral(row: Row) -> float:
    return max(0.0, 100.0 - (row["pct_agree"] or 0.0) - (row["pct_disagree"] or 0.0))


def statements_figure(data: BenchmarkData, loc: Locale, market: str) -> Figure:
    years = data.statements.values("year", market=market)[-YEARS_SHOWN:]
    codes = Labels.order(labels().statements, data.statements.values("statement", market=market))
    rows: list[Row] = []
    chart_rows = []
    for code in codes:
        for index, year in enumerate(years):
            r = data.statements.one(market=market, sector="ALL", statement=code, year=year)
            if r is None:
                continue
            rows.append(r)
            chart_rows.append(
                StackRow(
                    label=str(year),
                    heading=loc.statement(code) if index == 0 else "",
                    segments=(
                        Segment(r["pct_disagree"] or 0, ORANGE, loc.percent(r["pct_disagree"])),
                        Segment(_neutral(r), GREY, loc.percent(_neutral(r)), "#1d2433"),
                        Segment(r["pct_agree"] or 0, BLUE, loc.percent(r["pct_agree"])),
                    ),
                    note=short_n(loc, r["n_respondents"], r["n_organisations"]),
                    suppressed=bool(r["suppressed"]),
                    suppressed_text=suppressed_label(loc, r),
                    change=r["change"],
                    significant=bool(r["change_significant"]),
                )
            )
    legend = [
        LegendItem(loc.t("disagree_legend"), ORANGE),
        LegendItem(loc.t("neutral_legend"), GREY),
        LegendItem(loc.t("agree_legend"), BLUE),
    ]
    title = loc.t("statements_fig_title", market=loc.market(market))
    description = loc.t(
        "statements_desc",
        values="; ".join(
            f"{loc.statement(r['statement'])} {r['year']}: {loc.percent(r['pct_agree'])} / "
            f"{loc.percent(r['pct_disagree'])}"
            for r in rows
            if not r["suppressed"]
        ),
    )
    svg = stacked_chart(
        slug("statements", market),
        title,
        description,
        chart_rows,
        legend,
        loc.t("suppressed"),
        change_labels=(loc.t("legend_rise_agree"), loc.t("legend_fall_agree")),
    )
    table = DataTable(
        headers=(
            loc.t("col_statement"),
            loc.t("col_year"),
            loc.t("col_agree"),
            loc.t("col_disagree"),
            loc.t("col_change_agree"),
            loc.t("col_respondents"),
            loc.t("col_organisations"),
        ),
        rows=tuple(
            (
                loc.statement(r["statement"]),
                str(r["year"]),
                suppressed_cell(loc) if r["suppressed"] else loc.percent(r["pct_agree"]),
                loc.percent(r["pct_disagree"]),
                change_text(loc, r["change"], r["change_significant"], loc.signed),
                loc.count(r["n_respondents"]),
                loc.count(r["n_organisations"]),
            )
            for r in rows
        ),
        numeric_from=1,
    )
    latest = [r for r in rows if r["year"] == years[-1]] if years else []
    n_max = max(latest, key=lambda r: r["n_respondents"]) if latest else {}
    note = loc.t(
        "note_latest",
        year=years[-1] if years else "",
        n=n_note(loc, n_max.get("n_respondents"), n_max.get("n_organisations")),
    )
    return Figure(slug("statements", market), title, svg, note, table)
