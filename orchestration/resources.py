"""Dagster resources: where the data home is."""

from __future__ import annotations

import os
from pathlib import Path

from dagster import ConfigurableResource

from cxbench.dbt_command import WAREHOUSE_ENV
from cxbench.settings import DataHome


class DataHomeResource(ConfigurableResource):
    """The data home (docs/contract.md §1); empty `root` means `CXBENCH_HOME`, else `data/`."""

    root: str = ""

    def home(self) -> DataHome:
        home = DataHome(Path(self.root).resolve()) if self.root else DataHome.from_env()
        home.ensure()
        # dbt reads the warehouse path from the environment (see dbt_project/profiles.yml).
        os.environ[WAREHOUSE_ENV] = str(home.warehouse)
        return home
