"""The dbt resource: what it skips to start dbt sooner, and the parse state it hands on."""

from __future__ import annotations

import os
import subprocess
from importlib.metadata import version
from pathlib import Path

from packaging.version import Version

from orchestration.dbt import INVOCATIONS_KEPT, dbt_build_args, dbt_resource, keep_partial_parse


def test_the_dbt_version_comes_from_the_package_not_a_subprocess(monkeypatch):
    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"started a subprocess: {args}")

    monkeypatch.setattr(subprocess, "check_output", no_subprocess)
    import dagster_dbt.core.resource as resource_module

    monkeypatch.setattr(resource_module, "check_output", no_subprocess)
    assert dbt_resource()._cli_version == Version(version("dbt-core"))


def test_no_dbt_adapter_is_opened_in_this_process():
    assert dbt_resource()._initialize_dbt_core_adapter(["build"]) is None


def test_a_production_build_leaves_the_unit_tests_to_make_test(monkeypatch):
    monkeypatch.delenv("CXBENCH_DBT_VARS", raising=False)
    args = dbt_build_args()
    assert args[:3] == ["build", "--exclude-resource-type", "unit_test"]
    # dbt's own log file keeps warnings and errors only (debug events cost ~10% of a build).
    assert args[3:] == ["--log-level-file", "warn"]
    monkeypatch.setenv("CXBENCH_DBT_VARS", '{"cxbench_min_respondents": 50}')
    assert dbt_build_args()[-2:] == ["--vars", '{"cxbench_min_respondents": 50}']


def _invocation(target: Path, name: str, mtime: int, state: bytes | None = b"state") -> Path:
    folder = target / name
    folder.mkdir(parents=True)
    (folder / "run_results.json").write_text("{}")
    if state is not None:
        (folder / "partial_parse.msgpack").write_bytes(state)
    os.utime(folder, (mtime, mtime))
    return folder


def test_the_last_parse_state_is_handed_on_and_old_folders_pruned(tmp_path: Path):
    target = tmp_path / "target"
    (target / "compiled").mkdir(parents=True)  # dbt's own folders are left alone
    (target / "partial_parse.msgpack").write_bytes(b"from dbt parse")
    older = [_invocation(target, f"run-{i}", 1_000 + i) for i in range(INVOCATIONS_KEPT + 2)]
    last = _invocation(target, "run-last", 2_000, state=b"from the last build")

    keep_partial_parse(last)

    assert (target / "partial_parse.msgpack").read_bytes() == b"from the last build"
    kept = sorted(p.name for p in target.iterdir() if p.is_dir())
    assert kept == sorted(["compiled", "run-last", *(p.name for p in older[-4:])])
    assert not list(target.glob(".partial_parse.*"))


def test_a_command_without_parse_state_leaves_the_old_one(tmp_path: Path):
    target = tmp_path / "target"
    target.mkdir()
    (target / "partial_parse.msgpack").write_bytes(b"from dbt parse")
    keep_partial_parse(_invocation(target, "run", 1_000, state=None))
    assert (target / "partial_parse.msgpack").read_bytes() == b"from dbt parse"


def test_pruning_keeps_the_newest_by_time_not_name(tmp_path: Path):
    target = tmp_path / "target"
    names = [f"run-{i:02}" for i in range(INVOCATIONS_KEPT * 2)]
    folders = [_invocation(target, name, 2_000 - i) for i, name in enumerate(names)]
    keep_partial_parse(folders[0])
    kept = sorted(p.name for p in target.iterdir() if p.is_dir())
    assert kept == names[:INVOCATIONS_KEPT]
