"""A receipt printer on 127.0.0.1 speaking the raw port-9100 protocol: it keeps each job's bytes."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Callable


class _Received(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        chunks = []
        while data := self.request.recv(4096):
            chunks.append(data)
        self.server.jobs.append(b"".join(chunks))  # type: ignore[attr-defined]


class FakePrinter(socketserver.TCPServer):
    """One connection at a time, like a printer: jobs are kept in the order they arrived."""

    allow_reuse_address = True

    def __init__(self, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Received)
        self.jobs: list[bytes] = []
        threading.Thread(target=self.serve_forever, daemon=True).start()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)
