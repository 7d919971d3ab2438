"""The SMS choice after a sale: a bad number gets a clear message and loses nothing; a good
one asks the relay (an outbox event) and the relay's answer is shown when it comes back."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.services.payment_events import PaymentEvents
from pos_app.services.sms_receipts import SmsResult, SmsState
from pos_app.store import outbox
from pos_app.store.schema import sms_receipts
from sync.protocol import SMS_RECEIPT_REQUESTED


def sold(ctx: Any, page: Any) -> None:
    services = ctx.services
    draft = services.orders.draft([OrderLine("Unga 2kg", Money(21000, "KES"))])
    sale = services.payments.record_cash_sale(draft, Money(21000, "KES"),
                                              cashier_id=ctx.current_user.id)  # fmt: skip
    page.offer_receipt(sale.order_id, "TILL1-000001")


def texts(ctx: Any) -> list[outbox.OutboxEvent]:
    ledger = ctx.services.ledger
    with ledger.read() as conn:
        return [
            e for e in outbox.pending(conn, ledger.cipher) if e.type == SMS_RECEIPT_REQUESTED
        ]


def test_a_bad_number_is_told_and_a_good_one_is_sent(qtbot: Any, ctx: Any, page: Any) -> None:
    sold(ctx, page)
    assert page.sms_receipt.isVisibleTo(page) and page.sms_box.isHidden()
    qtbot.mouseClick(page.sms_receipt, Qt.MouseButton.LeftButton)
    assert page.sms_phone.isVisibleTo(page)

    qtbot.keyClicks(page.sms_phone, "0712 34")
    qtbot.mouseClick(page.sms_send, Qt.MouseButton.LeftButton)
    assert "not a mobile number" in page.message.text()
    assert page.message.property("role") == "error"
    # nothing lost: the choice and what was typed stay, and nothing was asked of the relay
    assert page.receipt_choice.isVisibleTo(page) and page.sms_phone.text() == "0712 34"
    assert texts(ctx) == []

    qtbot.keyClicks(page.sms_phone, "5 678")
    qtbot.keyClick(page.sms_phone, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.receipt_choice.isHidden(), timeout=5000)
    assert "SMS" in page.message.text() and page.message.property("role") == "ok"
    [event] = texts(ctx)
    assert event.payload["to"] == "+254712345678"
    assert "Duka la Mama Amina" in event.payload["message"]

    # the relay's answer, as the pull applies it, reaches the page
    ledger = ctx.services.ledger
    with ledger.read() as conn:
        request_id = conn.execute(select(sms_receipts.c.id)).scalar_one()
    with PaymentEvents(ledger, ctx.services.bus).batch() as batch:
        batch.apply_sms(SmsResult("e1", 9, request_id, SmsState.SENT))
    qtbot.waitUntil(lambda: page.message.text() == "Receipt sent by SMS.", timeout=5000)


def test_a_failed_text_says_why(qtbot: Any, ctx: Any, page: Any) -> None:
    sold(ctx, page)
    qtbot.mouseClick(page.sms_receipt, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.sms_phone, "+254 733 481 926")
    qtbot.mouseClick(page.sms_send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.receipt_choice.isHidden(), timeout=5000)
    ledger = ctx.services.ledger
    with ledger.read() as conn:
        assert conn.execute(select(func.count()).select_from(sms_receipts)).scalar_one() == 1
        request_id = conn.execute(select(sms_receipts.c.id)).scalar_one()
    reason = "the customer has blocked messages from this sender"
    with PaymentEvents(ledger, ctx.services.bus).batch() as batch:
        batch.apply_sms(SmsResult("e2", 10, request_id, SmsState.FAILED, reason))
    qtbot.waitUntil(lambda: reason in page.message.text(), timeout=5000)
    assert page.message.property("role") == "error"


def test_the_m_pesa_payers_phone_is_filled_in_to_confirm(qtbot: Any, ctx: Any, page: Any) -> None:
    from pos_app.services.customers import CustomerDetails

    services = ctx.services
    order = services.orders.create_order([OrderLine("Unga 2kg", Money(21000, "KES"))])
    services.payments.create_payment(
        order.id, Money(21000, "KES"), "KES", "mpesa", "mpesa_stk",
        CustomerDetails(phone="0722 987 654"),
    )  # fmt: skip
    page.offer_receipt(order.id, "TILL1-000002")
    qtbot.mouseClick(page.sms_receipt, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.sms_phone.text() == "+254722987654", timeout=5000)
