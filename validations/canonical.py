"""Canonical survey file, format v1 (docs/contract.md §3): its columns and what they hold."""

from __future__ import annotations

import re

from validations.sectors import alias_key

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

# Personal data never enters the warehouse: dropped on read and reported per file. Delivered
# headers are matched loosely (case, accents, separators and camelCase do not matter) because
# every fieldwork tool names them differently: `RecipientEmail`, `E-mailadres`, `Naam klant`.
PERSONAL_DATA_WORDS = frozenset(
    {
        "bsn",
        "city",
        "dob",
        "iban",
        "ip",
        "mob",
        "naw",
        "tel",
        "text",
        "zip",
    }
)
PERSONAL_DATA_STEMS = (
    "mail",
    "name",
    "naam",
    "phone",
    "telefoon",
    "mobiel",
    "mobile",
    "address",
    "adres",
    "street",
    "straat",
    "postcode",
    "postalcode",
    "zipcode",
    "huisnummer",
    "woonplaats",
    "birth",
    "geboorte",
    "comment",
    "opmerking",
    "toelichting",
    "remark",
    "feedback",
    "freetext",
    "vrijetekst",
    "openanswer",
    "openantwoord",
    "latitude",
    "longitude",
    "contactperson",
    "contactpersoon",
)

# Canonical columns whose text (not a number, date or listed code) is stored as delivered: the
# only place a personal value could slip into the warehouse.
IDENTITY_COLUMNS = ("respondent_id", "organisation_id")
E_MAIL = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"


def header_words(column: str) -> list[str]:
    """The words of a delivered header: `RecipientLastName` -> recipient, last, name."""
    return alias_key(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", column)).split()


def is_personal_data(column: str) -> bool:
    """Whether a delivered (non-canonical) header names personal data: contact, name, free text."""
    words = header_words(column)
    compact = "".join(words)
    return bool(PERSONAL_DATA_WORDS.intersection(words)) or any(
        stem in compact for stem in PERSONAL_DATA_STEMS
    )


def is_canonical(column: str) -> bool:
    return column in REQUIRED_COLUMNS or column in OPTIONAL_COLUMNS or bool(ITEM_NAME.match(column))


def is_numeric(column: str) -> bool:
    """Canonical columns holding numbers (their decimal mark may need normalising)."""
    return column in ("year", "recommend", "weight") or column.startswith(tuple(ITEM_FAMILIES))


def answer_range(column: str) -> tuple[int, int] | None:
    """The canonical answer scale of an item column (docs/contract.md §3), None for others."""
    if column == "recommend":
        return (0, 10)
    if column.startswith("grade_"):
        return (1, 10)
    if column.startswith(("touch_", "agree_")):
        return (1, 5)
    return None


def normalise_column_name(column: str) -> str:
    """Header cells are compared without case, surrounding blanks or a byte-order mark."""
    return re.sub(r"\s+", "_", column.replace("\ufeff", "").strip().lower())
