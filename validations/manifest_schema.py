"""The study manifest: what a delivered file cannot say itself (docs/deliveries.md).

A manifest is YAML beside the delivery. This module is its contract: every key, its type, and
the rules that can be checked without the file (names onto canonical columns, known sector,
well-defined scales). Whether the manifest fits its file is checked when the file is read.
"""

from __future__ import annotations

import codecs
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from validations.canonical import (
    IDENTITY_COLUMNS,
    answer_range,
    is_canonical,
    is_personal_data,
    normalise_column_name,
)
from validations.sectors import MARKETS, alias_key, alias_lookup

Cell = str | int | float | bool | None
# Identity columns keep their text: a personal-data column mapped onto them would be stored.
TEXT_COLUMNS = (*IDENTITY_COLUMNS, "sector", "market", "response_date")


def cell_text(value: Cell) -> str | None:
    """A YAML scalar as the text it stands for in a file: 10 -> "10", 10.0 -> "10"."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Strict):
    """`{from: [1, 11]}`: the delivered codes of an item, shifted onto its canonical range."""

    from_: tuple[int, int] = Field(alias="from")


class StudyManifest(_Strict):
    """One manifest: constants, column mapping, recodes and reading options."""

    organisation: Annotated[str, Field(min_length=1)] | None = None
    sector: str | None = None
    market: str | None = None
    year: int | None = None
    columns: dict[str, str] = {}
    recode: dict[str, dict[Cell, Cell]] = {}
    scale: dict[str, Scale] = {}
    value_labels: list[str] = []
    missing_values: list[Cell] = []
    drop: list[str] = []
    sheet: str | int | None = None
    delimiter: str | None = None
    encoding: str | None = None
    decimal: Literal[",", "."] | None = None
    skip_rows: Annotated[int, Field(ge=0)] = 0
    header_rows: Annotated[int, Field(ge=1)] | None = None
    date_format: str | None = None

    @field_validator("organisation", mode="before")
    @classmethod
    def _code_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("sector")
    @classmethod
    def _known_sector(cls, value: str | None) -> str | None:
        if value is not None and alias_key(value) not in alias_lookup():
            raise ValueError(f"{value!r} is not a known sector code or alias")
        return value

    @field_validator("market")
    @classmethod
    def _known_market(cls, value: str | None) -> str | None:
        if value is not None and value.upper() not in MARKETS:
            raise ValueError(f"must be one of {', '.join(MARKETS)}, not {value!r}")
        return value.upper() if value else value

    @field_validator("columns")
    @classmethod
    def _onto_canonical(cls, columns: dict[str, str]) -> dict[str, str]:
        targets: dict[str, str] = {}
        for source, target in columns.items():
            if not is_canonical(target):
                raise ValueError(f"{target!r} (for {source!r}) is not a canonical column")
            if target in targets:
                raise ValueError(f"{targets[target]!r} and {source!r} both map onto {target}")
            if target in TEXT_COLUMNS and is_personal_data(source):
                raise ValueError(f"{source!r} looks like personal data and may not become {target}")
            targets[target] = source
        return columns

    @field_validator("recode", "scale")
    @classmethod
    def _canonical_keys(cls, items: dict) -> dict:
        for column in items:
            if not is_canonical(column):
                raise ValueError(f"{column!r} is not a canonical column (use its canonical name)")
        return items

    @field_validator("scale")
    @classmethod
    def _shift_only(cls, scale: dict[str, Scale]) -> dict[str, Scale]:
        for column, spec in scale.items():
            canonical = answer_range(column)
            low, high = spec.from_
            if canonical is None:
                raise ValueError(f"{column} is not an answer item with a scale")
            if high - low != canonical[1] - canonical[0]:
                raise ValueError(
                    f"{column} from [{low}, {high}] cannot be shifted onto "
                    f"{canonical[0]}-{canonical[1]}: only a shift of the codes is well-defined; "
                    "map other scales value by value under `recode`"
                )
        return scale

    @field_validator("delimiter")
    @classmethod
    def _one_character(cls, value: str | None) -> str | None:
        if value is not None and value.lower() in ("tab", "\\t"):
            return "\t"
        if value is not None and len(value) != 1:
            raise ValueError(f"must be one character (or 'tab'), not {value!r}")
        return value

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                return codecs.lookup(value).name
            except LookupError:
                raise ValueError(f"{value!r} is not a known text encoding") from None
        return value

    @model_validator(mode="after")
    def _one_rule_per_column(self) -> StudyManifest:
        both = sorted(set(self.recode) & set(self.scale))
        if both:
            raise ValueError(f"{', '.join(both)}: give either `recode` or `scale`, not both")
        mapped = {normalise_column_name(c) for c in self.columns}
        dropped = sorted(set(map(normalise_column_name, self.drop)) & mapped)
        if dropped:
            raise ValueError(f"{', '.join(dropped)}: both mapped and dropped")
        return self

    @property
    def constants(self) -> dict[str, str]:
        """Canonical columns the manifest fills in, as text like any delivered cell."""
        values = {
            "organisation_id": self.organisation,
            "sector": self.sector,
            "market": self.market,
            "year": None if self.year is None else str(self.year),
        }
        return {column: value for column, value in values.items() if value is not None}

    @property
    def missing_text(self) -> dict[str, None]:
        """Cells that mean "no answer" in this delivery (e.g. R's `NA`), as a recode to empty."""
        return {cell_text(v) or "": None for v in self.missing_values}

    def recode_text(self, column: str) -> dict[str, str | None]:
        """The recode of one canonical column with keys and values as cell text."""
        return {cell_text(k) or "": cell_text(v) for k, v in self.recode.get(column, {}).items()}
