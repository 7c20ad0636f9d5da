"""Map a delivered table onto the canonical survey layout (docs/contract.md §3, §4).

Columns: the manifest's mapping, else the delivered name compared without case or blanks;
personal-data columns are dropped and reported, other unknown columns ignored and reported.
Values: the manifest's constants, value labels, recodes and scale shifts, decimal commas, sector
and market aliases. Whatever cannot be made canonical stays as delivered, so that validation
quarantines it with the value the file holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from cxbench.ingest.manifest import NO_MANIFEST
from cxbench.ingest.readers import DeliveredTable, ManifestMismatch, RejectedFile
from cxbench.ingest.values import canonical_values
from validations.canonical import (
    E_MAIL,
    IDENTITY_COLUMNS,
    REQUIRED_COLUMNS,
    is_canonical,
    is_personal_data,
    normalise_column_name,
)
from validations.manifest_schema import StudyManifest

# polars (and the workbook reader) name a repeated header `<name>_duplicated_<n>`.
REPEATED = re.compile(r"^(?P<name>.*)_duplicated_\d+$")


@dataclass(frozen=True)
class CanonicalRows:
    frame: pl.DataFrame  # canonical columns only, as text, empty cells as null
    as_delivered: pl.DataFrame  # the delivered cells of `frame`'s columns, before any recode
    row_numbers: pl.Series  # per row of `frame`: its data row in the file (1 = first)
    ignored_columns: tuple[str, ...]  # unknown columns, reported in file_log
    personal_data_columns: tuple[str, ...]  # dropped before anything is stored


@dataclass(frozen=True)
class ColumnPlan:
    """Delivered column -> canonical column, and what is left out (and why)."""

    canonical: dict[str, str]
    ignored: tuple[str, ...]
    personal: tuple[str, ...]


def plan_columns(delivered: list[str], manifest: StudyManifest) -> ColumnPlan:
    """Decide each delivered column's fate; a manifest that does not fit the file is an error."""
    by_key = {normalise_column_name(c): c for c in delivered}
    mapping = {normalise_column_name(s): t for s, t in manifest.columns.items()}
    missing = [s for s in manifest.columns if normalise_column_name(s) not in by_key]
    missing += [s for s in manifest.value_labels if normalise_column_name(s) not in by_key]
    if missing:
        raise ManifestMismatch(f"column(s) {_names(missing)} not in the file")
    dropped = {normalise_column_name(c) for c in manifest.drop}
    canonical: dict[str, str] = {}
    ignored, personal = [], []
    for column in delivered:
        key = normalise_column_name(column)
        target = mapping.get(key, key)
        if is_canonical(target):
            if key not in dropped:
                canonical[column] = target
        elif is_personal_data(column):
            personal.append(key)
        elif _repeat_of(key) and is_canonical(mapping.get(_repeat_of(key), _repeat_of(key))):
            raise RejectedFile(f"column {_repeat_of(key)!r} appears more than once")
        elif key not in dropped and _repeat_of(key) != "":
            ignored.append(key)
    _one_source_each(canonical)
    return ColumnPlan(canonical, tuple(ignored), tuple(personal))


def _repeat_of(key: str) -> str | None:
    """The header a repeated column repeats ("" for a column without header), else None."""
    if not key:
        return ""
    repeated = REPEATED.match(key)
    return repeated["name"] if repeated else None


def _one_source_each(canonical: dict[str, str]) -> None:
    sources: dict[str, list[str]] = {}
    for column, target in canonical.items():
        sources.setdefault(target, []).append(column)
    clash = next(((t, s) for t, s in sources.items() if len(s) > 1), None)
    if clash:
        raise RejectedFile(f"columns {_names(clash[1])} are all {clash[0]!r}: keep one")


def _names(columns: list[str]) -> str:
    return ", ".join(repr(c) for c in columns)


def _text_cells(frame: pl.DataFrame) -> pl.DataFrame:
    """Surrounding blanks are not part of a value; an empty cell is no answer."""
    return frame.select(pl.all().cast(pl.Utf8).str.strip_chars().replace("", None))


