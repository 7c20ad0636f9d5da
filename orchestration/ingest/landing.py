"""What has been delivered to `landing/`: survey files and their content hashes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

# Sidecar manifests and notes travel with deliveries but are not survey files themselves.
NOT_SURVEY_SUFFIXES = {".yml", ".yaml", ".md", ".txt", ".done", ".tmp", ".part", ".crdownload"}


@dataclass(frozen=True)
class Delivery:
    """One file in landing/: `source_file` is its path relative to landing/ (posix)."""

    path: Path
    source_file: str
    size: int
    modified: float

    def content_hash(self) -> str:
        digest = hashlib.sha256()
        with self.path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()


def is_survey_file(path: Path) -> bool:
    name = path.name
    return (
        path.is_file()
        and not name.startswith((".", "~$"))
        and path.suffix.lower() not in NOT_SURVEY_SUFFIXES
    )


def scan_landing(landing: Path) -> list[Delivery]:
    """Every survey file below `landing`, oldest delivery first (later files supersede earlier)."""
    if not landing.is_dir():
        return []
    deliveries = []
    for path in landing.rglob("*"):
        if is_survey_file(path):
            stat = path.stat()
            deliveries.append(
                Delivery(
                    path=path,
                    source_file=path.relative_to(landing).as_posix(),
                    size=stat.st_size,
                    modified=stat.st_mtime,
                )
            )
    return sorted(deliveries, key=lambda d: (d.modified, d.source_file))
