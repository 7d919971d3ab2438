"""SyncLedger: the sync engine's one door into the ledger for the outbox it pushes and the small
facts it keeps (sequence offset, last push, settings the relay hands down).

The engine moves events over the wire; what they are and how they are stored stays here, so
sync.engine imports nothing of pos_app.store. `Ledger` is named here for the engine to type
what it is handed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from pos_app.services import etims_invoices, guard
from pos_app.store import outbox, state
from pos_app.store.db import Ledger
from pos_app.store.keys import is_demo
from pos_app.store.outbox import OutboxEvent as QueuedEvent
from pos_app.store.schema import outbox as outbox_table

__all__ = [
    "LAST_PUSH_KEY",
    "Ledger",
    "ParkedEvent",
    "QueueCounts",
    "QueuedEvent",
    "StoredEvent",
    "SyncLedger",
]

TERMINAL_KEY = "push.terminal_id"
OFFSET_KEY = "push.seq_offset"
LAST_PUSH_KEY = "push.last_at"


@dataclass(frozen=True)
class QueueCounts:
    unsynced: int
    parked: int
    unsigned: int = 0  # eTIMS invoices waiting for KRA's signature


@dataclass(frozen=True)
class ParkedEvent:
    seq: int
    event_id: str
    type: str
    occurred_at: datetime
    reason: str


@dataclass(frozen=True)
class StoredEvent:
    """An outbox event as sent again; a parked one keeps its payload to itself (None)."""

    seq: int
    event_id: str
    type: str
    occurred_at: datetime
    parked: bool
    payload: dict[str, Any] | None


class SyncLedger:
    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    # --- the outbox ---------------------------------------------------------------------------
    def queue_counts(self) -> QueueCounts:
        with self._ledger.read() as conn:
            rows = conn.execute(
                select(outbox_table.c.parked, func.count())
                .where(outbox_table.c.pushed_at.is_(None))
                .group_by(outbox_table.c.parked)
            ).all()
            unsigned = etims_invoices.waiting_count(conn)
        counts = {bool(parked): int(n) for parked, n in rows}
        return QueueCounts(
            unsynced=counts.get(False, 0), parked=counts.get(True, 0), unsigned=unsigned
        )

    def parked_events(self) -> list[ParkedEvent]:
        """Outbox events the relay refused, for a supervisor to look at (oldest first)."""
        with self._ledger.read() as conn:
            rows = conn.execute(
                select(outbox_table)
                .where(outbox_table.c.parked.is_(True), outbox_table.c.pushed_at.is_(None))
                .order_by(outbox_table.c.seq)
            ).all()
        return [
            ParkedEvent(r.seq, r.event_id, r.type, r.occurred_at, r.last_error or "") for r in rows
        ]

    def pending(self, limit: int) -> list[QueuedEvent]:
        """Unpushed, unparked events, oldest first."""
        with self._ledger.read() as conn:
            return outbox.pending(conn, self._ledger.cipher, limit)

    def events_between(self, low: int, high: int, limit: int) -> list[StoredEvent]:
        """Outbox events low <= seq < high (pushed, parked or not), oldest first."""
        with self._ledger.read() as conn:
            rows = conn.execute(
                select(outbox_table)
                .where(outbox_table.c.seq >= low, outbox_table.c.seq < high)
                .order_by(outbox_table.c.seq)
                .limit(limit)
            ).all()
        cipher = self._ledger.cipher
        return [
            StoredEvent(
                row.seq,
                row.event_id,
                row.type,
                row.occurred_at,
                bool(row.parked),
                None
                if row.parked
                else json.loads(
                    cipher.decrypt_text(row.payload_ct, "outbox", "payload_ct", row.event_id)
                ),
            )
            for row in rows
        ]

    def record_push(self, pushed: Sequence[int], refused: Sequence[tuple[int, str]]) -> None:
        """The relay's answer to one batch, in one transaction: taken events are pushed,
        refused ones parked for a supervisor."""
        with self._ledger.write() as conn:
            outbox.mark_pushed(conn, pushed)
            for seq, reason in refused:
                _park_in(conn, seq, reason)
            state.put(conn, LAST_PUSH_KEY, datetime.now(UTC).isoformat())

    def park(self, seq: int, reason: str) -> None:
        with self._ledger.write() as conn:
            _park_in(conn, seq, reason)

    def seq_offset(self, terminal_id: str) -> int:
        """What to subtract from an outbox seq to get the terminal's till_seq; fixed on the
        first push to a new terminal (a re-paired till starts at 1)."""
        with self._ledger.write() as conn:
            if state.get(conn, TERMINAL_KEY) == terminal_id:
                return int(state.get(conn, OFFSET_KEY) or 0)
            first_unsent = conn.execute(
                select(func.min(outbox_table.c.seq)).where(outbox_table.c.pushed_at.is_(None))
            ).scalar()
            last = conn.execute(select(func.max(outbox_table.c.seq))).scalar()
            offset = (first_unsent - 1) if first_unsent is not None else (last or 0)
            state.put(conn, TERMINAL_KEY, terminal_id)
            state.put(conn, OFFSET_KEY, str(offset))
            return int(offset)

    def check_against_relay(self, relay_next_till_seq: int, offset: int) -> int:
        """How many of this till's events the relay holds beyond the local outbox (0 when
        none); any such loss stops selling (pos_app.services.guard)."""
        with self._ledger.read() as conn:
            last = int(conn.execute(select(func.max(outbox_table.c.seq))).scalar() or 0)
        missing = (relay_next_till_seq - 1 + offset) - last
        if missing > 0:
            guard.lost_events(self._ledger, missing)
        return max(missing, 0)

    def numbers_reused(self, count: int) -> None:
        """The relay refused `count` events whose numbers it holds under other events."""
        guard.lost_events(self._ledger, count)

    def selling_stopped(self) -> str | None:
        return guard.status(self._ledger).message

    # --- small facts ----------------------------------------------------------------------
    def secret(self, name: str) -> str | None:
        """A secret fact (the relay terminal token), decrypted; None when not kept."""
        with self._ledger.read() as conn:
            return state.get_secret(conn, self._ledger.cipher, state.SECRET_PREFIX + name)

    def keep_secret(self, name: str, value: str | None) -> None:
        """Keep `value` encrypted under the data key (None: forget it)."""
        key = state.SECRET_PREFIX + name
        with self._ledger.write() as conn:
            if value is None:
                state.forget(conn, key)
            else:
                state.put_secret(conn, self._ledger.cipher, key, value)

    @property
    def demo_key(self) -> bool:
        """The data key is demo mode's own (no keyring): this ledger is for trying the till."""
        return is_demo(self._ledger.key_store)

    def fact(self, key: str) -> str | None:
        with self._ledger.read() as conn:
            return state.get(conn, key)

    def keep_facts(self, wanted: Mapping[str, str | None]) -> bool:
        """Make these facts hold (None: forget it); writes only when something differs.
        True when something changed."""
        with self._ledger.read() as conn:
            if all(state.get(conn, key) == value for key, value in wanted.items()):
                return False
        with self._ledger.write() as conn:
            for key, value in wanted.items():
                if value is None:
                    state.forget(conn, key)
                else:
                    state.put(conn, key, value)
        return True


def _park_in(conn: Connection, seq: int, reason: str) -> None:
    conn.execute(
        update(outbox_table)
        .where(outbox_table.c.seq == seq)
        .values(parked=True, last_error=reason[:500], attempts=outbox_table.c.attempts + 1)
    )
