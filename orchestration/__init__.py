"""The cxbench Dagster code location: wiring of the domain code in `cxbench` (definitions,
assets, jobs, schedules, sensors, resources) and the launcher behind the `cxbench` command."""

import cxbench  # noqa: F401 - first: it sets polars' allocator before anything loads polars
