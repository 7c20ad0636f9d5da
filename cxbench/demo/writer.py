"""Write the demo landing set: every study delivered in its layout, with a year's worth of mess.

Studies are generated, delivered and written one at a time (one study in memory). Each file's
modification time is its delivery time, so cxbench ingests the set in the order a research firm
would have received it: a first delivery before its correction, an original before its copy.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

from cxbench.demo import customeyes, integron, kbo
from cxbench.demo.choices import Choices
from cxbench.demo.layouts import Delivery, LayoutMix
from cxbench.demo.mess import Mess, Note
from cxbench.demo.organisations import StudyTable

README = "README.md"
DELIVERY_DAYS = (5, 40)  # a study arrives this many days after its last interview


def all_studies(seed: int, scale: float) -> Iterator[StudyTable]:
    """Every study of the demo landing set, generated one at a time."""
    yield from integron.studies(seed, scale)
    yield from kbo.studies(seed, scale)
    yield from customeyes.studies(seed, scale)


def delivery_time(study: StudyTable, choices: Choices) -> dt.datetime:
    """When the study arrives: some weeks after its last interview, during office hours."""
    last = max(day for day in study.columns["response_date"] if day)
    days = choices.integer("delivery day", *DELIVERY_DAYS)
    minutes = choices.integer("delivery minute", 8 * 60, 18 * 60)
    return dt.datetime.fromisoformat(last) + dt.timedelta(days=days, minutes=minutes)


def write_file(path: Path, content: bytes, when: dt.datetime) -> Path:
    """Write under a hidden temporary name first (cxbench skips hidden files), then rename, and
    date the file `when` (read as UTC, so the same on every machine)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(content)
    os.replace(partial, path)
    stamp = calendar.timegm(when.timetuple())
    os.utime(path, (stamp, stamp))
    return path


def write_delivery(dest: Path, delivery: Delivery) -> list[Path]:
    """The delivery's files in its folder under `dest`, manifests before their survey file."""
    folder = dest.joinpath(*delivery.folder.parts)
    names = sorted(delivery.files, key=lambda name: name == delivery.name)
    return [write_file(folder / n, delivery.files[n], delivery.delivered) for n in names]


def readme(notes: list[Note]) -> bytes:
    """The landing folder's README: what the demo deliveries are and which ones misbehave."""
    lines = [
        "# Demo deliveries",
        "",
        "Written by `cxbench demo-data`: synthetic client studies calibrated to the figures of",
        "three published Dutch benchmarks, delivered as research firms receive them (canonical",
        "CSV, Dutch Excel CSV, workbooks, SPSS, Qualtrics exports, Parquet; manifests beside the",
        "files that need one; see docs/deliveries.md). Each file is dated when it was delivered.",
        "",
        "After `cxbench run`, `audit.file_log` shows what became of these:",
        "",
        *(f"- `{note.source_file}`: {note.outcome}" for note in notes),
        "",
    ]
    return "\n".join(lines).encode()


def write_demo_landing(dest: Path, seed: int = 2021, scale: float = 1.0) -> list[Path]:
    """Write the demo landing set under `dest` and return the files written, in order.

    Three calibrated series reproduce the published figures of `seed-figures.md`: the Integron
    B2B benchmark 2018-2020, the Klantbelevingsonderzoek B2C 2011-2012 and the Customeyes grade
    trends B2C 2007-2013. Each study arrives in a seeded layout; a few dirty rows, bad files, a
    copy and a correction come on top. `scale` multiplies the number of studies (organisations)
    per year; the same seed and scale always give byte-identical files.
    """
    if not scale > 0:
        raise ValueError(f"scale must be greater than 0, got {scale}")
    dest = Path(dest)
    mess, mix = Mess(seed), LayoutMix(seed)
    written: list[Path] = []
    latest = dt.datetime.min
    for study in all_studies(seed, scale):
        choices = Choices(seed, study.path.as_posix())
        arrived = delivery_time(study, choices)
        for delivery in mess.deliveries(study, mix.next(), choices, arrived):
            written += write_delivery(dest, delivery)
            latest = max(latest, delivery.delivered)
    written.append(write_file(dest / README, readme(mess.notes), latest))
    return written
