"""The data key: 32 random bytes made on first run, kept in the OS keyring, never on disk.

Versions live in the keyring as service "duka-pos", usernames "data-key-v{N}", with
"data-key-current" naming the version new ciphertext uses. DUKA_DATA_KEY is the explicit
headless fallback: base64 of 32 bytes (version 1), or "N:base64,M:base64" for several.
Demo mode on a machine with no keyring keeps its own key in a file of its data folder
(DEMO_KEY_FILE): a demo ledger holds no shop's data, and a till with that key never pairs with
a real relay (sync.engine.credentials).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import logging
import os
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import keyring
import keyring.backends.fail
from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

from pos_app.core.errors import KeyUnavailable

log = logging.getLogger(__name__)

SERVICE = "duka-pos"
CURRENT_ENTRY = "data-key-current"
KEY_BYTES = 32
ENV_KEY = "DUKA_DATA_KEY"
DEMO_KEY_FILE = "demo-data-key"

NO_KEYRING_HELP = (
    "No working OS keyring was found to keep the till's data key, and no DUKA_DATA_KEY is set. "
    "The till never stores customer data unencrypted, so it will not start. Either log in to a "
    "desktop session with a keyring (GNOME Keyring / KWallet / Windows Credential Manager / "
    "macOS Keychain), or set DUKA_DATA_KEY to the base64 of 32 random bytes "
    '(python -c "import os,base64;print(base64.b64encode(os.urandom(32)).decode())") '
    "and keep a copy of it somewhere safe: without it the data cannot be read."
)


def username(version: int) -> str:
    return f"data-key-v{version}"


class MemoryKeyring(KeyringBackend):
    """A process-local keyring for tests and CI (DUKA_KEYRING=memory). Not for real tills."""

    @properties.classproperty
    def priority(cls) -> float:
        # Raising makes keyring's auto-detection treat this backend as not viable: it must
        # never become a real till's default (the key would vanish at exit).
        raise RuntimeError("the memory keyring is only chosen explicitly (DUKA_KEYRING=memory)")

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring's base is untyped
        self._entries: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def get_password(self, service: str, username: str) -> str | None:
        with self._lock:
            return self._entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock:
            self._entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        with self._lock:
            if self._entries.pop((service, username), None) is None:
                raise PasswordDeleteError(f"no entry for {service}/{username}")


_memory_keyring = MemoryKeyring()


def memory_keyring() -> MemoryKeyring:
    """The process-wide memory keyring (so every ledger opened in a test run shares keys)."""
    return _memory_keyring


@dataclass(frozen=True, slots=True)
class DataKeys:
    keys: Mapping[int, bytes]
    current: int

    def __post_init__(self) -> None:
        if self.current not in self.keys:
            raise KeyUnavailable(f"Data key version {self.current} is missing.")
        if any(len(k) != KEY_BYTES for k in self.keys.values()):
            raise KeyUnavailable("A data key must be exactly 32 bytes.")

    def __repr__(self) -> str:  # never print key bytes
        return f"DataKeys(versions={sorted(self.keys)}, current={self.current})"


class KeyStore(Protocol):
    def load(self) -> DataKeys | None: ...
    def create_first(self) -> DataKeys: ...
    def add_version(self) -> DataKeys: ...
    def retire(self, version: int) -> None: ...


class KeyringKeyStore:
    """Data keys in a keyring backend (the OS one, or the memory one in tests)."""

    def __init__(self, backend: KeyringBackend) -> None:
        if isinstance(backend, keyring.backends.fail.Keyring):
            raise KeyUnavailable(NO_KEYRING_HELP)
        self._backend = backend

    def _get(self, name: str) -> str | None:
        try:
            return self._backend.get_password(SERVICE, name)
        except NoKeyringError:
            raise KeyUnavailable(NO_KEYRING_HELP) from None
        except KeyringError as exc:
            raise KeyUnavailable(f"The OS keyring refused to give the data key: {exc}") from None

    def _set(self, name: str, value: str) -> None:
        try:
            self._backend.set_password(SERVICE, name, value)
        except NoKeyringError:
            raise KeyUnavailable(NO_KEYRING_HELP) from None
        except KeyringError as exc:
            raise KeyUnavailable(f"The OS keyring refused to store the data key: {exc}") from None

    def load(self) -> DataKeys | None:
        current_text = self._get(CURRENT_ENTRY)
        if current_text is None:
            return None
        current = int(current_text)
        keys: dict[int, bytes] = {}
        for version in range(1, current + 1):
            encoded = self._get(username(version))
            if encoded is not None:
                keys[version] = _decode_key(encoded, f"keyring entry {username(version)}")
        return DataKeys(keys, current)

    def _add(self, version: int) -> None:
        self._set(username(version), base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode())
        self._set(CURRENT_ENTRY, str(version))

    def create_first(self) -> DataKeys:
        self._add(1)
        loaded = self.load()
        assert loaded is not None
        return loaded

    def add_version(self) -> DataKeys:
        loaded = self.load()
        self._add(1 if loaded is None else loaded.current + 1)
        result = self.load()
        assert result is not None
        return result

    def retire(self, version: int) -> None:
        loaded = self.load()
        if loaded is not None and version == loaded.current:
            raise KeyUnavailable("The current data key cannot be retired.")
        with contextlib.suppress(PasswordDeleteError):
            self._backend.delete_password(SERVICE, username(version))


class EnvKeyStore:
    """Data keys given explicitly in DUKA_DATA_KEY (headless tills, CI). Read-only."""

    def __init__(self, value: str) -> None:
        self._keys = parse_env_keys(value)

    def load(self) -> DataKeys:
        return DataKeys(self._keys, max(self._keys))

    def create_first(self) -> DataKeys:
        return self.load()

    def add_version(self) -> DataKeys:
        raise KeyUnavailable(
            f"{ENV_KEY} is read-only: to rotate, add the new key as "
            f'"N:base64" next to the old ones (e.g. "2:NEW,1:OLD") and restart.'
        )

    def retire(self, version: int) -> None:
        raise KeyUnavailable(f"Remove version {version} from {ENV_KEY} by hand.")


def _decode_key(encoded: str, where: str) -> bytes:
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise KeyUnavailable(f"The data key in {where} is not valid base64.") from None
    if len(raw) != KEY_BYTES:
        raise KeyUnavailable(f"The data key in {where} must be 32 bytes, not {len(raw)}.")
    return raw


def parse_env_keys(value: str) -> dict[int, bytes]:
    keys: dict[int, bytes] = {}
    for part in (p.strip() for p in value.split(",") if p.strip()):
        version_text, sep, encoded = part.partition(":")
        if not sep:
            version_text, encoded = "1", part
        if not version_text.isdigit() or int(version_text) < 1:
            raise KeyUnavailable(f"{ENV_KEY}: key versions are whole numbers from 1.")
        keys[int(version_text)] = _decode_key(encoded, ENV_KEY)
    if not keys:
        raise KeyUnavailable(f"{ENV_KEY} is set but empty.")
    return keys


class DemoKeyStore:
    """Demo mode with no keyring: one key in a file of the demo data folder (owner-only), so a
    fresh headless machine can try the till. Marked demo: never for a real shop's data."""

    demo = True

    def __init__(self, path: Path) -> None:
        self._path = path

    def load(self) -> DataKeys | None:
        if not self._path.exists():
            return None
        text = self._path.read_text(encoding="utf-8")
        return DataKeys({1: _decode_key(text, str(self._path))}, 1)

    def create_first(self) -> DataKeys:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        encoded = base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()
        fd = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(encoded)
        loaded = self.load()
        assert loaded is not None
        return loaded

    def add_version(self) -> DataKeys:
        raise KeyUnavailable("A demo till's data key is not rotated: start a real till instead.")

    def retire(self, version: int) -> None:
        raise KeyUnavailable("A demo till's data key is not rotated: start a real till instead.")


