"""Online tenders through the whole chain: till services -> RelayGateway -> real relay ->
sandbox (Daraja / Paystack formats) -> callback/webhook -> relay -> long-poll -> till."""

from __future__ import annotations

import asyncio
import re
import time
import uuid

import httpx
from e2e_support import Till, link_sale, wait_for
from sqlalchemy import func, select

from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.services.counter import account_reference
from pos_app.store.schema import audit_log, inbox
from sync.demo import DemoStack
from sync.providers.daraja import DarajaClient, DarajaConfig


def _status(till: Till, payment_id: str) -> str:
    return till.payments.get_payment(payment_id).status


def _start_stk(till: Till, phone: str, minor: int = 250_00) -> str:
    order = till.orders.create_order([OrderLine("Unga 2kg", Money(minor, "KES"))])
    payment = till.payments.create_payment(order.id, Money(minor, "KES"), None, None, "mpesa_stk")
    till.payments.process_payment(payment.id, {"phone_number": phone})
    wait_for(till.engine.gateway.is_online, what="the relay to be reachable")
    started = till.engine.gateway.start_stk_push(
        payment.id, phone, Money(minor, "KES"), account_reference(order.id)
    )
    till.payments.outcomes.mark_awaiting_customer(payment.id, started.checkout_request_id)
    return payment.id


def test_stk_push_paid_shows_on_the_till(till: Till) -> None:
    pid = _start_stk(till, "0712345678")
    wait_for(lambda: _status(till, pid) == "succeeded", what="the STK payment to be paid")
    assert till.payments.get_payment(pid).receipt_number


def test_stk_push_cancelled_by_the_customer(till: Till) -> None:
    pid = _start_stk(till, "0712341032")
    wait_for(lambda: _status(till, pid) == "cancelled", what="the STK payment to be cancelled")


def test_lost_callback_is_recovered_by_requery(till: Till, stack: DemoStack) -> None:
    pid = _start_stk(till, "0712349004")  # the sandbox never calls back for this one
    wait_for(lambda: _status(till, pid) == "succeeded", 15, "the re-query to find the payment")
    kinds = [d.kind for d in stack.sandbox.state.deliveries]
    assert "stk_callback" not in kinds


def test_duplicated_callbacks_are_applied_once(till: Till, stack: DemoStack) -> None:
    pid = _start_stk(till, "0712349002")  # the sandbox sends the same callback twice
    wait_for(lambda: _status(till, pid) == "succeeded", what="the STK payment to be paid")
    wait_for(
        lambda: sum(1 for d in stack.sandbox.state.deliveries if d.kind == "stk_callback") == 2,
        what="the second callback",
    )
    time.sleep(1.0)  # give a wrongly streamed duplicate time to arrive
    with till.ledger.read() as conn:
        outcomes = conn.execute(
            select(func.count())
            .select_from(audit_log)
            .where(audit_log.c.entity_id == pid, audit_log.c.action == "payment.outcome")
        ).scalar_one()
        applied = conn.execute(select(func.count()).select_from(inbox)).scalar_one()
    assert outcomes == 1 and applied == 1
    assert _status(till, pid) == "succeeded"


def test_paystack_link_paid_on_the_sandbox_checkout_page(till: Till) -> None:
    payment, link = link_sale(till, "Kitenge", Money(1_500_00, "KES"))
    with httpx.Client(follow_redirects=True) as browser:
        page = browser.get(link.url)
        assert page.status_code == 200
        action = re.search(r'<form method="post" action="([^"]+/pay)"', page.text)
        assert action is not None, page.text
        paid = browser.post(httpx.URL(link.url).join(action.group(1)))
        assert paid.status_code == 200
    wait_for(lambda: _status(till, payment.id) == "succeeded", what="the Paystack payment")


def test_customer_pays_from_the_sim_menu_and_the_sale_is_paid(till: Till, stack: DemoStack) -> None:
    order = till.orders.create_order([OrderLine("Mafuta 1L", Money(320_00, "KES"))])
    wait_for(till.engine.gateway.is_online, what="the relay to be reachable")
    cfg = stack.sandbox.config
    daraja = DarajaClient(
        DarajaConfig(
            consumer_key=cfg.daraja_consumer_key, consumer_secret=cfg.daraja_consumer_secret,
            shortcode=cfg.daraja_shortcode, passkey=cfg.daraja_passkey,
            base_url=stack.sandbox_url, test_mode=True,
        )
    )  # fmt: skip

    async def pay() -> None:
        try:
            await daraja.simulate_c2b(320_00, "254712345678", account_reference(order.id))
        finally:
            await daraja.aclose()

    asyncio.run(pay())
    wait_for(lambda: till.orders.get_order(order.id).status == "paid", what="the paybill payment")
    [payment] = till.payments.payments_for_order(order.id)
    assert payment.method == "mpesa_paybill" and payment.receipt_number


def test_paystack_refund_through_the_relay(till: Till, stack: DemoStack) -> None:
    payment, link = link_sale(till, "Viatu", Money(2_000_00, "KES"), "SALE-R1")
    assert httpx.post(f"{link.url}/pay").status_code == 200
    wait_for(lambda: _status(till, payment.id) == "succeeded", what="the Paystack payment")
    refund_id = str(uuid.uuid4())
    till.engine.gateway.refund_payment(
        payment.id, Money(500_00, "KES"), "torn", refund_id=refund_id
    )
    till.engine.gateway.refund_payment(
        payment.id, Money(500_00, "KES"), "torn", refund_id=refund_id
    )
    assert stack.sandbox.state.paystack["SALE-R1"].refunded == 500_00  # once, not twice
