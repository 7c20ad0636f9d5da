"""Reading a delivered file into text columns, before any interpretation.

Everything is read as text so validation can report the value exactly as delivered. The layout
is recognised from the file's content (its first bytes), not only its name, so a workbook saved
as `.csv` is still read as a workbook; the manifest says what cannot be recognised.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cxbench.ingest.readers.common import (
    DeliveredTable,
    ManifestMismatch,
    RejectedFile,
    first_line,
)
from cxbench.ingest.readers.parquet import read_parquet
from cxbench.ingest.readers.spss import read_spss
from cxbench.ingest.readers.text import read_text
from cxbench.ingest.readers.workbook import read_workbook
from validations.manifest_schema import StudyManifest

__all__ = [
    "DeliveredTable",
    "ManifestMismatch",
    "RejectedFile",
    "first_line",
    "layout_of",
    "read_delivery",
]

# Leading bytes of the layouts cxbench reads, and of files that are surely no survey.
SIGNATURES = {
    b"PK\x03\x04": "workbook",  # xlsx, xlsm, ods (zip)
    b"\xd0\xcf\x11\xe0": "workbook",  # xls (OLE)
    b"$FL2": "spss",
    b"$FL3": "spss",  # compressed .zsav
    b"PAR1": "parquet",
}
NOT_SURVEY = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive (unpack it first)",
    b"SQLite format 3": "an SQLite database",
}
BINARY_SUFFIXES = {
    ".xlsx": "workbook",
    ".xlsm": "workbook",
    ".xls": "workbook",
    ".ods": "workbook",
    ".sav": "spss",
    ".zsav": "spss",
    ".parquet": "parquet",
    ".pq": "parquet",
}
LAYOUT_NAMES = {"workbook": "a workbook", "spss": "an SPSS", "parquet": "a Parquet"}


READERS: dict[str, Callable[[Path, StudyManifest], DeliveredTable]] = {
    "text": read_text,
    "workbook": read_workbook,
    "spss": read_spss,
    "parquet": read_parquet,
}


def layout_of(path: Path, data: bytes | None = None) -> str:
    """Which reader a file needs, from its first bytes; a mismatch with its name is an error.

    `data`: the file's bytes, when they have been read already.
    """
    if data is not None:
        head = data[:16]
    else:
        with path.open("rb") as handle:
            head = handle.read(16)
    if not head.strip():
        raise RejectedFile("file is empty")
    for signature, what in NOT_SURVEY.items():
        if head.startswith(signature):
            raise RejectedFile(f"file is {what}, not a survey file")
    layout = next((kind for sig, kind in SIGNATURES.items() if head.startswith(sig)), "text")
    if path.suffix.lower() == ".zip":
        raise RejectedFile("file is a zip archive: unpack it and deliver its files")
    named = BINARY_SUFFIXES.get(path.suffix.lower())
    if named and named != layout:
        raise RejectedFile(
            f"named {path.suffix} but its content is not {LAYOUT_NAMES[named]} file "
            "(damaged or mislabelled)"
        )
    return layout


def read_delivery(path: Path, manifest: StudyManifest, data: bytes | None = None) -> DeliveredTable:
    """The delivered table as text columns: one row per data row, header rows removed.

    `data`: the file's bytes, when the caller has read them already (to hash them): text files
    are then parsed from memory instead of being read again.
    """
    layout = layout_of(path, data)
    if layout == "text":
        return read_text(path, manifest, data)
    return READERS[layout](path, manifest)
