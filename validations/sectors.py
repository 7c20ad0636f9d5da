"""The sector reference: codes, markets, labels and aliases.

The single source is the dbt seed `dbt_project/seeds/sector_reference.csv`, so validation and the
benchmark tables cannot disagree about which sectors exist. New codes are added there.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path


def _sector_seed() -> Path:
    """The seed inside the dbt project that ships in the cxbench distribution.

    Found through the package's location, without importing it: validations sits below cxbench
    in the import graph, and the seed is data, not code.
    """
    spec = find_spec("cxbench")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cxbench package (and its dbt project) is not installed")
    package = Path(next(iter(spec.submodule_search_locations)))
    return (package / "dbt_project" / "seeds" / "sector_reference.csv").resolve()


SECTOR_SEED = _sector_seed()
MARKETS = ("B2B", "B2C")


def alias_key(text: str) -> str:
    """How a sector name is compared: accents, case, punctuation and spacing do not matter."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()


@dataclass(frozen=True)
class Sector:
    code: str
    market: str
    label_nl: str
    label_en: str
    aliases: tuple[str, ...]


@cache
def sectors(seed: Path = SECTOR_SEED) -> dict[str, Sector]:
    with seed.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["sector"]: Sector(
            code=row["sector"],
            market=row["market"],
            label_nl=row["label_nl"],
            label_en=row["label_en"],
            aliases=tuple(a for a in row["aliases"].split("|") if a),
        )
        for row in rows
    }


@cache
def alias_lookup(seed: Path = SECTOR_SEED) -> dict[str, str]:
    """Every accepted spelling (code, labels, aliases) as `alias_key` -> sector code."""
    lookup: dict[str, str] = {}
    for sector in sectors(seed).values():
        for name in (sector.code, sector.label_nl, sector.label_en, *sector.aliases):
            key = alias_key(name)
            other = lookup.setdefault(key, sector.code)
            if other != sector.code:
                raise ValueError(f"sector alias {name!r} names both {other} and {sector.code}")
    return lookup


def sector_market(code: str) -> str | None:
    sector = sectors().get(code)
    return sector.market if sector else None
