from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from ledger_helpers import Till, kes
from sqlalchemy import select

from pos_app.core.events import CashSaleRecorded, DomainEvent, OrderCreated, PaymentProcessed
from pos_app.core.money import Money
from pos_app.store import audit, outbox
from pos_app.store.schema import orders, payments


def test_cash_sale_is_one_commit_with_outbox_and_audit(till: Till) -> None:
    before = till.counts()
    sale = till.services.payments.record_cash_sale(
        till.draft(6500, 6500, 5500), kes(20000), cashier_id=till.cashier.id
    )
    assert sale.amount == kes(18500) and sale.change == kes(1500)
    after = till.counts()
    grew = {k: after[k] - before[k] for k in after if after[k] != before[k]}
    # the till's first sale also starts its receipt counter
    assert grew == {"orders": 1, "order_lines": 3, "payments": 1, "outbox": 1, "audit_log": 1,
                    "receipt_counters": 1}
    with till.ledger.read() as conn:
        assert conn.execute(select(orders.c.status)).scalar_one() == "paid"
        event = outbox.pending(conn, till.ledger.cipher)[-1]
        assert event.type == "sale.cash"
        assert event.payload["payment"]["change_minor"] == 1500
        assert event.payload["audit_hash"] == audit.entries(conn, limit=1)[0].hash
        assert audit.verify_chain(conn) is None


def test_cash_sale_on_an_existing_order(till: Till) -> None:
    order_id = till.order(10000)
    sale = till.services.payments.record_cash_sale(order_id, kes(10000))
    assert sale.change == kes(0)
    assert till.services.orders.get_order(order_id).status == "paid"


def test_events_reach_subscribers_only_after_commit(till: Till) -> None:
    seen: list[tuple[str, Any]] = []

    def on_event(event: DomainEvent) -> None:
        # read through a fresh connection: the row must already be committed
        if isinstance(event, CashSaleRecorded):
            with till.ledger.read() as conn:
                status = conn.execute(
                    select(payments.c.status).where(payments.c.id == event.payment_id)
                ).scalar_one()
            seen.append((type(event).__name__, status))
        else:
            seen.append((type(event).__name__, None))

    till.services.bus.subscribe(on_event)
    till.services.payments.record_cash_sale(till.draft(1000), kes(1000))
    assert seen == [
        ("OrderCreated", None),
        ("CashSaleRecorded", "succeeded"),
        ("PaymentProcessed", None),
    ]


def test_a_failing_subscriber_is_logged_and_undoes_nothing(
    till: Till, caplog: pytest.LogCaptureFixture
) -> None:
    received: list[DomainEvent] = []

    def broken(event: DomainEvent) -> None:
        raise RuntimeError("screen crashed")

    till.services.bus.subscribe(broken, OrderCreated)
    till.services.bus.subscribe(received.append, PaymentProcessed)
    with caplog.at_level(logging.ERROR):
        sale = till.services.payments.record_cash_sale(till.draft(1000), kes(1000))
    assert "screen crashed" in caplog.text
    assert [type(e) for e in received] == [PaymentProcessed]
    assert till.services.payments.get_payment(sale.payment_id).status == "succeeded"


def test_no_events_when_the_change_fails(till: Till) -> None:
    received: list[DomainEvent] = []
    till.services.bus.subscribe(received.append)
    with pytest.raises(Exception, match="less than"):
        till.services.payments.record_cash_sale(till.draft(1000), kes(999))
    assert received == []


def test_concurrent_sales_from_threads(till: Till) -> None:
    errors: list[BaseException] = []

    def sell() -> None:
        try:
            for _ in range(15):
                till.services.payments.record_cash_sale(till.draft(500), Money(1000, "KES"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=sell) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with till.ledger.read() as conn:
        seqs = [e.seq for e in outbox.pending(conn, till.ledger.cipher, limit=1000)]
        assert audit.verify_chain(conn) is None
    sale_events = len(seqs)
    assert seqs == sorted(seqs) and len(set(seqs)) == sale_events
    assert till.counts()["payments"] == 60
