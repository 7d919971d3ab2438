"""Run the sandbox in-process: uvicorn in a background thread on a free loopback port."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn

from sync.sandbox.app import create_app
from sync.sandbox.scripts import ScriptedOutcome, ScriptRule, outcome_named
from sync.sandbox.state import SandboxConfig, SandboxState


class SandboxServer:
    """`url = SandboxServer(config).start()` ... `.stop()`; also a context manager."""

    def __init__(
        self, config: SandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.config = config or SandboxConfig()
        self.host = host
        self.port = port
        self.app = create_app(self.config)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def state(self) -> SandboxState:
        state: SandboxState = self.app.state.sandbox
        return state

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout_s: float = 10.0) -> str:
        if self._thread is not None:
            return self.base_url
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="sandbox", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout_s
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the payment sandbox did not start")
            time.sleep(0.01)
        return self.base_url

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def script(
        self,
        outcome: str | ScriptedOutcome,
        *,
        phone: str | None = None,
        amount_minor: int | None = None,
        reference: str | None = None,
    ) -> None:
        """Make the next matching payment end as `outcome` (a preset name or an outcome)."""
        chosen = outcome_named(outcome) if isinstance(outcome, str) else outcome
        self.state.script.add(
            ScriptRule(outcome=chosen, phone=phone, amount_minor=amount_minor, reference=reference)
        )

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
