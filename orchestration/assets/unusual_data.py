"""Warnings on valid but unusual input: seen in the UI, never blocking (issue 14).

A blocking check fails only when a published figure is wrong, never because valid data is
unusual. What is unusual, and could also be a mistake, is shown as a warning instead:

- `organisations_spanning_sectors`: an organisation whose respondents fall in more than one
  sector of a market-year. Valid (a conglomerate's divisions, a sector column filled per
  respondent) and estimated as such, but a typo in a sector column looks the same.
- `exclusions_match_deliveries`: an entry of exclusions.yml that keeps nothing out (no counted
  delivery holds that study or file): a typo in an organisation code, or a study superseded since.
"""

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    MetadataValue,
    asset_check,
)

from cxbench.ingest.warehouse import EXCLUSIONS_TABLE, warehouse
from orchestration.assets.ingest import FILE_LOG, RAW_RESPONSES
from orchestration.instance import WAREHOUSE_POOL
from orchestration.metadata import markdown_table
from orchestration.resources import DataHomeResource


@asset_check(
    asset=RAW_RESPONSES,
    name="organisations_spanning_sectors",
    blocking=False,
    pool=WAREHOUSE_POOL,
    description=(
        "Warns when an organisation's respondents fall in more than one sector of a market-year "
        "(valid: a conglomerate's divisions; or a typo in a sector column). Never blocks."
    ),
)
def organisations_spanning_sectors(
    context: AssetCheckExecutionContext, data_home: DataHomeResource
) -> AssetCheckResult:
    """Per market x year x organisation in the benchmark with several sectors: the sectors and
    their respondents, largest first (excluded studies and files left out)."""
    with warehouse(data_home.home().warehouse, read_only=True) as con:
        rows = con.execute(
            f"""
            with counted as (
                select r.market, r.year, r.organisation_id, r.sector
                from raw.survey_responses as r
                where not exists (
                    select 1 from {EXCLUSIONS_TABLE} as e
                    where e.kind = 'file' and e.source_file = r.source_file
                )
                and not exists (
                    select 1 from {EXCLUSIONS_TABLE} as e
                    where e.kind = 'study' and e.organisation_id = r.organisation_id
                      and e.year = r.year
                )
            ),
            per_sector as (
                select market, year, organisation_id, sector, count(*) as n
                from counted group by all
            )
            select
                market, year, organisation_id, count(*) as sectors,
                string_agg(sector || ' ' || n, ', ' order by n desc, sector) as respondents
            from per_sector
            group by market, year, organisation_id
            having count(*) > 1
            order by market, year, organisation_id
            """
        ).fetchall()
    table = markdown_table(
        ["market", "year", "organisation", "sectors", "respondents per sector"], rows
    )
    first = rows[0] if rows else None
    return AssetCheckResult(
        passed=not rows,
        severity=AssetCheckSeverity.WARN,
        description=(
            f"{len(rows)} organisation-years span sectors, e.g. {first[2]} ({first[0]} "
            f"{first[1]}): {first[4]}"
            if first
            else "every organisation is in one sector per market-year"
        ),
        metadata={
            "organisation_years": len(rows),
            "organisations": MetadataValue.md(table if rows else "None."),
        },
    )


@asset_check(
    asset=FILE_LOG,
    name="exclusions_match_deliveries",
    blocking=False,
    pool=WAREHOUSE_POOL,
    description=(
        "Lists the analyst exclusions in force (exclusions.yml) and warns when one keeps "
        "nothing out: no counted delivery holds that study or file. Never blocks."
    ),
)
def exclusions_match_deliveries(
    context: AssetCheckExecutionContext, data_home: DataHomeResource
) -> AssetCheckResult:
    with warehouse(data_home.home().warehouse, read_only=True) as con:
        entries = con.execute(
            f"""
            select position, kind,
                   case when kind = 'file' then 'file ' || source_file
                        else 'organisation ' || organisation_id || ' ' || year end as excluded,
                   reason, matched_files, matched_rows
            from {EXCLUSIONS_TABLE} order by position
            """
        ).fetchall()
    unmatched = [e for e in entries if e[5] == 0]
    table = markdown_table(
        ["entry", "kind", "excluded", "reason", "files", "respondent rows"], entries
    )
    return AssetCheckResult(
        passed=not unmatched,
        severity=AssetCheckSeverity.WARN,
        description=(
            f"{len(unmatched)} of {len(entries)} exclusions match no counted delivery, e.g. "
            f"entry {unmatched[0][0]} ({unmatched[0][2]})"
            if unmatched
            else f"{len(entries)} exclusions in force"
        ),
        metadata={
            "exclusions": len(entries),
            "unmatched": len(unmatched),
            "entries": MetadataValue.md(table if entries else "No exclusions."),
        },
    )


UNUSUAL_DATA_CHECKS = [organisations_spanning_sectors, exclusions_match_deliveries]
