"""The hashes of deliveries read before, by file stamp: a run reads only what changed.

Ingest knows a delivery by its content hash, and hashing every file on every run reads the
whole landing set again (5.5 GB at 100 M respondents, seconds of CPU for a run that finds one
new study). The record beside the warehouse (`<warehouse>.hashes.json`) keeps, per file, its
stamp (size, modification and change times of the file and of its manifest, see
cxbench.ingest.landing) and its hashes; a file with the same stamp has the same bytes and is not
read again. A missing or unreadable record only costs the reading: every file is hashed again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

FORMAT = 1
Hashes = tuple[str, str | None]


def record_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".hashes.json")


def load(warehouse: Path) -> dict[str, tuple[str, Hashes]]:
    """source_file -> (stamp, (content hash, file hash))."""
    try:
        data = json.loads(record_path(warehouse).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    return {
        source: (stamp, (content, file_hash))
        for source, (stamp, content, file_hash) in data.get("files", {}).items()
    }


def save(warehouse: Path, known: dict[str, tuple[str, Hashes]]) -> None:
    """Replace the record in one rename (a reader sees the old or the new one)."""
    files = {source: [stamp, *hashes] for source, (stamp, hashes) in sorted(known.items())}
    staged = record_path(warehouse).with_suffix(f".{os.getpid()}.tmp")
    staged.write_text(json.dumps({"format": FORMAT, "files": files}), encoding="utf-8")
    os.replace(staged, record_path(warehouse))
