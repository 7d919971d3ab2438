"""Where the till keeps its relay terminal token: the keyring of the data key
(pos_app.services.secrets). DUKA_RELAY_TOKEN with DUKA_RELAY_URL is the explicit headless
fallback, as DUKA_DATA_KEY is for the data key."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass

from keyring.errors import KeyringError, PasswordDeleteError

from pos_app.config import TillSettings
from pos_app.core.errors import KeyUnavailable
from pos_app.services.secrets import SERVICE, keyring_backend

ENTRY = "relay-terminal"
ENV_TOKEN = "DUKA_RELAY_TOKEN"


@dataclass(frozen=True)
class TerminalCredentials:
    relay_url: str
    token: str
    terminal_id: str
    shop_id: str
    shop_name: str

    def __repr__(self) -> str:  # never print the token
        return f"TerminalCredentials(relay_url={self.relay_url!r}, terminal_id={self.terminal_id})"


def load(settings: TillSettings) -> TerminalCredentials | None:
    """This till's relay credentials, or None when it has not been paired."""
    env_token = os.environ.get(ENV_TOKEN)
    if env_token and settings.relay_url:
        return TerminalCredentials(settings.relay_url, env_token, "env", "env", "")
    try:
        text = keyring_backend(settings.keyring).get_password(SERVICE, ENTRY)
    except KeyringError as exc:
        raise KeyUnavailable(f"The OS keyring refused to give the relay token: {exc}") from None
    if not text:
        return None
    return TerminalCredentials(**json.loads(text))


def save(settings: TillSettings, credentials: TerminalCredentials) -> None:
    try:
        keyring_backend(settings.keyring).set_password(
            SERVICE, ENTRY, json.dumps(asdict(credentials))
        )
    except KeyringError as exc:
        raise KeyUnavailable(f"The OS keyring refused to store the relay token: {exc}") from None


def clear(settings: TillSettings) -> None:
    with contextlib.suppress(PasswordDeleteError, KeyringError):
        keyring_backend(settings.keyring).delete_password(SERVICE, ENTRY)
