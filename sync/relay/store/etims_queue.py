"""A till's request to sign an invoice, stored inside the push's transaction. Apart from the
eTIMS books (sync.relay.store.etims) because the push (sync.relay.store.store) writes it and
those books build on the store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from sync.protocol import EtimsKind
from sync.relay.crypto import SecretBox
from sync.relay.store import schema as t
from sync.relay.store.at_rest import seal_json

QUEUED = "queued"


def document_context(shop_id: str, till_id: str, receipt_number: str) -> str:
    return f"etims-doc:{shop_id}:{till_id}:{receipt_number}"


def queue_document(
    conn: Connection,
    box: SecretBox,
    shop_id: str,
    till_id: str,
    payload: dict[str, Any],
    now: datetime,
) -> bool:
    """Store a till's request to sign (outbox event etims.sign_requested) inside the push's
    transaction; False when that receipt is already queued (a re-push gets no second row)."""
    receipt = str(payload.get("receipt_number") or "")[:50]
    body = payload.get("body")
    if not receipt or not isinstance(body, dict):
        return False
    found = conn.execute(
        select(t.etims_documents.c.id).where(
            (t.etims_documents.c.shop_id == shop_id)
            & (t.etims_documents.c.till_id == till_id)
            & (t.etims_documents.c.receipt_number == receipt)
        )
    ).first()
    if found is not None:
        return False
    kind = EtimsKind(payload.get("kind") or EtimsKind.SALE)
    original = payload.get("original_receipt_number")
    conn.execute(
        insert(t.etims_documents).values(
            shop_id=shop_id,
            till_id=till_id,
            receipt_number=receipt,
            kind=kind.value,
            original_receipt_number=str(original)[:50] if original else None,
            body=seal_json(box, body, document_context(shop_id, till_id, receipt)),
            state=QUEUED,
            in_doubt=False,
            attempts=0,
            next_try_at=now,
            created_at=now,
            updated_at=now,
        )
    )
    return True
