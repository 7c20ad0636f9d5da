"""Is the publication up to date? A run that would change nothing is answered in a second.

A publication is a function of its inputs: the files in landing/, the analyst's exclusions, the
run's dbt vars and settings, and the code (Python and the dbt project). After a run of the
benchmark job published, the launcher records a fingerprint of those inputs as they were when
the run started; the next `cxbench run` compares the fingerprint of the inputs now and, when
equal and the publication is still there, says so and exits without starting Dagster, dbt or the
quality gate (~8 s of fixed cost a run).

Files are compared by path, size, modification and change time (st_ctime cannot be set back by a
copy that keeps the old mtime); the exclusions file and the code by content. The record is
removed when any run starts, so a run killed half-way, a failed one or an edition leaves none,
and the next run does the whole work (cleaning up after a killed run included).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from cxbench.settings import DBT_PROJECT_DIR, DataHome

RECORD_FILE = ".last-publication.json"
FORMAT = 1
# Settings read from the environment that change what is published.
SETTINGS_ENV = ("CXBENCH_SNAPSHOT_STORAGE_VERSION",)
_CODE_PACKAGES = ("cxbench", "orchestration", "validations")
_DBT_FOLDERS = ("models", "macros", "seeds", "tests")


def _record(home: DataHome) -> Path:
    return home.root / RECORD_FILE


def tree(root: Path, skip: Iterable[str] = ()) -> Iterable[Path]:
    """Every file below root, in a stable order (folders in `skip` left out)."""
    if not root.is_dir():
        return []
    found = []
    for folder, folders, names in os.walk(root):
        folders[:] = sorted(f for f in folders if f not in skip)
        found.extend(Path(folder) / name for name in sorted(names))
    return found


def landing_state(home: DataHome) -> list[list]:
    """(path, size, mtime_ns, ctime_ns) of every file in landing/, in a stable order.

    Strings and os.scandir rather than pathlib: at 20,000 files pathlib's objects were most of
    the check's time."""
    state: list[list] = []
    root = str(home.landing)
    if not os.path.isdir(root):
        return state
    folders = [""]
    while folders:
        relative = folders.pop()
        with os.scandir(os.path.join(root, relative) if relative else root) as entries:
            for entry in entries:
                name = f"{relative}/{entry.name}" if relative else entry.name
                if entry.is_dir(follow_symlinks=True):
                    folders.append(name)
                else:
                    stat = entry.stat()
                    state.append([name, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns])
    state.sort(key=lambda row: row[0])
    return state


def code_fingerprint() -> str:
    """The cxbench version and the content of its Python packages and dbt project."""
    digest = hashlib.sha256()
    try:
        digest.update(version("cxbench").encode())
    except PackageNotFoundError:
        pass
    package_root = Path(__file__).resolve().parent.parent
    files = [
        *(p for pkg in _CODE_PACKAGES for p in tree(package_root / pkg, skip={"__pycache__"})),
        DBT_PROJECT_DIR / "dbt_project.yml",
        DBT_PROJECT_DIR / "profiles.yml",
        *(p for folder in _DBT_FOLDERS for p in tree(DBT_PROJECT_DIR / folder)),
    ]
    add_contents(digest, files, package_root)
    return digest.hexdigest()


def add_contents(digest, files: Iterable[Path], root: Path) -> None:
    """Each file's path below `root` and the hash of its bytes into `digest` (compiled Python
    and files that are gone left out): what code fingerprints are made of."""
    for path in files:
        if path.suffix == ".pyc" or not path.is_file():
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def inputs_fingerprint(
    home: DataHome, dbt_vars: Mapping[str, object] | None = None, engine: str = "duckdb"
) -> str:
    """One hash of everything a publication depends on."""
    exclusions = home.root / "exclusions.yml"
    inputs = {
        "format": FORMAT,
        "landing": landing_state(home),
        "exclusions": exclusions.read_text(encoding="utf-8") if exclusions.exists() else None,
        "dbt_vars": dict(sorted((dbt_vars or {}).items())),
        "settings": {name: os.environ.get(name) for name in SETTINGS_ENV},
        "engine": engine,
        "code": code_fingerprint(),
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()


def is_up_to_date(home: DataHome, fingerprint: str) -> bool:
    """The last run published from exactly these inputs, and its publication is still there."""
    try:
        recorded = json.loads(_record(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    published = home.snapshot.exists() and (home.published / "report" / "index.html").exists()
    return recorded.get("fingerprint") == fingerprint and published


def forget(home: DataHome) -> None:
    """A run starts: until it has published, no earlier record speaks for the data home."""
    _record(home).unlink(missing_ok=True)


def remember(home: DataHome, fingerprint: str) -> None:
    """The run published from the inputs with this fingerprint."""
    staged = _record(home).with_suffix(f".{os.getpid()}.tmp")
    staged.write_text(json.dumps({"format": FORMAT, "fingerprint": fingerprint}) + "\n")
    os.replace(staged, _record(home))
