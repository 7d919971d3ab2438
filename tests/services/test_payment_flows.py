from __future__ import annotations

import pytest
from ledger_helpers import Till, kes

from pos_app.core.errors import NotASupervisor, SelfApprovalNotAllowed
from pos_app.core.events import DomainEvent, PaymentFlagged, ProofDecided, ProofSubmitted
from pos_app.core.money import Money
from pos_app.services.customers import CustomerDetails
from pos_app.services.grants import Action
from pos_app.services.payments import ApplyOutcome

JANE = CustomerDetails(name="Jane Wanjiru", phone="0712 345 678", address="Moi Avenue 12")


def stk_payment(till: Till, amount: int = 25000) -> str:
    pay = till.services.payments
    order_id = till.order(amount)
    p = pay.create_payment(order_id, amount, "KES", "mpesa", "mpesa_stk", JANE)
    assert p.status == "pending"
    p = pay.process_payment(p.id, {"phone_number": "0712345678"})
    assert p.status == "initiating"
    p = pay.outcomes.mark_awaiting_customer(p.id, "ws_CO_191220191020363925")
    assert p.status == "awaiting_customer"
    return p.id


def test_stk_push_paid_once_even_when_the_event_comes_twice(till: Till) -> None:
    pay = till.services.payments
    pid = stk_payment(till)
    outcome = pay.outcomes.apply_provider_event(
        "evt-1",
        payment_id=pid,
        status="succeeded",
        amount_minor=25000,
        currency="KES",
        receipt_number="QKX1234ABC",
        relay_seq=7,
    )
    assert outcome is ApplyOutcome.APPLIED
    before = till.counts()
    again = pay.outcomes.apply_provider_event(
        "evt-1", payment_id=pid, status="succeeded", amount_minor=25000, currency="KES"
    )
    assert again is ApplyOutcome.DUPLICATE
    assert till.counts() == before
    view = pay.get_payment(pid)
    assert view.status == "succeeded" and view.receipt_number == "QKX1234ABC"
    assert till.services.orders.get_order(view.order_id).status == "paid"
    assert pay.is_transaction_processed("QKX1234ABC")
    assert pay.is_transaction_processed("qkx 1234 abc")
    assert pay.is_transaction_processed("evt-1")
    assert not pay.is_transaction_processed("QKX0000000")


def test_event_matched_by_provider_reference(till: Till) -> None:
    pid = stk_payment(till)
    outcome = till.services.payments.outcomes.apply_provider_event(
        "evt-2",
        provider_reference="ws_CO_191220191020363925",
        status="failed",
        amount_minor=25000,
        currency="KES",
    )
    assert outcome is ApplyOutcome.APPLIED
    assert till.services.payments.get_payment(pid).status == "failed"


@pytest.mark.parametrize(("amount", "code"), [(2500, "KES"), (25000, "USD"), (25001, "KES")])
def test_paid_amount_or_currency_mismatch_is_flagged_never_accepted(
    till: Till, amount: int, code: str
) -> None:
    flagged: list[DomainEvent] = []
    till.services.bus.subscribe(flagged.append, PaymentFlagged)
    pid = stk_payment(till)
    outcome = till.services.payments.outcomes.apply_provider_event(
        "evt-3", payment_id=pid, status="succeeded", amount_minor=amount, currency=code
    )
    assert outcome is ApplyOutcome.FLAGGED
    view = till.services.payments.get_payment(pid)
    assert view.status == "unknown" and view.needs_supervisor and not view.is_paid
    assert view.paid_amount == Money(amount, code)
    assert "amount_mismatch" in [r.name for r in view.risk_reasons]
    assert till.services.orders.get_order(view.order_id).status == "open"
    assert [view.id] == [p.id for p in till.services.payments.needing_supervisor()]
    assert len(flagged) == 1
    # a supervisor checks with the provider and settles it
    with pytest.raises(NotASupervisor):
        till.services.payments.outcomes.resolve_unknown(
            pid, till.grant(Action.DECIDE_PAYMENT, till.cashier), True
        )
    done = till.services.payments.outcomes.resolve_unknown(
        pid, till.grant(Action.DECIDE_PAYMENT), True, receipt_number="QKX9999ZZZ"
    )
    assert done.status == "succeeded" and not done.needs_supervisor


def test_late_success_after_cancel_is_flagged(till: Till) -> None:
    pid = stk_payment(till)
    till.services.payments.cancel_payment(pid, actor_id=till.cashier.id, reason="walked away")
    outcome = till.services.payments.outcomes.apply_provider_event(
        "evt-4", payment_id=pid, status="succeeded", amount_minor=25000, currency="KES"
    )
    assert outcome is ApplyOutcome.FLAGGED
    view = till.services.payments.get_payment(pid)
    assert view.status == "cancelled" and view.needs_supervisor
    assert "late_payment" in [r.name for r in view.risk_reasons]


