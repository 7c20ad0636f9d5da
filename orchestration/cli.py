"""The `cxbench` command (docs/contract.md §2): argument parsing, then the launcher."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

from cxbench import lake
from cxbench.fast_exit import leave
from cxbench.settings import DataHome


def parse_vars(assignments: list[str]) -> dict[str, object]:
    """`NAME=VALUE` pairs; values are read as YAML scalars (50 -> int, 0.4 -> float)."""
    import yaml

    parsed = {}
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--var takes NAME=VALUE, not {assignment!r}")
        parsed[name.strip()] = yaml.safe_load(value)
    return parsed


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    environment = dict(os.environ)  # as given, for a spare process (cxbench/spare.py)
    parser = argparse.ArgumentParser(
        prog="cxbench",
        description=(
            "Customer-experience benchmarks from raw survey deliveries: ingest and validate the "
            "files in the data home's landing/ folder, compute the benchmark tables, check and "
            "publish them. The data home is $CXBENCH_HOME (default: data/)."
        ),
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser(
        "run", help="ingest what is new, transform, check, publish (through Dagster)"
    )
    run.add_argument("--quiet", action="store_true", help="print no summary")
    run.add_argument("--verbose", action="store_true", help="show Dagster's step log")
    run.add_argument(
        "--wait", action="store_true", help="wait for a run already in progress instead of stopping"
    )
    add_engine_option(run)
    run.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a dbt var of dbt_project.yml, e.g. cxbench_min_respondents=50",
    )

    edition = commands.add_parser(
        "edition",
        help="build the benchmark as edition NAME and freeze it under published/editions/NAME/",
    )
    edition.add_argument("name", help="edition name, e.g. 2025")
    edition.add_argument(
        "--year", type=int, help="keep fieldwork years up to this one (default: all years)"
    )
    edition.add_argument("--quiet", action="store_true", help="print no summary")
    edition.add_argument(
        "--wait", action="store_true", help="wait for a run already in progress instead of stopping"
    )
    add_engine_option(edition)

    from cxbench.report.cli import add_report_command, run_report_command

    add_report_command(commands)

    demo = commands.add_parser("demo-data", help="write the demo landing set")
    demo.add_argument("--dest", type=Path, help="folder to write to (default: the landing folder)")
    demo.add_argument("--seed", type=int, default=2021)
    demo.add_argument("--scale", type=float, default=1.0, help="multiply the number of studies")

    args = parser.parse_args(argv)
    if args.command == "run":
        try:
            dbt_vars = parse_vars(args.var)
        except ValueError as error:
            parser.error(str(error))
        use_engine(args.engine)
        return run_command(DataHome.from_env(), dbt_vars, args, argv, environment)
    if args.command == "edition":
        use_engine(args.engine)
        try:
            lake.engine()
        except ValueError as error:
            print(f"cxbench: {error}", file=sys.stderr)
            return 2
        from cxbench import dbt_warm

        dbt_warm.start()
        from orchestration.launcher import run_edition

        return run_edition(
            DataHome.from_env(), args.name, args.year, quiet=args.quiet, wait=args.wait
        )
    if args.command == "report":
        return run_report_command(args)
    if args.command == "demo-data":
        from cxbench.demo import write_demo_landing

        dest = args.dest or DataHome.from_env().landing
        written = write_demo_landing(dest, seed=args.seed, scale=args.scale)
        print(f"wrote {len(written)} files to {dest}")
        return 0
    return 2


def add_engine_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--engine",
        choices=lake.ENGINES,
        help="where dbt builds the models: duckdb (default, or $CXBENCH_ENGINE) or Apache Spark "
        "(pip install .[spark]; docs/scale-out.md)",
    )


def use_engine(name: str | None) -> None:
    """`--engine` given: the engine of this process's run (CXBENCH_ENGINE, read by the dbt
    asset), as `cxbench run` and `cxbench edition` both take it."""
    if name:
        os.environ[lake.ENGINE_ENV] = name


def run_command(
    home: DataHome,
    dbt_vars: dict[str, object],
    args: argparse.Namespace,
    argv: list[str],
    environment: dict[str, str],
) -> int:
    """`cxbench run`: nothing to do when the inputs are those of the last publication (decided
    before Dagster, dbt or Great Expectations are even imported), else the benchmark job: in the
    spare process the last run left, when one waits (cxbench/spare.py), which leaves the next."""
    from cxbench import dbt_warm, freshness, spare
    from cxbench.lock import EXIT_BUSY, DataHomeBusy, busy_message, writer_lock

    try:
        engine = lake.engine()
    except ValueError as error:
        print(f"cxbench: {error}", file=sys.stderr)
        return 2
    fingerprint = freshness.inputs_fingerprint(home, dbt_vars, engine=engine)
    try:
        with writer_lock(home, args.wait):
            up_to_date = freshness.is_up_to_date(home, fingerprint)
    except DataHomeBusy:
        print(busy_message(home), file=sys.stderr)
        return EXIT_BUSY
    if up_to_date:
        if not args.quiet:
            print(
                "The publication is up to date: nothing changed in landing/, the exclusions, "
                f"the settings or the code since the last run published.\n  {home.published}"
            )
        return 0
    handed = spare.hand_over(argv)
    if handed is not None:
        return handed
    if not spare.serving():  # a spare has its dbt process waiting already
        # dbt is imported in a process of its own while Dagster is imported and ingest runs.
        dbt_warm.start()
    from orchestration.launcher import run_benchmark

    try:
        return run_benchmark(
            home,
            quiet=args.quiet,
            verbose=args.verbose,
            wait=args.wait,
            dbt_vars=dbt_vars,
            fingerprint=fingerprint,
        )
    finally:
        spare.leave_one(environment, entry="orchestration.cli:main")


def entry() -> NoReturn:
    """The console script: `main`, then an exit that skips tearing the interpreter down
    (cxbench/fast_exit.py)."""
    leave(main())


if __name__ == "__main__":
    entry()
