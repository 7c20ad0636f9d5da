"""What has been delivered to `landing/`: survey files, their manifests and content hashes.

A file's content is its bytes plus those of the manifest that applies to it, so a changed
manifest makes its files new deliveries (read again; the earlier reading is superseded). A file
without a manifest is known by the hash of its bytes alone; copies are recognised by their bytes,
whatever manifest they arrive with.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from cxbench.ingest.manifest import find_manifest

# Sidecar manifests and notes travel with deliveries but are not survey files themselves.
NOT_SURVEY_SUFFIXES = {".yml", ".yaml", ".md", ".txt", ".done", ".tmp", ".part", ".crdownload"}
NOT_SURVEY_NAMES = {"thumbs.db", "desktop.ini"}
# Excel saves "Text (tab delimited)" as .txt: such a file is a survey when it has a manifest or
# its first line names respondent_id or organisation_id; any other .txt is a note.
TABLE_TEXT = re.compile(r"^\W*(respondent[ _]?id|organisation[ _]?id)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Delivery:
    """One file in landing/: `source_file` is its path relative to landing/ (posix)."""

    path: Path
    source_file: str
    size: int
    modified: float
    manifest: Path | None = None  # the study manifest that applies to it
    manifest_file: str | None = None  # its path relative to landing/, for reasons
    # Size and modification and change times of the file and of its manifest: equal stamps,
    # equal bytes (a copy or an edit cannot set the change time back).
    stamp: str = ""

    def hashes(self, data: bytes | None = None) -> tuple[str, str | None]:
        """(content hash, hash of the bytes alone or None when the two are the same).

        `data`: the file's bytes when the caller has read them already (one read per file).
        """
        if data is not None:
            digest = hashlib.sha256(data)
        else:
            digest = hashlib.sha256()
            with self.path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        if self.manifest is None:
            return digest.hexdigest(), None
        file_hash = digest.hexdigest()
        digest.update(b"\0manifest\0")
        digest.update(self.manifest.read_bytes())
        return digest.hexdigest(), file_hash

    def content_hash(self) -> str:
        return self.hashes()[0]


def is_survey_file(path: Path) -> bool:
    name = path.name
    if not path.is_file() or name.startswith((".", "~$")) or name.lower() in NOT_SURVEY_NAMES:
        return False
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return find_manifest(path) is not None or _starts_like_a_table(path)
    return suffix not in NOT_SURVEY_SUFFIXES


def _starts_like_a_table(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4096)
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    first_line = head.decode("utf-16" if utf16 else "utf-8", "ignore").lstrip("\ufeff")
    fields = re.split(r"[,;\t|]", first_line.split("\n", 1)[0])
    return any(TABLE_TEXT.match(field) for field in fields)


def scan_landing(landing: Path) -> list[Delivery]:
    """Every survey file below `landing`, oldest delivery first (later files supersede earlier)."""
    if not landing.is_dir():
        return []
    deliveries = []
    for path in landing.rglob("*"):
        if is_survey_file(path):
            stat = path.stat()
            manifest = find_manifest(path)
            stamps = [_stamp(stat)] + ([_stamp(manifest.stat())] if manifest else [])
            deliveries.append(
                Delivery(
                    path=path,
                    source_file=path.relative_to(landing).as_posix(),
                    size=stat.st_size,
                    modified=stat.st_mtime,
                    manifest=manifest,
                    manifest_file=manifest.relative_to(landing).as_posix() if manifest else None,
                    stamp="|".join(stamps),
                )
            )
    return sorted(deliveries, key=lambda d: (d.modified, d.source_file))


def _stamp(stat) -> str:
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}"
