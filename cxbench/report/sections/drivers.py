"""Key drivers: which aspects go with recommendation (drivers_by_year), as importance against
performance per market, and the client edition's own grades on the market's top drivers."""

from __future__ import annotations

from cxbench.report.charts.common import BLUE, DARK_GREY, ORANGE, LegendItem
from cxbench.report.charts.panels import Column, Panel, panels_chart
from cxbench.report.charts.quadrant import (
    QUADRANTS,
    QuadrantPoint,
    quadrant_chart,
    quadrant_of,
    splits,
)
from cxbench.report.data import BenchmarkData, Row
from cxbench.report.i18n import DASH, Locale, capitalise
from cxbench.report.model import DataTable, Figure, Section
from cxbench.report.references import Labels, labels
from cxbench.report.sections.common import n_note, slug, suppressed_cell

TOP_DRIVERS = 3


def _published(rows: list[Row]) -> list[Row]:
    return [r for r in rows if not r["suppressed"] and r.get("importance") is not None]


def driver_year(data: BenchmarkData, market: str) -> int | None:
    """The market's latest year with published key drivers for the market as a whole."""
    years = sorted({r["year"] for r in _published(data.drivers.where(market=market, sector="ALL"))})
    return years[-1] if years else None


def market_drivers(data: BenchmarkData, market: str, year: int) -> list[Row]:
    """The market's published drivers of `year`, in the aspect reference's order."""
    rows = _published(data.drivers.where(market=market, year=year, sector="ALL"))
    order = Labels.order(labels().aspects, [r["aspect"] for r in rows])
    return sorted(rows, key=lambda r: order.index(r["aspect"]))


def top_drivers(data: BenchmarkData, market: str, year: int, count: int = TOP_DRIVERS) -> list[Row]:
    """The `count` aspects with the highest importance."""
    return sorted(market_drivers(data, market, year), key=lambda r: -r["importance"])[:count]


def _point(loc: Locale, row: Row) -> QuadrantPoint:
    return QuadrantPoint(
        capitalise(loc.aspect(row["aspect"])), row["importance"], row["mean_grade"]
    )


def drivers_section(data: BenchmarkData, loc: Locale) -> Section:
    blocks: list = [loc.t("drivers_intro")]
    found = False
    for market in data.drivers.markets():
        year = driver_year(data, market)
        if year is None:
            continue
        found = True
        blocks.append(_headline(data, loc, market, year))
        blocks.append(drivers_figure(data, loc, market, year))
        sectors = sector_importance_table(data, loc, market, year)
        if sectors is not None:
            blocks.append(sectors)
    if not found:
        blocks.append(loc.t("drivers_none"))
    return Section("drivers", loc.t("drivers_title"), tuple(blocks))


def _quadrants(loc: Locale, rows: list[Row]) -> dict[str, str]:
    """aspect -> quadrant key of each row, split at the rows' average importance and grade."""
    points = {r["aspect"]: _point(loc, r) for r in rows}
    x_split, y_split = splits(list(points.values()))
    return {aspect: quadrant_of(p, x_split, y_split) for aspect, p in points.items()}


def _headline(data: BenchmarkData, loc: Locale, market: str, year: int) -> str:
    rows = market_drivers(data, market, year)
    strongest = max(rows, key=lambda r: r["importance"])
    quadrants = _quadrants(loc, rows)
    fix_first = [loc.aspect(a) for a, q in quadrants.items() if q == "fix_first"]
    text = loc.t(
        "drivers_headline",
        market=market,
        year=year,
        aspect=loc.aspect(strongest["aspect"]),
        importance=loc.number(strongest["importance"], 2),
        coefficient=loc.signed(strongest["coefficient"], 1),
    )
    if fix_first:
        text += " " + loc.t("drivers_fix_first", aspects=loc.join(fix_first))
    return text


def drivers_figure(data: BenchmarkData, loc: Locale, market: str, year: int) -> Figure:
    rows = market_drivers(data, market, year)
    quadrants = _quadrants(loc, rows)
    points = [_point(loc, r) for r in rows]
    title = loc.t("drivers_fig_title", market=loc.market(market), year=year)
    description = loc.t(
        "drivers_desc",
        values="; ".join(
            f"{p.label}: {loc.number(p.importance, 2)}, {loc.grade(p.performance)} "
            f"({loc.t('quadrant_' + quadrants[r['aspect']])})"
            for p, r in zip(points, rows, strict=True)
        ),
    )
    svg = quadrant_chart(
        slug("drivers", market, year),
        title,
        description,
        points,
        {key: loc.t(f"quadrant_{key}") for key in QUADRANTS},
        loc.t("drivers_x"),
        loc.t("drivers_y"),
        lambda v: loc.number(v, 2),
        lambda v: loc.number(v, 1),
    )
    table = DataTable(
        headers=(
            loc.t("col_aspect"),
            loc.t("col_coefficient"),
            loc.t("col_p_value"),
            loc.t("col_importance"),
            loc.t("col_grade"),
            loc.t("col_quadrant"),
        ),
        rows=tuple(
            (
                capitalise(loc.aspect(r["aspect"])),
                f"{loc.signed(r['coefficient'], 1)} (± {loc.number(r['coefficient_se'], 1)})",
                _p_value(loc, r["p_value"]),
                loc.number(r["importance"], 2),
                loc.grade(r["mean_grade"]),
                loc.t("quadrant_" + quadrants[r["aspect"]]),
            )
            for r in rows
        ),
        numeric_from=1,
        numeric_to=5,
    )
    first = rows[0]
    note = loc.t("drivers_note", n=n_note(loc, first["n_respondents"], first["n_organisations"]))
    return Figure(slug("drivers", market, year), title, svg, note, table)


