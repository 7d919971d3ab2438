"""Secrets at rest: AES-256-GCM under the relay's master key, and hashes for bearer tokens."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE_BYTES = 12


class MasterKeyError(RuntimeError):
    pass


def decode_master_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MasterKeyError("DUKA_RELAY_MASTER_KEY is not valid base64") from exc
    if len(key) != 32:
        raise MasterKeyError("DUKA_RELAY_MASTER_KEY must be base64 of exactly 32 bytes")
    return key


def load_or_create_key_file(path: Path, create: bool) -> bytes:
    """Read the key file; with create=True make one (0600) when it is missing."""
    if path.exists():
        return decode_master_key(path.read_text())
    if not create:
        raise MasterKeyError(
            f"no master key: set DUKA_RELAY_MASTER_KEY or run `duka-relay init` to create {path}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    encoded = base64.b64encode(os.urandom(32)).decode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(encoded + "\n")
    return decode_master_key(encoded)


class SecretBox:
    """Encrypts short secrets; `context` (shop, provider, mode) is bound as associated data so
    a ciphertext copied to another row does not decrypt."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)
        self._key = key
        self._subkeys: dict[str, bytes] = {}  # blind indexes ask on every webhook

    def subkey(self, purpose: str) -> bytes:
        """A key for another use (signing console cookies, blind indexes), derived so that the
        master key itself never leaves this object."""
        if purpose not in self._subkeys:
            hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode())
            self._subkeys[purpose] = hkdf.derive(self._key)
        return self._subkeys[purpose]

    def seal(self, plaintext: str, context: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), context.encode())
        return base64.b64encode(nonce + sealed).decode()

    def open(self, token: str, context: str) -> str:
        raw = base64.b64decode(token)
        return self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()

    def seal_bytes(self, plaintext: bytes, context: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, context.encode())

    def open_bytes(self, sealed: bytes, context: str) -> bytes:
        return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], context.encode())


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_url_token() -> str:
    """Hex only: Daraja refuses callback URLs containing words such as "sql" or "cmd", which
    a base64 token could spell by chance."""
    return secrets.token_hex(24)


def token_hash(token: str) -> str:
    """Tokens are 256-bit random, so a plain SHA-256 is a safe lookup key."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_pairing_code() -> str:
    # 10 characters from an unambiguous alphabet: typed by a person on the till.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))
