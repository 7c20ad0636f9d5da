"""exclusions.yml is validated with one clear line per problem (cxbench/exclusions.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxbench.exclusions import Exclusion, ExclusionsError, load_exclusions


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "exclusions.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_and_an_empty_file_exclude_nothing(tmp_path):
    assert load_exclusions(tmp_path / "exclusions.yml") == []
    assert load_exclusions(write(tmp_path, "")) == []
    assert load_exclusions(write(tmp_path, "version: 1\nexclusions: []\n")) == []


def test_studies_and_files_with_their_reasons(tmp_path):
    path = write(
        tmp_path,
        """
version: 1
exclusions:
  - organisation_id: "007"
    year: 2021
    reason: fieldwork stopped halfway
  - file: ./2020/acme.xlsx
    reason: " delivered for another benchmark "
""",
    )
    study, file = load_exclusions(path)
    assert study == Exclusion("fieldwork stopped halfway", "007", 2021)
    assert file == Exclusion("delivered for another benchmark", file="2020/acme.xlsx")
    assert (study.kind, file.kind) == ("study", "file")
    assert json.loads(study.as_json()) == {
        "organisation_id": "007",
        "year": 2021,
        "reason": "fieldwork stopped halfway",
    }
    assert json.loads(file.as_json()) == {
        "file": "2020/acme.xlsx",
        "reason": "delivered for another benchmark",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 1\nexclusions: [a\n", "exclusions.yml: not valid YAML"),
        ("- organisation_id: x\n", "expected a mapping with `version: 1`"),
        ("exclusions: []\n", "`version: 1` is required (found None)"),
        ("version: 2\nexclusions: []\n", "`version: 1` is required (found 2)"),
        ("version: 1\nexclude: []\n", "unknown key(s) exclude"),
        ("version: 1\nexclusions: {file: a.csv}\n", "`exclusions` must be a list"),
        (
            "version: 1\nexclusions:\n  - {organisation_id: A, year: 2021}\n",
            "entry 1: reason missing",
        ),
        (
            "version: 1\nexclusions:\n  - {organisation_id: A, year: 2021, reason: ''}\n",
            "entry 1: `reason` must be a non-empty text",
        ),
        (
            "version: 1\nexclusions:\n  - {organisation_id: 7, year: 2021, reason: r}\n",
            "entry 1: `organisation_id` must be a text (found the number 7: quote it)",
        ),
        (
            "version: 1\nexclusions:\n  - {organisation_id: A, year: '2021', reason: r}\n",
            "entry 1: `year` must be a whole year, e.g. 2021 (found '2021')",
        ),
        (
            "version: 1\nexclusions:\n  - {file: a.csv, year: 2021, reason: r}\n",
            "entry 1: give either `file` or `organisation_id` and `year`",
        ),
        (
            "version: 1\nexclusions:\n  - {organisation_id: A, year: 2021, reason: r, why: x}\n",
            "entry 1: unknown key(s) why",
        ),
        (
            "version: 1\nexclusions:\n  - {file: a.csv, reason: r}\n  - {file: a.csv, reason: s}\n",
            "entry 2 repeats entry 1 (file a.csv)",
        ),
        ("version: 1\nexclusions:\n  - just a text\n", "entry 1: expected `organisation_id`"),
    ],
)
def test_an_invalid_file_names_the_entry_and_the_problem(tmp_path, text, message):
    with pytest.raises(ExclusionsError) as raised:
        load_exclusions(write(tmp_path, text))
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
