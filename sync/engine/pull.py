"""Pull: long-poll the relay for the shop's canonical payment events and apply each once.

One SQLite transaction per batch holds, for every new event, its effects and its inbox row
(keyed on the event id), and the advanced cursor: a crash anywhere leaves either all of it or
none of it, and a re-delivered event finds its inbox row and changes nothing.
"""

from __future__ import annotations

import logging
import threading
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import Connection, select
from sqlalchemy.dialects.sqlite import insert

from pos_app.services import provider_events
from pos_app.store import state
from pos_app.store.db import Ledger
from pos_app.store.schema import inbox
from sync.engine.apply import to_record
from sync.engine.link import RelayLink
from sync.protocol import CanonicalPaymentEvent

log = logging.getLogger(__name__)

LAST_PULL_KEY = "pull.last_at"
FAILED = "error"


class Applier(Protocol):
    def transaction(self) -> AbstractContextManager[Connection]:
        """One write transaction; what the events applied in it changed is published after
        it commits."""

    def __call__(self, conn: Connection, event: CanonicalPaymentEvent) -> str:
        """Apply one event's effects inside `transaction()`; a short result word."""


def cursor_key(shop_id: str) -> str:
    # per shop: a till re-paired to another shop starts that shop's stream from the start
    return f"pull.cursor:{shop_id}"


@dataclass(frozen=True)
class PullReport:
    received: int
    applied: int
    cursor: str


class Puller:
    def __init__(
        self,
        ledger: Ledger,
        link: RelayLink,
        apply: Applier,
        *,
        limit: int = 200,
    ) -> None:
        self._ledger = ledger
        self._link = link
        self._apply = apply
        self._limit = limit

    def cursor(self) -> str | None:
        creds = self._link.credentials
        if creds is None:
            return None
        with self._ledger.read() as conn:
            return state.get(conn, cursor_key(creds.shop_id))

    def pull_once(self, wait_s: float = 0.0, stop: threading.Event | None = None) -> PullReport:
        """One (long-)poll and its application (skipped if `stop` was set meanwhile). Raises
        RelayUnavailable / RelayUnauthorized / NotPaired for the caller to handle."""
        client = self._link.client()
        creds = self._link.credentials
        assert creds is not None
        key = cursor_key(creds.shop_id)
        with self._ledger.read() as conn:
            after = state.get(conn, key)
        reply = client.pull(after, wait_s, self._limit)
        if stop is not None and stop.is_set():
            return PullReport(len(reply.events), 0, after or "")
        self._link.reached()
        if not reply.events and reply.cursor == after:
            return PullReport(0, 0, reply.cursor)
        applied: list[CanonicalPaymentEvent] = []
        with self._apply.transaction() as conn:
            if state.get(conn, key) != after:
                # another puller moved the cursor meanwhile; its transaction applied these
                return PullReport(len(reply.events), 0, state.get(conn, key) or "")
            for event in reply.events:
                if self._apply_once(conn, event):
                    applied.append(event)
            state.put(conn, key, reply.cursor)
            state.put(conn, LAST_PULL_KEY, datetime.now(UTC).isoformat())
        return PullReport(len(reply.events), len(applied), reply.cursor)

    def _apply_once(self, conn: Connection, event: CanonicalPaymentEvent) -> bool:
        event_id = str(event.event_id)
        seen = conn.execute(select(inbox.c.event_id).where(inbox.c.event_id == event_id)).first()
        if seen is not None:
            return False
        try:
            with conn.begin_nested():
                result = self._apply(conn, event)
        except Exception:
            # a bug must not stop the stream: keep the event where a supervisor sees it
            log.exception("applying relay event %s (seq %d) failed", event_id, event.seq)
            provider_events.record(conn, self._ledger.cipher, to_record(event))
            result = FAILED
        conn.execute(
            insert(inbox)
            .values(
                event_id=event_id,
                relay_seq=event.seq,
                type=f"{event.channel.value}.{event.status.value}",
                result=result[:32],
                applied_at=datetime.now(UTC),
            )
            .on_conflict_do_nothing(index_elements=["event_id"])
        )
        return True


def run_pull_loop(puller: Puller, stop: threading.Event, wait_s: float, budget_s: float) -> int:
    """Long-poll back to back until `stop` is set or `budget_s` has passed (so the scheduler
    job returns now and then); returns how many events were applied."""
    deadline = datetime.now(UTC).timestamp() + budget_s
    # a first poll that does not wait tells at once whether the relay is there
    applied = puller.pull_once(0, stop).applied
    while not stop.is_set() and datetime.now(UTC).timestamp() < deadline:
        applied += puller.pull_once(wait_s, stop).applied
    return applied
