"""SPSS deliveries (.sav, .zsav): numbers, value labels and user-missing codes.

User-missing codes (e.g. 99 "weet niet") are declared missing by the file itself, so they are
read as empty answers. Value labels travel beside the codes; mapping decides which to use.
"""

from __future__ import annotations

from pathlib import Path

import pyreadstat

from cxbench.ingest.readers.common import DeliveredTable, RejectedFile, first_line
from cxbench.ingest.readers.typed import as_text
from validations.manifest_schema import StudyManifest, cell_text


def read_spss(path: Path, manifest: StudyManifest) -> DeliveredTable:
    try:
        frame, meta = pyreadstat.read_sav(
            str(path), output_format="polars", user_missing=False, encoding=manifest.encoding
        )
    except Exception as error:  # pyreadstat raises its own and plain errors for damaged files
        raise RejectedFile(f"not a readable SPSS file: {first_line(error)}") from error
    labels = {
        column: {cell_text(code) or "": label for code, label in codes.items()}
        for column, codes in meta.variable_value_labels.items()
    }
    return DeliveredTable(frame=as_text(frame), layout="spss", value_labels=labels)
