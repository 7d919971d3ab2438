"""Flutterwave and Stripe through the whole chain: till services -> RelayGateway -> real relay
(POST /terminal/payments/link) -> sandbox checkout page -> signed webhook -> relay verifies ->
long-poll -> till: paid, declined then paid, expired, a duplicated webhook, and a supervisor's
refund back through the relay to the sandbox."""

from __future__ import annotations

import time
from decimal import Decimal

import httpx
import pytest
from e2e_support import Till, link_sale, wait_for
from sqlalchemy import func, select

from pos_app.core.money import Money
from pos_app.services.refunds import RefundService
from pos_app.services.users import UserService
from pos_app.store.schema import audit_log
from sync.demo import DemoStack
from sync.providers.testmode import (
    FLUTTERWAVE_DECLINED_CARDS,
    FLUTTERWAVE_TEST_CARD,
    STRIPE_DECLINED_CARDS,
    STRIPE_TEST_CARD,
)
from sync.sandbox.scripts import Delivery, ScriptedOutcome, ScriptRule

SUPERVISOR_PIN = "2468"
TEST_CARD = {"flutterwave": FLUTTERWAVE_TEST_CARD, "stripe": STRIPE_TEST_CARD}
DECLINED_CARD = {"flutterwave": FLUTTERWAVE_DECLINED_CARDS[0], "stripe": STRIPE_DECLINED_CARDS[0]}


def _pay(url: str, card: str) -> str:
    """The customer's phone: the sandbox's checkout page, then its card form."""
    page = httpx.post(f"{url}/pay", data={"card": card}, timeout=15, follow_redirects=True)
    assert page.status_code == 200
    return page.text


def _status(till: Till, payment_id: str) -> str:
    return till.payments.get_payment(payment_id).status


def _refunded_at_the_provider(stack: DemoStack, provider: str, reference: str) -> int:
    state = stack.sandbox.state
    if provider == "stripe":
        [session] = [s for s in state.stripe_sessions.values()
                     if s.client_reference_id == reference]  # fmt: skip
        return session.refunded
    charges = [c for c in state.flutterwave_charges.values()
               if c.tx_ref == reference and c.status == "successful"]  # fmt: skip
    return int(sum((c.refunded for c in charges), Decimal(0)) * 100)


@pytest.mark.parametrize("provider", ["flutterwave", "stripe"])
def test_paid_on_the_providers_page_pays_the_sale(till: Till, provider: str) -> None:
    payment, link = link_sale(till, "Kitenge", Money(1_500_00, "KES"), provider=provider)
    assert payment.method == {"flutterwave": "flutterwave_link", "stripe": "stripe_checkout"}[
        provider
    ]
    _pay(link.url, TEST_CARD[provider])
    wait_for(lambda: _status(till, payment.id) == "succeeded", what=f"the {provider} payment")
    paid = till.payments.get_payment(payment.id)
    assert paid.amount == Money(1_500_00, "KES") and paid.test_mode is True
    assert till.orders.get_order(payment.order_id).status == "paid"


@pytest.mark.parametrize("provider", ["flutterwave", "stripe"])
def test_a_declined_card_pays_nothing_and_another_card_pays(till: Till, provider: str) -> None:
    """Both pages stay open after a decline (Flutterwave signs a failed charge for it; Stripe
    sends nothing): the sale waits, and the customer's next card pays it."""
    payment, link = link_sale(till, "Viatu", Money(2_000_00, "KES"), provider=provider)
    declined = _pay(link.url, DECLINED_CARD[provider])
    assert 'id="declined"' in declined or 'data-status="failed"' in declined
    time.sleep(1.5)  # room for a wrongly final event to arrive
    assert _status(till, payment.id) == "awaiting_customer"
    _pay(link.url, TEST_CARD[provider])
    wait_for(lambda: _status(till, payment.id) == "succeeded", what="the second card")
    assert till.orders.get_order(payment.order_id).status == "paid"


@pytest.mark.parametrize("provider", ["flutterwave", "stripe"])
def test_a_supervisors_refund_goes_back_through_the_relay(
    till: Till, stack: DemoStack, provider: str
) -> None:
    reference = f"SALE-{provider[:3].upper()}-R1"
    payment, link = link_sale(till, "Simu", Money(3_000_00, "KES"), reference, provider)
    _pay(link.url, TEST_CARD[provider])
    wait_for(lambda: _status(till, payment.id) == "succeeded", what=f"the {provider} payment")
    users = UserService(till.ledger, till.bus)
    supervisor = users.create_user("Amina", "supervisor", SUPERVISOR_PIN)
    refunds = RefundService(
        till.ledger, till.bus, till.payments, users, gateway=lambda: till.engine.gateway
    )
    refunds.refund(
        payment.id, Money(1_000_00, "KES"), "Wrong colour",
        supervisor_id=supervisor.id, pin=SUPERVISOR_PIN,
    )  # fmt: skip
    refunded = till.payments.get_payment(payment.id)
    assert refunded.status == "partially_refunded"
    assert refunded.refunded == Money(1_000_00, "KES")
    [row] = refunds.refunds()
    assert (row.method, row.status, row.amount) == (
        f"{provider}_refund", "done", Money(1_000_00, "KES")
    )
    assert _refunded_at_the_provider(stack, provider, reference) == 1_000_00


@pytest.mark.parametrize("provider", ["flutterwave", "stripe"])
def test_a_duplicated_webhook_pays_once(till: Till, stack: DemoStack, provider: str) -> None:
    reference = f"SALE-{provider[:3].upper()}-TWICE"
    stack.sandbox.state.script.add(
        ScriptRule(outcome=ScriptedOutcome(delivery=Delivery.TWICE), reference=reference)
    )
    payment, link = link_sale(till, "Redio", Money(900_00, "KES"), reference, provider)
    _pay(link.url, TEST_CARD[provider])
    wait_for(lambda: _status(till, payment.id) == "succeeded", what=f"the {provider} payment")
    kind = f"{provider}_webhook"
    wait_for(
        lambda: sum(1 for d in stack.sandbox.state.deliveries if d.kind == kind) >= 2,
        what="the second webhook",
    )
    time.sleep(1.5)  # give a wrongly streamed duplicate time to arrive
    with till.ledger.read() as conn:
        outcomes = conn.execute(
            select(func.count()).select_from(audit_log)
            .where(audit_log.c.entity_id == payment.id, audit_log.c.action == "payment.outcome")
        ).scalar_one()  # fmt: skip
    assert outcomes == 1
    assert till.payments.get_payment(payment.id).amount == Money(900_00, "KES")


def test_an_expired_stripe_checkout_expires_the_payment(till: Till, stack: DemoStack) -> None:
    payment, _link = link_sale(till, "Kikombe", Money(150_00, "KES"), "SALE-STR-EXP", "stripe")
    state = stack.sandbox.state
    [session_id] = [k for k, s in state.stripe_sessions.items()
                    if s.client_reference_id == "SALE-STR-EXP"]  # fmt: skip
    expired = httpx.post(
        f"{stack.sandbox_url}/v1/checkout/sessions/{session_id}/expire",
        headers={"Authorization": f"Bearer {state.config.stripe_secret_key}"},
    )
    assert expired.status_code == 200
    wait_for(lambda: _status(till, payment.id) == "expired", what="the expired session")
    assert till.orders.get_order(payment.order_id).status != "paid"
