"""End-to-end helpers: the till core (services + real SQLite + SyncEngine), the real relay on
127.0.0.1 (uvicorn) and the provider sandbox, wired by sync.demo."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from pos_app.config import TillSettings
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.core.payments import LINK_METHOD_OF, PaymentProvider
from pos_app.services.bus import EventBus
from pos_app.services.gateway import LinkStarted
from pos_app.services.late_payments import ReconcileTimings, Timing
from pos_app.services.orders import OrderService
from pos_app.services.payments import PaymentService, PaymentView
from pos_app.store.db import Ledger, open_ledger
from sync.engine.scheduler import EngineTimings, SyncEngine

FAST = EngineTimings(
    push_every_s=0.5, pull_wait_s=2.0, pull_budget_s=5.0, reconcile_every_s=0.5,
    status_every_s=1.0, backoff_base_s=0.1, backoff_cap_s=0.5,
)  # fmt: skip
QUICK_RECONCILE = ReconcileTimings(
    stk=Timing(timedelta(seconds=1), timedelta(minutes=5)),
    link=Timing(timedelta(seconds=1), timedelta(minutes=5)),
    recheck_every_s=1.0,
)


@dataclass
class Till:
    settings: TillSettings
    ledger: Ledger
    bus: EventBus
    orders: OrderService
    payments: PaymentService
    engine: SyncEngine

    def close(self) -> None:
        self.engine.stop()
        self.ledger.close()


def wait_for(condition: Callable[[], object], timeout_s: float = 10.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what or condition}")


def link_sale(
    till: Till, item: str, amount: Money, reference: str | None = None, provider: str = "paystack"
) -> tuple[PaymentView, LinkStarted]:
    """A one-line sale paid by a payment link `provider` made through the relay, awaiting the
    customer (the reference defaults to one made of the payment id)."""
    order = till.orders.create_order([OrderLine(item, amount)])
    method = LINK_METHOD_OF[PaymentProvider(provider)]
    payment = till.payments.create_payment(order.id, amount, None, None, method)
    till.payments.process_payment(payment.id, {})
    wait_for(till.engine.gateway.is_online, what="the relay to be reachable")
    reference = reference or f"DUKA-{payment.id[:8]}"
    link = till.engine.gateway.start_payment_link(payment.id, provider, amount, reference, None)
    till.payments.outcomes.mark_awaiting_customer(payment.id, link.reference)
    return payment, link


def make_till(
    settings: TillSettings, *, start: bool = True, reconcile: ReconcileTimings = QUICK_RECONCILE
) -> Till:
    ledger = open_ledger(settings)
    bus = EventBus()
    engine = SyncEngine(ledger, bus, settings, timings=FAST, reconcile_timings=reconcile)
    till = Till(
        settings, ledger, bus, OrderService(ledger, bus), PaymentService(ledger, bus), engine
    )
    if start:
        engine.start()
    return till
