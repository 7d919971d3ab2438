"""RelayLink: the till's current connection to its relay (None until paired) and what the
engine last learned about reaching it, shared by the jobs, the gateway and the status bar."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import httpx

from pos_app.core.errors import DukaError
from sync.engine.client import InsecureRelayUrl, RelayClient
from sync.engine.credentials import TerminalCredentials

NOT_PAIRED = "not paired"


class NotPaired(DukaError):
    def __init__(self) -> None:
        super().__init__("This till is not paired with a relay yet: pair it in Settings.")


@dataclass(frozen=True)
class LinkState:
    online: bool
    last_contact: datetime | None
    offline_reason: str | None
    test_mode_providers: tuple[str, ...] = ()
    # the providers the shop has on the relay (its tenders); None until the relay has said
    providers: tuple[str, ...] | None = None


class RelayLink:
    def __init__(
        self,
        credentials: TerminalCredentials | None,
        *,
        timeout_s: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._timeout_s = timeout_s
        self._transport = transport
        self._credentials: TerminalCredentials | None = None
        self._client: RelayClient | None = None
        self._state = LinkState(False, None, NOT_PAIRED)
        self.use(credentials)

    def use(self, credentials: TerminalCredentials | None) -> None:
        """Switch to new credentials (after pairing); the old connection pool is closed.
        An address the till must not talk to (plain http to another machine) leaves it
        unpaired, with the reason as its offline reason."""
        client: RelayClient | None = None
        reason: str | None = None if credentials else NOT_PAIRED
        if credentials is not None:
            try:
                client = RelayClient(
                    credentials.relay_url,
                    credentials.token,
                    timeout_s=self._timeout_s,
                    transport=self._transport,
                )
            except InsecureRelayUrl as exc:
                reason = str(exc)
        with self._lock:
            old = self._client
            self._credentials = credentials if client is not None else None
            self._client = client
            self._state = LinkState(False, None, reason)
        if old is not None:
            old.close()

    @property
    def credentials(self) -> TerminalCredentials | None:
        return self._credentials

    def client(self) -> RelayClient:
        client = self._client
        if client is None:
            raise NotPaired()
        return client

    @property
    def state(self) -> LinkState:
        return self._state

    def reached(self) -> None:
        self._state = replace(self._state, online=True, last_contact=datetime.now(UTC),
                              offline_reason=None)  # fmt: skip

    def lost(self, reason: str) -> None:
        self._state = replace(self._state, online=False, offline_reason=reason)

    def set_test_modes(self, modes: dict[str, bool]) -> None:
        """The relay's whole answer (GET /terminal/settings): the providers it runs for the
        shop (the keys) and which are in test mode. It replaces the last answer, so that a
        provider the owner removed leaves the banner too; kept while offline (the banner
        stays)."""
        testing = tuple(sorted(p for p, on in modes.items() if on))
        self._state = replace(
            self._state, test_mode_providers=testing, providers=tuple(sorted(modes))
        )

    def close(self) -> None:
        self.use(None)
