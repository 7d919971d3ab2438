"""A text receipt is one audited outbox event asking the relay to send a short text; the phone
is checked with the M-Pesa numbers' helper and kept encrypted; the relay's answer is kept once
(docs/sms.md)."""

from __future__ import annotations

import pytest
from ledger_helpers import Till, kes
from sqlalchemy import func, select

from pos_app.core.errors import InvalidInput
from pos_app.core.events import SmsReceiptSettled
from pos_app.services import sms_receipts
from pos_app.services.counter import Counter
from pos_app.services.payment_events import PaymentEvents
from pos_app.services.sms_receipts import SmsResult, SmsState, SmsWords
from pos_app.store import audit, outbox
from pos_app.store.schema import sms_receipts as sms_table
from sync.protocol import SMS_RECEIPT_REQUESTED

WORDS = SmsWords("Receipt", "Total", "eTIMS", {"cash": "Cash"})


def cashier_counter(till: Till) -> Counter:
    counter = Counter(till.services)
    counter.user_id = till.cashier.id
    return counter


def sold(till: Till) -> str:
    sale = till.services.payments.record_cash_sale(
        till.draft(50000, 33000), kes(100000), cashier_id=till.cashier.id
    )
    return sale.order_id


def sms_events(till: Till) -> list[outbox.OutboxEvent]:
    with till.ledger.read() as conn:
        pending = outbox.pending(conn, till.ledger.cipher)
    return [e for e in pending if e.type == SMS_RECEIPT_REQUESTED]


def test_a_text_receipt_is_one_audited_outbox_event(till: Till) -> None:
    order_id = sold(till)
    asked = cashier_counter(till).send_receipt_sms(order_id, "0712 345 678", WORDS)
    assert asked.state is SmsState.WAITING
    [event] = sms_events(till)
    shop = till.services.shop.get().shop_name
    assert event.payload["request_id"] == asked.id
    assert event.payload["to"] == "+254712345678"
    assert event.payload["message"] == (
        f"{shop}\nReceipt TILL1-000001\nTotal KES 830.00\nCash KES 830.00"
    )
    with till.ledger.read() as conn:
        [entry] = [e for e in audit.entries(conn) if e.action == SMS_RECEIPT_REQUESTED]
    assert entry.entity_id == order_id and entry.details == {"request_id": asked.id}
    assert entry.actor == till.cashier.id
    assert event.payload["audit_seq"] == entry.seq  # one transaction: event and entry together


@pytest.mark.parametrize("typed", ["0712 345", "+255 712 345 678", "0202 123 456", ""])
def test_a_bad_number_is_refused_with_a_clear_message_and_writes_nothing(
    till: Till, typed: str
) -> None:
    order_id = sold(till)
    with pytest.raises(InvalidInput, match="not a Kenyan mobile number"):
        cashier_counter(till).send_receipt_sms(order_id, typed, WORDS)
    assert sms_events(till) == []
    with till.ledger.read() as conn:
        assert conn.execute(select(func.count()).select_from(sms_table)).scalar_one() == 0


def test_the_relays_answer_is_kept_once_and_told_to_the_screens(till: Till) -> None:
    order_id = sold(till)
    counter = cashier_counter(till)
    asked = counter.send_receipt_sms(order_id, "0712345678", WORDS)
    heard: list[object] = []
    till.services.bus.subscribe(heard.append)
    events = PaymentEvents(till.ledger, till.services.bus)
    failed = SmsResult("e1", 3, asked.id, SmsState.FAILED, "the SMS account has no credit left")
    with events.batch() as batch:
        assert batch.apply_sms(failed) == "failed"
        # a later answer for a settled text changes nothing on the till
        assert batch.apply_sms(SmsResult("e2", 4, asked.id, SmsState.SENT)) == "already_settled"
        assert batch.apply_sms(SmsResult("e3", 5, "no-such", SmsState.SENT)) == "unknown_sms"
    latest = counter.receipt_sms(order_id)
    assert latest is not None and latest.state is SmsState.FAILED
    assert latest.reason == "the SMS account has no credit left"
    [told] = [e for e in heard if isinstance(e, SmsReceiptSettled)]
    assert (told.request_id, told.order_id, told.state, told.reason) == (
        asked.id, order_id, "failed", "the SMS account has no credit left"
    )
    assert sms_receipts.latest_for(till.ledger, "other-order") is None


def test_the_m_pesa_payers_phone_is_offered_to_confirm(till: Till) -> None:
    from pos_app.services.customers import CustomerDetails

    order_id = till.order(7000)
    pay = till.services.payments
    pay.create_payment(
        order_id, kes(7000), "KES", "mpesa", "mpesa_stk", CustomerDetails(phone="0722 987 654")
    )
    assert cashier_counter(till).sale_phone(order_id) == "+254722987654"
    assert cashier_counter(till).sale_phone(sold(till)) is None  # a cash sale knows no phone
