"""How long polars' allocator (jemalloc) keeps freed memory before returning it to the system.

Ingest frees and allocates hundreds of megabytes a second (a batch of text cells, then its typed
rows, then the next batch). With polars' own setting its jemalloc hands freed pages back to the
kernel soon, and taking them again costs a page fault per page. Keeping them for 5 s reuses them
instead (at 10 M respondents ~0.7 s less system CPU, of ~2 s); a batch's
pages are reused by the next batch rather than added to it, and once the 5 s are up they are
returned at once (muzzy_decay_ms 0), so peak memory stays near where it was.

jemalloc reads the setting once, when polars is loaded, so it is set before anything imports
polars; a value given in the environment is kept.
"""

from __future__ import annotations

import os
import sys

ENV = "_RJEM_MALLOC_CONF"  # polars' jemalloc is built with the _rjem_ prefix
KEEP_FREED_PAGES = "dirty_decay_ms:5000,muzzy_decay_ms:0"


def keep_freed_pages() -> bool:
    """Set the decay for polars' jemalloc unless set already or too late; whether it was set."""
    if ENV in os.environ or "polars" in sys.modules:
        return False
    os.environ[ENV] = KEEP_FREED_PAGES
    return True
