from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import respx

from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.services.bus import EventBus
from pos_app.services.late_payments import ReconcileTimings
from pos_app.services.orders import OrderService
from pos_app.services.payments import PaymentService
from pos_app.store.db import Ledger
from sync.engine.credentials import TerminalCredentials
from sync.engine.link import RelayLink
from sync.engine.reconcile import Reconciler
from sync.engine.relay_gateway import RelayGateway
from sync.engine.scheduler import Backoff

RELAY = "https://relay.test"


def _waiting(orders: OrderService, payments: PaymentService, method: str) -> str:
    order = orders.create_order([OrderLine("Maziwa", Money(60_00, "KES"))])
    payment = payments.create_payment(order.id, Money(60_00, "KES"), None, None, method)
    payments.process_payment(payment.id, {"phone_number": "0712345678"})
    payments.outcomes.mark_awaiting_customer(payment.id, f"ref-{uuid.uuid4().hex[:8]}")
    return payment.id


def _reconciler(ledger: Ledger, bus: EventBus) -> Reconciler:
    link = RelayLink(TerminalCredentials(RELAY, "tok", "t-1", "shop", "Duka"))
    gateway = RelayGateway(link, attempts=1)
    return Reconciler(ledger, bus, gateway, ReconcileTimings(recheck_every_s=0))


@respx.mock
def test_late_payment_is_checked_then_left_for_a_supervisor(
    ledger: Ledger, bus: EventBus, orders: OrderService, payments: PaymentService
) -> None:
    pid = _waiting(orders, payments, "mpesa_stk")
    pending = {
        "payment_id": pid, "provider": "mpesa", "state": "pending", "amount_minor": 60_00,
        "currency": "KES", "reference": "A", "test_mode": True,
        "updated_at": datetime.now(UTC).isoformat(),
    }  # fmt: skip
    route = respx.get(f"{RELAY}/api/v1/terminal/payments/{pid}").respond(200, json=pending)
    reconciler = _reconciler(ledger, bus)
    since = payments.get_payment(pid).updated_at

    assert reconciler.run_once(since + timedelta(seconds=10)).checked == 0
    assert reconciler.run_once(since + timedelta(seconds=50)).checked == 1
    assert route.call_count == 1
    assert payments.get_payment(pid).status == "awaiting_customer"

    report = reconciler.run_once(since + timedelta(minutes=6))
    view = payments.get_payment(pid)
    assert report.unknown == 1
    assert view.status == "unknown" and view.needs_supervisor


@respx.mock
def test_relay_down_never_turns_into_paid_or_failed(
    ledger: Ledger, bus: EventBus, orders: OrderService, payments: PaymentService
) -> None:
    stk = _waiting(orders, payments, "mpesa_stk")
    link = _waiting(orders, payments, "paystack_link")
    respx.get(url__startswith=f"{RELAY}/api/v1/terminal/payments/").mock(
        side_effect=httpx.ConnectError("down")
    )
    reconciler = _reconciler(ledger, bus)
    since = datetime.now(UTC)
    assert reconciler.run_once(since + timedelta(minutes=3)).checked == 0
    assert payments.get_payment(link).status == "awaiting_customer"
    reconciler.run_once(since + timedelta(minutes=10))
    # the prompt's window has passed: unknown; the link may still be paid: waiting
    assert payments.get_payment(stk).status == "unknown"
    assert payments.get_payment(link).status == "awaiting_customer"


def test_backoff_grows_with_jitter_up_to_a_cap_and_honours_retry_after() -> None:
    backoff = Backoff(base_s=1.0, cap_s=8.0)
    delays = [backoff.failed() for _ in range(8)]
    assert all(0 < d <= 8.0 for d in delays)
    assert max(delays[4:]) > 1.0 and not backoff.ready()
    assert backoff.failed(retry_after_s=30) == 30
    backoff.succeeded()
    assert backoff.ready() and backoff.failures == 0
