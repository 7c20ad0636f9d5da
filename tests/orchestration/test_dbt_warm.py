"""cxbench.dbt_warm: the run's dbt command runs in the dbt process started ahead, once."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from cxbench import dbt_warm, handover

# A `cxbench-dbt --version` that reports whether it was handed over, and to which process.
CLIENT = (
    "import os, sys; sys.argv = ['cxbench-dbt', '--version']; "
    "from cxbench.dbt_warm import hand_over; "
    "code = hand_over(); print('handed', code, flush=True)"
)


def _client(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CLIENT], env=env, capture_output=True, text=True, timeout=120
    )


def _refused_as_another_user(name: str) -> bool:
    """A connection from another local user (nobody) is closed without an answer."""
    child = os.fork()
    if child == 0:
        refused = False
        try:
            os.setuid(65534)
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
                client.settimeout(60)
                client.connect("\0" + name)
                request = json.dumps({"argv": ["--version"], "env": {}, "cwd": "/"}).encode()
                socket.send_fds(client, [len(request).to_bytes(4, "big") + request], [0, 1, 2])
                try:
                    refused = client.recv(4) == b""
                except ConnectionResetError:  # closed with our request unread
                    refused = True
        finally:
            os._exit(0 if refused else 1)
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _wait_until_listening(name: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while f"@{name}" not in Path("/proc/net/unix").read_text():
        assert time.monotonic() < deadline, "the dbt process never listened"
        time.sleep(0.05)


def test_a_dbt_command_runs_in_the_waiting_process_and_only_one(monkeypatch):
    monkeypatch.delenv(dbt_warm.ENV, raising=False)
    dbt_warm.start()
    env = dict(os.environ)
    monkeypatch.delenv(dbt_warm.ENV)
    _wait_until_listening(env[dbt_warm.ENV])
    if os.getuid() == 0:
        assert _refused_as_another_user(env[dbt_warm.ENV])
    first = _client(env)
    # dbt's own version output, written by the waiting process into this client's stdout.
    assert "handed 0" in first.stdout
    assert "Core:" in first.stdout or "installed" in first.stdout.lower()
    # The process served its one command: the next finds nobody and would run dbt itself.
    second = _client(env)
    assert second.stdout.strip() == "handed None"


def test_without_a_waiting_process_the_command_runs_itself():
    env = {**os.environ, dbt_warm.ENV: "cxbench-dbt-nobody-listens"}
    assert _client(env).stdout.strip() == "handed None"
    assert dbt_warm.ENV not in dbt_warm.without_warm_process(env)


def test_nothing_is_handed_to_another_users_process():
    """A name another local user listens on first gets no command line, environment or
    terminal: the caller runs the command itself."""
    name = f"cxbench-test-{os.getpid()}"
    report, tell = os.pipe()  # the squatter says when it listens, then what it received
    child = os.fork()
    if child == 0:
        try:
            os.close(report)
            os.setuid(65534)
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
                server.bind("\0" + name)
                server.listen(1)
                os.write(tell, b"listening\n")
                server.settimeout(30)
                connection, _ = server.accept()
                connection.settimeout(5)
                try:
                    received = len(connection.recv(1 << 16))
                except OSError:
                    received = 0
                os.write(tell, f"{received}\n".encode())
        finally:
            os._exit(0)
    os.close(tell)
    with os.fdopen(report) as lines:
        assert lines.readline() == "listening\n"
        assert handover.ask(name, ["--version"]) is None
        assert lines.readline() == "0\n"
    os.waitpid(child, 0)
