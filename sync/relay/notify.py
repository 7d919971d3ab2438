"""Long-poll wake-ups: an in-process hub, fed across processes by PostgreSQL LISTEN/NOTIFY.

On SQLite (one process) the writer wakes the hub directly; pullers also re-read the database
every `fallback_s`, which covers a second process writing the same file.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.engine import make_url

from sync.relay.store.store import NOTIFY_CHANNEL

log = logging.getLogger(__name__)


class Hub:
    def __init__(self) -> None:
        self._events: dict[str, asyncio.Event] = {}

    def waiter(self, shop_id: str) -> asyncio.Event:
        """Take this BEFORE reading the database, so a commit in between still wakes us."""
        event = self._events.get(shop_id)
        if event is None:
            event = self._events[shop_id] = asyncio.Event()
        return event

    def wake(self, shop_id: str) -> None:
        event = self._events.pop(shop_id, None)
        if event is not None:
            event.set()


def libpq_url(sqlalchemy_url: str) -> str:
    return (
        make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)
    )


async def listen_forever(url: str, hub: Hub, ready: asyncio.Event | None = None) -> None:
    """Relay every NOTIFY on the events channel to the hub; reconnect after failures."""
    # Imported here, not at the top: only a relay on PostgreSQL listens, and the till's
    # embedded demo relay (SQLite) ships without psycopg (installers/bundle_plan.py).
    import psycopg

    backoff = 0.5
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(
                libpq_url(url), autocommit=True
            ) as conn:
                await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                backoff = 0.5
                if ready is not None:
                    ready.set()
                async for notice in conn.notifies():
                    hub.wake(notice.payload)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # any connection failure: pullers fall back to polling
            log.warning(
                "LISTEN connection lost (%s); retrying in %.1f s", type(exc).__name__, backoff
            )
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 10.0)
