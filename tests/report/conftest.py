"""Fixtures: the sample benchmark in memory, and as a published data home on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxbench.report.data import BenchmarkData
from tests.report import sample


@pytest.fixture
def sample_data() -> BenchmarkData:
    return BenchmarkData.from_rows(info=sample.INFO, **sample.tables())


@pytest.fixture(scope="session")
def published_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data home with a published snapshot (written directly with DuckDB, no pipeline)."""
    return sample.write_published(tmp_path_factory.mktemp("report-home"))
