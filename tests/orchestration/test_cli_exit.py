"""The console script's exit: it skips the interpreter's teardown, but not what a normal exit does
that matters (threads finished, atexit handlers run, output flushed, the command's exit code)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_entry(tmp_path: Path, command: str) -> subprocess.CompletedProcess:
    script = textwrap.dedent(
        f"""
        import atexit, sys, threading, time
        from pathlib import Path
        import orchestration.cli as cli

        out = Path({str(tmp_path)!r})
        atexit.register(lambda: (out / "atexit").write_text("ran"))

        def late_writer():
            time.sleep(0.3)
            (out / "thread").write_text("finished")

        def main():
            threading.Thread(target=late_writer).start()
            print("buffered output", end="")  # no newline: only a flush writes it
            {command}

        cli.main = main
        cli.entry()
        """
    )
    return subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )


def test_the_exit_code_output_threads_and_atexit_handlers_survive_the_fast_exit(tmp_path):
    result = run_entry(tmp_path, "return 3")

    assert result.returncode == 3
    assert result.stdout == "buffered output"
    assert (tmp_path / "thread").read_text() == "finished"
    assert (tmp_path / "atexit").read_text() == "ran"


def test_a_failing_command_still_exits_through_python_with_its_traceback(tmp_path):
    result = run_entry(tmp_path, "raise RuntimeError('boom')")

    assert result.returncode == 1
    assert "RuntimeError: boom" in result.stderr
    assert (tmp_path / "atexit").read_text() == "ran"


def test_the_installed_cxbench_command_uses_the_fast_exit():
    script = Path(sys.executable).parent / "cxbench"
    assert "from orchestration.cli import entry" in script.read_text()
