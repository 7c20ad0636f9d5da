"""Language: number notation, dates and labels in Dutch (the default) or English.

Dutch writes 7,8 and 4.021; English 7.8 and 4,021. Signed figures (NPS, changes) carry an
explicit + and a true minus sign; a value that rounds to zero has no sign.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cxbench.report.references import Labels, labels
from cxbench.report.texts import TEXTS

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
MINUS = "\u2212"
DASH = "\u2013"
MONTHS = {
    "nl": (
        "januari februari maart april mei juni juli augustus september oktober november december"
    ).split(),
    "en": (
        "January February March April May June July August September October November December"
    ).split(),
}


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown report language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    return lang


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value: float | None, lang: str, decimals: int = 0, signed: bool = False) -> str:
    """`value` rounded half away from zero, in the language's notation; a dash when missing."""
    check_language(lang)
    if is_missing(value):
        return DASH
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    digits = f"{abs(rounded):,.{decimals}f}"
    if lang == "nl":
        digits = digits.translate(str.maketrans({",": ".", ".": ","}))
    sign = MINUS if rounded < 0 else ("+" if signed and rounded > 0 else "")
    return sign + digits


def format_percent(value: float | None, lang: str, decimals: int = 0) -> str:
    text = format_number(value, lang, decimals)
    return text if text == DASH else f"{text}%"


def format_date(moment: dt.date | dt.datetime, lang: str) -> str:
    month = MONTHS[check_language(lang)][moment.month - 1]
    return f"{moment.day} {month} {moment.year}"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Locale:
    """Everything language-dependent the report needs: texts, labels and number notation."""

    lang: str = DEFAULT_LANGUAGE

    def __post_init__(self) -> None:
        check_language(self.lang)

    @property
    def labels(self) -> Labels:
        return labels()

    def t(self, key: str, **values: object) -> str:
        """The text `key` in this language, with `{name}` placeholders filled in."""
        text = TEXTS[key][0 if self.lang == "nl" else 1]
        return text.format(**values) if values else text

    def number(self, value: float | None, decimals: int = 0) -> str:
        return format_number(value, self.lang, decimals)

    def signed(self, value: float | None, decimals: int = 0) -> str:
        return format_number(value, self.lang, decimals, signed=True)

    def percent(self, value: float | None, decimals: int = 0) -> str:
        return format_percent(value, self.lang, decimals)

    def grade(self, value: float | None) -> str:
        return format_number(value, self.lang, 1)

    def count(self, value: int | None) -> str:
        return format_number(value, self.lang, 0)

    def date(self, moment: dt.date | dt.datetime) -> str:
        return format_date(moment, self.lang)

    def interval(
        self, low: float | None, high: float | None, decimals: int = 0, signed: bool = False
    ) -> str:
        """`7,7 tot 7,9` / `7.7 to 7.9` for a confidence interval (a dash between signed bounds
        would read as a minus); a dash when either bound is missing."""
        if is_missing(low) or is_missing(high):
            return DASH
        fmt = self.signed if signed else self.number
        return f"{fmt(low, decimals)} {self.t('to')} {fmt(high, decimals)}"

    def ordinal(self, value: float | None) -> str:
        """`75e` / `75th` (rounded to a whole number)."""
        text = self.number(value)
        if text == DASH:
            return text
        if self.lang == "nl":
            return f"{text}e"
        whole = int(text.replace(",", "").lstrip(MINUS))
        suffix = (
            "th"
            if whole % 100 in (11, 12, 13)
            else {1: "st", 2: "nd", 3: "rd"}.get(whole % 10, "th")
        )
        return f"{text}{suffix}"

    def sector(self, code: str) -> str:
        if code == "ALL":
            return self.t("all_sectors")
        return self.labels.sector(code, self.lang)

    def touchpoint(self, code: str) -> str:
        if code == "ALL":
            return self.t("all_touchpoints")
        return self.labels.touchpoint(code, self.lang)

    def statement(self, code: str) -> str:
        return self.labels.statement(code, self.lang)

    def aspect(self, code: str) -> str:
        return self.labels.aspect(code, self.lang)

    def market(self, code: str) -> str:
        return self.t(f"market_{code}") if f"market_{code}" in TEXTS else code

    def join(self, items: list[str]) -> str:
        """`a, b en c` / `a, b and c`."""
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.t('and')} {items[-1]}"
