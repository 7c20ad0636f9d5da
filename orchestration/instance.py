"""The Dagster instance of a data home, shared by `cxbench run`, `make ui` and the daemon."""

from __future__ import annotations

import os
from pathlib import Path

from orchestration.settings import DataHome

DAGSTER_YAML = """\
# Dagster instance of this cxbench data home (SQLite storage in this folder).
# For a team, point run/event/schedule storage at PostgreSQL: see README, "Operating".
telemetry:
  enabled: false
"""


def prepare_instance(home: DataHome) -> Path:
    """Create `$CXBENCH_HOME/dagster/dagster.yaml` if needed and make it the DAGSTER_HOME."""
    home.dagster_home.mkdir(parents=True, exist_ok=True)
    config = home.dagster_home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home.dagster_home)
    return home.dagster_home
