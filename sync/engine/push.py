"""Push: drain the outbox to the relay in batches, oldest first.

`till_seq` is the outbox's AUTOINCREMENT `seq` minus an offset fixed when the till first pushes
to a terminal (so a re-paired till starts at 1). An event the relay refuses (4xx) is parked for
a supervisor and replaced on the wire by a small "till.event_parked" stand-in under the same
`till_seq`, so the relay's gap-free sequence, and the queue behind it, keep moving. Network
trouble, 5xx and 429 raise RelayUnavailable to the caller, which backs off and tries again:
nothing is dropped and nothing is counted against the event.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, func, select, update

from pos_app.store import outbox, state
from pos_app.store.db import Ledger
from pos_app.store.schema import outbox as outbox_table
from sync.engine.client import RelayRefused, RelayUnauthorized, SeqGapError
from sync.engine.link import RelayLink
from sync.protocol import MAX_PUSH_BATCH, OutboxEvent, PushStatus

log = logging.getLogger(__name__)

TERMINAL_KEY = "push.terminal_id"
OFFSET_KEY = "push.seq_offset"
LAST_PUSH_KEY = "push.last_at"
PARKED_TYPE = "till.event_parked"
# Statuses that can blame the events in the batch (malformed, too large); the others stop
# the push as a whole until the configuration is fixed.
EVENT_FAULTS = frozenset({400, 413, 422})
_PARKED_NS = uuid.UUID("4f7f2a4e-8d0c-4a3e-9d55-2b1c1f0e9a11")


class PushBlocked(Exception):
    """The relay expects events this till no longer has; a supervisor must look."""


@dataclass(frozen=True)
class PushReport:
    pushed: int = 0
    parked: int = 0
    batches: int = 0


@dataclass(frozen=True)
class QueueCounts:
    unsynced: int
    parked: int


def queue_counts(ledger: Ledger) -> QueueCounts:
    with ledger.read() as conn:
        rows = conn.execute(
            select(outbox_table.c.parked, func.count())
            .where(outbox_table.c.pushed_at.is_(None))
            .group_by(outbox_table.c.parked)
        ).all()
    counts = {bool(parked): int(n) for parked, n in rows}
    return QueueCounts(unsynced=counts.get(False, 0), parked=counts.get(True, 0))


@dataclass(frozen=True)
class ParkedEvent:
    seq: int
    event_id: str
    type: str
    occurred_at: datetime
    reason: str


def parked_events(ledger: Ledger) -> list[ParkedEvent]:
    """Outbox events the relay refused, for a supervisor to look at (oldest first)."""
    with ledger.read() as conn:
        rows = conn.execute(
            select(outbox_table)
            .where(outbox_table.c.parked.is_(True), outbox_table.c.pushed_at.is_(None))
            .order_by(outbox_table.c.seq)
        ).all()
    return [ParkedEvent(r.seq, r.event_id, r.type, r.occurred_at, r.last_error or "") for r in rows]


def parked_stand_in_id(event_id: str) -> uuid.UUID:
    return uuid.uuid5(_PARKED_NS, event_id)


class Pusher:
    def __init__(self, ledger: Ledger, link: RelayLink, batch_size: int = MAX_PUSH_BATCH) -> None:
        self._ledger = ledger
        self._link = link
        self._batch_size = max(1, min(MAX_PUSH_BATCH, batch_size))

    def drain(self, max_batches: int | None = None) -> PushReport:
        """Push until the outbox is empty. Raises RelayUnavailable (retry later),
        RelayUnauthorized / NotPaired (pair again) or PushBlocked."""
        client = self._link.client()
        offset = self._offset()
        limit = self._batch_size
        pushed = parked = batches = 0
        last_gap: int | None = None
        while max_batches is None or batches < max_batches:
            with self._ledger.read() as conn:
                pending = outbox.pending(conn, self._ledger.cipher, limit)
            if not pending:
                break
            wire = [_to_wire(e, offset) for e in pending]
            batches += 1
            try:
                response = client.push(wire)
            except SeqGapError as gap:
                if gap.expected_till_seq == last_gap:
                    raise PushBlocked(f"the relay keeps expecting till_seq {last_gap}") from None
                last_gap = gap.expected_till_seq
                self._fill_gap(gap.expected_till_seq, pending[0].seq, offset)
                continue
            except RelayUnauthorized:
                raise
            except RelayRefused as exc:
                if exc.status not in EVENT_FAULTS:
                    raise  # 403, 404, 405...: the relay or its address is wrong, not an event
                if exc.status == 413 and len(wire) > 1:
                    # too many bytes for the relay: remember the smaller batch size
                    self._batch_size = limit = max(1, len(wire) // 2)
                    continue
                if len(wire) > 1:
                    # one bad event spoils the batch: halve until it stands alone
                    limit = max(1, len(wire) // 2)
                    continue
                self._park(pending[0].seq, f"relay refused ({exc.status}): {exc.detail}")
                parked += 1
                limit = self._batch_size
                continue
            self._link.reached()
            done, refused = [], []
            for result in response.results:
                seq = result.till_seq + offset
                if result.status is PushStatus.REJECTED:
                    refused.append((seq, result.reason or "rejected"))
                else:
                    done.append(seq)
            with self._ledger.write() as conn:
                outbox.mark_pushed(conn, done)
                for seq, reason in refused:
                    _park_in(conn, seq, f"relay rejected: {reason}")
                state.put(conn, LAST_PUSH_KEY, datetime.now(UTC).isoformat())
            pushed += len(done)
            parked += len(refused)
        return PushReport(pushed, parked, batches)

    # ---- sequence --------------------------------------------------------------------------

    def _offset(self) -> int:
        """The offset for the current terminal; fixed on first push to a new terminal."""
        creds = self._link.credentials
        terminal = creds.terminal_id if creds else ""
        with self._ledger.write() as conn:
            if state.get(conn, TERMINAL_KEY) == terminal:
                return int(state.get(conn, OFFSET_KEY) or 0)
            first_unsent = conn.execute(
                select(func.min(outbox_table.c.seq)).where(outbox_table.c.pushed_at.is_(None))
            ).scalar()
            last = conn.execute(select(func.max(outbox_table.c.seq))).scalar()
            offset = (first_unsent - 1) if first_unsent is not None else (last or 0)
            state.put(conn, TERMINAL_KEY, terminal)
            state.put(conn, OFFSET_KEY, str(offset))
            return int(offset)

    def _fill_gap(self, expected_till_seq: int, first_pending_seq: int, offset: int) -> None:
        """Send what the relay lacks before our first pending event: parked events as
        stand-ins, and events it lost (restored relay) again."""
        low, high = expected_till_seq + offset, first_pending_seq
        with self._ledger.read() as conn:
            rows = conn.execute(
                select(outbox_table)
                .where(outbox_table.c.seq >= low, outbox_table.c.seq < high)
                .order_by(outbox_table.c.seq)
                .limit(self._batch_size)
            ).all()
        if not rows or rows[0].seq != low:
            raise PushBlocked(
                f"the relay expects event {expected_till_seq} of this till, which is not in "
                "its outbox any more"
            )
        wire: list[OutboxEvent] = []
        for row in rows:
            if row.parked:
                wire.append(
                    OutboxEvent(
                        event_id=parked_stand_in_id(row.event_id),
                        till_seq=row.seq - offset,
                        type=PARKED_TYPE,
                        occurred_at=row.occurred_at,
                        payload={"event_id": row.event_id, "type": row.type},
                    )
                )
            else:
                payload = self._ledger.cipher.decrypt_text(
                    row.payload_ct, "outbox", "payload_ct", row.event_id
                )
                wire.append(
                    OutboxEvent(
                        event_id=uuid.UUID(row.event_id),
                        till_seq=row.seq - offset,
                        type=row.type,
                        occurred_at=row.occurred_at,
                        payload=json.loads(payload),
                    )
                )
        log.info("relay lacks till_seq %d..%d: sending them first", low - offset, high - 1 - offset)
        response = self._link.client().push(wire)
        if any(r.status is PushStatus.REJECTED for r in response.results):
            raise PushBlocked("the relay refused the events that fill its sequence gap")

    def _park(self, seq: int, reason: str) -> None:
        with self._ledger.write() as conn:
            _park_in(conn, seq, reason)


def _park_in(conn: Connection, seq: int, reason: str) -> None:
    log.warning("outbox event %d parked for a supervisor: %s", seq, reason)
    conn.execute(
        update(outbox_table)
        .where(outbox_table.c.seq == seq)
        .values(parked=True, last_error=reason[:500], attempts=outbox_table.c.attempts + 1)
    )


def _to_wire(event: outbox.OutboxEvent, offset: int) -> OutboxEvent:
    return OutboxEvent(
        event_id=uuid.UUID(event.event_id),
        till_seq=event.seq - offset,
        type=event.type,
        occurred_at=event.occurred_at,
        payload=event.payload,
    )
