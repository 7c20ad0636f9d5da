"""Significant year-over-year changes of each market's latest year, across every table."""

from __future__ import annotations

from dataclasses import dataclass

from cxbench.report.data import BenchmarkData, Row, Table
from cxbench.report.i18n import Locale, capitalise
from cxbench.report.model import DataTable, Markup, Section
from cxbench.report.svg import esc


@dataclass(frozen=True)
class Change:
    market: str
    year: int
    indicator: str
    sector: str
    value: str
    change: float
    change_text: str


def _significant(table: Table, change: str, flag: str) -> list[Row]:
    found = []
    for market in table.markets():
        year = table.latest_year(market)
        found += [r for r in table.where(market=market, year=year) if r.get(flag) and r.get(change)]
    return found


def significant_changes(data: BenchmarkData, loc: Locale) -> list[Change]:
    changes = [
        Change(
            r["market"],
            r["year"],
            "NPS",
            loc.sector(r["sector"]),
            loc.signed(r["nps"]),
            r["nps_change"],
            loc.signed(r["nps_change"]),
        )
        for r in _significant(data.nps, "nps_change", "nps_change_significant")
    ]
    changes += [
        Change(
            r["market"],
            r["year"],
            capitalise(loc.t("indicator_grade", aspect=loc.aspect(r["aspect"]))),
            loc.sector(r["sector"]),
            loc.grade(r["mean_grade"]),
            r["change"],
            loc.signed(r["change"], 1),
        )
        for r in _significant(data.grades, "change", "change_significant")
    ]
    changes += [
        Change(
            r["market"],
            r["year"],
            loc.t("indicator_touchpoint", moment=loc.touchpoint(r["touchpoint"])),
            loc.sector(r["sector"]),
            loc.percent(r["pct_positive"]),
            r["change"],
            loc.t("points", value=loc.signed(r["change"])),
        )
        for r in _significant(data.touchpoints, "change", "change_significant")
    ]
    changes += [
        Change(
            r["market"],
            r["year"],
            loc.t("indicator_statement", statement=loc.statement(r["statement"])),
            loc.sector(r["sector"]),
            loc.percent(r["pct_agree"]),
            r["change"],
            loc.t("points", value=loc.signed(r["change"])),
        )
        for r in _significant(data.statements, "change", "change_significant")
    ]
    return changes


def changes_section(data: BenchmarkData, loc: Locale) -> Section:
    changes = significant_changes(data, loc)
    z = data.info.get("z_value") or 1.96
    blocks: list = [loc.t("changes_intro", z=loc.number(z, 2))]
    if not changes:
        blocks.append(loc.t("changes_none"))
        return Section("changes", loc.t("changes_title"), tuple(blocks))
    rises = sum(1 for c in changes if c.change > 0)
    blocks.append(loc.t("changes_count", n=len(changes), rises=rises, falls=len(changes) - rises))
    ordered = sorted(changes, key=lambda c: (c.market, c.indicator, -abs(c.change)))
    blocks.append(
        DataTable(
            headers=(
                loc.t("col_market"),
                loc.t("col_year"),
                loc.t("col_indicator"),
                "Sector",
                loc.t("col_value"),
                loc.t("col_change"),
            ),
            rows=tuple(
                (c.market, str(c.year), c.indicator, c.sector, c.value, _arrow(c)) for c in ordered
            ),
            numeric_from=4,
        )
    )
    return Section("changes", loc.t("changes_title"), tuple(blocks))


def _arrow(change: Change) -> Markup:
    css, arrow = ("rise", "\u25b2") if change.change > 0 else ("fall", "\u25bc")
    return Markup(f'<span class="{css}">{arrow} {esc(change.change_text)}</span>')
