"""The progress of a run: an updating line on a terminal, plain lines in the log."""

from __future__ import annotations

import io

from cxbench import progress


def test_nothing_is_shown_without_a_display():
    progress.report("ingest", 1, 10, "files")  # no launcher installed one: a no-op


def test_a_terminal_gets_one_rewritten_line_and_the_log_a_line_per_tenth():
    terminal, log = io.StringIO(), io.StringIO()
    with progress.shown(terminal, log):
        for done in range(1, 101):
            progress.report("ingest", done, 100, "files")
        progress.report("dbt", 1, 4, "models and tests")
        progress.report("publication")
    lines = [line.split("] ", 1)[1] for line in log.getvalue().splitlines()]
    assert lines[0] == "ingest 1/100 files"
    assert [line for line in lines if line.startswith("ingest")][-1] == "ingest 100/100 files"
    assert len([line for line in lines if line.startswith("ingest")]) == 11  # start + 10 tenths
    assert lines[-2:] == ["dbt 1/4 models and tests", "publication"]
    drawn = terminal.getvalue()
    assert "\n" not in drawn  # one line, rewritten in place
    assert drawn.count("\r\x1b[K") < 100  # throttled, not one draw per file
    assert "cxbench: publication" in drawn and drawn.endswith("\r\x1b[K")  # cleared at the end


def test_without_a_terminal_only_the_log_is_written():
    log = io.StringIO()
    with progress.shown(None, log):
        progress.report("quality gate")
    assert log.getvalue().endswith("] quality gate\n")
