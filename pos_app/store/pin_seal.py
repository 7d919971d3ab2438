"""users.pin_hash holds the PIN's scrypt output encrypted under the data key, bound to the
user's row: the file alone gives an attacker nothing to test PIN guesses against.

Tills made before migration 0006 stored the bare scrypt output (32 bytes). Alembic runs before
the data key is loaded, so `seal_legacy` wraps those hashes right after the key check at
start-up (pos_app.store.db.open_ledger); a PIN checked against a wrapped hash still works.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import Connection, func, select, update

from pos_app.store.crypto import FieldCipher
from pos_app.store.schema import users

BARE_SCRYPT_BYTES: Final = 32


def seal(cipher: FieldCipher, stretched: bytes, user_id: str) -> bytes:
    return cipher.encrypt(stretched, "users", "pin_hash", user_id)


def unseal(cipher: FieldCipher, sealed: bytes, user_id: str) -> bytes:
    return cipher.decrypt(sealed, "users", "pin_hash", user_id)


def seal_legacy(conn: Connection, cipher: FieldCipher) -> int:
    """Encrypt every bare scrypt hash in place; returns how many there were."""
    rows = list(
        conn.execute(
            select(users.c.id, users.c.pin_hash).where(
                func.length(users.c.pin_hash) == BARE_SCRYPT_BYTES
            )
        )
    )
    for row in rows:
        conn.execute(
            update(users)
            .where(users.c.id == row.id)
            .values(pin_hash=seal(cipher, bytes(row.pin_hash), row.id))
        )
    return len(rows)
