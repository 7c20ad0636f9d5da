"""The client edition's own section: one organisation's NPS against its sector and market, and
its grades on the market's key drivers.

Built from the restricted `organisation_positions` table, so it is only ever written to
`published/restricted/`. The sector figures shown are the public ones: where the public table
suppresses the sector, the organisation's gap to it is withheld too, as the gap and the
organisation's own NPS would give the suppressed value away. Percentiles rank only eligible
organisations (docs/contract.md §9) among enough of them in a published sector or market; where
the table has none, the edition says why.
"""

from __future__ import annotations

from dataclasses import replace

from cxbench.report.charts.common import BLUE, DARK_GREY, ORANGE
from cxbench.report.charts.trend import Series, TrendPoint, trend_chart
from cxbench.report.data import BenchmarkData, Row
from cxbench.report.i18n import Locale, is_missing
from cxbench.report.model import DataTable, Figure, Section
from cxbench.report.sections.common import slug, suppressed_cell
from cxbench.report.sections.drivers import client_drivers
from cxbench.report.sections.nps import trend_labels


def _public_point(loc: Locale, row: Row | None, year: int) -> TrendPoint:
    if row is None or row["suppressed"]:
        return TrendPoint(year, None, suppressed=row is not None)
    return TrendPoint(
        year, row["nps"], row["nps_ci_low"], row["nps_ci_high"], loc.signed(row["nps"])
    )


def client_section(data: BenchmarkData, loc: Locale, organisation: str) -> Section:
    blocks: list = [loc.t("client_intro", organisation=organisation)]
    for market in data.positions.values("market"):
        latest = max(data.positions.where(market=market), key=lambda r: r["year"])
        blocks.append(_summary(data, loc, organisation, latest))
        figure = client_figure(data, loc, organisation, market)
        blocks += [replace(figure, table=None), figure.table]
        if data.drivers.where(market=market):
            blocks += client_drivers(data, loc, organisation, latest)
    return Section("client", loc.t("client_title", organisation=organisation), tuple(blocks))


def client_figure(data: BenchmarkData, loc: Locale, organisation: str, market: str) -> Figure:
    own = sorted(data.positions.where(market=market), key=lambda r: r["year"])
    sector_points, market_points, table_rows = [], [], []
    for r in own:
        sector_row = data.nps.one(market=market, year=r["year"], sector=r["sector"])
        total_row = data.nps.one(market=market, year=r["year"], sector="ALL")
        sector_points.append(_public_point(loc, sector_row, r["year"]))
        market_points.append(_public_point(loc, total_row, r["year"]))
        hidden = sector_row is None or sector_row["suppressed"]
        total_hidden = total_row is None or total_row["suppressed"]
        table_rows.append(
            (
                str(r["year"]),
                loc.sector(r["sector"]),
                loc.count(r["n_respondents"]),
                loc.signed(r["nps"]),
                loc.interval(r["nps_ci_low"], r["nps_ci_high"], signed=True),
                suppressed_cell(loc) if hidden else loc.signed(sector_row["nps"]),
                suppressed_cell(loc) if hidden or is_missing(r["gap_to_sector"]) else _gap(loc, r),
                _percentile(loc, None if hidden else r["sector_percentile"]),
                _percentile(loc, None if total_hidden else r["market_percentile"]),
                loc.t("yes") if r["is_top_performer"] else loc.t("no"),
            )
        )
    own_points = tuple(
        TrendPoint(r["year"], r["nps"], r["nps_ci_low"], r["nps_ci_high"], loc.signed(r["nps"]))
        for r in own
    )
    sector = own[-1]["sector"] if own else ""
    series = [
        Series(organisation, ORANGE, own_points),
        Series(loc.t("client_sector", sector=loc.sector(sector)), BLUE, tuple(sector_points)),
        Series(
            loc.t("client_market", market=loc.market(market)),
            DARK_GREY,
            tuple(market_points),
            emphasis=False,
        ),
    ]
    title = loc.t("client_fig_title", organisation=organisation, market=loc.market(market))
    description = loc.t(
        "client_desc",
        values="; ".join(f"{row[0]}: {row[3]}" for row in table_rows),
    )
    svg = trend_chart(
        slug("client", organisation, market),
        title,
        description,
        series,
        trend_labels(loc),
        loc.signed,
        limits=(-100, 100),
        include=(0.0,),
        label_points=False,
        legend_series=True,
    )
    table = DataTable(
        headers=(
            loc.t("col_year"),
            "Sector",
            loc.t("col_respondents"),
            "NPS",
            loc.t("col_interval"),
            loc.t("col_sector_nps"),
            loc.t("col_gap"),
            loc.t("col_sector_percentile"),
            loc.t("col_market_percentile"),
            loc.t("col_top_performer"),
        ),
        rows=tuple(table_rows),
        numeric_from=2,
    )
    min_answers, min_organisations = _ranking_rules(data)
    note = loc.t("client_note", min_answers=min_answers, min_organisations=min_organisations)
    return Figure(slug("client", organisation, market), title, svg, note, table)


def _percentile(loc: Locale, value: float | None) -> str:
    return loc.t("client_not_ranked") if is_missing(value) else loc.number(value)


def _ranking_rules(data: BenchmarkData) -> tuple[int, int]:
    """Recommend answers an organisation needs to be ranked, and how many must be ranked."""
    info = data.info
    return (
        int(info.get("top_performer_min_answers") or 30),
        int(info.get("min_organisations") or 3),
    )


def unranked_reason(data: BenchmarkData, loc: Locale, row: Row, scope: str = "sector") -> str:
    """Why `organisation_positions` gives no percentile in `scope` (sector or market)."""
    min_answers, min_organisations = _ranking_rules(data)
    sector = row["sector"] if scope == "sector" else "ALL"
    public = data.nps.one(market=row["market"], year=row["year"], sector=sector)
    if public is None or public["suppressed"]:
        return loc.t(f"client_why_{scope}_suppressed")
    if row["n_respondents"] < min_answers:
        return loc.t("client_why_not_eligible", n=min_answers)
    return loc.t("client_why_few_ranked", n=min_organisations)


def _summary(data: BenchmarkData, loc: Locale, organisation: str, row: Row) -> str:
    """One sentence on the latest year: NPS, rank in the sector, gap, top performer or not."""
    sector = data.nps.one(market=row["market"], year=row["year"], sector=row["sector"])
    if sector is None or sector["suppressed"] or is_missing(row["gap_to_sector"]):
        gap = loc.t("client_gap_hidden")
    else:
        key = "client_gap_significant" if row["gap_significant"] else "client_gap_not_significant"
        gap = loc.t(key, gap=loc.signed(row["gap_to_sector"]))
    values = {
        "organisation": organisation,
        "year": row["year"],
        "nps": loc.signed(row["nps"]),
        "n": loc.count(row["n_respondents"]),
        "sector": loc.sector(row["sector"]),
        "gap": gap,
        "top": loc.t("client_top") if row["is_top_performer"] else "",
    }
    if is_missing(row["sector_percentile"]) or sector is None or sector["suppressed"]:
        return loc.t("client_summary_unranked", why=unranked_reason(data, loc, row), **values)
    return loc.t("client_summary", percentile=loc.ordinal(row["sector_percentile"]), **values)


def _gap(loc: Locale, row: Row) -> str:
    gap = loc.signed(row["gap_to_sector"])
    if row["gap_significant"]:
        return f"{gap} ({loc.t('significant')})"
    return gap
