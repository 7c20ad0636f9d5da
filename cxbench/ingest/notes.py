"""Notes on deliveries that are valid but unusual, kept in `audit.file_log.notes` (issue 14).

An organisation's respondents may fall in more than one sector of a market-year: a conglomerate's
divisions delivered in one study, or a sector column filled per respondent. That is valid data,
estimated like any other (docs/methodology.md, section 9), but a typo in a sector column looks
the same, so the delivery says so: `organisation ACME 2021: respondents in 2 sectors (ict 40,
waste 3)`. The asset check `organisations_spanning_sectors` warns about the same in the UI.
"""

from __future__ import annotations

import polars as pl

NOTE_LIMIT = 1000  # characters; the respondent counts of the first studies are enough to judge


def spanning_sectors(rows: pl.DataFrame, by: str | None = None) -> dict[object, str]:
    """Per value of `by` (a delivery in a batch; None: `rows` are one delivery, key None), a
    note naming each study (organisation x year) whose rows lie in more than one sector."""
    keys = [by] if by else []
    if rows.height == 0:
        return {}
    counts = (
        rows.group_by([*keys, "organisation_id", "year", "sector"])
        .len()
        .filter(pl.len().over([*keys, "organisation_id", "year"]) > 1)
        .sort(
            [*keys, "organisation_id", "year", "len", "sector"],
            descending=[False] * (len(keys) + 2) + [True, False],
        )
    )
    if counts.height == 0:
        return {}
    notes: dict[object, list[str]] = {}
    studies = counts.group_by([*keys, "organisation_id", "year"], maintain_order=True).agg(
        pl.col("sector"), pl.col("len")
    )
    for row in studies.iter_rows(named=True):
        listed = ", ".join(f"{s} {n}" for s, n in zip(row["sector"], row["len"], strict=True))
        notes.setdefault(row[by] if by else None, []).append(
            f"organisation {row['organisation_id']} {row['year']}: respondents in "
            f"{len(row['sector'])} sectors ({listed})"
        )
    return {key: _limited("; ".join(texts)) for key, texts in notes.items()}


def _limited(text: str) -> str:
    return text if len(text) <= NOTE_LIMIT else text[: NOTE_LIMIT - 1] + "…"
