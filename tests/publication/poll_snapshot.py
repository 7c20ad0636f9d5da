"""A BI tool's reads, as fast as it can, while publications happen (tests only).

    python -m tests.publication.poll_snapshot <published folder> <stop file>

Each round opens the DuckDB snapshot read-only and reads two tables, then reads two Parquet
files of the Parquet folder, resolved once as a folder reader does. It
stops after the round in which the stop file appeared and prints a JSON summary.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq


def one_round(published: Path) -> str:
    con = duckdb.connect(str(published / "benchmark.duckdb"), read_only=True)
    try:
        (stamp,) = con.execute("select published_at from benchmark.publication_info").fetchone()
        con.execute("select count(*) from benchmark.nps_by_sector_year").fetchone()
    finally:
        con.close()
    # A folder reader resolves the Parquet folder once, so all its files are one publication.
    folder = Path(os.path.realpath(published / "parquet"))
    (info,) = pq.read_table(folder / "publication_info.parquet").to_pylist()
    if pq.read_table(folder / "nps_by_sector_year.parquet").num_rows == 0 or not info:
        raise AssertionError(f"incomplete publication in {folder}")
    return str(stamp)


def main(published: Path, stop: Path) -> None:
    seen: list[str] = []
    errors: list[str] = []
    rounds = 0
    while True:
        last_round = stop.exists()
        try:
            stamp = one_round(published)
            if not seen or seen[-1] != stamp:
                seen.append(stamp)
        except Exception as error:  # noqa: BLE001 - every failure a BI tool would see counts
            errors.append(f"{type(error).__name__}: {error}")
        rounds += 1
        if last_round:
            break
    print(json.dumps({"rounds": rounds, "seen": seen, "errors": errors[:20]}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
