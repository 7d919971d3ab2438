"""The outbox: events to push to the relay, written in the same transaction as the change.

Payloads are always stored encrypted (they often hold phone numbers or references); the
associated data is the event id. `seq` is AUTOINCREMENT: per till, monotonic, never reused.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from pos_app.store.crypto import FieldCipher
from pos_app.store.schema import outbox

PARK_AFTER_ATTEMPTS = 20
_INSERT = outbox.insert().returning(outbox.c.seq)


@dataclass(frozen=True, slots=True)
class OutboxEvent:
    seq: int
    event_id: str
    type: str
    occurred_at: datetime
    payload: dict[str, Any]
    attempts: int = 0


def append(
    conn: Connection,
    cipher: FieldCipher,
    *,
    type: str,
    payload: Mapping[str, Any],
    occurred_at: datetime | None = None,
) -> OutboxEvent:
    event_id = str(uuid.uuid4())
    occurred_at = occurred_at or datetime.now(UTC)
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    seq = conn.execute(
        _INSERT,
        {
            "event_id": event_id,
            "type": type,
            "occurred_at": occurred_at,
            "payload_ct": cipher.encrypt(body, "outbox", "payload_ct", event_id),
            "attempts": 0,
            "parked": False,
        },
    ).scalar_one()
    return OutboxEvent(seq, event_id, type, occurred_at, dict(payload))


def restore_pushed(conn: Connection, cipher: FieldCipher, event: OutboxEvent) -> None:
    """Put back an event the relay already holds, under its own seq and marked pushed (a
    ledger rebuilt from the relay continues the sequence after it)."""
    body = json.dumps(event.payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    conn.execute(
        outbox.insert(),
        {
            "seq": event.seq,
            "event_id": event.event_id,
            "type": event.type,
            "occurred_at": event.occurred_at,
            "payload_ct": cipher.encrypt(body, "outbox", "payload_ct", event.event_id),
            "pushed_at": datetime.now(UTC),
            "attempts": 0,
            "parked": False,
        },
    )


def pending(conn: Connection, cipher: FieldCipher, limit: int = 100) -> list[OutboxEvent]:
    """Unpushed, unparked events in sequence order."""
    rows = conn.execute(
        select(outbox)
        .where(outbox.c.pushed_at.is_(None), outbox.c.parked.is_(False))
        .order_by(outbox.c.seq)
        .limit(limit)
    )
    return [
        OutboxEvent(
            r.seq,
            r.event_id,
            r.type,
            r.occurred_at,
            json.loads(cipher.decrypt_text(r.payload_ct, "outbox", "payload_ct", r.event_id)),
            r.attempts,
        )
        for r in rows
    ]


def mark_pushed(conn: Connection, seqs: Sequence[int], at: datetime | None = None) -> None:
    if seqs:
        conn.execute(
            update(outbox)
            .where(outbox.c.seq.in_(list(seqs)))
            .values(pushed_at=at or datetime.now(UTC), last_error=None)
        )


def mark_failed(conn: Connection, seq: int, error: str) -> None:
    """Count a failed push; park the event (stop retrying) after PARK_AFTER_ATTEMPTS."""
    conn.execute(
        update(outbox)
        .where(outbox.c.seq == seq)
        .values(
            attempts=outbox.c.attempts + 1,
            last_error=error[:500],
            parked=outbox.c.attempts + 1 >= PARK_AFTER_ATTEMPTS,
        )
    )
