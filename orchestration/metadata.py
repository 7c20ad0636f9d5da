"""Markdown for the Dagster UI: what a run ingested, the state of the audit log, NPS previews.

Materialisation metadata is what a data engineer reads first in the UI, so it answers the
questions of the morning after: which files came in, which were (partly) refused and why, and
what the benchmark now says. Tables are capped so that thousands of files stay fast to render.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb

from cxbench import duckdb_connections
from cxbench.ingest.warehouse import FileOutcome

# Rows shown per Markdown table; the rest is summarised in one line (the UI stays responsive,
# and audit.file_log holds everything).
MAX_TABLE_ROWS = 100

# Problems first: what needs attention is at the top of a capped table.
STATUS_ORDER = {"rejected": 0, "partially_loaded": 1, "duplicate": 2, "superseded": 3, "loaded": 4}


def cell(value: object) -> str:
    """One Markdown table cell: no pipes or line breaks from file names or reasons."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value).replace("|", "\\|").replace("\n", " ")[:200]


def markdown_table(
    header: Sequence[str], rows: Iterable[Sequence[object]], total: int | None = None
) -> str:
    """A Markdown table of at most MAX_TABLE_ROWS rows, with a note on what was left out."""
    rows = list(rows)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows[:MAX_TABLE_ROWS]]
    hidden = (total if total is not None else len(rows)) - min(len(rows), MAX_TABLE_ROWS)
    if hidden > 0:
        lines.append(f"\n… and {hidden:,} more (see the warehouse table audit.file_log).")
    return "\n".join(lines)


def run_files_markdown(outcomes: Sequence[FileOutcome]) -> str:
    """This run's files: status and row counts, problems first."""
    if not outcomes:
        return "No new or changed files in landing/: nothing was read."
    ordered = sorted(outcomes, key=lambda o: (STATUS_ORDER.get(o.status, 9), o.source_file))
    return markdown_table(
        ["file", "status", "rows read", "accepted", "quarantined", "reason"],
        (
            (o.source_file, o.status, o.rows_read, o.rows_accepted, o.rows_quarantined, o.reason)
            for o in ordered
        ),
    )


def file_log_summary_markdown(con: duckdb.DuckDBPyConnection) -> str:
    """Every file ever delivered, by status (each file's latest log entry)."""
    rows = con.execute(
        """
        with latest as (
            select * from audit.file_log
            qualify row_number() over (partition by source_file order by ingested_at desc) = 1
        )
        select status, count(*), sum(rows_read), sum(rows_accepted), sum(rows_quarantined)
        from latest group by status order by status
        """
    ).fetchall()
    if not rows:
        return "audit.file_log is empty: no file has been delivered yet."
    return markdown_table(["status", "files", "rows read", "accepted", "quarantined"], rows)


def quarantine_markdown(con: duckdb.DuckDBPyConnection, content_hashes: Sequence[str]) -> str:
    """Which rules this run's quarantined rows failed, most frequent first."""
    if not content_hashes:
        return "Nothing quarantined in this run."
    rows = con.execute(
        """
        select check_name, coalesce(column_name, ''), count(distinct (source_file, row_number)),
               count(distinct source_file)
        from audit.quarantined_rows
        where content_hash in (select unnest(?::varchar[]))
        group by all order by 3 desc, 1, 2
        """,
        [list(content_hashes)],
    ).fetchall()
    if not rows:
        return "Nothing quarantined in this run."
    return markdown_table(["check", "column", "rows", "files"], rows)


def nps_preview_markdown(snapshot: Path) -> str:
    """The latest year of the published NPS table (market totals first), as Markdown."""
    con = duckdb_connections.connect(str(snapshot), read_only=True)
    try:
        rows = con.execute(
            """
            select market, sector, year, n_respondents, n_organisations, nps, nps_ci_low,
                   nps_ci_high, nps_change, suppression_reason
            from benchmark.nps_by_sector_year
            where year = (select max(year) from benchmark.nps_by_sector_year)
            order by market, sector <> 'ALL', sector
            """
        ).fetchall()
    finally:
        con.close()
    if not rows:
        return "The NPS table is empty: no respondents yet."
    shown = [
        (
            market,
            sector,
            str(year),  # not 2,020
            n,
            orgs,
            _signed(nps),
            f"[{_signed(low)}, {_signed(high)}]" if nps is not None else "",
            _signed(change),
            reason,
        )
        for market, sector, year, n, orgs, nps, low, high, change, reason in rows
    ]
    header = ["market", "sector", "year", "respondents", "orgs", "NPS", "95% CI", "change", "note"]
    return markdown_table(header, shown)


def _signed(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}"