def is_demo(store: KeyStore) -> bool:
    return isinstance(store, DemoKeyStore)


def key_store(keyring_choice: str = "", demo_key: Path | None = None) -> KeyStore:
    """The key store this till uses: DUKA_DATA_KEY if set, else the chosen keyring backend;
    with no working keyring, the demo key file `demo_key` when the caller allows one."""
    explicit = os.environ.get(ENV_KEY)
    if explicit:
        return EnvKeyStore(explicit)
    try:
        return KeyringKeyStore(keyring_backend(keyring_choice))
    except KeyUnavailable:
        if demo_key is None or keyring_choice:
            raise
        log.warning("no working OS keyring: demo mode keeps its own data key in %s", demo_key)
        return DemoKeyStore(demo_key)


def keyring_backend(keyring_choice: str = "") -> KeyringBackend:
    """The keyring this till keeps its secrets in (the data key, the relay terminal token):
    the OS one, or the in-memory one of tests (DUKA_KEYRING=memory)."""
    if keyring_choice == "memory":
        return memory_keyring()
    if keyring_choice:
        raise KeyUnavailable(f"Unknown DUKA_KEYRING {keyring_choice!r}: use 'memory' or unset it.")
    backend = keyring.get_keyring()
    if isinstance(backend, keyring.backends.fail.Keyring):
        raise KeyUnavailable(NO_KEYRING_HELP)
    return backend
