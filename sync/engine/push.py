"""Push: drain the outbox to the relay in batches, oldest first.

`till_seq` is the outbox's AUTOINCREMENT `seq` minus an offset fixed when the till first pushes
to a terminal (so a re-paired till starts at 1). An event the relay refuses (4xx) is parked for
a supervisor and replaced on the wire by a small "till.event_parked" stand-in under the same
`till_seq`, so the relay's gap-free sequence, and the queue behind it, keep moving. Network
trouble, 5xx and 429 raise RelayUnavailable to the caller, which backs off and tries again:
nothing is dropped and nothing is counted against the event.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from pos_app.services.sync_ledger import QueuedEvent, StoredEvent, SyncLedger
from sync.engine.client import RelayRefused, RelayUnauthorized, SeqGapError
from sync.engine.link import RelayLink
from sync.protocol import MAX_PUSH_BATCH, OutboxEvent, PushStatus

log = logging.getLogger(__name__)

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


def parked_stand_in_id(event_id: str) -> uuid.UUID:
    return uuid.uuid5(_PARKED_NS, event_id)


class Pusher:
    def __init__(
        self, ledger: SyncLedger, link: RelayLink, batch_size: int = MAX_PUSH_BATCH
    ) -> None:
        self._ledger = ledger
        self._link = link
        self._batch_size = max(1, min(MAX_PUSH_BATCH, batch_size))
        self._compared = False

    def drain(self, max_batches: int | None = None) -> PushReport:
        """Push until the outbox is empty. Raises RelayUnavailable (retry later),
        RelayUnauthorized / NotPaired (pair again) or PushBlocked."""
        client = self._link.client()
        offset = self._offset()
        if not self._compared:
            # once per run, before anything is sent: does the relay hold events we lost?
            self._compare(client.push([]).next_till_seq, offset)
            self._compared = True
        limit = self._batch_size
        pushed = parked = batches = 0
        last_gap: int | None = None
        while max_batches is None or batches < max_batches:
            pending = self._ledger.pending(limit)
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
            self._compare(response.next_till_seq, offset)
            done, refused = [], []
            for result in response.results:
                seq = result.till_seq + offset
                if result.status is PushStatus.REJECTED:
                    refused.append((seq, result.reason or "rejected"))
                else:
                    done.append(seq)
            refused = [(seq, f"relay rejected: {reason}") for seq, reason in refused]
            for seq, reason in refused:
                log.warning("outbox event %d parked for a supervisor: %s", seq, reason)
            self._ledger.record_push(done, refused)
            pushed += len(done)
            parked += len(refused)
            if refused:
                # the relay refuses only a till_seq it holds under another event: this till's
                # ledger lost events and has been reusing their numbers
                self._ledger.numbers_reused(len(refused))
                raise PushBlocked(self._ledger.selling_stopped() or "sequence numbers reused")
        return PushReport(pushed, parked, batches)

    # ---- sequence --------------------------------------------------------------------------

    def _compare(self, relay_next_till_seq: int, offset: int) -> None:
        """Stop (and stop selling) when the relay holds more of our events than we do:
        new events would reuse sequence numbers the relay already accepted."""
        if self._ledger.check_against_relay(relay_next_till_seq, offset):
            raise PushBlocked(self._ledger.selling_stopped() or "the ledger lost events")

    def _offset(self) -> int:
        creds = self._link.credentials
        return self._ledger.seq_offset(creds.terminal_id if creds else "")

    def _fill_gap(self, expected_till_seq: int, first_pending_seq: int, offset: int) -> None:
        """Send what the relay lacks before our first pending event: parked events as
        stand-ins, and events it lost (restored relay) again."""
        low, high = expected_till_seq + offset, first_pending_seq
        rows = self._ledger.events_between(low, high, self._batch_size)
        if not rows or rows[0].seq != low:
            raise PushBlocked(
                f"the relay expects event {expected_till_seq} of this till, which is not in "
                "its outbox any more"
            )
        wire = [_resent(row, offset) for row in rows]
        log.info("relay lacks till_seq %d..%d: sending them first", low - offset, high - 1 - offset)
        response = self._link.client().push(wire)
        if any(r.status is PushStatus.REJECTED for r in response.results):
            raise PushBlocked("the relay refused the events that fill its sequence gap")

    def _park(self, seq: int, reason: str) -> None:
        log.warning("outbox event %d parked for a supervisor: %s", seq, reason)
        self._ledger.park(seq, reason)


def _resent(row: StoredEvent, offset: int) -> OutboxEvent:
    if row.payload is None:  # parked: a stand-in keeps the relay's sequence moving
        return OutboxEvent(
            event_id=parked_stand_in_id(row.event_id),
            till_seq=row.seq - offset,
            type=PARKED_TYPE,
            occurred_at=row.occurred_at,
            payload={"event_id": row.event_id, "type": row.type},
        )
    return OutboxEvent(
        event_id=uuid.UUID(row.event_id),
        till_seq=row.seq - offset,
        type=row.type,
        occurred_at=row.occurred_at,
        payload=row.payload,
    )


def _to_wire(event: QueuedEvent, offset: int) -> OutboxEvent:
    return OutboxEvent(
        event_id=uuid.UUID(event.event_id),
        till_seq=event.seq - offset,
        type=event.type,
        occurred_at=event.occurred_at,
        payload=event.payload,
    )
