"""Where cxbench keeps its data (docs/contract.md §1) and finds its dbt project.

Everything a run writes hangs off one data home. The dbt project ships inside the package
(`cxbench/dbt_project`, a link to the repository's `dbt_project/` in a checkout, a folder in an
installed wheel), found through importlib.resources so both work.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path
from typing import ClassVar


def _package_folder(name: str = "") -> Path:
    # A wheel or an editable install both put the package on the file system.
    resource = files("cxbench") / name if name else files("cxbench")
    with as_file(resource) as path:
        return Path(path).resolve()


DBT_PROJECT_DIR = _package_folder("dbt_project")
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"


def checkout_root() -> Path | None:
    """The repository this package runs from, or None for an installed copy."""
    root = _package_folder().parent
    return root if (root / "pyproject.toml").is_file() and (root / ".git").exists() else None


def default_home() -> Path:
    """`data/` in the repository of a checkout; `data/` in the working folder otherwise."""
    root = checkout_root()
    return (root or Path.cwd()) / "data"


@dataclass(frozen=True)
class DataHome:
    """The folders and files under `CXBENCH_HOME`."""

    root: Path
    WAREHOUSE_NAME: ClassVar[str] = "warehouse.duckdb"

    @classmethod
    def from_env(cls) -> DataHome:
        return cls(Path(os.environ.get("CXBENCH_HOME") or default_home()).resolve())

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def warehouse(self) -> Path:
        return self.root / self.WAREHOUSE_NAME

    @property
    def exclusions(self) -> Path:
        """Studies and files kept out of the benchmark (cxbench/exclusions.py)."""
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

    @property
    def dbt_runs(self) -> Path:
        """Each dbt command's artefacts (run results, logs, parse state), the last few kept."""
        return self.root / "dbt"

    def ensure(self) -> None:
        for folder in (self.landing, self.published, self.parquet, self.restricted):
            folder.mkdir(parents=True, exist_ok=True)
