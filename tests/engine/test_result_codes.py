"""A provider's result code and a masked, short message are kept on the payment when the
pulled outcome is applied, inside the pull's transaction."""

from __future__ import annotations

import sqlite3

import respx
from sqlalchemy import select
from test_pull import PULL_URL, _event, _puller, _stk_payment

from pos_app.services.bus import EventBus
from pos_app.services.orders import OrderService
from pos_app.services.payment_outcomes import MESSAGE_LENGTH
from pos_app.services.payments import PaymentService
from pos_app.store.db import Ledger
from pos_app.store.schema import audit_log


@respx.mock
def test_a_declined_prompt_keeps_its_code_and_a_masked_message(
    ledger: Ledger, bus: EventBus, orders: OrderService, payments: PaymentService
) -> None:
    pid = _stk_payment(orders, payments)
    message = "DS timeout user cannot be reached 254712345678.\n" + "x" * 300
    event = _event(
        1, payment_id=pid, status="expired", receipt=None, result_code="1037", message=message
    )
    respx.get(PULL_URL).respond(200, json={"events": [event], "cursor": "1"})
    assert _puller(ledger, bus).pull_once().applied == 1

    payment = payments.get_payment(pid)
    assert payment.status == "expired" and payment.result_code == "1037"
    assert payment.result_message is not None
    assert payment.result_message.startswith("DS timeout user cannot be reached *********678. x")
    assert len(payment.result_message) == MESSAGE_LENGTH
    with ledger.read() as conn:
        details = [
            row.details
            for row in conn.execute(select(audit_log.c.details))
            if row.details and "1037" in str(row.details)
        ]
    assert details, "the audit entry names the result code"
    db = sqlite3.connect(ledger.settings.data_dir / "till.db")
    try:
        stored = b"".join(
            bytes(str(value), "utf-8")
            for row in db.execute("SELECT * FROM payments")
            for value in row
        )
    finally:
        db.close()
    assert b"254712345678" not in stored and b"*********678" in stored


@respx.mock
def test_an_outcome_without_a_code_leaves_none(
    ledger: Ledger, bus: EventBus, orders: OrderService, payments: PaymentService
) -> None:
    pid = _stk_payment(orders, payments)
    event = _event(1, payment_id=pid, status="cancelled", receipt=None)
    respx.get(PULL_URL).respond(200, json={"events": [event], "cursor": "1"})
    assert _puller(ledger, bus).pull_once().applied == 1
    payment = payments.get_payment(pid)
    assert payment.status == "cancelled"
    assert payment.result_code is None and payment.result_message is None
