"""A dbt process started ahead: the run's dbt build skips importing dbt (~1.4 s).

dagster-dbt runs `cxbench-dbt` as a subprocess for the build, after ingest. Importing dbt there
is ~1.4 s on the critical path of every run. `cxbench run` therefore starts this process first
thing (`start`), on the machine's other core while Dagster is imported and ingest runs: it
imports dbt and waits. When dagster-dbt starts `cxbench-dbt`, that process (`hand_over`) passes
its command line, environment, working folder and its standard input, output and error (the
file descriptors themselves, over a Unix socket) to the waiting process, which runs dbt as
`cxbench-dbt` would have, writing straight into dagster-dbt's pipes, and returns the exit code.
Signals to `cxbench-dbt` (a cancelled run) are passed on.

Only a process of the same user is served (abstract Unix sockets are open to every local user;
the peer's uid is checked). One build per started process; it leaves when its parent does, or
after WAIT_SECONDS. When no process is waiting (none started, it died, or it serves another
build), `cxbench-dbt` runs dbt itself, as before: the hand-over only saves time, it never
decides what dbt does.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import subprocess
import sys
import uuid
from typing import NoReturn

from cxbench.fast_exit import exit_code, leave

ENV = "CXBENCH_DBT_WARM"  # the abstract socket name `cxbench-dbt` hands over to
WAIT_SECONDS = 1800
_HEADER = struct.Struct("!I")


def start() -> None:
    """Start a waiting dbt process for this process's dbt build (env CXBENCH_DBT_WARM)."""
    name = f"cxbench-dbt-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    subprocess.Popen(
        [sys.executable, "-u", "-m", "cxbench.dbt_warm", name, str(os.getpid())],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl-C in the terminal reaches it through cxbench-dbt
    )
    os.environ[ENV] = name


def without_warm_process(env: dict[str, str]) -> dict[str, str]:
    """`env` for a dbt command that must not take the build's waiting process (dbt parse)."""
    return {key: value for key, value in env.items() if key != ENV}


def hand_over() -> int | None:
    """In `cxbench-dbt`: run this command in the waiting process; its exit code, or None when
    no process is waiting (the caller then runs dbt itself)."""
    name = os.environ.pop(ENV, None)
    if not name:
        return None
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect("\0" + name)
        request = json.dumps(
            {"argv": sys.argv[1:], "env": dict(os.environ), "cwd": os.getcwd()}
        ).encode()
        socket.send_fds(client, [_HEADER.pack(len(request)) + request], [0, 1, 2])
        (server_pid,) = _HEADER.unpack(_receive(client, _HEADER.size))
    except OSError:
        client.close()
        return None
    for forwarded in (signal.SIGINT, signal.SIGTERM):
        signal.signal(forwarded, lambda number, _frame: os.kill(server_pid, number))
    try:
        (code,) = _HEADER.unpack(_receive(client, _HEADER.size))
    except OSError:
        return 1  # it died with the build half done: a failed build, as dbt's own crash would be
    return code


def _peer_uid(connection: socket.socket) -> int:
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return uid


def _receive(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the other side closed")
        data += chunk
    return data


def _serve(name: str, parent: int) -> NoReturn:
    # Listening first: a build that starts before dbt is imported waits here, not longer.
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind("\0" + name)
    server.listen(1)
    from dbt.cli.main import cli  # the import this process exists to do ahead

    server.settimeout(0.5)
    waited = 0.0
    while True:
        if os.getppid() != parent or waited > WAIT_SECONDS:
            os._exit(0)
        try:
            connection, _ = server.accept()
        except TimeoutError:
            waited += 0.5
            continue
        if _peer_uid(connection) == os.getuid():
            break
        connection.close()  # abstract sockets are open to every local user: only ours may ask
    server.close()  # one build per process: later commands find nobody and run dbt themselves
    connection.settimeout(None)
    message, fds, _, _ = socket.recv_fds(connection, 1 << 20, 3)
    (length,) = _HEADER.unpack(message[: _HEADER.size])
    body = message[_HEADER.size :]
    if len(body) < length:
        body += _receive(connection, length - len(body))
    request = json.loads(body)
    for target, fd in enumerate(fds):  # its stdin, stdout and stderr become ours
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["cxbench-dbt", *request["argv"]]
    connection.sendall(_HEADER.pack(os.getpid()))
    try:
        status = cli()
    except SystemExit as exit_:
        status = exit_.code
    code = exit_code(status)
    sys.stdout.flush()
    sys.stderr.flush()
    connection.sendall(_HEADER.pack(code))
    leave(code)


if __name__ == "__main__":
    _serve(sys.argv[1], int(sys.argv[2]))
