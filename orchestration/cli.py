"""The `cxbench` command (contract section 2)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from orchestration.settings import DataHome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cxbench", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser(
        "run", help="ingest what is new, transform, check, publish (through Dagster)"
    )
    run.add_argument("--quiet", action="store_true", help="print no summary")
    run.add_argument("--verbose", action="store_true", help="show Dagster's step log")
    run.add_argument(
        "--wait", action="store_true", help="wait for a run already in progress instead of stopping"
    )

    demo = commands.add_parser("demo-data", help="write the demo landing set")
    demo.add_argument("--dest", type=Path, help="folder to write to (default: the landing folder)")
    demo.add_argument("--seed", type=int, default=2021)
    demo.add_argument("--scale", type=float, default=1.0, help="multiply the number of studies")

    args = parser.parse_args(argv)
    if args.command == "run":
        from orchestration.run import run_benchmark

        return run_benchmark(
            DataHome.from_env(), quiet=args.quiet, verbose=args.verbose, wait=args.wait
        )
    if args.command == "demo-data":
        from orchestration.demo import write_demo_landing

        dest = args.dest or DataHome.from_env().landing
        written = write_demo_landing(dest, seed=args.seed, scale=args.scale)
        print(f"wrote {len(written)} files to {dest}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
