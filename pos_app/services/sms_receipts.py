"""Text receipts: the cashier chooses SMS after a sale, and the till asks the relay to send a
short text (outbox event sms.receipt_requested, in one transaction with its audit entry). The
till holds no SMS account: the relay sends it once through Africa's Talking and streams back
sent, failed (with its reason) or unknown (docs/sms.md).

The customer's phone is personal data: encrypted in `sms_receipts` and in the outbox payload,
never in the audit details or a log line.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Final

from sqlalchemy import Connection, select, update

from pos_app.core.events import SmsReceiptSettled
from pos_app.services import customers
from pos_app.services.bus import EventBus
from pos_app.services.customers import normalised_phone, region_for
from pos_app.services.receipts import ReceiptData
from pos_app.services.unit import ledger_change
from pos_app.store.crypto import FieldCipher
from pos_app.store.db import Ledger
from pos_app.store.schema import orders, payments, sms_receipts

# sync.protocol.SMS_RECEIPT_REQUESTED (the services name the wire's event types themselves)
SMS_RECEIPT_REQUESTED: Final = "sms.receipt_requested"
_TABLE: Final = "sms_receipts"


class SmsState(StrEnum):
    WAITING = "waiting"  # in the outbox, or with the relay
    SENT = "sent"
    FAILED = "failed"
    UNKNOWN = "unknown"  # may have arrived; the relay does not send it again


@dataclass(frozen=True)
class SmsWords:
    """The text's words in the till's language (the screens translate them)."""

    receipt: str  # "Receipt"
    total: str  # "Total"
    etims: str  # "eTIMS invoice"
    methods: Mapping[str, str]  # PaymentMethod value -> its name


@dataclass(frozen=True)
class SmsReceipt:
    id: str
    order_id: str
    state: SmsState
    reason: str | None = None


@dataclass(frozen=True)
class SmsResult:
    """The relay's answer for one text (wire SmsEvent, as the engine hands it over)."""

    event_id: str
    seq: int
    request_id: str
    state: SmsState
    reason: str | None = None


def receipt_text(receipt: ReceiptData, words: SmsWords) -> str:
    """The short text: shop, receipt number, total, how it was paid, and KRA's link when the
    invoice is signed. No cashier's name, no customer's details."""
    lines = [receipt.shop_name]
    if receipt.receipt_number:
        lines.append(f"{words.receipt} {receipt.receipt_number}")
    lines.append(f"{words.total} {receipt.total.format()}")
    for payment in receipt.payments:
        name = words.methods.get(payment.method, payment.method)
        lines.append(f"{name} {payment.amount.format()}")
    if receipt.etims is not None and receipt.etims.signature is not None:
        lines.append(f"{words.etims} {receipt.etims.signature.qr_url}")
    return "\n".join(lines)


def request(
    ledger: Ledger,
    bus: EventBus,
    actor_id: str | None,
    receipt: ReceiptData,
    phone: str,
    words: SmsWords,
) -> SmsReceipt:
    """Ask the relay to text `receipt` to `phone` (checked as a mobile number of the sale's
    country; InvalidInput says how to type it). Works offline: the event waits in the outbox."""
    to = normalised_phone(phone, region_for(receipt.total.currency))
    request_id = str(uuid.uuid4())
    with ledger_change(ledger, bus, actor_id) as change:
        keep(change.conn, change.cipher, request_id, receipt.order_id, to, datetime.now(UTC))
        change.record(
            SMS_RECEIPT_REQUESTED,
            entity="order",
            entity_id=receipt.order_id,
            details={"request_id": request_id},
            payload={
                "request_id": request_id,
                "order_id": receipt.order_id,
                "to": to,
                "message": receipt_text(receipt, words),
            },
        )
    return SmsReceipt(request_id, receipt.order_id, SmsState.WAITING)


def keep(
    conn: Connection, cipher: FieldCipher, request_id: str, order_id: str, to: str, at: datetime
) -> None:
    """The till's row of a text, waiting for the relay (also rebuilt after a restore)."""
    conn.execute(
        sms_receipts.insert().values(
            id=request_id,
            order_id=order_id,
            phone_ct=cipher.encrypt(to, _TABLE, "phone_ct", request_id),
            state=SmsState.WAITING.value,
            requested_at=at,
        )
    )


def known_phone(ledger: Ledger, order_id: str) -> str | None:
    """The phone the sale already has (an M-Pesa payer's, a delivery customer's), for the
    cashier to confirm instead of typing it again; None when it has none."""
    with ledger.read() as conn:
        customer_id = conn.execute(
            select(payments.c.customer_id)
            .where((payments.c.order_id == order_id) & payments.c.customer_id.is_not(None))
            .order_by(payments.c.created_at.desc())
            .limit(1)
        ).scalar()
        if customer_id is None:
            customer_id = conn.execute(
                select(orders.c.customer_id).where(orders.c.id == order_id)
            ).scalar()
        if customer_id is None:
            return None
        return customers.load(conn, ledger.cipher, customer_id).phone


def latest_for(ledger: Ledger, order_id: str) -> SmsReceipt | None:
    with ledger.read() as conn:
        row = conn.execute(
            select(sms_receipts)
            .where(sms_receipts.c.order_id == order_id)
            .order_by(sms_receipts.c.requested_at.desc())
            .limit(1)
        ).first()
    if row is None:
        return None
    return SmsReceipt(row.id, row.order_id, SmsState(row.state), row.reason)


def apply_result(conn: Connection, result: SmsResult) -> tuple[str, SmsReceiptSettled | None]:
    """Keep the relay's answer with the text, once (a settled text stays settled): the
    inbox's result word, and the event for the screens when something changed."""
    row = conn.execute(select(sms_receipts).where(sms_receipts.c.id == result.request_id)).first()
    if row is None:
        return "unknown_sms", None
    if row.state != SmsState.WAITING.value:
        return "already_settled", None
    conn.execute(
        update(sms_receipts)
        .where(sms_receipts.c.id == result.request_id)
        .values(state=result.state.value, reason=result.reason, settled_at=datetime.now(UTC))
    )
    settled = SmsReceiptSettled(
        request_id=row.id, order_id=row.order_id, state=result.state.value, reason=result.reason
    )
    return result.state.value, settled
