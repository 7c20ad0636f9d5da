"""Net Promoter Score: the trend per market, sectors ranked, and promoters / passives /
detractors per sector."""

from __future__ import annotations

from cxbench.report.charts.common import BLUE, GREY, ORANGE, LegendItem
from cxbench.report.charts.ranking import RankHeaders, RankRow, ranking_chart
from cxbench.report.charts.stacked import Segment, StackRow, stacked_chart
from cxbench.report.charts.trend import Series, TrendLabels, TrendPoint, trend_chart
from cxbench.report.data import BenchmarkData, Row
from cxbench.report.i18n import Locale
from cxbench.report.model import DataTable, Figure, Section
from cxbench.report.sections.common import (
    change_text,
    n_note,
    rank_rows,
    short_n,
    significance_text,
    slug,
    suppressed_cell,
    suppressed_label,
)


def trend_labels(loc: Locale) -> TrendLabels:
    return TrendLabels(
        interval=loc.t("legend_interval"),
        rise=loc.t("legend_rise"),
        fall=loc.t("legend_fall"),
        suppressed=loc.t("suppressed"),
    )


def nps_trend_section(data: BenchmarkData, loc: Locale) -> Section:
    blocks: list = [loc.t("nps_intro")]
    for market in data.nps.markets():
        blocks.append(nps_trend_figure(data, loc, market))
    return Section("nps", loc.t("nps_title"), tuple(blocks))


def nps_trend_figure(data: BenchmarkData, loc: Locale, market: str) -> Figure:
    rows = sorted(data.nps.where(market=market, sector="ALL"), key=lambda r: r["year"])
    points = tuple(
        TrendPoint(
            year=r["year"],
            value=r["nps"],
            low=r["nps_ci_low"],
            high=r["nps_ci_high"],
            text="" if r["suppressed"] else loc.signed(r["nps"]),
            change=r["nps_change"],
            significant=bool(r["nps_change_significant"]),
            suppressed=bool(r["suppressed"]),
        )
        for r in rows
    )
    title = loc.t("nps_trend_title", market=loc.market(market))
    description = loc.t(
        "nps_trend_desc",
        market=loc.market(market),
        values="; ".join(f"{p.year}: {p.text or loc.t('suppressed')}" for p in points),
    )
    svg = trend_chart(
        slug("nps-trend", market),
        title,
        description,
        [Series(loc.market(market), BLUE, points)],
        trend_labels(loc),
        loc.signed,
        limits=(-100, 100),
        include=(0.0,),
    )
    table = DataTable(
        headers=(
            loc.t("col_year"),
            "NPS",
            loc.t("col_interval"),
            loc.t("col_change"),
            loc.t("col_significance"),
            loc.t("col_respondents"),
            loc.t("col_organisations"),
        ),
        rows=tuple(
            (
                str(r["year"]),
                suppressed_cell(loc) if r["suppressed"] else loc.signed(r["nps"]),
                loc.interval(r["nps_ci_low"], r["nps_ci_high"], signed=True),
                change_text(loc, r["nps_change"], r["nps_change_significant"], loc.signed),
                significance_text(loc, r["nps_change_significant"]),
                loc.count(r["n_respondents"]),
                loc.count(r["n_organisations"]),
            )
            for r in rows
        ),
    )
    latest = rows[-1] if rows else {}
    note = loc.t(
        "note_latest",
        year=latest.get("year", ""),
        n=n_note(loc, latest.get("n_respondents"), latest.get("n_organisations")),
    )
    return Figure(slug("nps-trend", market), title, svg, note, table)


def sectors_section(data: BenchmarkData, loc: Locale) -> Section:
    blocks: list = [loc.t("sectors_intro")]
    for market in data.nps.markets():
        year = data.nps.latest_year(market)
        rows = data.nps.where(market=market, year=year)
        blocks.append(ranking_figure(loc, market, year, rows))
    return Section("sectors", loc.t("sectors_title"), tuple(blocks))


def _ordered(rows: list[Row]) -> list[Row]:
    total = [r for r in rows if r["sector"] == "ALL"]
    return total + rank_rows([r for r in rows if r["sector"] != "ALL"], "nps")