def test_unmatched_event_is_recorded_once(till: Till) -> None:
    pay = till.services.payments
    kwargs = dict(provider_reference="NOPE1234", status="succeeded", amount_minor=1, currency="KES")
    assert pay.outcomes.apply_provider_event("evt-5", **kwargs) is ApplyOutcome.UNMATCHED  # type: ignore[arg-type]
    assert pay.outcomes.apply_provider_event("evt-5", **kwargs) is ApplyOutcome.DUPLICATE  # type: ignore[arg-type]


def test_manual_proof_submitted_and_verified(till: Till) -> None:
    events: list[DomainEvent] = []
    till.services.bus.subscribe(events.append)
    pay = till.services.payments
    order_id = till.order(120000)
    proof_id = pay.submit_manual_payment_proof(
        order_id,
        "mpesa_receipt",
        "RKL8ABC12X",
        b"\x89PNG fake",
        "Paid via M-Pesa at 3pm",
        submitted_by=till.cashier.id,
    )
    [payment] = pay.payments_for_order(order_id)
    assert payment.status == "awaiting_verification"
    assert payment.amount == kes(120000) and payment.method == "manual_mobile_money"
    [proof] = pay.proofs_for_payment(payment.id)
    assert proof.id == proof_id and proof.reference == "RKL8ABC12X" and proof.has_image
    assert pay.proof_image(proof_id) == b"\x89PNG fake"
    with pytest.raises(NotASupervisor):
        pay.confirm_manual_payment(
            payment.id, till.grant(Action.DECIDE_PAYMENT, till.cashier), True
        )
    view = pay.confirm_manual_payment(
        payment.id, till.grant(Action.DECIDE_PAYMENT), True, "Checked statement"
    )
    assert view.status == "verified" and view.receipt_number == "RKL8ABC12X"
    assert till.services.orders.get_order(order_id).status == "paid"
    assert pay.is_transaction_processed("RKL8ABC12X")
    assert {ProofSubmitted, ProofDecided} <= {type(e) for e in events}


def test_manual_proof_rejected_leaves_the_order_owing(till: Till) -> None:
    pay = till.services.payments
    order_id = till.order(5000)
    pay.submit_manual_payment_proof(order_id, "bank_transfer", "FT-2611-0099", submitted_by=None)
    [payment] = pay.payments_for_order(order_id)
    assert payment.method == "bank_transfer"
    view = pay.confirm_manual_payment(
        payment.id, till.grant(Action.DECIDE_PAYMENT), False, "No such transfer"
    )
    assert view.status == "rejected"
    order = till.services.orders.get_order(order_id)
    assert order.status == "open" and order.outstanding == kes(5000)
    assert not pay.is_transaction_processed("FT-2611-0099")


def test_self_approval_is_refused_unless_the_shop_allows_it(till: Till) -> None:
    pay = till.services.payments
    order_id = till.order(5000)
    pay.submit_manual_payment_proof(
        order_id, "mobile_money", "MM12345", submitted_by=till.supervisor.id
    )
    [payment] = pay.payments_for_order(order_id)
    with pytest.raises(SelfApprovalNotAllowed):
        pay.confirm_manual_payment(payment.id, till.grant(Action.DECIDE_PAYMENT), True)
    assert pay.confirm_manual_payment(
        payment.id, till.grant(Action.DECIDE_PAYMENT, till.second_supervisor), True
    ).is_paid


def test_reused_proof_reference_is_flagged(till: Till) -> None:
    pay = till.services.payments
    first = till.order(5000)
    pay.submit_manual_payment_proof(first, "mpesa_receipt", "SAME123456")
    second = till.order(5000)
    pay.submit_manual_payment_proof(second, "mpesa_receipt", "same 123456")
    [p1] = pay.payments_for_order(first)
    [p2] = pay.payments_for_order(second)
    assert "proof_reference_reused" not in [r.name for r in p1.risk_reasons]
    assert "proof_reference_reused" in [r.name for r in p2.risk_reasons]
    assert p2.needs_supervisor and p2.risk_score >= 50


def test_cash_on_delivery(till: Till) -> None:
    pay = till.services.payments
    order_id = till.order(30000)
    cod = pay.create_cod(order_id, JANE, created_by=till.cashier.id)
    assert cod.status == "awaiting_cod" and cod.amount == kes(30000)
    short = pay.settle_cod(cod.id, kes(25000), actor_id=till.cashier.id)
    assert short.status == "awaiting_cod" and short.needs_supervisor
    assert "amount_mismatch" in [r.name for r in short.risk_reasons]
    paid = pay.settle_cod(cod.id, kes(30000), actor_id=till.cashier.id)
    assert paid.status == "succeeded"
    other = pay.create_cod(till.order(1000))
    assert (
        pay.cancel_cod(other.id, actor_id=till.cashier.id, reason="refused").status == "cancelled"
    )


