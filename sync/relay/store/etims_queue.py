"""A till's request to sign an invoice, and an item it wants registered, stored inside the
push's transaction. Apart from the eTIMS books (sync.relay.store.etims) because the push
(sync.relay.store.store) writes them and those books build on the store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, insert, select, update

from sync.protocol import EtimsKind
from sync.providers.etims import ItemRequest, same_item
from sync.relay.crypto import SecretBox
from sync.relay.store import schema as t
from sync.relay.store.at_rest import seal_json

QUEUED = "queued"
REGISTERED = "registered"


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


def want_item(conn: Connection, shop_id: str, item: Any, now: datetime) -> bool:
    """Note an item the shop's device must have registered (outbox event etims.item_changed,
    or an invoice's line that names an unknown item). True when KRA must be told: the item
    is new, or differs from what KRA last accepted; an unchanged item is not sent again."""
    if not isinstance(item, dict):
        return False
    try:
        body = ItemRequest.model_validate(item).wire()
    except ValidationError:
        return False  # a till's malformed item: its invoices register it from their lines
    row = conn.execute(
        select(t.etims_items).where(
            (t.etims_items.c.shop_id == shop_id) & (t.etims_items.c.item_code == body["itemCd"])
        )
    ).first()
    if row is None:
        conn.execute(
            insert(t.etims_items).values(
                shop_id=shop_id, item_code=body["itemCd"], body=body, state=QUEUED,
                attempts=0, next_try_at=now, updated_at=now,
            )
        )  # fmt: skip
        return True
    if same_item(body, row.body) and row.state == QUEUED:
        return True  # already waiting to go
    changed = not same_item(body, row.registered)
    values: dict[str, Any] = {"body": body, "updated_at": now}
    if changed:
        values |= {"state": QUEUED, "attempts": 0, "next_try_at": now, "refusal": None}
    else:  # what KRA already holds (changed and changed back before it went, say)
        values |= {"state": REGISTERED, "next_try_at": None, "refusal": None}
    conn.execute(
        update(t.etims_items)
        .where((t.etims_items.c.shop_id == shop_id) & (t.etims_items.c.item_code == row.item_code))
        .values(**values)
    )
    return changed
