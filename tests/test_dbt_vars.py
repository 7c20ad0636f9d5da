"""cxbench.dbt_vars: vars merged into one --vars, and the build version models sign with."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cxbench import dbt_vars
from cxbench.dbt_vars import BUILD_VERSION_VAR, build_version, with_build_version, with_vars


def test_vars_are_merged_into_one_argument():
    assert with_vars(["build"], {"a": 1}) == ["build", "--vars", '{"a": 1}']
    merged = with_vars(["build", "--vars", '{"a": 1, "b": 2}', "--quiet"], {"b": 3})
    assert merged[:2] == ["build", "--vars"] and merged[3] == "--quiet"
    assert json.loads(merged[2]) == {"a": 1, "b": 3}


def test_the_build_version_follows_the_vars_but_not_itself():
    plain = build_version({})
    assert build_version({"cxbench_min_respondents": 50}) != plain
    assert build_version({BUILD_VERSION_VAR: "anything"}) == plain
    args = with_build_version(["build", "--vars", '{"cxbench_z": 2.58}'])
    assert json.loads(args[-1]) == {
        "cxbench_z": 2.58,
        BUILD_VERSION_VAR: build_version({"cxbench_z": 2.58}),
    }


def test_the_build_version_follows_the_dbt_project(tmp_path: Path, monkeypatch):
    project = tmp_path / "dbt_project"
    for part in ("dbt_project.yml", "models", "macros", "seeds"):
        source = dbt_vars.DBT_PROJECT_DIR / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        else:
            project.mkdir(exist_ok=True)
            shutil.copy(source, project / part)
    monkeypatch.setattr(dbt_vars, "DBT_PROJECT_DIR", project)
    before = build_version({})
    macro = project / "macros" / "intervals.sql"
    macro.write_text(macro.read_text() + "\n")
    assert build_version({}) != before


@pytest.mark.parametrize("folder", ["tests", "docs"])
def test_what_cannot_change_a_model_leaves_it(folder: str, tmp_path: Path, monkeypatch):
    project = tmp_path / "dbt_project"
    shutil.copytree(dbt_vars.DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target"))
    monkeypatch.setattr(dbt_vars, "DBT_PROJECT_DIR", project)
    before = build_version({})
    (project / folder).mkdir(exist_ok=True)
    (project / folder / "note.md").write_text("a data test or a note")
    assert build_version({}) == before
