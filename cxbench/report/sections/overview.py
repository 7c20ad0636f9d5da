"""The opening: key figures per market and the main findings in a few sentences."""

from __future__ import annotations

from cxbench.report.data import BenchmarkData
from cxbench.report.i18n import Locale
from cxbench.report.model import Markup, Section
from cxbench.report.sections.common import rank_rows
from cxbench.report.sections.performers import performer_year
from cxbench.report.sections.touchpoints import extremes_sentence
from cxbench.report.svg import esc


def _card(label: str, value: str, detail: str, small: bool = False) -> str:
    value_class = "card-value small" if small else "card-value"
    return (
        f'<div class="card"><div class="card-label">{esc(label)}</div>'
        f'<div class="{value_class}">{esc(value)}</div>'
        f'<div class="card-detail">{esc(detail)}</div></div>'
    )


def key_figures(data: BenchmarkData, loc: Locale, market: str) -> Markup:
    cards = []
    year = data.nps.latest_year(market)
    total = data.nps.one(market=market, year=year, sector="ALL") if year else None
    if total and not total["suppressed"]:
        change = (
            loc.t(
                "card_change",
                change=loc.signed(total["nps_change"]),
                year=year - 1,
                significance=loc.t("significant")
                if total["nps_change_significant"]
                else loc.t("not_significant"),
            )
            if total["nps_change"] is not None
            else ""
        )
        cards.append(
            _card(
                loc.t("card_nps", year=year),
                loc.signed(total["nps"]),
                loc.t(
                    "card_interval",
                    interval=loc.interval(total["nps_ci_low"], total["nps_ci_high"], signed=True),
                )
                + change,
            )
        )
        cards.append(
            _card(
                loc.t("card_shares", year=year),
                f"{loc.percent(total['pct_promoters'])} / {loc.percent(total['pct_passives'])} / "
                f"{loc.percent(total['pct_detractors'])}",
                loc.t("card_shares_detail"),
                small=True,
            )
        )
    grade_year = data.grades.latest_year(market)
    grade = data.grades.one(market=market, year=grade_year, sector="ALL", aspect="overall")
    if grade and not grade["suppressed"]:
        cards.append(
            _card(
                loc.t("card_grade", year=grade_year),
                loc.grade(grade["mean_grade"]),
                loc.t("card_interval", interval=loc.interval(grade["ci_low"], grade["ci_high"], 1)),
            )
        )
    respondents = (total or grade or {}).get("n_respondents")
    organisations = (total or grade or {}).get("n_organisations")
    cards.append(
        _card(
            loc.t("card_base", year=year or grade_year or ""),
            loc.count(respondents),
            loc.t("card_base_detail", orgs=loc.count(organisations)),
        )
    )
    heading = f'<h3 class="market">{esc(loc.market(market))}</h3>'
    return Markup(heading + '<div class="cards">' + "".join(cards) + "</div>")


def findings(data: BenchmarkData, loc: Locale) -> list[str]:
    """Sentences like the seed studies' headlines, each derived from published cells only."""
    found = []
    for market in data.nps.markets():
        year = data.nps.latest_year(market)
        rows = [r for r in data.nps.where(market=market, year=year) if r["sector"] != "ALL"]
        ranked = [r for r in rank_rows(rows, "nps") if not r["suppressed"]]
        if len(ranked) >= 2:
            found.append(
                loc.t(
                    "finding_sectors",
                    market=market,
                    year=year,
                    best=loc.sector(ranked[0]["sector"]),
                    best_nps=loc.signed(ranked[0]["nps"]),
                    worst=loc.sector(ranked[-1]["sector"]),
                    worst_nps=loc.signed(ranked[-1]["nps"]),
                )
            )
        negative = [loc.sector(r["sector"]) for r in ranked if r["nps"] < 0]
        if negative and len(negative) < len(ranked):
            found.append(loc.t("finding_negative", year=year, sectors=loc.join(negative)))
    for market in data.top_performers.markets():
        year = performer_year(data, market)
        top = (
            data.top_performers.one(
                market=market, year=year, performer_group="top_performers", measure="nps"
            )
            if year
            else None
        )
        others = (
            data.top_performers.one(
                market=market, year=year, performer_group="others", measure="nps"
            )
            if year
            else None
        )
        if top and others and not top["suppressed"] and not others["suppressed"]:
            found.append(
                loc.t(
                    "finding_performers",
                    market=market,
                    year=year,
                    top=loc.signed(top["value"]),
                    others=loc.signed(others["value"]),
                )
            )
    for market in data.touchpoints.markets():
        year = data.touchpoints.latest_year(market)
        sentence = extremes_sentence(data, loc, "finding_touchpoints", market, year)
        if sentence:
            found.append(sentence)
    return found


def overview_section(data: BenchmarkData, loc: Locale) -> Section:
    blocks: list = [key_figures(data, loc, m) for m in data.markets()]
    sentences = findings(data, loc)
    if sentences:
        items = "".join(f"<li>{esc(s)}</li>" for s in sentences)
        blocks.append(
            Markup(f'<h3>{esc(loc.t("findings_title"))}</h3><ul class="findings">{items}</ul>')
        )
    return Section("summary", loc.t("summary_title"), tuple(blocks))
