"""Contact moments: a sector x contact-moment heat map of the share of positive ratings."""

from __future__ import annotations

import math

from cxbench.report.charts.heatmap import HeatCell, HeatLabels, heatmap_chart
from cxbench.report.data import BenchmarkData, Row
from cxbench.report.i18n import Locale, capitalise
from cxbench.report.model import DataTable, Figure, Section
from cxbench.report.references import Labels, labels
from cxbench.report.sections.common import (
    change_text,
    n_note,
    slug,
    suppressed_cell,
)


def moments(data: BenchmarkData, market: str | None = None) -> list[str]:
    """Contact moments present (without the pooled `ALL`), in the reference's order."""
    conditions = {"market": market} if market else {}
    codes = [c for c in data.touchpoints.values("touchpoint", **conditions) if c != "ALL"]
    return Labels.order(labels().touchpoints, codes)


def extremes(data: BenchmarkData, market: str, year: int) -> tuple[Row, Row] | None:
    """The market total's lowest and highest contact moment (published cells only)."""
    rows = [
        r
        for r in data.touchpoints.where(market=market, year=year, sector="ALL")
        if r["touchpoint"] != "ALL" and not r["suppressed"] and r["pct_positive"] is not None
    ]
    if len(rows) < 2:
        return None
    ordered = sorted(rows, key=lambda r: r["pct_positive"])
    return ordered[0], ordered[-1]


def extremes_sentence(
    data: BenchmarkData, loc: Locale, text: str, market: str, year: int
) -> str | None:
    """Text `text` naming the market's lowest and highest contact moment, if both are shown."""
    ends = extremes(data, market, year)
    if not ends:
        return None
    low, high = ends
    return loc.t(
        text,
        market=market,
        year=year,
        low=loc.touchpoint(low["touchpoint"]),
        low_pct=loc.percent(low["pct_positive"]),
        high=loc.touchpoint(high["touchpoint"]),
        high_pct=loc.percent(high["pct_positive"]),
    )


def touchpoints_section(data: BenchmarkData, loc: Locale) -> Section:
    markets = data.touchpoints.markets()
    codes = moments(data)
    blocks: list = [
        loc.t("touchpoints_intro", moments=loc.join([loc.touchpoint(c) for c in codes]))
    ]
    for market in markets:
        year = data.touchpoints.latest_year(market)
        sentence = extremes_sentence(data, loc, "touchpoints_extremes", market, year)
        if sentence:
            blocks.append(sentence)
        blocks.append(heatmap_figure(data, loc, market, year))
    if not markets:
        blocks.append(loc.t("no_data"))
    return Section("touchpoints", loc.t("touchpoints_title"), tuple(blocks))


def heatmap_figure(data: BenchmarkData, loc: Locale, market: str, year: int) -> Figure:
    rows = data.touchpoints.where(market=market, year=year)
    columns = [*moments(data, market), "ALL"]
    pooled = {r["sector"]: r for r in rows if r["touchpoint"] == "ALL"}

    def positive(sector: str) -> float | None:
        row = pooled.get(sector)
        return None if row is None else row["pct_positive"]

    sectors = sorted(
        {r["sector"] for r in rows} - {"ALL"},
        key=lambda s: (positive(s) is None, -(positive(s) or 0.0), s),
    )
    order = ["ALL", *sectors]
    cell_of = {(r["sector"], r["touchpoint"]): r for r in rows}
    cells = [[_cell(loc, cell_of.get((s, c))) for c in columns] for s in order]
    values = [c.value for row in cells for c in row if c.value is not None]
    domain = (
        (math.floor(min(values) / 10) * 10.0, math.ceil(max(values) / 10) * 10.0)
        if values
        else (0.0, 100.0)
    )
    heat_labels = HeatLabels(
        suppressed=loc.t("suppressed"),
        suppressed_short=loc.t("suppressed"),
        low=loc.percent(domain[0]),
        high=loc.percent(domain[1]) + " " + loc.t("positive"),
        rise=loc.t("legend_rise"),
        fall=loc.t("legend_fall"),
    )
    title = loc.t("heatmap_title", market=loc.market(market), year=year)
    description = loc.t(
        "heatmap_desc",
        values="; ".join(
            f"{loc.sector(s)}, {loc.touchpoint(c)}: {cells[i][j].text}"
            for i, s in enumerate(order)
            for j, c in enumerate(columns)
        ),
    )
    svg = heatmap_chart(
        slug("touchpoints", market, year),
        title,
        description,
        [loc.sector(s) for s in order],
        [capitalise(loc.touchpoint(c)) for c in columns],
        cells,
        heat_labels,
        domain,
        total_row=0,
        total_column=len(columns) - 1,
    )
    total = pooled.get("ALL") or {}
    note = loc.t(
        "heatmap_note",
        n=n_note(loc, total.get("n_respondents"), total.get("n_organisations")),
        ratings=loc.count(total.get("n_ratings")),
    )
    table_rows = []
    for s in order:
        for c in columns:
            r = cell_of.get((s, c))
            if r is None:
                continue
            table_rows.append(
                (
                    loc.sector(s),
                    capitalise(loc.touchpoint(c)),
                    suppressed_cell(loc) if r["suppressed"] else loc.percent(r["pct_positive"]),
                    loc.percent(r["pct_negative"]),
                    change_text(loc, r["change"], r["change_significant"], loc.signed),
                    loc.count(r["n_ratings"]),
                    loc.count(r["n_respondents"]),
                    loc.count(r["n_organisations"]),
                )
            )
    table = DataTable(
        headers=(
            "Sector",
            loc.t("col_touchpoint"),
            loc.t("col_positive"),
            loc.t("col_negative"),
            loc.t("col_change_points"),
            loc.t("col_ratings"),
            loc.t("col_respondents"),
            loc.t("col_organisations"),
        ),
        rows=tuple(table_rows),
        numeric_from=2,
    )
    return Figure(slug("touchpoints", market, year), title, svg, note, table)


def _cell(loc: Locale, row: Row | None) -> HeatCell:
    if row is None:
        return HeatCell(None, "\u2013", suppressed=False)
    if row["suppressed"] or row["pct_positive"] is None:
        return HeatCell(None, loc.t("suppressed"), suppressed=True)
    return HeatCell(
        value=row["pct_positive"],
        text=loc.percent(row["pct_positive"]),
        change=row["change"],
        significant=bool(row["change_significant"]),
    )
