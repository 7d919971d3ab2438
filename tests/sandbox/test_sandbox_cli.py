"""`python -m sync.sandbox` runs on its own and serves the Daraja OAuth endpoint."""

from __future__ import annotations

import base64
import socket
import subprocess
import sys
import time

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_module_runs_stand_alone() -> None:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sync.sandbox",
            "--port",
            str(port),
            "--consumer-key",
            "k",
            "--consumer-secret",
            "s",
            "--script",
            "254712345678=cancelled",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        basic = base64.b64encode(b"k:s").decode()
        deadline = time.monotonic() + 20
        reply = None
        while time.monotonic() < deadline and reply is None:
            try:
                reply = httpx.get(
                    f"http://127.0.0.1:{port}/oauth/v1/generate",
                    params={"grant_type": "client_credentials"},
                    headers={"Authorization": f"Basic {basic}"},
                )
            except httpx.ConnectError:
                time.sleep(0.1)
        assert reply is not None and reply.status_code == 200
        assert reply.json()["expires_in"] == "3599"
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert f"Payment sandbox on http://127.0.0.1:{port}" in output
