"""Asset checks on what ingest produced: per-file validation results and audit consistency.

Quarantined rows and rejected files never block the benchmark (docs/contract.md §2): they are
warnings a data engineer should look at. Only an inconsistent audit trail blocks, because then
nobody can say which rows the benchmark is made of.
"""

import logging
import os

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    MetadataValue,
    asset_check,
)

from cxbench.ingest.warehouse import COUNTED, HOLDING_ROWS, REJECTED, warehouse
from orchestration.assets.ingest import FILE_LOG, RAW_RESPONSES
from orchestration.instance import WAREHOUSE_POOL
from orchestration.metadata import markdown_table
from orchestration.resources import DataHomeResource

QUARANTINE_WARN_SHARE_ENV = "CXBENCH_QUARANTINE_WARN_SHARE"
DEFAULT_QUARANTINE_WARN_SHARE = 0.05

log = logging.getLogger(__name__)

# Each file's latest log entry: a file delivered again under the same name counts as it is now.
_LATEST = """
    with latest as (
        select * from audit.file_log
        qualify row_number() over (partition by source_file order by ingested_at desc) = 1
    )
"""


def quarantine_warn_share() -> float:
    """Quarantined share of a file above which it is flagged (CXBENCH_QUARANTINE_WARN_SHARE)."""
    raw = os.environ.get(QUARANTINE_WARN_SHARE_ENV, "").strip()
    if not raw:
        return DEFAULT_QUARANTINE_WARN_SHARE
    try:
        share = float(raw)
    except ValueError:
        share = -1.0
    if not 0.0 <= share <= 1.0:
        # A typo in the setting must not turn a warning into a failed run.
        log.warning(
            "%s=%r is not a share between 0 and 1; using %s",
            QUARANTINE_WARN_SHARE_ENV,
            raw,
            DEFAULT_QUARANTINE_WARN_SHARE,
        )
        return DEFAULT_QUARANTINE_WARN_SHARE
    return share


@asset_check(
    asset=FILE_LOG,
    name="quarantine_share",
    blocking=False,
    pool=WAREHOUSE_POOL,
    description=(
        "Warns when a file in the benchmark had more than CXBENCH_QUARANTINE_WARN_SHARE "
        "(default 5%) of its rows quarantined. Never blocks publication."
    ),
)
def quarantine_share(
    context: AssetCheckExecutionContext, data_home: DataHomeResource
) -> AssetCheckResult:
    """Per counted file: quarantined / read, flagged above the configured share."""
    threshold = quarantine_warn_share()
    with warehouse(data_home.home().warehouse, read_only=True) as con:
        files = con.execute(
            f"""{_LATEST}
            select source_file, status, rows_read, rows_quarantined,
                   rows_quarantined / rows_read as share
            from latest
            where status in (select unnest(?::varchar[])) and rows_read > 0
            order by share desc, source_file
            """,
            [list(COUNTED)],
        ).fetchall()
    flagged = [f for f in files if f[4] > threshold]
    rows_read = sum(f[2] for f in files)
    rows_quarantined = sum(f[3] for f in files)
    table = markdown_table(
        ["file", "status", "rows read", "quarantined", "share"],
        ((name, status, n, q, f"{share:.1%}") for name, status, n, q, share in flagged),
    )
    return AssetCheckResult(
        passed=not flagged,
        severity=AssetCheckSeverity.WARN,
        description=(
            f"{len(flagged)} of {len(files)} files above {threshold:.1%} quarantined"
            if flagged
            else f"no file above {threshold:.1%} quarantined"
        ),
        metadata={
            "threshold": threshold,
            "files_checked": len(files),
            "files_above_threshold": len(flagged),
            "overall_share": rows_quarantined / rows_read if rows_read else 0.0,
            "files": MetadataValue.md(table if flagged else "No file above the threshold."),
        },
    )