def ranking_figure(loc: Locale, market: str, year: int, rows: list[Row]) -> Figure:
    ordered = _ordered(rows)
    chart_rows = [
        RankRow(
            label=loc.sector(r["sector"]),
            value=r["nps"],
            low=r["nps_ci_low"],
            high=r["nps_ci_high"],
            value_text=loc.signed(r["nps"]),
            change_text=loc.signed(r["nps_change"]) if r["nps_change"] is not None else "\u2013",
            change=r["nps_change"],
            significant=bool(r["nps_change_significant"]),
            note=short_n(loc, r["n_respondents"], r["n_organisations"]),
            suppressed=bool(r["suppressed"]),
            suppressed_text=suppressed_label(loc, r),
            emphasis=r["sector"] == "ALL",
        )
        for r in ordered
    ]
    headers = RankHeaders(
        value="NPS",
        change=loc.t("col_change_vs", year=year - 1),
        note=loc.t("col_n_short"),
        total_line=loc.t("legend_total", market=loc.market(market)),
        interval=loc.t("legend_interval"),
        rise=loc.t("legend_rise"),
        fall=loc.t("legend_fall"),
        suppressed=loc.t("suppressed"),
    )
    title = loc.t("ranking_title", market=loc.market(market), year=year)
    shown = [r for r in chart_rows if not r.suppressed and not r.emphasis]
    description = loc.t(
        "ranking_desc",
        values="; ".join(f"{r.label} {r.value_text}" for r in shown),
        hidden=len([r for r in chart_rows if r.suppressed]),
    )
    svg = ranking_chart(
        slug("nps-sectors", market, year),
        title,
        description,
        chart_rows,
        headers,
        loc.signed,
        limits=(-100, 100),
    )
    table = DataTable(
        headers=(
            "Sector",
            "NPS",
            loc.t("col_interval"),
            loc.t("col_change"),
            loc.t("col_respondents"),
            loc.t("col_organisations"),
        ),
        rows=tuple(
            (
                loc.sector(r["sector"]),
                suppressed_cell(loc) if r["suppressed"] else loc.signed(r["nps"]),
                loc.interval(r["nps_ci_low"], r["nps_ci_high"], signed=True),
                change_text(loc, r["nps_change"], r["nps_change_significant"], loc.signed),
                loc.count(r["n_respondents"]),
                loc.count(r["n_organisations"]),
            )
            for r in ordered
        ),
    )
    total = next((r for r in ordered if r["sector"] == "ALL"), {})
    note = n_note(loc, total.get("n_respondents"), total.get("n_organisations"))
    return Figure(slug("nps-sectors", market, year), title, svg, note, table)


def distribution_section(data: BenchmarkData, loc: Locale) -> Section:
    blocks: list = [loc.t("distribution_intro")]
    for market in data.nps.markets():
        year = data.nps.latest_year(market)
        blocks.append(
            distribution_figure(loc, market, year, data.nps.where(market=market, year=year))
        )
    return Section("distribution", loc.t("distribution_title"), tuple(blocks))


def distribution_figure(loc: Locale, market: str, year: int, rows: list[Row]) -> Figure:
    ordered = _ordered(rows)
    chart_rows = [
        StackRow(
            label=loc.sector(r["sector"]),
            segments=(
                Segment(r["pct_promoters"] or 0, BLUE, loc.percent(r["pct_promoters"])),
                Segment(r["pct_passives"] or 0, GREY, loc.percent(r["pct_passives"]), "#1d2433"),
                Segment(r["pct_detractors"] or 0, ORANGE, loc.percent(r["pct_detractors"])),
            ),
            note=short_n(loc, r["n_respondents"], r["n_organisations"]),
            suppressed=bool(r["suppressed"]),
            suppressed_text=suppressed_label(loc, r),
            emphasis=r["sector"] == "ALL",
        )
        for r in ordered
    ]
    legend = [
        LegendItem(loc.t("promoters_legend"), BLUE),
        LegendItem(loc.t("passives_legend"), GREY),
        LegendItem(loc.t("detractors_legend"), ORANGE),
    ]
    title = loc.t("distribution_fig_title", market=loc.market(market), year=year)
    description = loc.t(
        "distribution_desc",
        values="; ".join(
            f"{loc.sector(r['sector'])}: {loc.percent(r['pct_promoters'])} / "
            f"{loc.percent(r['pct_passives'])} / {loc.percent(r['pct_detractors'])}"
            for r in ordered
            if not r["suppressed"]
        ),
    )
    svg = stacked_chart(
        slug("nps-distribution", market, year),
        title,
        description,
        chart_rows,
        legend,
        loc.t("suppressed"),
    )
    table = DataTable(
        headers=(
            "Sector",
            loc.t("promoters"),
            loc.t("passives"),
            loc.t("detractors"),
            "NPS",
            loc.t("col_respondents"),
        ),
        rows=tuple(
            (
                loc.sector(r["sector"]),
                suppressed_cell(loc),
                "",
                "",
                "",
                loc.count(r["n_respondents"]),
            )
            if r["suppressed"]
            else (
                loc.sector(r["sector"]),
                loc.percent(r["pct_promoters"]),
                loc.percent(r["pct_passives"]),
                loc.percent(r["pct_detractors"]),
                loc.signed(r["nps"]),
                loc.count(r["n_respondents"]),
            )
            for r in ordered
        ),
    )
    total = next((r for r in ordered if r["sector"] == "ALL"), {})
    note = n_note(loc, total.get("n_respondents"), total.get("n_organisations"))
    return Figure(slug("nps-distribution", market, year), title, svg, note, table)
