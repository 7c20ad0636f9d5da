"""Hypothesis profiles of the property tests (registered by tests/conftest.py).

- ``cxbench`` (the default): sized for CI. Each example is a whole ``cxbench run`` (ingest, dbt
  build with its tests, the Great Expectations gate, publication, report; about 12-15 s on two
  cores) plus one R process, so a handful of examples keeps the property tests to about two
  minutes of ``make test``.
- ``long``: a long local run, ``pytest tests/properties --hypothesis-profile=long
  --hypothesis-show-statistics``. How many cases it tried is recorded in tests/README.md.

No deadline (a run takes seconds, and its time says nothing about correctness); the health checks
that measure generation time or size are off for the same reason. ``print_blob`` prints the
``@reproduce_failure`` line for a failing example.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

DEFAULT_PROFILE = "cxbench"
LONG_PROFILE = "long"

_COMMON = {
    "deadline": None,
    "print_blob": True,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
}

settings.register_profile(DEFAULT_PROFILE, max_examples=5, **_COMMON)
settings.register_profile(LONG_PROFILE, max_examples=100, **_COMMON)
settings.load_profile(DEFAULT_PROFILE)  # `--hypothesis-profile=long` loads its own afterwards