def _filled_rows(frame: pl.DataFrame, clean: bool) -> tuple[pl.DataFrame, pl.Series]:
    """The text cells of the rows with any content, and their data row numbers (1 = first);
    `clean`: the reader knows the cells are clean text already."""
    cells = frame if clean else _text_cells(frame)
    numbers = pl.int_range(1, cells.height + 1, eager=True, dtype=pl.Int64)
    if not cells.width:
        return cells, numbers.filter(cells.select(pl.lit(False)).to_series())
    if any(column.null_count() == 0 for column in cells.iter_columns()):
        return cells, numbers  # a column without empty cells: no row is empty (the usual case)
    filled = cells.select(pl.any_horizontal(pl.all().is_not_null())).to_series()
    if filled.all():
        return cells, numbers
    return cells.filter(filled), numbers.filter(filled)


def to_canonical(table: DeliveredTable, manifest: StudyManifest = NO_MANIFEST) -> CanonicalRows:
    """The delivered rows in canonical layout; rows with no content at all are not rows."""
    plan = plan_columns(table.frame.columns, manifest)
    cells, numbers = _filled_rows(table.frame, table.clean)
    delivered = _renamed(cells, plan.canonical)
    conflicts = [c for c in manifest.constants if c in delivered.columns]
    if conflicts:
        raise ManifestMismatch(
            f"sets {_names(conflicts)} but the file has such a column: map or drop one of them"
        )
    frame = delivered
    if manifest.constants:
        frame = delivered.with_columns(
            pl.lit(value, dtype=pl.Utf8).alias(column)
            for column, value in manifest.constants.items()
        )
    unknown = [c for c in (*manifest.recode, *manifest.scale) if c not in frame.columns]
    if unknown:
        raise ManifestMismatch(f"recodes {_names(unknown)} but the file has no such column")
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise RejectedFile(
            f"missing required column(s): {', '.join(missing)} "
            "(map a delivered column or set the value in a manifest, see docs/deliveries.md)"
        )
    labels = {t: table.value_labels.get(s, {}) for s, t in plan.canonical.items()}
    wanted = {normalise_column_name(c) for c in manifest.value_labels}
    listed = {t for s, t in plan.canonical.items() if normalise_column_name(s) in wanted}
    frame = canonical_values(frame, manifest, labels, listed, table.decimal_comma)
    # Identifiers hold the delivered cells unless the manifest sets or recodes them (or they
    # have value labels): without an "@" in the file, they hold no e-mail address.
    set_here = [
        c
        for c in IDENTITY_COLUMNS
        if c in manifest.constants or c in manifest.recode or labels.get(c)
    ]
    if table.at_sign or set_here:
        _no_e_mail_identities(frame)
    return CanonicalRows(
        frame=frame,
        as_delivered=delivered,
        row_numbers=numbers,
        ignored_columns=plan.ignored,
        personal_data_columns=plan.personal,
    )


def _renamed(cells: pl.DataFrame, canonical: dict[str, str]) -> pl.DataFrame:
    """The delivered columns that map onto canonical ones, under their canonical names."""
    if any(s == "*" or (s.startswith("^") and s.endswith("$")) for s in canonical):
        # pl.col reads such a name as a pattern: keep selecting by expression, as always
        return cells.select(pl.col(s).alias(t) for s, t in canonical.items())
    return pl.DataFrame([cells.get_column(s).alias(t) for s, t in canonical.items()])


def _no_e_mail_identities(frame: pl.DataFrame) -> None:
    """Identifiers are stored as delivered: an e-mail address there would be personal data."""
    # An e-mail address has an @: only a column with one needs the pattern (a rare case).
    at = frame.select(pl.col(c).str.contains("@", literal=True).any() for c in IDENTITY_COLUMNS)
    for column, maybe in zip(IDENTITY_COLUMNS, at.row(0), strict=True):
        if maybe and frame.get_column(column).str.contains(E_MAIL).any():
            raise RejectedFile(
                f"{column} holds e-mail addresses: personal data never enters the warehouse; "
                "deliver pseudonymous codes"
            )
