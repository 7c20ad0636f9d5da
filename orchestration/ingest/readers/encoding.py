"""The text encoding of a delivered file: a byte-order mark, else UTF-8 if valid, else cp1252."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from orchestration.ingest.readers.common import RejectedFile

BLOCK_BYTES = 1 << 20
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control bytes other than tab, line ends and form feed do not occur in text files.
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")


def is_utf8(path: Path) -> bool:
    """Whether the whole file is valid UTF-8, read in blocks (files can be gigabytes)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(BLOCK_BYTES), b""):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path, head: bytes) -> str:
    """A Python codec name for the file; binary content is rejected here."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    if len(CONTROL_BYTES.findall(head)) > len(head) // 100:
        raise RejectedFile("file is binary, not a text or workbook file")
    return "utf-8" if is_utf8(path) else "cp1252"


def decoded(path: Path, encoding: str) -> str:
    """The whole file as text; bytes the encoding does not define reject the file."""
    try:
        return path.read_bytes().decode(encoding)
    except UnicodeDecodeError as error:
        raise RejectedFile(
            f"not valid {encoding} text (byte {error.object[error.start]:#04x} "
            f"at offset {error.start})"
        ) from error
