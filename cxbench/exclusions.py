"""Analyst exclusions: studies a researcher keeps out of the benchmark, each with a reason.

One versioned YAML file in the data home, `exclusions.yml` (docs/contract.md §1):

```yaml
version: 1
exclusions:
  - organisation_id: "B2B-0007"     # a study: organisation x fieldwork year
    year: 2019
    reason: fieldwork stopped halfway, the sample is not representative
  - file: 2020/acme_export.xlsx     # a delivered file (its path under landing/)
    reason: delivered for another benchmark
```

Every `cxbench run` reads it again (a changed file is a new run's input even when no delivery is
new): the excluded rows stay in the warehouse (`raw.survey_responses`), so removing an entry
brings the study back without a new delivery, but dbt's staging leaves them out of every estimate.
The run records what it applied in `audit.exclusions` (one row per entry, with how many files and
respondent rows it matched) and in `audit.file_log`: a file whose counted rows are all excluded
has status `excluded` with `exclusion_reason`; a file only partly excluded keeps its status and
names the excluded studies in `exclusion_reason`. rows_read = rows_accepted + rows_quarantined
holds throughout: an exclusion changes what counts, not what was read. `publication_info.exclusions`
and the report's methodology list them.

A file that is not valid stops the run before anything changes, with one line naming the entry
and what is wrong: an exclusion the researcher wrote must never be silently ignored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

from cxbench.ingest.warehouse import (
    EXCLUDED,
    EXCLUSIONS_TABLE,
    FILE_LOG,
    HOLDING_ROWS,
    LOADED,
    PARTIALLY_LOADED,
    STUDY_DELIVERIES,
)

EXCLUSIONS_FILE = "exclusions.yml"
VERSION = 1


class ExclusionsError(ValueError):
    """exclusions.yml cannot be used; the message names the file, the entry and the problem."""


@dataclass(frozen=True)
class Exclusion:
    """One entry: a study (organisation_id and year) or a file, and why it is kept out."""

    reason: str
    organisation_id: str | None = None
    year: int | None = None
    file: str | None = None

    @property
    def kind(self) -> str:
        return "file" if self.file is not None else "study"

    def label(self) -> str:
        if self.file is not None:
            return f"file {self.file}"
        return f"organisation {self.organisation_id} {self.year}"

    def as_json(self) -> str:
        """The entry as published in publication_info.exclusions (a JSON object)."""
        if self.file is not None:
            entry: dict[str, object] = {"file": self.file, "reason": self.reason}
        else:
            entry = {
                "organisation_id": self.organisation_id,
                "year": self.year,
                "reason": self.reason,
            }
        return json.dumps(entry, ensure_ascii=False)


STUDY_KEYS = {"organisation_id", "year", "reason"}
FILE_KEYS = {"file", "reason"}


def load_exclusions(path: Path) -> list[Exclusion]:
    """The entries of `path`; none when the file does not exist. Raises ExclusionsError."""
    if not path.exists():
        return []
    where = path.name
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else "unreadable"
        raise ExclusionsError(f"{where}: not valid YAML ({first})") from error
    if document is None:
        return []  # an empty file excludes nothing
    if not isinstance(document, dict):
        raise ExclusionsError(
            f"{where}: expected a mapping with `version: {VERSION}` and `exclusions:`"
        )
    unknown = set(document) - {"version", "exclusions"}
    if unknown:
        raise ExclusionsError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    if document.get("version") != VERSION:
        raise ExclusionsError(
            f"{where}: `version: {VERSION}` is required (found {document.get('version')!r})"
        )
    entries = document.get("exclusions")
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise ExclusionsError(f"{where}: `exclusions` must be a list of entries")
    exclusions: list[Exclusion] = []
    seen: dict[tuple, int] = {}
    for number, entry in enumerate(entries, start=1):
        exclusion = _entry(f"{where}: entry {number}", entry)
        key = (exclusion.kind, exclusion.organisation_id, exclusion.year, exclusion.file)
        if key in seen:
            raise ExclusionsError(
                f"{where}: entry {number} repeats entry {seen[key]} ({exclusion.label()})"
            )
        seen[key] = number
        exclusions.append(exclusion)
    return exclusions


def _entry(where: str, entry: object) -> Exclusion:
    if not isinstance(entry, dict):
        raise ExclusionsError(
            f"{where}: expected `organisation_id`, `year` and `reason`, or `file` and `reason`"
        )
    keys = set(entry)
    if "file" in keys and keys & {"organisation_id", "year"}:
        raise ExclusionsError(f"{where}: give either `file` or `organisation_id` and `year`")
    expected = FILE_KEYS if "file" in keys else STUDY_KEYS
    unknown = keys - expected
    if unknown:
        raise ExclusionsError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    missing = expected - keys
    if missing:
        raise ExclusionsError(f"{where}: {', '.join(sorted(missing))} missing")
    reason = entry["reason"]
    if not isinstance(reason, str) or not reason.strip():
        raise ExclusionsError(f"{where}: `reason` must be a non-empty text")
    if "file" in keys:
        file = entry["file"]
        if not isinstance(file, str) or not file.strip():
            raise ExclusionsError(f"{where}: `file` must be a path under landing/, as text")
        return Exclusion(reason=reason.strip(), file=file.strip().removeprefix("./"))
    organisation = entry["organisation_id"]
    if not isinstance(organisation, str) or not organisation.strip():
        shown = f" (found the number {organisation!r}: quote it)" if organisation else ""
        raise ExclusionsError(f"{where}: `organisation_id` must be a text{shown}")
    year = entry["year"]
    if isinstance(year, bool) or not isinstance(year, int):
        raise ExclusionsError(f"{where}: `year` must be a whole year, e.g. 2021 (found {year!r})")
    return Exclusion(reason=reason.strip(), organisation_id=organisation.strip(), year=year)


@dataclass(frozen=True)
class Applied:
    """What one run excluded."""

    exclusions: list[Exclusion]
    files_excluded: int
    rows_excluded: int


def apply_exclusions(con: duckdb.DuckDBPyConnection, exclusions: list[Exclusion]) -> Applied:
    """Record `exclusions` in audit.exclusions and mark the files in audit.file_log, in one
    transaction; entries no longer in the file are undone (their files counted again)."""
    con.execute("begin transaction")
    try:
        con.execute(f"delete from {EXCLUSIONS_TABLE}")
        for position, exclusion in enumerate(exclusions, start=1):
            files, rows = _matches(con, exclusion)
            con.execute(
                f"insert into {EXCLUSIONS_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    position,
                    exclusion.kind,
                    exclusion.organisation_id,
                    exclusion.year,
                    exclusion.file,
                    exclusion.reason,
                    exclusion.as_json(),
                    files,
                    rows,
                ],
            )
        files_excluded = _mark_files(con, exclusions)
        rows_excluded = _rows_excluded(con) if exclusions else 0
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return Applied(exclusions, files_excluded, rows_excluded)


def _rows_excluded(con: duckdb.DuckDBPyConnection) -> int:
    """Respondent rows the recorded exclusions keep out (one pass over the rows)."""
    (rows,) = con.execute(
        f"""
        select count(*) from raw.survey_responses as r
        where exists (
            select 1 from {EXCLUSIONS_TABLE} as e
            where (e.kind = 'file' and e.source_file = r.source_file)
               or (e.kind = 'study' and e.organisation_id = r.organisation_id
                   and e.year = r.year)
        )
        """
    ).fetchone()
    return int(rows)


def _matches(con: duckdb.DuckDBPyConnection, exclusion: Exclusion) -> tuple[int, int]:
    """Counted deliveries and respondent rows one entry keeps out."""
    if exclusion.file is not None:
        condition, params = "source_file = ?", [exclusion.file]
    else:
        condition, params = (
            "organisation_id = ? and year = ?",
            [exclusion.organisation_id, exclusion.year],
        )
    files, rows = con.execute(
        f"select count(distinct source_file || content_hash), count(*) "
        f"from raw.survey_responses where {condition}",
        params,
    ).fetchone()
    return int(files), int(rows)


def _mark_files(con: duckdb.DuckDBPyConnection, exclusions: list[Exclusion]) -> int:
    """Set status and exclusion_reason of every file holding rows; returns files excluded."""
    by_file = {e.file: e for e in exclusions if e.file is not None}
    by_study = {(e.organisation_id, e.year): e for e in exclusions if e.file is None}
    files = con.execute(
        f"select source_file, content_hash, rows_quarantined, status, exclusion_reason "
        f"from {FILE_LOG} "
        f"where status in (select unnest(?::varchar[]))",
        [list(HOLDING_ROWS)],
    ).fetchall()
    studies: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for organisation, year, source_file, content_hash in con.execute(
        f"select organisation_id, year, source_file, content_hash from {STUDY_DELIVERIES} "
        "order by organisation_id, year"
    ).fetchall():
        studies.setdefault((source_file, content_hash), []).append((organisation, year))
    updates = []
    excluded = 0
    for source_file, content_hash, quarantined, was, was_reason in files:
        status = PARTIALLY_LOADED if quarantined else LOADED
        reason = None
        if source_file in by_file:
            status, reason = EXCLUDED, f"file excluded: {by_file[source_file].reason}"
        else:
            held = studies.get((source_file, content_hash), [])
            hit = [by_study[s] for s in held if s in by_study]
            if hit:
                listed = "; ".join(f"{e.organisation_id} {e.year}: {e.reason}" for e in hit)
                if len(hit) == len(held):
                    status, reason = EXCLUDED, f"excluded: {listed}"
                else:
                    reason = f"partly excluded: {listed}"
        excluded += status == EXCLUDED
        if (status, reason) != (was, was_reason):  # one update per file would cost ~0.5 ms each
            updates.append((status, reason, source_file, content_hash))
    if updates:
        con.executemany(
            f"update {FILE_LOG} set status = ?, exclusion_reason = ? "
            f"where source_file = ? and content_hash = ? "
            f"and status in ('{LOADED}', '{PARTIALLY_LOADED}', '{EXCLUDED}')",
            updates,
        )
    return excluded
