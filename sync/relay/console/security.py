"""The owner's sign-in: argon2id password hashes, TOTP codes good once, signed session cookies."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from sync.relay.crypto import SecretBox

ISSUER = "Duka relay"
_HASHER = PasswordHasher()  # argon2id with the library's current recommended costs
MIN_PASSWORD_LENGTH = 10
# Verified against when the e-mail is unknown, so that both answers take as long.
_DUMMY_HASH = _HASHER.hash("not the password of anyone")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def totp_step(
    secret: str, code: str, last_step: int | None, now: float | None = None
) -> int | None:
    """The time step a code belongs to (this one or a neighbour, for a slow phone clock), or
    None. A step at or before `last_step` was already used: a watched code is good once."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int((time.time() if now is None else now) // totp.interval)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step if last_step is None or step > last_step else None
    return None


class CookieSigner:
    """`<session id>.<HMAC>`: the database holds only a hash of the id, and a cookie the relay
    did not sign is refused before any lookup."""

    def __init__(self, box: SecretBox) -> None:
        self._key = box.subkey("duka-console-cookie")

    def _mac(self, value: str) -> str:
        digest = hmac.new(self._key, value.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def sign(self, session_id: str) -> str:
        return f"{session_id}.{self._mac(session_id)}"

    def unsign(self, cookie: str) -> str | None:
        session_id, _, mac = cookie.rpartition(".")
        if not session_id or not hmac.compare_digest(mac.encode(), self._mac(session_id).encode()):
            return None
        return session_id
