"""Restricted outputs never reveal a suppressed public cell (docs/contract.md §7).

`organisation_positions` names organisations and goes to published/restricted/ only, but a
client reads its own rows beside the public tables: a gap to a suppressed sector returns that
sector's NPS (`nps - gap_to_sector`), and a percentile among two organisations tells each whether
the other scored higher. These checks find such rows without naming an organisation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

# A gap recomputed from the published sector NPS may differ from the stored one by round-off.
GAP_TOLERANCE = 1e-6


def _cell(row: dict, sector: str | None = None) -> str:
    return f"market={row['market']} sector={sector or row['sector']} year={row['year']}"


def _present(value: object) -> bool:
    if value is None or value is pd.NA:
        return False
    try:
        return not math.isnan(value)  # type: ignore[arg-type]
    except TypeError:
        return True


def _count(rows: Iterable[object]) -> str:
    n = sum(1 for _ in rows)
    return f"{n} row{'s' if n != 1 else ''}"


def position_findings(
    positions: pd.DataFrame,
    nps: pd.DataFrame,
    min_answers: int,
    min_organisations: int,
) -> list[str]:
    """What `positions` reveals that the public `nps` table suppresses, in words (no ids)."""
    if positions.empty:
        return []
    # Plain dicts: a row at a time through pandas costs ~0.1 ms a lookup, seconds at 100 M.
    public = nps.set_index(["market", "year", "sector"]).to_dict("index")
    problems: dict[str, list[int]] = {}

    def flag(message: str, index: int) -> None:
        problems.setdefault(message, []).append(index)

    eligible_per_sector = (
        positions.assign(eligible=positions["n_respondents"] >= min_answers)
        .groupby(["market", "year", "sector"])["eligible"]
        .sum()
    )
    # The market percentile ranks whole organisations: an organisation spanning sectors has a
    # row per sector, and its answers in the market-year are those rows' together.
    whole = positions.groupby(["market", "year", "organisation_id"])["n_respondents"].transform(
        "sum"
    )
    eligible_per_market = (
        positions.assign(eligible=whole >= min_answers)
        .drop_duplicates(["market", "year", "organisation_id"])
        .groupby(["market", "year"])["eligible"]
        .sum()
    )
    whole_answers = whole.to_dict()
    eligible_per_sector, eligible_per_market = (
        eligible_per_sector.to_dict(),
        eligible_per_market.to_dict(),
    )
    for index, row in zip(positions.index, positions.to_dict("records"), strict=True):
        key = (row["market"], row["year"], row["sector"])
        sector = public.get(key)
        total = public.get((row["market"], row["year"], "ALL"))
        sector_hidden = sector is None or bool(sector["suppressed"])
        total_hidden = total is None or bool(total["suppressed"])
        for column in ("gap_to_sector", "gap_significant", "sector_percentile"):
            if column in row and _present(row[column]) and sector_hidden:
                flag(
                    f"{column} is given against the suppressed public cell "
                    f"nps_by_sector_year {_cell(row)}",
                    index,
                )
        if (
            "gap_to_sector" in row
            and _present(row["gap_to_sector"])
            and not sector_hidden
            and abs(row["nps"] - row["gap_to_sector"] - sector["nps"]) > GAP_TOLERANCE
        ):
            flag(
                "gap_to_sector is not against the published NPS of nps_by_sector_year "
                f"{_cell(row)}",
                index,
            )
        if "market_percentile" in row and _present(row["market_percentile"]) and total_hidden:
            flag(
                "market_percentile is given against the suppressed public cell "
                f"nps_by_sector_year {_cell(row, 'ALL')}",
                index,
            )
        for column, ranked, answers in (
            ("sector_percentile", eligible_per_sector.get(key, 0), row["n_respondents"]),
            ("market_percentile", eligible_per_market.get(key[:2], 0), whole_answers[index]),
        ):
            if column not in row or not _present(row[column]):
                continue
            if answers < min_answers:
                flag(
                    f"{column} ranks an organisation with fewer than {min_answers} "
                    f"recommend answers ({_cell(row)})",
                    index,
                )
            elif ranked < min_organisations:
                flag(
                    f"{column} ranks among fewer than {min_organisations} eligible "
                    f"organisations ({_cell(row)})",
                    index,
                )
    return [f"organisation_positions: {_count(rows)}: {m}" for m, rows in problems.items()]
