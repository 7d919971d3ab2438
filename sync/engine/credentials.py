"""Where the till keeps its relay terminal token: in its ledger, encrypted under the data key
(SyncLedger.keep_secret), so the keyring holds one secret only and a headless till with
DUKA_DATA_KEY pairs too. DUKA_RELAY_TOKEN with DUKA_RELAY_URL is the explicit headless
fallback. A token older versions kept in the keyring moves into the ledger when first read."""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from keyring.errors import KeyringError

from pos_app.config import TillSettings
from pos_app.core.errors import KeyUnavailable
from pos_app.services.secrets import SERVICE, keyring_backend
from pos_app.services.sync_ledger import Ledger, SyncLedger

log = logging.getLogger(__name__)

ENTRY = "relay-terminal"
ENV_TOKEN = "DUKA_RELAY_TOKEN"
LOCAL_HOSTS = ("127.0.0.1", "localhost")


@dataclass(frozen=True)
class TerminalCredentials:
    relay_url: str
    token: str
    terminal_id: str
    shop_id: str
    shop_name: str

    def __repr__(self) -> str:  # never print the token
        return f"TerminalCredentials(relay_url={self.relay_url!r}, terminal_id={self.terminal_id})"


def load(settings: TillSettings, ledger: Ledger) -> TerminalCredentials | None:
    """This till's relay credentials, or None when it has not been paired."""
    env_token = os.environ.get(ENV_TOKEN)
    if env_token and settings.relay_url:
        return TerminalCredentials(settings.relay_url, env_token, "env", "env", "")
    facts = SyncLedger(ledger)
    text = facts.secret(ENTRY) or _move_from_keyring(settings, facts)
    if not text:
        return None
    return TerminalCredentials(**json.loads(text))


def save(ledger: Ledger, credentials: TerminalCredentials) -> None:
    facts = SyncLedger(ledger)
    if facts.demo_key and urlsplit(credentials.relay_url).hostname not in LOCAL_HOSTS:
        raise KeyUnavailable(
            "This till keeps demo mode's own data key (there is no OS keyring), so it cannot "
            "pair with a real relay. Start it with DUKA_DATA_KEY set, or in a desktop session "
            "with a keyring, and a new data folder (DUKA_DATA_DIR)."
        )
    facts.keep_secret(ENTRY, json.dumps(asdict(credentials)))


def clear(ledger: Ledger) -> None:
    SyncLedger(ledger).keep_secret(ENTRY, None)


def _move_from_keyring(settings: TillSettings, facts: SyncLedger) -> str | None:
    """A token an older version kept in the keyring: into the ledger, out of the keyring."""
    try:
        backend = keyring_backend(settings.keyring)
        text = backend.get_password(SERVICE, ENTRY)
    except (KeyUnavailable, KeyringError):
        return None  # no keyring: nothing was ever kept there
    if text:
        facts.keep_secret(ENTRY, text)
        with contextlib.suppress(KeyringError):
            backend.delete_password(SERVICE, ENTRY)
        log.info("the relay terminal token moved from the keyring into the ledger")
    return text
