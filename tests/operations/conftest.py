"""Shared by the operations tests: one data home published by two concurrent `cxbench run`s."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import CXBENCH, REPO, write_studies
from tests.reference.generate import make_survey_frame


@dataclass
class OperatedHome:
    """A data home after two `cxbench run` processes were started at the same moment."""

    root: Path
    runs: list[subprocess.CompletedProcess]

    def env(self) -> dict[str, str]:
        return {**os.environ, "CXBENCH_HOME": str(self.root), "DO_NOT_TRACK": "1"}


@pytest.fixture(scope="session")
def operated_home(tmp_path_factory: pytest.TempPathFactory) -> OperatedHome:
    """The only full benchmark run of these tests (the edition is the other one)."""
    root = tmp_path_factory.mktemp("operated")
    write_studies(make_survey_frame(11), root / "landing")
    env = {**os.environ, "CXBENCH_HOME": str(root), "DO_NOT_TRACK": "1"}
    processes = [
        subprocess.Popen(
            [CXBENCH, "run"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    runs = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        runs.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return OperatedHome(root=root, runs=runs)
