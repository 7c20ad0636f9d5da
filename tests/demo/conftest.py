"""The default demo landing set, written once per session, and the warehouse it ingests into."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pytest

from cxbench.demo import write_demo_landing
from cxbench.ingest.pipeline import IngestSummary, ingest_landing
from tests.demo.helpers import SEED, calibrated_rows


@dataclass(frozen=True)
class Landing:
    dest: Path
    files: list[Path]
    cpu_seconds: float


@dataclass(frozen=True)
class Ingested:
    summary: IngestSummary
    con: duckdb.DuckDBPyConnection


@pytest.fixture(scope="session")
def demo_landing(tmp_path_factory: pytest.TempPathFactory) -> Landing:
    """The default demo set (seed 2021, scale 1), and the CPU seconds it took to write."""
    dest = tmp_path_factory.mktemp("demo") / "landing"
    started = time.process_time()
    files = write_demo_landing(dest, seed=SEED)
    return Landing(dest, files, time.process_time() - started)


@pytest.fixture(scope="session")
def ingested(demo_landing: Landing, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ingested]:
    """The demo set ingested in-process, as `cxbench run` does first."""
    warehouse = tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb"
    summary = ingest_landing(demo_landing.dest, warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    yield Ingested(summary, con)
    con.close()


@pytest.fixture(scope="session")
def calibrated() -> pl.DataFrame:
    """Every study's rows of the default demo set, as the generator produced them."""
    return calibrated_rows(SEED)
