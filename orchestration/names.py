"""Names that runs, schedules, the UI and `cxbench` share: the jobs and the run tags."""

BENCHMARK_JOB = "benchmark"
EDITION_JOB = "edition"

# What started a run: landing_sensor, nightly_benchmark or yearly_edition.
TRIGGER_TAG = "cxbench/trigger"
# The edition a run of the edition job builds, and the last fieldwork year it keeps.
EDITION_TAG = "cxbench/edition"
THROUGH_YEAR_TAG = "cxbench/edition_through_year"
