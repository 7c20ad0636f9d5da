"""`cxbench report`: (re)build the report from the current publication, in either language,
or a client edition for one organisation."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cxbench.settings import DataHome

LANGUAGES = ("nl", "en")


def add_report_command(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser(
        "report",
        help="write the benchmark report (published/report/index.html) from the publication",
    )
    report.add_argument("--lang", choices=LANGUAGES, default="nl", help="language (default nl)")
    report.add_argument(
        "--organisation",
        metavar="ORG_ID",
        help="client edition for this organisation: written to published/restricted/"
        "report_<ORG_ID>.html, never to the public report folder",
    )
    report.add_argument("--dest", type=Path, help="folder to write to instead of the default")


def run_report_command(args: argparse.Namespace) -> int:
    from cxbench.report.build import publish_report

    home = DataHome.from_env()
    try:
        written = publish_report(
            home, lang=args.lang, organisation=args.organisation, dest=args.dest
        )
    except (FileNotFoundError, ValueError) as error:
        print(f"cxbench: {error}", file=sys.stderr)
        return 1
    charts = len(written) - 1
    print(f"wrote {written[0]}" + (f" and {charts} chart images" if charts else ""))
    return 0
