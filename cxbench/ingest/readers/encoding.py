"""The text encoding of a delivered file: a byte-order mark, else UTF-8 if valid, else cp1252."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from cxbench.ingest.readers.common import RejectedFile

BLOCK_BYTES = 1 << 20
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control bytes other than tab, line ends and form feed do not occur in text files.
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")
_CONTROL = bytes(range(0x00, 0x09)) + bytes(range(0x0E, 0x20))  # the bytes CONTROL_BYTES matches


def control_bytes(head: bytes) -> int:
    """How many bytes of `head` CONTROL_BYTES matches (counted in C, not by the regex engine)."""
    return len(head) - len(head.translate(None, _CONTROL))


def is_utf8(path: Path, data: bytes | None = None) -> bool:
    """Whether the whole file is valid UTF-8, read in blocks (files can be gigabytes).

    `data`: the file's bytes, when they are in memory already.
    """
    if data is not None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(BLOCK_BYTES), b""):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path, head: bytes, data: bytes | None = None) -> str:
    """A Python codec name for the file; binary content is rejected here."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    if control_bytes(head) > len(head) // 100:
        raise RejectedFile("file is binary, not a text or workbook file")
    return "utf-8" if is_utf8(path, data) else "cp1252"


def decoded(path: Path, encoding: str, data: bytes | None = None) -> str:
    """The whole file as text; bytes the encoding does not define reject the file."""
    try:
        return (path.read_bytes() if data is None else data).decode(encoding)
    except UnicodeDecodeError as error:
        raise RejectedFile(
            f"not valid {encoding} text (byte {error.object[error.start]:#04x} "
            f"at offset {error.start})"
        ) from error
