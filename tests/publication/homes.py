"""One published data home per test session, shared by tests/quality and tests/publication.

A full `cxbench run` takes about 40 s, so the suites share one and copy it before changing it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import run_cxbench, write_studies
from tests.reference.generate import make_survey_frame

SEED = 11
_BUILT: dict[str, Path] = {}


def published_base(factory: pytest.TempPathFactory) -> Path:
    """A data home after one successful `cxbench run` over generated studies (built once)."""
    if "home" not in _BUILT:
        home = factory.mktemp("published-base")
        write_studies(make_survey_frame(SEED), home / "landing")
        run_cxbench(home, "run", "--quiet", check=True)
        _BUILT["home"] = home
    return _BUILT["home"]


def copy_home(source: Path, dest: Path) -> Path:
    """A copy to change; the published symlinks are relative, so they stay valid."""
    shutil.copytree(source, dest, symlinks=True)
    return dest


def new_organisations(seed: int, prefix: str) -> pd.DataFrame:
    """Generated studies of organisations the base home does not have yet."""
    frame = make_survey_frame(seed)
    frame["organisation_id"] = prefix + frame["organisation_id"].astype(str)
    return frame
