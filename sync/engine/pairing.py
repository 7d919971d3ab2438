"""Pairing: the till trades a one-time code (from `duka-relay pair-till`) for its terminal
token, which the ledger keeps encrypted under the data key (sync.engine.credentials), never
in plain text and never in the logs."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import UTC, datetime

from pos_app.config import TillSettings
from pos_app.core.errors import DukaError
from pos_app.services.sync_ledger import Ledger
from sync.engine import credentials
from sync.engine.client import (
    InsecureRelayUrl,
    RelayClient,
    RelayRefused,
    RelayUnavailable,
    require_secure_url,
)


class PairingError(DukaError):
    """Pairing failed; the message says why and what to do."""


@dataclass(frozen=True)
class PairingResult:
    relay_url: str
    terminal_id: str
    shop_id: str
    shop_name: str
    clock_skew_s: float  # relay clock minus till clock, to warn about a wrong till clock


def pair(
    settings: TillSettings,
    ledger: Ledger,
    relay_url: str,
    pairing_code: str,
    till_name: str | None = None,
) -> PairingResult:
    """Blocking network call: run it through the TaskRunner, never on the GUI thread."""
    try:
        url = require_secure_url(relay_url)
    except InsecureRelayUrl as exc:
        raise PairingError(str(exc)) from None
    code = "".join(pairing_code.split())
    if len(code) < 4:
        raise PairingError("Type the pairing code the shop owner got from the relay.")
    name = (till_name or settings.till_id or socket.gethostname())[:80]
    try:
        with RelayClient(url, token=None) as client:
            reply = client.pair(code, name)
    except RelayUnavailable:
        raise PairingError(
            f"Cannot reach the relay at {url}. Check the address and the internet connection, "
            "then try again."
        ) from None
    except RelayRefused as exc:
        if exc.status == 404:
            raise PairingError(
                "The relay does not know this pairing code, or it was used or has expired "
                "(codes last 15 minutes). Ask the owner for a new one."
            ) from None
        raise PairingError(f"The relay refused to pair this till: {exc.detail}") from None
    credentials.save(
        ledger,
        credentials.TerminalCredentials(
            relay_url=url,
            token=reply.token,
            terminal_id=str(reply.terminal_id),
            shop_id=str(reply.shop_id),
            shop_name=reply.shop_name,
        ),
    )
    skew = (reply.relay_time - datetime.now(UTC)).total_seconds()
    return PairingResult(url, str(reply.terminal_id), str(reply.shop_id), reply.shop_name, skew)
