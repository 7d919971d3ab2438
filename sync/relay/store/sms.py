"""The relay's SMS books: each text receipt a till asked for, its one send and its fate, and
the stream of outcomes back to the shop's tills (docs/sms.md).

A text is taken for sending (state `sending`) in its own committed write *before* the call to
Africa's Talking, so a relay that stops mid-send finds it there afterwards and records it as
unknown instead of sending it a second time.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, update

from sync.protocol import SmsEvent, SmsOutcome
from sync.relay.store import schema as t
from sync.relay.store.at_rest import open_json
from sync.relay.store.sms_queue import QUEUED, sms_context
from sync.relay.store.store import Store, next_shop_seq, notify_pullers, utcnow

SENDING = "sending"
SENT = "sent"
FAILED = "failed"
UNKNOWN = "unknown"
PROVIDER = "africastalking"  # its row in shop_credentials (mode "live"; the sandbox app too)
CREDENTIAL_MODE = "live"
_OUTCOME = {SENT: SmsOutcome.SENT, FAILED: SmsOutcome.FAILED, UNKNOWN: SmsOutcome.UNKNOWN}


@dataclass(frozen=True)
class SmsToSend:
    id: int
    shop_id: str
    till_id: str
    request_id: str
    to: str
    message: str
    attempts: int

    def __repr__(self) -> str:  # the number and the words never reach a log line
        return f"SmsToSend(id={self.id}, shop_id={self.shop_id!r})"


class SmsBooks:
    def __init__(self, store: Store) -> None:
        self.store = store

    def due(self, now: datetime, limit: int = 50) -> list[int]:
        with self.store.read() as conn:
            rows = conn.execute(
                select(t.sms_messages.c.id)
                .where((t.sms_messages.c.state == QUEUED) & (t.sms_messages.c.next_try_at <= now))
                .order_by(t.sms_messages.c.id)
                .limit(limit)
            ).all()
        return [row.id for row in rows]

    def take(self, sms_id: int) -> SmsToSend | None:
        """Mark the text as being sent (committed before the send); None when another round
        took it first."""
        with self.store.write() as conn:
            taken = conn.execute(
                update(t.sms_messages)
                .where((t.sms_messages.c.id == sms_id) & (t.sms_messages.c.state == QUEUED))
                .values(state=SENDING, updated_at=utcnow())
            ).rowcount
            if taken != 1:
                return None
            row = conn.execute(select(t.sms_messages).where(t.sms_messages.c.id == sms_id)).one()
        body = open_json(self.store.box, row.body, sms_context(row.till_id, row.event_id))
        return SmsToSend(
            row.id, row.shop_id, row.till_id, row.request_id, body["to"], body["message"],
            row.attempts,
        )  # fmt: skip

    def not_sent(self, sms: SmsToSend, at: datetime) -> None:
        """Nothing reached Africa's Talking: queued again for `at`."""
        with self.store.write() as conn:
            conn.execute(
                update(t.sms_messages)
                .where(t.sms_messages.c.id == sms.id)
                .values(state=QUEUED, attempts=sms.attempts + 1, next_try_at=at,
                        updated_at=utcnow())
            )  # fmt: skip

    def settle(
        self,
        shop_id: str,
        sms_id: int,
        state: str,
        *,
        reason: str | None = None,
        message_id: str | None = None,
        cost: str | None = None,
    ) -> int:
        """Record the text's fate and number it in the shop's event sequence."""
        with self.store.write() as conn:
            seq = next_shop_seq(conn, shop_id)
            conn.execute(
                update(t.sms_messages)
                .where(t.sms_messages.c.id == sms_id)
                .values(
                    state=state,
                    reason=reason[:200] if reason else None,
                    message_id=message_id[:64] if message_id else None,
                    cost=cost[:32] if cost else None,
                    next_try_at=None,
                    stream_seq=seq,
                    stream_event_id=str(uuid.uuid4()),
                    updated_at=utcnow(),
                )
            )
            notify_pullers(conn, shop_id)
        return seq

    def interrupted(self, before: datetime) -> list[tuple[str, int]]:
        """(shop, id) of texts taken for sending before `before` and never settled: the relay
        stopped during the send, so Africa's Talking may have sent them."""
        with self.store.read() as conn:
            rows = conn.execute(
                select(t.sms_messages.c.shop_id, t.sms_messages.c.id).where(
                    (t.sms_messages.c.state == SENDING) & (t.sms_messages.c.updated_at < before)
                )
            ).all()
        return [(row.shop_id, row.id) for row in rows]

    def state_of(self, till_id: str, request_id: str) -> str | None:
        with self.store.read() as conn:
            return conn.execute(
                select(t.sms_messages.c.state).where(
                    (t.sms_messages.c.till_id == till_id)
                    & (t.sms_messages.c.request_id == request_id)
                )
            ).scalar()

    def events_after(self, shop_id: str, after_seq: int, limit: int) -> list[SmsEvent]:
        with self.store.read() as conn:
            rows = conn.execute(
                select(t.sms_messages)
                .where(
                    (t.sms_messages.c.shop_id == shop_id)
                    & (t.sms_messages.c.stream_seq > after_seq)
                )
                .order_by(t.sms_messages.c.stream_seq)
                .limit(limit)
            ).all()
        return [_event(row) for row in rows]


def _event(row: Row[Any]) -> SmsEvent:
    return SmsEvent(
        seq=row.stream_seq,
        event_id=row.stream_event_id,
        type=_OUTCOME[row.state],
        till_id=row.till_id,
        request_id=row.request_id,
        reason=row.reason,
    )
