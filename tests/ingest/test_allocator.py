"""The allocator setting reaches polars: set before polars loads, never over the user's own."""

from __future__ import annotations

import os
import subprocess
import sys

from cxbench.allocator import ENV, KEEP_FREED_PAGES

PROBE = (
    "import os, sys; import orchestration; "
    "print(os.environ.get('_RJEM_MALLOC_CONF'), 'polars' in sys.modules)"
)


def _probe(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_importing_the_packages_sets_the_decay_before_polars_loads():
    env = {k: v for k, v in os.environ.items() if k != ENV}
    assert _probe(env) == f"{KEEP_FREED_PAGES} False"


def test_a_decay_set_in_the_environment_is_kept():
    assert _probe({**os.environ, ENV: "dirty_decay_ms:0"}) == "dirty_decay_ms:0 False"


def test_nothing_is_set_once_polars_is_loaded(monkeypatch):
    from cxbench.allocator import keep_freed_pages

    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.setitem(sys.modules, "polars", sys.modules.get("polars", object()))
    assert keep_freed_pages() is False
    assert ENV not in os.environ
