"""The queries a busy till runs on every payment or screen refresh use their indexes
(a full scan is fine at 100 sales and a visible stall at a million)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from ledger_helpers import Till, kes
from sqlalchemy import event

from pos_app.services.customers import CustomerDetails


def plans(till: Till, action: Callable[[], Any], table: str) -> list[str]:
    captured: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and f"FROM {table}" in statement:
            captured.append((statement, params))

    event.listen(till.ledger.engine, "before_cursor_execute", grab)
    try:
        action()
    finally:
        event.remove(till.ledger.engine, "before_cursor_execute", grab)
    found = []
    with till.ledger.engine.connect() as conn:
        for statement, params in captured:
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
            found.append(" / ".join(r[-1] for r in rows))
    return found


@pytest.fixture
def busy(till: Till) -> Till:
    for _ in range(30):
        till.services.payments.record_cash_sale(till.draft(1000), kes(1000))
    return till


def test_supervisor_queue_uses_its_partial_index(busy: Till) -> None:
    found = plans(busy, busy.services.payments.needing_supervisor, "payments")
    assert found and all("ix_payments_attention" in p for p in found), found


def test_risk_scoring_reads_recent_sales_through_the_time_index(busy: Till) -> None:
    jane = CustomerDetails(name="Jane", phone="0712345678")
    found = plans(
        busy,
        lambda: busy.services.risk.calculate_risk_score(kes(5000), jane, "mpesa"),
        "payments",
    )
    assert any("ix_payments_created_at" in p for p in found), found
    assert not any("SCAN payments" in p and "INDEX" not in p for p in found), found
    assert not any("TEMP B-TREE" in p for p in found), found


@pytest.mark.parametrize(
    ("table", "call"),
    [
        ("payments", lambda t: t.services.payments.is_transaction_processed("QKX1234ABC")),
        ("customers", lambda t: t.services.payments.payments_for_phone("0712345678")),
        (
            "proofs",
            lambda t: t.services.payments.submit_manual_payment_proof(
                t.order(1000), "mpesa_receipt", "QKX1234ABC"
            ),
        ),
    ],
)
def test_blind_index_lookups_use_their_partial_indexes(
    busy: Till, table: str, call: Callable[[Till], Any]
) -> None:
    found = plans(busy, lambda: call(busy), table)
    assert found, "no query captured"
    assert not any(f"SCAN {table}" in p and "INDEX" not in p for p in found), found
