"""Number notation and labels in Dutch and English."""

from __future__ import annotations

import datetime as dt

import pytest

from cxbench.report.i18n import Locale, format_number, format_percent
from cxbench.report.references import labels


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "signed", "expected"),
    [
        (7.8, "nl", 1, False, "7,8"),
        (7.8, "en", 1, False, "7.8"),
        (7.75, "nl", 1, False, "7,8"),  # half away from zero, not to even
        (2.45, "en", 1, False, "2.5"),
        (11.1, "nl", 0, True, "+11"),
        (11.1, "en", 0, True, "+11"),
        (-4.4, "nl", 0, True, "\u22124"),
        (-4.6, "en", 0, False, "\u22125"),
        (-0.4, "nl", 0, True, "0"),  # no sign on a value that rounds to zero
        (0.0, "en", 1, True, "0.0"),
        (4021, "nl", 0, False, "4.021"),
        (4021, "en", 0, False, "4,021"),
        (100642, "nl", 0, False, "100.642"),
        (1234.5, "nl", 1, False, "1.234,5"),
        (1234.5, "en", 1, False, "1,234.5"),
        (None, "nl", 0, False, "\u2013"),
        (float("nan"), "en", 1, False, "\u2013"),
    ],
)
def test_format_number(value, lang, decimals, signed, expected):
    assert format_number(value, lang, decimals, signed) == expected


def test_percent_and_grade():
    nl, en = Locale("nl"), Locale("en")
    assert format_percent(29.4, "nl") == "29%"
    assert format_percent(None, "nl") == "\u2013"
    assert nl.grade(7.8) == "7,8" and en.grade(7.8) == "7.8"
    assert nl.signed(40.3) == "+40" and en.signed(-20.1) == "\u221220"
    assert nl.interval(7.7, 7.9, 1) == "7,7 tot 7,9"
    assert en.interval(-25.2, -15.0, signed=True) == "\u221225 to \u221215"
    assert en.interval(None, 3) == "\u2013"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"), (22, "22nd"), (75, "75th"), (100, "100th")],
)
def test_english_ordinals(value, expected):
    assert Locale("en").ordinal(value) == expected


def test_dutch_ordinal_and_dates():
    assert Locale("nl").ordinal(75) == "75e"
    assert Locale("nl").date(dt.date(2026, 11, 22)) == "22 november 2026"
    assert Locale("en").date(dt.datetime(2026, 11, 22, 15, 0)) == "22 November 2026"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="nl, en"):
        Locale("de")
    with pytest.raises(ValueError):
        format_number(1.0, "fr")


def test_labels_come_from_the_references():
    nl, en = Locale("nl"), Locale("en")
    assert nl.sector("wholesale") == "Groothandel" and en.sector("wholesale") == "Wholesale"
    assert nl.sector("ALL") == "Alle sectoren"
    assert nl.touchpoint("complaint") == "klagen" and en.touchpoint("complaint") == "complaint"
    assert nl.statement("welcome") == "Ik voel me welkom"
    assert nl.aspect("complaint_handling") == "klachtafhandeling"
    assert nl.aspect("not_in_reference") == "not in reference"
    assert nl.join(["a", "b", "c"]) == "a, b en c" and en.join(["a", "b"]) == "a and b"


def test_references_cover_the_contract_items():
    """docs/contract.md §3: six contact moments; the four statements of the seed studies."""
    reference = labels()
    assert list(reference.touchpoints) == [
        "start_relationship",
        "information",
        "payment",
        "question",
        "complaint",
        "service_request",
    ]
    assert set(reference.statements) == {"welcome", "valued", "important", "authentic"}
    assert "overall" in reference.aspects
    assert all(nl and en for nl, en in reference.touchpoints.values())
