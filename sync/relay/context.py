"""What every request handler of the relay reaches through `request.app.state.relay`."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Protocol

from fastapi import Request
from sqlalchemy import Row

from sync.relay.config import RelaySettings
from sync.relay.credentials import Credentials
from sync.relay.notify import Hub
from sync.relay.store.etims import EtimsBooks
from sync.relay.store.owners import Owners
from sync.relay.store.sms import SmsBooks
from sync.relay.store.store import Store


class Checker(Protocol):
    """What request handlers need of sync.relay.checker.PaymentChecker (named here by shape, so
    that this module, which the checker imports, imports nothing back)."""

    def kick(self) -> None: ...

    async def check(self, row: Row[Any]) -> None: ...


class Kicked(Protocol):
    """A background job a request handler may wake early (the eTIMS signer, the SMS sender)."""

    def kick(self) -> None: ...


@dataclass
class RelayContext:
    settings: RelaySettings
    store: Store
    hub: Hub
    credentials: Credentials
    checker: Checker | None = None
    etims_signer: Kicked | None = None
    sms_sender: Kicked | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    pulled: dict[str, int] = field(default_factory=dict)  # cursor last recorded per till

    @property
    def owners(self) -> Owners:
        return Owners(self.store)

    @property
    def etims(self) -> EtimsBooks:
        return EtimsBooks(self.store)

    @property
    def sms(self) -> SmsBooks:
        return SmsBooks(self.store)

    def wake(self, shop_id: str) -> None:
        self.hub.wake(shop_id)

    def client_ip(self, request: Request) -> str | None:
        header = self.settings.trusted_forwarded_for
        return self.settings.client_address(
            request.client.host if request.client else None,
            request.headers.get(header) if header else None,
        )

    def public_url(self, path: str) -> str:
        return self.settings.public_base_url.rstrip("/") + path


def relay(request: Request) -> RelayContext:
    ctx: RelayContext = request.app.state.relay
    return ctx
