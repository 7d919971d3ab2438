"""Small key/value facts the till keeps (sync cursor, last sync time, key check)."""

from __future__ import annotations

from sqlalchemy import Connection, select
from sqlalchemy.dialects.sqlite import insert

from pos_app.store.schema import sync_state


def get(conn: Connection, key: str) -> str | None:
    return conn.execute(
        select(sync_state.c.value).where(sync_state.c.key == key)
    ).scalar_one_or_none()


def put(conn: Connection, key: str, value: str) -> None:
    stmt = insert(sync_state).values(key=key, value=value)
    conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))
