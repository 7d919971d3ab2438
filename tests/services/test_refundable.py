"""What can still be refunded is decided in one place (pos_app.services.refundable): a refund
asked of the relay and not yet settled holds its amount for every way of giving money back."""

from __future__ import annotations

import pytest
from ledger_helpers import Till, kes

from pos_app.services.grants import Action
from pos_app.services.payment_rows import load_payment
from pos_app.services.refund_requests import RelayRefunds
from pos_app.services.refundable import AlreadyRefunded, RefundTooLarge, refundable_left


def _left(till: Till, payment_id: str) -> int:
    with till.ledger.read() as conn:
        return refundable_left(conn, load_payment(conn, payment_id)).minor


def test_a_pending_request_holds_its_amount_for_a_direct_refund_too(till: Till) -> None:
    payments = till.services.payments
    sale = payments.record_cash_sale(till.draft(500_00), kes(500_00))
    requests = RelayRefunds(till.ledger, till.services.bus, lambda: None)
    requests.request(sale.payment_id, kes(200_00), "Late", method="paystack_refund",
                     grant=till.grant(Action.REFUND))
    assert _left(till, sale.payment_id) == 300_00
    with pytest.raises(RefundTooLarge) as refused:
        payments.refund(sale.payment_id, kes(300_01), "Rest", grant=till.grant(Action.REFUND))
    assert refused.value.remaining == kes(300_00)
    view = payments.refund(sale.payment_id, kes(300_00), "Rest", grant=till.grant(Action.REFUND))
    assert view.status == "partially_refunded" and view.refunded == kes(300_00)
    assert _left(till, sale.payment_id) == 0


def test_a_payment_refunded_in_full_refuses_more(till: Till) -> None:
    payments = till.services.payments
    sale = payments.record_cash_sale(till.draft(100_00), kes(100_00))
    view = payments.refund(sale.payment_id, kes(100_00), "All", grant=till.grant(Action.REFUND))
    assert view.status == "refunded"
    with pytest.raises(AlreadyRefunded):
        payments.refund(sale.payment_id, kes(1), "More", grant=till.grant(Action.REFUND))
