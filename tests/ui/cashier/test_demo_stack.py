"""The cashier's online tenders against the real thing in miniature: the sync engine, a local
relay and the provider sandbox (demo mode), no fake at the gateway."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.core.payments import PaymentProvider


@pytest.mark.slow
def test_stk_and_paystack_through_relay_and_sandbox(qtbot, tmp_path: Path):
    from PySide6.QtWidgets import QApplication

    from pos_app.app import build_context
    from pos_app.ui.application import Translations
    from pos_app.ui.receipts.render import receipt_html
    from pos_app.ui.tasks import TaskRunner
    from sync.engine.runtime import start_till_sync

    from .conftest import make_shop

    shop = make_shop(tmp_path, demo_catalogue=False)
    app: Any = QApplication.instance()
    tasks = TaskRunner()
    contexts: list[Any] = []

    def on_status(status: Any) -> None:  # engine thread; TillStatus queues to the GUI
        if contexts:
            contexts[0].status.update(**status.till_status())

    sync = start_till_sync(shop.services.ledger, shop.services.bus, shop.settings, on_status)
    try:
        ctx = build_context(app, shop.settings, shop.services, Translations(app), tasks,
                            gateway=sync.gateway)
        contexts.append(ctx)
        ctx.counter.user_id = shop.cashier.id
        shop.services.shifts.open_shift(shop.cashier.id, Money(0, "KES"))  # no shift, no sale
        qtbot.waitUntil(lambda: sync.gateway.is_online(), timeout=10000)
        qtbot.waitUntil(lambda: "mpesa" in ctx.counter.test_mode_providers, timeout=10000)

        order = ctx.counter.create_order([OrderLine("Unga", Money(21000, "KES"))])
        payment = ctx.counter.start_stk(order, Money(21000, "KES"), "0712 345 678", "k1")
        assert payment.status == "awaiting_customer"
        deadline = time.monotonic() + 20
        while ctx.counter.payment(payment.id).status == "awaiting_customer":
            assert time.monotonic() < deadline, "no outcome from the sandbox"
            qtbot.wait(100)
        paid = ctx.counter.payment(payment.id)
        assert paid.status == "succeeded" and paid.receipt_number and paid.test_mode
        assert ctx.counter.order_balance(order).settled
        assert "TEST MODE" in receipt_html(ctx.counter.receipt(order))

        other = ctx.counter.create_order([OrderLine("Soda", Money(8000, "KES"))])
        view, url = ctx.counter.start_link(
            other, PaymentProvider.PAYSTACK, Money(8000, "KES"), None, "k2"
        )
        assert view.status == "awaiting_customer" and url.startswith("http://127.0.0.1")
    finally:
        sync.stop()
        tasks.shutdown(wait=True)
        shop.services.ledger.close()
