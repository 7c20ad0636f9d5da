"""Methodology: design and weights, the thresholds in force (from publication_info), what was
suppressed and why, and the respondents and organisations behind every year's figures."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from cxbench.report.data import BenchmarkData, Table
from cxbench.report.i18n import Locale, capitalise
from cxbench.report.model import DataTable, Section
from cxbench.report.sections.common import heading, reason_text

ITEM_COLUMN = {
    "grades_by_sector_year": "aspect",
    "touchpoints_by_sector_year": "touchpoint",
    "statements_by_sector_year": "statement",
    "top_performers_by_year": "measure",
    "drivers_by_year": "aspect",
}


def _tables(data: BenchmarkData) -> list[Table]:
    return [
        data.nps,
        data.grades,
        data.touchpoints,
        data.statements,
        data.top_performers,
        data.drivers,
    ]


def _item(loc: Locale, table: Table, row: dict) -> str:
    column = ITEM_COLUMN.get(table.name)
    if column is None:
        return "NPS"
    code = row[column]
    if column == "aspect":
        return capitalise(loc.aspect(code))
    if column == "touchpoint":
        return capitalise(loc.touchpoint(code))
    if column == "statement":
        return loc.statement(code)
    return code


def suppression_summary(data: BenchmarkData, loc: Locale) -> DataTable:
    rows = []
    for table in _tables(data):
        reasons = Counter(
            "complementary"
            if (r["suppression_reason"] or "").startswith("complementary")
            else "primary"
            for r in table.rows
            if r["suppressed"]
        )
        rows.append(
            (
                f"{loc.t('table_' + table.name)} ({table.name})",
                loc.count(len(table.rows)),
                loc.count(len(table.rows) - sum(reasons.values())),
                loc.count(reasons["primary"]),
                loc.count(reasons["complementary"]),
            )
        )
    return DataTable(
        headers=(
            loc.t("col_table"),
            loc.t("col_cells"),
            loc.t("col_published"),
            loc.t("col_primary"),
            loc.t("col_complementary"),
        ),
        rows=tuple(rows),
        caption=loc.t("suppression_summary_caption"),
    )


def suppressed_cells(data: BenchmarkData, loc: Locale) -> DataTable | None:
    rows = []
    for table in _tables(data):
        for r in table.rows:
            if not r["suppressed"]:
                continue
            group = r.get("sector", r.get("performer_group", ""))
            label = loc.sector(group) if "sector" in r else loc.t(f"group_{group}") if group else ""
            rows.append(
                (
                    loc.t("table_" + table.name),
                    r["market"],
                    str(r["year"]),
                    label,
                    _item(loc, table, r),
                    loc.count(r["n_respondents"]),
                    loc.count(r.get("n_organisations")),
                    reason_text(loc, r["suppression_reason"]),
                )
            )
    if not rows:
        return None
    return DataTable(
        headers=(
            loc.t("col_table"),
            loc.t("col_market"),
            loc.t("col_year"),
            "Sector",
            loc.t("col_item"),
            loc.t("col_respondents"),
            loc.t("col_organisations"),
            loc.t("col_reason"),
        ),
        rows=tuple(sorted(rows)),
        caption=loc.t("suppressed_cells_caption"),
        numeric_from=5,
        numeric_to=7,
    )


def base_table(data: BenchmarkData, loc: Locale) -> DataTable:
    """Respondents and organisations per market and year, per kind of question."""
    keys = sorted({(r["market"], r["year"]) for t in _tables(data)[:4] for r in t.rows})
    rows = []
    for market, year in keys:
        nps = data.nps.one(market=market, year=year, sector="ALL") or {}
        grade = data.grades.one(market=market, year=year, sector="ALL", aspect="overall") or {}
        touch = data.touchpoints.one(market=market, year=year, sector="ALL", touchpoint="ALL") or {}
        orgs = max(x.get("n_organisations") or 0 for x in (nps, grade, touch))
        rows.append(
            (
                market,
                str(year),
                loc.count(orgs),
                loc.count(nps.get("n_respondents")),
                loc.count(grade.get("n_respondents")),
                loc.count(touch.get("n_respondents")),
                loc.count(touch.get("n_ratings")),
            )
        )
    return DataTable(
        headers=(
            loc.t("col_market"),
            loc.t("col_year"),
            loc.t("col_organisations"),
            loc.t("col_n_recommend"),
            loc.t("col_n_grade"),
            loc.t("col_n_touch"),
            loc.t("col_ratings"),
        ),
        rows=tuple(rows),
        caption=loc.t("base_caption"),
        numeric_from=2,
    )


def publication_table(data: BenchmarkData, loc: Locale) -> DataTable:
    info = data.info
    published = info.get("published_at")
    when = (
        loc.date(published) + published.strftime(" %H:%M UTC")
        if isinstance(published, dt.datetime)
        else str(published or "\u2013")
    )
    rows = [
        (loc.t("info_edition"), str(info.get("edition", "\u2013"))),
        (loc.t("info_published"), when),
        (loc.t("info_fingerprint"), str(info.get("data_fingerprint") or "\u2013")),
        (loc.t("info_files"), loc.count(info.get("n_files"))),
        (loc.t("info_respondents"), loc.count(info.get("n_respondents"))),
        (loc.t("info_organisations"), loc.count(info.get("n_organisations"))),
        (loc.t("info_estimation"), str(info.get("estimation_method") or "\u2013")),
        (loc.t("info_disclosure"), str(info.get("disclosure_method") or "\u2013")),
        (loc.t("info_dbt"), str(info.get("dbt_version") or "\u2013")),
    ]
    return DataTable(
        headers=(loc.t("col_item"), loc.t("col_value")),
        rows=tuple(rows),
        caption=loc.t("info_caption"),
        numeric_from=2,
    )


def methodology_section(data: BenchmarkData, loc: Locale) -> Section:
    info = data.info
    thresholds = {
        "min_respondents": info.get("min_respondents", 30),
        "min_organisations": info.get("min_organisations", 3),
        "max_share": loc.number(100 * (info.get("max_organisation_share") or 0.5)),
        "protection": loc.number(100 * (info.get("protection_level") or 0.1)),
        "z": loc.number(info.get("z_value") or 1.96, 2),
        "min_answers": info.get("top_performer_min_answers", 30),
        "percentile": loc.ordinal(100 * (info.get("top_performer_percentile") or 0.75)),
    }
    blocks: list = [
        heading(loc.t("method_design_title")),
        loc.t("method_design"),
        loc.t("method_answers"),
        loc.t("method_intervals", **thresholds),
        loc.t("method_changes", **thresholds),
        loc.t("method_performers", **thresholds),
        loc.t("method_drivers"),
        heading(loc.t("method_disclosure_title")),
        loc.t("method_disclosure", **thresholds),
        loc.t("method_complementary", **thresholds),
        suppression_summary(data, loc),
    ]
    cells = suppressed_cells(data, loc)
    blocks.append(cells if cells else loc.t("method_nothing_suppressed"))
    blocks += [
        heading(loc.t("method_n_title")),
        loc.t("method_n"),
        base_table(data, loc),
        heading(loc.t("method_publication_title")),
        publication_table(data, loc),
        loc.t(
            "method_citation",
            edition=info.get("edition", "current"),
            fingerprint=info.get("data_fingerprint") or "\u2013",
        ),
    ]
    return Section("methodology", loc.t("methodology_title"), tuple(blocks))
