"""Fixtures of the disclosure tests: the shared published data home (tests/publication)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.publication.homes import published_base


@pytest.fixture(scope="session")
def published_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return published_base(tmp_path_factory)
