"""Every DuckDB connection cxbench opens, bounded like dbt's (dbt_project/profiles.yml).

DuckDB's own defaults are 80% of the machine's memory and a thread per core, per connection.
A run holds the warehouse in its own process (ingest, checks, publication) and in dbt's, so
each is bounded: CXBENCH_DUCKDB_MEMORY_LIMIT (default 1GB; beyond it DuckDB spills to
<database>.tmp) and CXBENCH_DUCKDB_THREADS (default 2). At 100 M respondents this keeps a run's
whole process tree within 4 GiB (docs/performance.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

MEMORY_LIMIT_ENV = "CXBENCH_DUCKDB_MEMORY_LIMIT"
THREADS_ENV = "CXBENCH_DUCKDB_THREADS"


def config() -> dict[str, str]:
    return {
        "memory_limit": os.environ.get(MEMORY_LIMIT_ENV) or "1GB",
        "threads": os.environ.get(THREADS_ENV) or "2",
    }


def connect(database: Path | str | None = None, read_only: bool = False):
    """duckdb.connect with cxbench's bounds; no `database` is an in-memory one."""
    return duckdb.connect(
        str(database) if database is not None else ":memory:",
        read_only=read_only,
        config=config(),
    )
