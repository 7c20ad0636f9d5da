"""Where cxbench keeps its data (contract section 1). Everything hangs off one data home."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


@dataclass(frozen=True)
class DataHome:
    """The folders and files under `CXBENCH_HOME`."""

    root: Path

    @classmethod
    def from_env(cls) -> DataHome:
        return cls(Path(os.environ.get("CXBENCH_HOME", REPO_ROOT / "data")).resolve())

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def exclusions(self) -> Path:
        """Studies and files kept out of the benchmark (orchestration/exclusions.py)."""
        return self.root / "exclusions.yml"

    @property
    def published(self) -> Path:
        return self.root / "published"

    @property
    def snapshot(self) -> Path:
        return self.published / "benchmark.duckdb"

    @property
    def parquet(self) -> Path:
        return self.published / "parquet"

    @property
    def restricted(self) -> Path:
        return self.published / "restricted"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster"

    def ensure(self) -> None:
        for folder in (self.landing, self.published, self.parquet, self.restricted):
            folder.mkdir(parents=True, exist_ok=True)
