"""A till's request to send a text receipt, stored inside the push's transaction. Apart from
the SMS books (sync.relay.store.sms) because the push (sync.relay.store.store) writes it and
those books build on the store."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from sync.relay.crypto import SecretBox
from sync.relay.store import schema as t
from sync.relay.store.at_rest import seal_json

QUEUED = "queued"
MAX_MESSAGE = 480  # three SMS parts: a receipt is short, anything longer is not one


def sms_context(till_id: str, event_id: str) -> str:
    return f"sms:{till_id}:{event_id}"


def queue_sms(
    conn: Connection,
    box: SecretBox,
    shop_id: str,
    till_id: str,
    event_id: str,
    payload: dict[str, Any],
    now: datetime,
) -> bool:
    """Store a till's text (outbox event sms.receipt_requested), its number and words sealed;
    False when the payload is unusable or that event is already queued (one text per event)."""
    to, message = payload.get("to"), payload.get("message")
    try:
        request_id = str(uuid.UUID(str(payload.get("request_id"))))
    except ValueError:
        return False
    if not isinstance(to, str) or not isinstance(message, str) or not to or not message:
        return False
    found = conn.execute(
        select(t.sms_messages.c.id).where(
            (t.sms_messages.c.till_id == till_id) & (t.sms_messages.c.event_id == event_id)
        )
    ).first()
    if found is not None:
        return False
    body = {"to": to[:20], "message": message[:MAX_MESSAGE]}
    conn.execute(
        insert(t.sms_messages).values(
            shop_id=shop_id,
            till_id=till_id,
            event_id=event_id,
            request_id=request_id,
            body=seal_json(box, body, sms_context(till_id, event_id)),
            state=QUEUED,
            attempts=0,
            next_try_at=now,
            created_at=now,
            updated_at=now,
        )
    )
    return True