def test_refunds_partial_then_full(till: Till) -> None:
    pay = till.services.payments
    sale = pay.record_cash_sale(till.draft(10000), kes(10000))
    part = pay.refund(
        sale.payment_id, kes(4000), "one item returned", grant=till.grant(Action.REFUND)
    )
    assert part.status == "partially_refunded" and part.refunded == kes(4000)
    full = pay.refund(sale.payment_id, kes(6000), "rest returned", grant=till.grant(Action.REFUND))
    assert full.status == "refunded"


def test_split_tender_and_customer_lookup_by_phone(till: Till) -> None:
    pay = till.services.payments
    order_id = till.order(10000)
    mpesa = pay.create_payment(order_id, kes(4000), None, None, "mpesa_paybill", JANE)
    assert mpesa.status == "awaiting_customer"
    assert till.services.orders.get_order(order_id).outstanding == kes(6000)
    pay.record_cash_sale(order_id, kes(6000))
    found = pay.payments_for_phone("+254712345678")
    assert [p.id for p in found] == [mpesa.id]
    customer = pay.customer(found[0].customer_id or "")
    assert customer.name == "Jane Wanjiru" and customer.phone == "+254712345678"


def test_risk_amount_far_above_usual_and_many_attempts(till: Till) -> None:
    pay = till.services.payments
    for _ in range(25):
        pay.record_cash_sale(till.draft(1000), kes(1000))
    assessment = till.services.risk.calculate_risk_score(kes(100000), JANE, "mpesa")
    assert {r.name for r in assessment.reasons} == {"amount_far_above_usual", "new_customer"}
    for _ in range(3):
        pay.create_payment(till.order(1000), 1000, "KES", "mpesa", "mpesa_stk", JANE)
    repeat = till.services.risk.calculate_risk_score(kes(1000), JANE, "mpesa")
    assert {r.name for r in repeat.reasons} == {"many_attempts"}
    flagged = till.services.risk.flag_high_risk_transaction(
        pay.create_payment(till.order(1000), 1000, "KES", "mpesa", "mpesa_stk").id,
        till.services.risk.calculate_risk_score(kes(100000), JANE, "manual"),
    )
    assert flagged


def test_provider_confirms_a_typed_receipt_code(till: Till) -> None:
    pay = till.services.payments
    order_id = till.order(4000)
    p = pay.create_payment(order_id, kes(4000), None, None, "mpesa_paybill")
    pay.submit_manual_payment_proof(order_id, "mpesa_receipt", "SGK1234567", payment_id=p.id)
    outcome = pay.outcomes.apply_provider_event(
        "evt-c2b",
        payment_id=p.id,
        status="succeeded",
        amount_minor=4000,
        currency="KES",
        receipt_number="SGK1234567",
    )
    assert outcome is ApplyOutcome.APPLIED
    view = pay.get_payment(p.id)
    assert view.status == "verified" and not view.needs_supervisor
    assert [x.decision for x in pay.proofs_for_payment(p.id)] == ["provider_confirmed"]
    assert till.services.orders.get_order(order_id).status == "paid"


def test_order_status_follows_refunds(till: Till) -> None:
    pay = till.services.payments
    sale = pay.record_cash_sale(till.draft(10000), kes(10000))
    pay.refund(sale.payment_id, kes(3000), "returned one", grant=till.grant(Action.REFUND))
    assert till.services.orders.get_order(sale.order_id).status == "paid"
    pay.refund(sale.payment_id, kes(7000), "returned all", grant=till.grant(Action.REFUND))
    assert till.services.orders.get_order(sale.order_id).status == "refunded"


def test_shop_policy_lets_a_cashier_accept_a_low_risk_proof(till: Till) -> None:
    pay = till.services.payments
    till.services.shop.update(
        till.grant(Action.SETTINGS), offline_proof_policy="cashier_may_accept_below_threshold"
    )
    calm = till.order(2000)
    pay.submit_manual_payment_proof(calm, "mpesa_receipt", "CALM123456", submitted_by=None)
    [calm_payment] = pay.payments_for_order(calm)
    assert pay.confirm_manual_payment(
        calm_payment.id, till.grant(Action.DECIDE_PAYMENT, till.cashier), True
    ).is_paid
    risky = till.order(2000)
    pay.submit_manual_payment_proof(risky, "mpesa_receipt", "calm 123456", submitted_by=None)
    [risky_payment] = pay.payments_for_order(risky)
    assert risky_payment.needs_supervisor
    with pytest.raises(NotASupervisor):
        pay.confirm_manual_payment(
            risky_payment.id, till.grant(Action.DECIDE_PAYMENT, till.cashier), True
        )
