"""Where a run's time went: its Dagster steps from the instance's event log.

`python -m bench.stages DATA_HOME [RUNS]` prints, for the newest runs of the data home, the
seconds of each step (ingest, its checks, dbt, the quality gate, snapshot, report) and the time
before the first step (run start-up). Under the ingest step it prints the split the ingest asset
records in its metadata (`seconds_<stage>`): its stages overlap, so each is the time its threads
were busy with it, next to the ingest's wall and CPU seconds.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

INGEST_STEP = "survey_deliveries"
# The ingest asset's timing metadata, in the order printed; the stages' seconds overlap.
INGEST_SPLIT = {
    "seconds_read": "read: hash, parse, map (busy, threads)",
    "seconds_validate": "validate: pandera (busy)",
    "seconds_load": "load: DuckDB (busy, writer thread)",
    "seconds_wall": "ingest wall",
    "seconds_cpu": "ingest CPU (all threads)",
}
STAGE_NAMES = {
    INGEST_STEP: "ingest (read, validate, load)",
    "benchmark_models": "dbt build (models and tests), complementary suppression",
    "disclosure_audit": "disclosure audit (linear programming)",
    "quality_gate": "Great Expectations gate",
    "published__benchmark_snapshot": "snapshot and Parquet",
    "published__benchmark_report": "report",
}


@dataclass
class RunProfile:
    run_id: str
    total: float
    startup: float
    steps: dict[str, float] = field(default_factory=dict)
    ingest_split: dict[str, float] = field(default_factory=dict)  # INGEST_SPLIT keys

    def lines(self) -> list[str]:
        out = [f"run {self.run_id[:8]}: {self.total:.1f} s from run start to end"]
        out.append(f"  {'run start-up (plan, resources)':<40}{self.startup:>7.2f} s")
        for step, seconds in self.steps.items():
            out.append(f"  {STAGE_NAMES.get(step, step):<40}{seconds:>7.2f} s")
            if step == INGEST_STEP:
                out += [
                    f"    {label:<38}{self.ingest_split[key]:>7.2f} s"
                    for key, label in INGEST_SPLIT.items()
                    if key in self.ingest_split
                ]
        return out


def profiles(home: Path, runs: int = 1) -> list[RunProfile]:
    from dagster import DagsterEventType, DagsterInstance

    result = []
    # from_config, not $DAGSTER_HOME: reading a profile must not repoint the caller's instance.
    with DagsterInstance.from_config(str(home.resolve() / "dagster")) as instance:
        for run in instance.get_runs(limit=runs):
            records = instance.all_logs(run.run_id)
            if not records:
                continue
            began = records[0].timestamp
            starts: dict[str, float] = {}
            profile = RunProfile(run.run_id, records[-1].timestamp - began, 0.0)
            for record in records:
                event = record.dagster_event
                if event is None:
                    continue
                if event.event_type == DagsterEventType.STEP_START:
                    starts[record.step_key] = record.timestamp
                    if len(starts) == 1:
                        profile.startup = record.timestamp - began
                elif event.event_type in (
                    DagsterEventType.STEP_SUCCESS,
                    DagsterEventType.STEP_FAILURE,
                ):
                    profile.steps[record.step_key] = record.timestamp - starts[record.step_key]
                elif (
                    event.event_type == DagsterEventType.ASSET_MATERIALIZATION
                    and record.step_key == INGEST_STEP
                ):
                    metadata = event.event_specific_data.materialization.metadata
                    profile.ingest_split.update(
                        (key, float(metadata[key].value)) for key in INGEST_SPLIT if key in metadata
                    )
            result.append(profile)
    return result


def main(argv: list[str]) -> int:
    home = Path(argv[0])
    for profile in profiles(home, int(argv[1]) if len(argv) > 1 else 1):
        print("\n".join(profile.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
