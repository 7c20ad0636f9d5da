"""What the demo tests share: a demo set's calibrated rows, and what kind a delivered file is."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from cxbench.demo.mess import EMPTY_EXPORT
from cxbench.demo.writer import README, all_studies

SEED = 2021
NUMERIC = pl.selectors.starts_with("recommend", "grade_", "touch_", "agree_", "weight")
# Extra files of the mess (mess.py): not studies, so not part of the layout mix.
EXTRA_SUFFIXES = ("_first_export.csv", "_upload.xlsx")


def calibrated_rows(seed: int = SEED, scale: float = 1.0) -> pl.DataFrame:
    """Every study's rows as the generator produced them, typed like the canonical format."""
    frames = [pl.DataFrame(study.columns) for study in all_studies(seed, scale)]
    data = pl.concat(frames, how="diagonal")
    return data.with_columns(pl.all().replace("", None)).with_columns(
        pl.col("year").cast(pl.Int64),
        pl.col("response_date").str.to_date("%Y-%m-%d"),
        NUMERIC.cast(pl.Float64),
    )


def survey_files(dest: Path) -> list[Path]:
    """The delivered files cxbench reads: everything but manifests and the README."""
    return sorted(
        p for p in dest.rglob("*") if p.is_file() and p.suffix != ".yml" and p.name != README
    )


def is_extra(path: Path) -> bool:
    """A file the mess adds next to the studies: a bad file, a copy or a first delivery."""
    name = path.name
    corrected = any(path.parent.glob(f"{path.stem}_corrected.*"))
    return name == EMPTY_EXPORT or name.endswith(EXTRA_SUFFIXES) or "_resent." in name or corrected


def study_files(dest: Path) -> list[Path]:
    """One delivered file per study: the survey files without the mess's extra files."""
    return [p for p in survey_files(dest) if not is_extra(p)]


def layout_of(path: Path) -> str:
    """The layout of a delivered study file, from its name and first line."""
    kinds = {".xlsx": "xlsx", ".sav": "spss", ".parquet": "parquet"}
    if path.suffix in kinds:
        return kinds[path.suffix]
    head = path.read_bytes()[:4096].decode("utf-8-sig", errors="replace")
    if '"ImportId"' in head:
        return "qualtrics"
    return "dutch_csv" if ";" in head.splitlines()[0] else "canonical"
