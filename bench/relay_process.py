"""The relay as its own process for the benchmarks (`python -m sync.relay serve`), as in
production: in the benchmark's process it would share the GIL with what is measured."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def relay_process(env: dict[str, str], port: int, **popen: Any) -> Iterator[str]:
    """A relay serving on 127.0.0.1:`port` with `env`, answering /healthz; yields its URL and
    stops it afterwards."""
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "sync.relay", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, cwd=ROOT, **popen,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the relay did not start")
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
