"""Assemble the report from the published tables, and write it (page plus chart images)."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import replace
from pathlib import Path

from cxbench.report.data import BenchmarkData, Table, load_positions, load_snapshot
from cxbench.report.html import render_page
from cxbench.report.i18n import DEFAULT_LANGUAGE, Locale
from cxbench.report.model import Figure, Report, Section
from cxbench.report.sections.changes import changes_section
from cxbench.report.sections.client import client_section
from cxbench.report.sections.drivers import drivers_section
from cxbench.report.sections.grades import grades_section
from cxbench.report.sections.methodology import methodology_section
from cxbench.report.sections.nps import (
    distribution_section,
    nps_trend_section,
    sectors_section,
)
from cxbench.report.sections.overview import overview_section
from cxbench.report.sections.performers import performers_section
from cxbench.report.sections.statements import statements_section
from cxbench.report.sections.touchpoints import touchpoints_section
from cxbench.settings import DataHome

REPORT_PAGE = "index.html"
POSITIONS_FILE = "organisation_positions.parquet"
GRADES_FILE = "organisation_grades.parquet"
ORGANISATION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def build_report(
    data: BenchmarkData, lang: str = DEFAULT_LANGUAGE, organisation: str | None = None
) -> Report:
    """The whole report in `lang`; with `organisation`, the client edition (its markets only,
    opened by its position against its sector)."""
    loc = Locale(lang)
    if organisation is not None:
        markets = set(data.positions.values("market"))
        data = _only_markets(data, markets)
    sections: list[Section] = [overview_section(data, loc)]
    if organisation is not None:
        sections.append(client_section(data, loc, organisation))
    sections += [
        nps_trend_section(data, loc),
        sectors_section(data, loc),
        distribution_section(data, loc),
        grades_section(data, loc),
        touchpoints_section(data, loc),
        statements_section(data, loc),
        performers_section(data, loc),
        drivers_section(data, loc),
        changes_section(data, loc),
        methodology_section(data, loc),
    ]
    figures = tuple(b for s in sections for b in s.blocks if isinstance(b, Figure))
    info = data.info
    published = info.get("published_at")
    meta = loc.t(
        "meta",
        edition=info.get("edition", "\u2013"),
        date=loc.date(published) if isinstance(published, dt.date) else "\u2013",
        respondents=loc.count(info.get("n_respondents")),
        organisations=loc.count(info.get("n_organisations")),
    )
    html = render_page(
        loc,
        title=loc.t("title")
        if organisation is None
        else loc.t("client_page_title", organisation=organisation),
        kicker=loc.t("kicker"),
        meta=meta,
        sections=sections,
        footer=loc.t("footer", fingerprint=info.get("data_fingerprint") or "\u2013"),
        notice=loc.t("confidential", organisation=organisation) if organisation else "",
        link_images=organisation is None,
    )
    return Report(lang=lang, html=html + "\n", figures=figures, sections=tuple(sections))


def _only_markets(data: BenchmarkData, markets: set[str]) -> BenchmarkData:
    def keep(table: Table) -> Table:
        return Table(table.name, tuple(r for r in table.rows if r.get("market") in markets))

    return replace(
        data,
        nps=keep(data.nps),
        grades=keep(data.grades),
        touchpoints=keep(data.touchpoints),
        statements=keep(data.statements),
        top_performers=keep(data.top_performers),
        drivers=keep(data.drivers),
    )


def _write_atomic(path: Path, text: str) -> None:
    """Write beside the target and rename: a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_report(
    report: Report, folder: Path, page: str = REPORT_PAGE, images: bool = True
) -> list[Path]:
    """Write the page (and each chart as `<slug>.svg`) into `folder`; chart images of an
    earlier report that this one no longer has are removed."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    if images:
        for name, svg in report.images.items():
            _write_atomic(folder / name, '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n")
            written.append(folder / name)
        for stale in folder.glob("fig-*.svg"):
            if stale.name not in report.images:
                stale.unlink()
    _write_atomic(folder / page, report.html)
    return [folder / page, *written]


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def publish_report(
    home: DataHome,
    lang: str = DEFAULT_LANGUAGE,
    organisation: str | None = None,
    dest: Path | None = None,
) -> list[Path]:
    """Build the report from the data home's publication and write it.

    Public edition: `published/report/index.html` plus one SVG per chart. Client edition
    (`organisation`): `published/restricted/report_<organisation>.html`, never into a public
    folder, as it is built from the restricted positions table.
    """
    data = load_snapshot(home.snapshot)
    if organisation is None:
        report = build_report(data, lang)
        return write_report(report, dest or home.published / "report")
    if not ORGANISATION_ID.match(organisation):
        raise ValueError(f"not an organisation code: {organisation!r}")
    folder = dest or home.restricted
    if _inside(folder, home.published) and not _inside(folder, home.restricted):
        raise ValueError(
            f"a client edition names an organisation: write it under {home.restricted}, "
            f"not into the public folder {folder}"
        )
    positions = load_positions(home.restricted / POSITIONS_FILE, organisation)
    if not positions:
        raise ValueError(f"organisation {organisation} has no published position")
    grades_file = home.restricted / GRADES_FILE
    # Publications from before organisation_grades existed: the client edition without it.
    grades = load_positions(grades_file, organisation) if grades_file.exists() else []
    data = replace(
        data,
        positions=Table.of("organisation_positions", positions),
        organisation_grades=Table.of("organisation_grades", grades),
    )
    report = build_report(data, lang, organisation)
    return write_report(report, folder, page=f"report_{organisation}.html", images=False)
