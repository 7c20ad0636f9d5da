"""Parquet deliveries: typed columns, read whole and turned into text."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from cxbench.ingest.readers.common import DeliveredTable, RejectedFile, first_line
from cxbench.ingest.readers.typed import as_text
from validations.manifest_schema import StudyManifest


def read_parquet(path: Path, manifest: StudyManifest) -> DeliveredTable:
    """A Parquet file; the manifest's reading options (sheet, delimiter, ...) do not apply."""
    try:
        frame = pl.read_parquet(path)
    except (OSError, pl.exceptions.PolarsError) as error:
        raise RejectedFile(f"not a readable Parquet file: {first_line(error)}") from error
    return DeliveredTable(frame=as_text(frame), layout="parquet")
