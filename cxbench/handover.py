"""Running a command in a process started ahead, as if it ran here.

A process that has done its slow imports ahead listens on an abstract Unix socket. The command's
own process (`ask`) sends it the command line, environment and working folder, and its standard
input, output and error (the file descriptors themselves), then waits for the exit code, passing
on SIGINT and SIGTERM. The process ahead (`take_over`) makes those its own and runs the command,
writing straight into the caller's terminal or pipes. Used for dbt (cxbench/dbt_warm.py) and for
a whole `cxbench run` (cxbench/spare.py).

Abstract sockets are open to every local user, and any of them can take a name first: both sides
check that the other is a process of the same uid before anything is sent.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import sys
from collections.abc import Callable

_HEADER = struct.Struct("!I")
ACCEPT_POLL_SECONDS = 0.5


def ask(name: str, argv: list[str]) -> int | None:
    """Run `argv` in the process listening on `name`: its exit code, or None when nobody listens
    there (or it declined: then nothing has run)."""
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        client.connect("\0" + name)
        if _peer_uid(client) != os.getuid():  # a name another user took: hand it nothing
            client.close()
            return None
        request = json.dumps({"argv": argv, "env": dict(os.environ), "cwd": os.getcwd()}).encode()
        socket.send_fds(client, [_HEADER.pack(len(request)) + request], [0, 1, 2])
        (server_pid,) = _HEADER.unpack(_receive(client, _HEADER.size))
    except OSError:
        client.close()
        return None
    if server_pid == 0:  # declined before running anything
        client.close()
        return None
    for forwarded in (signal.SIGINT, signal.SIGTERM):
        signal.signal(forwarded, lambda number, _frame: os.kill(server_pid, number))
    try:
        (code,) = _HEADER.unpack(_receive(client, _HEADER.size))
    except OSError:
        return 1  # it died with the command half done: a failure, as a crash here would be
    return code


def wait_for_caller(server: socket.socket, still_waiting: Callable[[], bool]) -> socket.socket:
    """The next connection from a process of this user; leaves the process when
    `still_waiting()` turns false first."""
    server.settimeout(ACCEPT_POLL_SECONDS)
    while True:
        if not still_waiting():
            os._exit(0)
        try:
            connection, _ = server.accept()
        except TimeoutError:
            continue
        if _peer_uid(connection) == os.getuid():
            connection.settimeout(None)
            return connection
        connection.close()


def read_request(connection: socket.socket) -> tuple[dict, list[int]]:
    """The caller's request ({"argv", "env", "cwd"}) and its stdin, stdout and stderr."""
    message, fds, _, _ = socket.recv_fds(connection, 1 << 20, 3)
    (length,) = _HEADER.unpack(message[: _HEADER.size])
    body = message[_HEADER.size :]
    if len(body) < length:
        body += _receive(connection, length - len(body))
    return json.loads(body), fds


def decline(connection: socket.socket, fds: list[int]) -> None:
    """Tell the caller to run the command itself."""
    for fd in fds:
        os.close(fd)
    connection.sendall(_HEADER.pack(0))
    connection.close()


def take_over(connection: socket.socket, request: dict, fds: list[int], program: str) -> None:
    """Become the caller: its stdio, working folder, environment and command line
    (`sys.argv[0]` is `program`)."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = [program, *request["argv"]]
    connection.sendall(_HEADER.pack(os.getpid()))


def answer(connection: socket.socket, code: int) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    connection.sendall(_HEADER.pack(code))


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
