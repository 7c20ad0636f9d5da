"""Write the demo landing set: one canonical-v1 CSV file per study, streamed study by study."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from orchestration.demo import customeyes, integron, kbo
from orchestration.demo.organisations import StudyTable

# Contract section 3: the order in which the canonical columns appear in a file.
LEADING = ("respondent_id", "organisation_id", "sector", "market", "year", "response_date")
ITEM_ORDER = ("recommend", "grade_overall", "grade_", "touch_", "agree_", "weight")


def column_order(columns: list[str]) -> list[str]:
    """Identity columns, then recommend, grades, contact moments, statements, weight."""

    def rank(column: str) -> tuple[int, int]:
        if column in LEADING:
            return 0, LEADING.index(column)
        for position, prefix in enumerate(ITEM_ORDER):
            if column == prefix or (prefix.endswith("_") and column.startswith(prefix)):
                return 1, position
        return 2, 0

    return sorted(columns, key=rank)


def all_studies(seed: int, scale: float) -> Iterator[StudyTable]:
    """Every study of the demo landing set, generated one at a time."""
    yield from integron.studies(seed, scale)
    yield from kbo.studies(seed, scale)
    yield from customeyes.studies(seed, scale)


def write_study(path: Path, study: StudyTable) -> None:
    """UTF-8, comma-separated, one header row, LF line ends; written to a temporary name first."""
    names = column_order(list(study.columns))
    lines = [",".join(names)]
    lines.extend(",".join(row) for row in zip(*(study.columns[n] for n in names), strict=True))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\n".join(lines) + "\n")
    os.replace(partial, path)


def write_demo_landing(dest: Path, seed: int = 2021, scale: float = 1.0) -> list[Path]:
    """Write the demo landing set under `dest` and return the files written, in order.

    Three calibrated series reproduce the published figures of `seed-figures.md`: the Integron
    B2B benchmark 2018-2020, the Klantbelevingsonderzoek B2C 2011-2012 and the Customeyes grade
    trends B2C 2007-2013. `scale` multiplies the number of studies (organisations) per year; the
    same seed and scale always give byte-identical files.
    """
    if not scale > 0:
        raise ValueError(f"scale must be greater than 0, got {scale}")
    dest = Path(dest)
    written = []
    for study in all_studies(seed, scale):
        path = dest.joinpath(*study.path.parts)
        write_study(path, study)
        written.append(path)
    return written
