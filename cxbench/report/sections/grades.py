"""Report grades (rapportcijfers) by aspect: the trend of every aspect per market, and the
latest year per sector."""

from __future__ import annotations

from cxbench.report.charts.common import SERIES
from cxbench.report.charts.trend import Series, TrendPoint, trend_chart
from cxbench.report.data import BenchmarkData, Row
from cxbench.report.i18n import Locale, capitalise
from cxbench.report.model import DataTable, Figure, Section
from cxbench.report.references import Labels, labels
from cxbench.report.sections.common import n_note, slug, suppressed_cell
from cxbench.report.sections.nps import trend_labels


def aspects(data: BenchmarkData, market: str) -> list[str]:
    """The market's aspects, `overall` first, then in the reference's order."""
    codes = data.grades.values("aspect", market=market)
    ordered = Labels.order(labels().aspects, codes)
    return ["overall", *[c for c in ordered if c != "overall"]] if "overall" in codes else ordered


def grades_section(data: BenchmarkData, loc: Locale) -> Section:
    blocks: list = [loc.t("grades_intro")]
    for market in data.grades.markets():
        blocks.append(grades_trend_figure(data, loc, market))
        blocks.append(grades_table(data, loc, market))
    return Section("grades", loc.t("grades_title"), tuple(blocks))


def _point(loc: Locale, r: Row) -> TrendPoint:
    return TrendPoint(
        year=r["year"],
        value=r["mean_grade"],
        low=r["ci_low"],
        high=r["ci_high"],
        text="" if r["suppressed"] else loc.grade(r["mean_grade"]),
        change=r["change"],
        significant=bool(r["change_significant"]),
        suppressed=bool(r["suppressed"]),
    )


def grades_trend_figure(data: BenchmarkData, loc: Locale, market: str) -> Figure:
    series = []
    for index, aspect in enumerate(aspects(data, market)):
        rows = sorted(
            data.grades.where(market=market, sector="ALL", aspect=aspect), key=lambda r: r["year"]
        )
        points = tuple(_point(loc, r) for r in rows)
        series.append(Series(capitalise(loc.aspect(aspect)), SERIES[index % len(SERIES)], points))
    title = loc.t("grades_trend_title", market=loc.market(market))
    description = loc.t(
        "grades_trend_desc",
        values="; ".join(
            f"{s.label}: "
            + ", ".join(f"{p.year} {p.text or loc.t('suppressed')}" for p in s.points)
            for s in series
        ),
    )
    svg = trend_chart(
        slug("grades-trend", market),
        title,
        description,
        series,
        trend_labels(loc),
        lambda v: loc.number(v, 1 if v % 1 else 0),
        limits=(1, 10),
        label_points=len(series) == 1,
        min_span=2.0,
    )
    all_rows = sorted(
        data.grades.where(market=market, sector="ALL"),
        key=lambda r: (aspects(data, market).index(r["aspect"]), r["year"]),
    )
    table = DataTable(
        headers=(
            loc.t("col_aspect"),
            loc.t("col_year"),
            loc.t("col_grade"),
            loc.t("col_interval"),
            loc.t("col_sufficient"),
            loc.t("col_change"),
            loc.t("col_respondents"),
            loc.t("col_organisations"),
        ),
        rows=tuple(
            (
                capitalise(loc.aspect(r["aspect"])),
                str(r["year"]),
                suppressed_cell(loc) if r["suppressed"] else loc.grade(r["mean_grade"]),
                loc.interval(r["ci_low"], r["ci_high"], 1),
                loc.percent(r["pct_sufficient"]),
                _change(loc, r),
                loc.count(r["n_respondents"]),
                loc.count(r["n_organisations"]),
            )
            for r in all_rows
        ),
        numeric_from=1,
    )
    year = data.grades.latest_year(market)
    overall = data.grades.one(market=market, sector="ALL", year=year, aspect="overall") or {}
    note = loc.t(
        "note_latest",
        year=year,
        n=n_note(loc, overall.get("n_respondents"), overall.get("n_organisations")),
    )
    return Figure(slug("grades-trend", market), title, svg, note, table)


def _change(loc: Locale, r: Row) -> str:
    if r["change"] is None:
        return "\u2013"
    marker = (" \u25b2" if r["change"] > 0 else " \u25bc") if r["change_significant"] else ""
    return loc.signed(r["change"], 1) + marker


def grades_table(data: BenchmarkData, loc: Locale, market: str) -> DataTable:
    """Sector x aspect in the latest year: the grades behind the trend, per sector."""
    year = data.grades.latest_year(market)
    codes = [
        a for a in aspects(data, market) if data.grades.where(market=market, year=year, aspect=a)
    ]
    sectors = [
        "ALL",
        *sorted(
            {r["sector"] for r in data.grades.where(market=market, year=year)} - {"ALL"},
            key=lambda s: loc.sector(s),
        ),
    ]
    rows = []
    for sector in sectors:
        cells: list = [loc.sector(sector)]
        for aspect in codes:
            r = data.grades.one(market=market, year=year, sector=sector, aspect=aspect)
            if r is None:
                cells.append("\u2013")
            elif r["suppressed"]:
                cells.append(suppressed_cell(loc))
            else:
                cells.append(f"{loc.grade(r['mean_grade'])}")
        overall = (
            data.grades.one(market=market, year=year, sector=sector, aspect=codes[0])
            if codes
            else None
        )
        cells.append(loc.count(overall["n_respondents"]) if overall else "\u2013")
        rows.append(tuple(cells))
    return DataTable(
        headers=("Sector", *(capitalise(loc.aspect(a)) for a in codes), loc.t("col_respondents")),
        rows=tuple(rows),
        caption=loc.t("grades_table_caption", market=loc.market(market), year=year),
    )
