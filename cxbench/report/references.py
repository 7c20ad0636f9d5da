"""Labels of sectors, contact moments, statements and grade aspects, from the dbt seeds.

The seeds (`dbt_project/seeds/*_reference.csv`) are the single source, so the report, the
warehouse's `reference` schema and BI tools name things alike. A code missing from a reference
is shown readably (`knows_customer` -> `knows customer`) rather than failing the report.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from cxbench.settings import SEEDS_DIR
from validations.sectors import sectors

SEEDS = SEEDS_DIR


def read_reference(name: str, key: str) -> dict[str, tuple[str, str]]:
    """`code -> (label_nl, label_en)` from the seed `<name>.csv` keyed by column `key`."""
    with (SEEDS / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return {row[key]: (row["label_nl"], row["label_en"]) for row in csv.DictReader(handle)}


def _pick(reference: dict[str, tuple[str, str]], code: str, lang: str) -> str:
    if code in reference:
        return reference[code][0 if lang == "nl" else 1]
    return code.replace("_", " ")


@dataclass(frozen=True)
class Labels:
    """The references, with their codes in the order the seeds list them."""

    sectors: dict[str, tuple[str, str]]
    touchpoints: dict[str, tuple[str, str]]
    statements: dict[str, tuple[str, str]]
    aspects: dict[str, tuple[str, str]]

    def sector(self, code: str, lang: str) -> str:
        return _pick(self.sectors, code, lang)

    def touchpoint(self, code: str, lang: str) -> str:
        return _pick(self.touchpoints, code, lang)

    def statement(self, code: str, lang: str) -> str:
        return _pick(self.statements, code, lang)

    def aspect(self, code: str, lang: str) -> str:
        return _pick(self.aspects, code, lang)

    @staticmethod
    def order(reference: dict[str, tuple[str, str]], codes: list[str]) -> list[str]:
        """`codes` in the reference's order, unknown codes last (alphabetically)."""
        known = [c for c in reference if c in codes]
        return known + sorted(c for c in codes if c not in reference)


@cache
def labels() -> Labels:
    return Labels(
        sectors={s.code: (s.label_nl, s.label_en) for s in sectors().values()},
        touchpoints=read_reference("touchpoint_reference", "touchpoint"),
        statements=read_reference("statement_reference", "statement"),
        aspects=read_reference("aspect_reference", "aspect"),
    )
