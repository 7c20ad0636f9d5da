"""Canonical survey file, format v1 (contract section 3): which columns exist and what they hold."""

from __future__ import annotations

import re

REQUIRED_COLUMNS = ("respondent_id", "organisation_id", "sector", "market", "year")
OPTIONAL_COLUMNS = ("response_date", "recommend", "weight")

# Item families: `<prefix><name>`; the name becomes the aspect, contact moment or statement.
ITEM_FAMILIES = {
    "grade_": "grade",  # number 1-10 (report grade)
    "touch_": "touchpoint",  # integer 1-5 (experience of a contact moment)
    "agree_": "statement",  # integer 1-5 (agreement with a statement)
}
ITEM_NAME = re.compile(r"^(grade|touch|agree)_[a-z][a-z0-9_]*$")

TOUCHPOINTS = (
    "start_relationship",
    "information",
    "payment",
    "question",
    "complaint",
    "service_request",
)

# Personal data never enters the warehouse: dropped on read and reported per file.
PERSONAL_DATA_COLUMNS = frozenset(
    {
        "email",
        "e_mail",
        "emailadres",
        "mail",
        "name",
        "naam",
        "first_name",
        "last_name",
        "full_name",
        "voornaam",
        "achternaam",
        "phone",
        "telephone",
        "telefoon",
        "telefoonnummer",
        "mobile",
        "mobiel",
        "address",
        "adres",
        "street",
        "straat",
        "postcode",
        "zip",
        "zipcode",
        "comment",
        "comments",
        "remark",
        "remarks",
        "opmerking",
        "opmerkingen",
        "toelichting",
        "free_text",
        "feedback",
        "open_answer",
    }
)
PERSONAL_DATA_PREFIXES = ("comment_", "opmerking_", "toelichting_", "open_", "text_", "free_text_")


def is_personal_data(column: str) -> bool:
    return column in PERSONAL_DATA_COLUMNS or column.startswith(PERSONAL_DATA_PREFIXES)


def is_canonical(column: str) -> bool:
    return column in REQUIRED_COLUMNS or column in OPTIONAL_COLUMNS or bool(ITEM_NAME.match(column))


def normalise_column_name(column: str) -> str:
    """Header cells are compared without case, surrounding blanks or a byte-order mark."""
    return re.sub(r"\s+", "_", column.replace("\ufeff", "").strip().lower())
