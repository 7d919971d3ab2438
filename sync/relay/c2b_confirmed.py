"""A C2B payment M-Pesa confirmed: by a Transaction Status answer to the relay's query, or as
a row of a Pull Transactions reply (sync.relay.c2b_pull). Both settle the claim here, in the
transaction that records the event, so a payment is streamed to the tills once whichever way
it came."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, update

from sync.protocol import EventStatus, PaymentChannel, Provider
from sync.relay.store import schema as t
from sync.relay.store.store import EventDraft, Store


def c2b_dedup_key(receipt: str) -> str:
    return f"mpesa:c2b:{receipt}"


def confirmed_c2b(store: Store, conn: Connection, claim: Row[Any]) -> EventDraft:
    """Settle a claim as confirmed and give the payment to the till that showed its account
    reference (one shop, one claim); -> the paid event the tills hear."""
    conn.execute(
        update(t.c2b_claims)
        .where(t.c2b_claims.c.id == claim.id)
        .values(state="confirmed", next_check_at=None)
    )
    owner = store.reference_owner(conn, claim.shop_id, claim.bill_ref)
    if owner is not None:
        owner = store.grant_c2b(conn, claim.shop_id, claim.trans_id, owner, "reference").till_id
    return EventDraft(
        dedup_key=c2b_dedup_key(claim.trans_id),
        provider=Provider.MPESA,
        channel=PaymentChannel.MPESA_C2B,
        status=EventStatus.PAID,
        occurred_at=claim.trans_time,
        test_mode=claim.test_mode,
        reference=claim.bill_ref,
        amount_minor=claim.amount_minor,
        currency=claim.currency,
        receipt=claim.trans_id,
        payer=claim.payer,
        message=claim.transaction_type,
        claimed_by_till=owner,
    )
