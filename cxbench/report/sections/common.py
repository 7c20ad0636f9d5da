"""Helpers the sections share: the n behind a figure, suppression reasons, change texts."""

from __future__ import annotations

import re
from collections.abc import Callable

from cxbench.report.data import Row
from cxbench.report.i18n import DASH, Locale
from cxbench.report.model import Markup
from cxbench.report.svg import esc

REASONS: tuple[tuple[str, str], ...] = (
    (r"^fewer than (?P<n>\d+) respondents$", "reason_respondents"),
    (r"^fewer than (?P<n>\d+) organisations$", "reason_organisations"),
    (r"^one organisation supplies more than (?P<n>[\d.]+)% of respondents$", "reason_dominance"),
    (
        r"^one organisation supplies more than (?P<n>[\d.]+)% of the weight$",
        "reason_dominance_weight",
    ),
    (r"^complementary:.*$", "reason_complementary"),
    (r"^too few organisations for the regression.*$", "reason_regression"),
)


def reason_text(loc: Locale, reason: str | None) -> str:
    """A published `suppression_reason` in the report's language (unknown ones verbatim)."""
    if not reason:
        return loc.t("reason_unknown")
    for pattern, key in REASONS:
        match = re.match(pattern, reason)
        if match:
            return loc.t(key, **match.groupdict())
    return reason


def suppressed_label(loc: Locale, row: Row) -> str:
    """`onderdrukt – minder dan 30 respondenten` for a chart row."""
    return f"{loc.t('suppressed')} \u2013 {reason_text(loc, row.get('suppression_reason'))}"


def heading(text: str) -> Markup:
    """A sub-heading inside a section."""
    return Markup(f"<h3>{esc(text)}</h3>")


def suppressed_cell(loc: Locale) -> Markup:
    return Markup(f'<span class="suppressed">{esc(loc.t("suppressed"))}</span>')


def n_note(loc: Locale, respondents: int | None, organisations: int | None) -> str:
    """`n = 4.021 respondenten, 45 organisaties`."""
    return loc.t("n_note", n=loc.count(respondents), orgs=loc.count(organisations))


def short_n(loc: Locale, respondents: int | None, organisations: int | None) -> str:
    """`n = 4.021 · 45 org.` for a chart column."""
    return loc.t("n_short", n=loc.count(respondents), orgs=loc.count(organisations))


def change_text(
    loc: Locale, change: float | None, significant: bool | None, fmt: Callable[[float], str]
) -> str:
    """`+3` or, when significant, `+3 ▲`; a dash when there is no previous year."""
    if change is None:
        return DASH
    text = fmt(change)
    if significant:
        text += " \u25b2" if change > 0 else " \u25bc" if change < 0 else ""
    return text


def significance_text(loc: Locale, significant: bool | None) -> str:
    if significant is None:
        return DASH
    return loc.t("significant") if significant else loc.t("not_significant")


def rank_rows(rows: list[Row], value: str) -> list[Row]:
    """Published rows from high to low, then suppressed rows (by sector code)."""
    shown = sorted(
        (r for r in rows if not r["suppressed"] and r.get(value) is not None),
        key=lambda r: -r[value],
    )
    hidden = sorted(
        (r for r in rows if r["suppressed"] or r.get(value) is None), key=lambda r: r["sector"]
    )
    return shown + hidden


def slug(*parts: object) -> str:
    """A file name stem for a figure: `fig-nps-trend-b2b`."""
    text = "-".join(str(p) for p in parts).lower()
    return "fig-" + re.sub(r"[^a-z0-9]+", "-", text).strip("-")
