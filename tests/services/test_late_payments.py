"""When a late online payment is checked and when it becomes unknown
(pos_app.services.late_payments), without the sync engine."""

from __future__ import annotations

from datetime import timedelta

from ledger_helpers import Till, kes

from pos_app.services.late_payments import LatePayments, ReconcileTimings


def _waiting(till: Till, method: str) -> str:
    payments = till.services.payments
    order_id = till.order(60_00)
    payment = payments.create_payment(order_id, kes(60_00), None, None, method)
    payments.process_payment(payment.id, {"phone_number": "0712345678"})
    payments.outcomes.mark_awaiting_customer(payment.id, f"ref-{method}")
    return payment.id


def test_a_late_prompt_is_checked_then_left_unknown_for_a_supervisor(till: Till) -> None:
    stk = _waiting(till, "mpesa_stk")
    link = _waiting(till, "paystack_link")
    started = till.services.payments.get_payment(stk).updated_at
    late = LatePayments(till.ledger, till.services.bus, ReconcileTimings())

    assert late.sweep(started + timedelta(seconds=10)).to_check == []
    soon = late.sweep(started + timedelta(seconds=50))
    assert (soon.unknown, soon.to_check) == (0, [stk])  # a Paystack link may stay open longer
    later = late.sweep(started + timedelta(minutes=6))
    assert (later.unknown, later.to_check) == (1, [link])
    unknown = till.services.payments.get_payment(stk)
    assert unknown.status == "unknown" and unknown.needs_supervisor
    assert late.sweep(started + timedelta(minutes=31)).unknown == 1
    assert till.services.payments.get_payment(link).status == "unknown"
