"""Small key/value facts the till keeps (sync cursor, last sync time, key check), and the few
secret ones encrypted under the data key (keys starting SECRET_PREFIX)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects.sqlite import insert

from pos_app.store.crypto import FieldCipher
from pos_app.store.schema import sync_state

SECRET_PREFIX = "secret."  # facts kept encrypted: key rotation re-encrypts every one


def get(conn: Connection, key: str) -> str | None:
    return conn.execute(
        select(sync_state.c.value).where(sync_state.c.key == key)
    ).scalar_one_or_none()


def put(conn: Connection, key: str, value: str) -> None:
    stmt = insert(sync_state).values(key=key, value=value)
    conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def get_secret(conn: Connection, cipher: FieldCipher, key: str) -> str | None:
    """A fact kept encrypted under the data key (e.g. the relay terminal token)."""
    stored = get(conn, key)
    if stored is None:
        return None
    return cipher.decrypt_text(bytes.fromhex(stored), "sync_state", "value", key)


def put_secret(conn: Connection, cipher: FieldCipher, key: str, value: str) -> None:
    assert key.startswith(SECRET_PREFIX), "a secret fact's key says so: rotation finds it"
    put(conn, key, cipher.encrypt(value, "sync_state", "value", key).hex())


def forget(conn: Connection, key: str) -> None:
    conn.execute(delete(sync_state).where(sync_state.c.key == key))