@asset_check(
    asset=FILE_LOG,
    name="no_rejected_files",
    blocking=False,
    pool=WAREHOUSE_POOL,
    description="Warns while a delivered file stands rejected (empty, unreadable, unusable).",
)
def no_rejected_files(
    context: AssetCheckExecutionContext, data_home: DataHomeResource
) -> AssetCheckResult:
    """Files whose latest delivery was rejected, with the reason, until a good one replaces it."""
    with warehouse(data_home.home().warehouse, read_only=True) as con:
        rejected = con.execute(
            f"""{_LATEST}
            select source_file, rows_read, reason from latest
            where status = ? order by source_file
            """,
            [REJECTED],
        ).fetchall()
    return AssetCheckResult(
        passed=not rejected,
        severity=AssetCheckSeverity.WARN,
        description=f"{len(rejected)} rejected files" if rejected else "no rejected file",
        metadata={
            "rejected_files": len(rejected),
            "files": MetadataValue.md(
                markdown_table(["file", "rows read", "reason"], rejected)
                if rejected
                else "No rejected file."
            ),
        },
    )


@asset_check(
    asset=RAW_RESPONSES,
    name="row_accounting",
    blocking=True,
    pool=WAREHOUSE_POOL,
    description=(
        "Blocks the benchmark when the audit trail does not add up: rows_read = accepted + "
        "quarantined for every file, and every raw row belongs to a counted delivery."
    ),
)
def row_accounting(
    context: AssetCheckExecutionContext, data_home: DataHomeResource
) -> AssetCheckResult:
    """docs/contract.md §8 as an invariant: without it the benchmark's rows cannot be traced.

    Rows of files an analyst excluded (status `excluded`) stay in raw.survey_responses: they are
    accounted for, only left out of the benchmark by staging. A failure names the table, the
    file (the cell of the audit trail) and the counts that do not add up."""
    with warehouse(data_home.home().warehouse, read_only=True) as con:
        unbalanced = con.execute(
            "select source_file, rows_read, rows_accepted, rows_quarantined from audit.file_log "
            "where rows_read <> rows_accepted + rows_quarantined order by source_file"
        ).fetchall()
        orphans = con.execute(
            """
            select source_file, content_hash, count(*) from raw.survey_responses as r
            where not exists (
                select 1 from audit.file_log as f
                where f.source_file = r.source_file and f.content_hash = r.content_hash
                  and f.status in (select unnest(?::varchar[]))
            )
            group by all order by source_file
            """,
            [list(HOLDING_ROWS)],
        ).fetchall()
        overfull = con.execute(
            """
            select r.source_file, r.n, f.rows_accepted from (
                select source_file, content_hash, count(*) as n
                from raw.survey_responses group by all
            ) as r
            join audit.file_log as f using (source_file, content_hash)
            where r.n > f.rows_accepted
            order by r.source_file
            """
        ).fetchall()
    problems = {
        "files_with_unbalanced_counts": len(unbalanced),
        "files_with_raw_rows_but_no_counted_log_entry": len(orphans),
        "files_with_more_raw_rows_than_accepted": len(overfull),
    }
    examples = [
        *(
            f"audit.file_log, source_file={f}: rows_read = {n} but rows_accepted + "
            f"rows_quarantined = {a} + {q}"
            for f, n, a, q in unbalanced[:1]
        ),
        *(
            f"raw.survey_responses, source_file={f} (content_hash {h[:12]}): {n} rows, but no "
            "loaded, partially loaded or excluded entry in audit.file_log"
            for f, h, n in orphans[:1]
        ),
        *(
            f"raw.survey_responses, source_file={f}: {n} rows, but audit.file_log accepted {a}"
            for f, n, a in overfull[:1]
        ),
    ]
    failed = {name: n for name, n in problems.items() if n}
    return AssetCheckResult(
        passed=not failed,
        severity=AssetCheckSeverity.ERROR,
        description=(
            "audit trail inconsistent: "
            + ", ".join(f"{k} = {v}" for k, v in failed.items())
            + "; e.g. "
            + "; ".join(examples)
            if failed
            else "every row is accounted for"
        ),
        metadata=problems,
    )


INGEST_CHECKS = [quarantine_share, no_rejected_files, row_accounting]