def _p_value(loc: Locale, p: float | None) -> str:
    if p is None:
        return DASH
    if p < 0.001:
        return "< " + loc.number(0.001, 3)
    return loc.number(p, 3)


def sector_importance_table(
    data: BenchmarkData, loc: Locale, market: str, year: int
) -> DataTable | None:
    """Importance per sector and aspect in `year`; suppressed cells marked."""
    aspects = [r["aspect"] for r in market_drivers(data, market, year)]
    sectors = sorted(
        {r["sector"] for r in data.drivers.where(market=market, year=year)} - {"ALL"},
        key=loc.sector,
    )
    if not sectors:
        return None
    rows = []
    for sector in ["ALL", *sectors]:
        cells: list = [loc.sector(sector)]
        for aspect in aspects:
            r = data.drivers.one(market=market, year=year, sector=sector, aspect=aspect)
            if r is None:
                cells.append(DASH)
            elif r["suppressed"]:
                cells.append(suppressed_cell(loc))
            else:
                cells.append(loc.number(r["importance"], 2))
        present = data.drivers.where(market=market, year=year, sector=sector)
        any_row = present[0] if present else None
        cells.append(loc.count(any_row["n_respondents"]) if any_row else DASH)
        rows.append(tuple(cells))
    return DataTable(
        headers=("Sector", *(capitalise(loc.aspect(a)) for a in aspects), loc.t("col_respondents")),
        rows=tuple(rows),
        caption=loc.t("drivers_sector_caption", market=loc.market(market), year=year),
    )


def client_drivers(
    data: BenchmarkData, loc: Locale, organisation: str, position: Row
) -> list[object]:
    """The organisation's grades on its market's top drivers against its sector and market, in
    the organisation's latest year. The sector's grade and the gap to it are withheld where the
    public table suppresses the sector."""
    market, year, sector = position["market"], position["year"], position["sector"]
    drivers = top_drivers(data, market, year)
    if not drivers:
        return [loc.t("client_drivers_none", year=year)]
    panels, table_rows = [], []
    for driver in drivers:
        aspect = driver["aspect"]
        own = data.organisation_grades.one(
            market=market, year=year, sector=sector, aspect=aspect, organisation_id=organisation
        )
        sector_row = data.grades.one(market=market, year=year, sector=sector, aspect=aspect)
        total_row = data.grades.one(market=market, year=year, sector="ALL", aspect=aspect)
        hidden = sector_row is not None and sector_row["suppressed"]
        columns = [
            Column(
                own["mean_grade"] if own else None,
                None,
                None,
                loc.grade(own["mean_grade"]) if own else DASH,
                ORANGE,
                suppressed=own is None,
            ),
            _grade_column(loc, sector_row, BLUE),
            _grade_column(loc, total_row, DARK_GREY),
        ]
        panels.append(
            Panel(
                capitalise(loc.aspect(aspect)),
                tuple(columns),
                lambda v: loc.number(v),
                limits=(0, 10),
                include=(0.0, 10.0),
            )
        )
        gap = DASH
        if own and sector_row is not None and not hidden:
            gap = loc.signed(own["mean_grade"] - sector_row["mean_grade"], 1)
        table_rows.append(
            (
                capitalise(loc.aspect(aspect)),
                loc.number(driver["importance"], 2),
                loc.grade(own["mean_grade"]) if own else DASH,
                loc.count(own["n_respondents"]) if own else DASH,
                _grade_text(loc, sector_row),
                suppressed_cell(loc) if hidden and own else gap,
                _grade_text(loc, total_row),
            )
        )
    title = loc.t(
        "client_drivers_title", organisation=organisation, market=loc.market(market), year=year
    )
    description = loc.t(
        "client_drivers_desc", values="; ".join(f"{row[0]}: {row[2]}" for row in table_rows)
    )
    groups = [
        LegendItem(organisation, ORANGE),
        LegendItem(loc.t("client_sector", sector=loc.sector(sector)), BLUE),
        LegendItem(loc.t("client_market", market=loc.market(market)), DARK_GREY),
    ]
    svg = panels_chart(
        slug("client-drivers", organisation, market),
        title,
        description,
        panels,
        groups,
        loc.t("legend_interval"),
        loc.t("suppressed"),
    )
    table = DataTable(
        headers=(
            loc.t("col_aspect"),
            loc.t("col_importance"),
            loc.t("col_own_grade"),
            loc.t("col_respondents"),
            loc.t("col_sector_grade"),
            loc.t("col_gap"),
            loc.t("col_market_grade"),
        ),
        rows=tuple(table_rows),
        numeric_from=1,
    )
    note = loc.t("client_drivers_note", year=year)
    return [
        loc.t("client_drivers_intro", organisation=organisation, year=year, n=len(drivers)),
        Figure(slug("client-drivers", organisation, market), title, svg, note, table),
    ]


def _grade_column(loc: Locale, row: Row | None, color: str) -> Column:
    if row is None or row["suppressed"]:
        return Column(None, None, None, "", color, suppressed=True)
    return Column(
        row["mean_grade"], row["ci_low"], row["ci_high"], loc.grade(row["mean_grade"]), color
    )


def _grade_text(loc: Locale, row: Row | None) -> object:
    if row is None:
        return DASH
    return suppressed_cell(loc) if row["suppressed"] else loc.grade(row["mean_grade"])
