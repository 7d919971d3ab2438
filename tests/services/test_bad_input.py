"""Every bad input raises a specific, readable error and changes nothing in the ledger."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from ledger_helpers import Till, kes
from sqlalchemy import event

from pos_app.core.errors import (
    AuditChainBroken,
    CurrencyMismatch,
    DecryptionError,
    DiskFull,
    DukaError,
    FractionOfMinorUnit,
    IllegalTransition,
    InsufficientTender,
    InvalidAmount,
    InvalidInput,
    InvalidOrder,
    Overpayment,
    UnknownCurrency,
)
from pos_app.core.money import Money
from pos_app.core.orders import Order, OrderLine
from pos_app.services.grants import Action


@pytest.fixture
def state(till: Till) -> dict[str, Any]:
    """An open order, a paid cash sale, a proof waiting for a decision, and the supervisor's
    grants (obtained before the counts are taken: a verified PIN is audited)."""
    pay = till.services.payments
    open_order = till.order(10000)
    sale = pay.record_cash_sale(till.draft(5000), kes(5000))
    proof_order = till.order(7000)
    pay.submit_manual_payment_proof(proof_order, "mpesa_receipt", "QAB1234567")
    [proof_payment] = pay.payments_for_order(proof_order)
    cash = pay.create_payment(till.order(3000), 3000, "KES", "cash", "cash")
    cod = pay.create_cod(till.order(4000))
    return {
        "order": open_order,
        "paid": sale.payment_id,
        "proof_payment": proof_payment.id,
        "cash_pending": cash.id,
        "cod": cod.id,
        "decide": till.grant(Action.DECIDE_PAYMENT),
        "refund": till.grant(Action.REFUND),
    }


CASES: dict[str, tuple[type[DukaError], Callable[[Till, dict[str, Any]], object]]] = {
    "tendered cash that is not a number": (
        InvalidAmount,
        lambda t, s: t.services.payments.process_payment(
            s["cash_pending"], {"tendered_minor": "5k"}
        ),
    ),
    "tendered cash below the amount": (
        InsufficientTender,
        lambda t, s: t.services.payments.process_payment(
            s["cash_pending"], {"tendered_minor": 2999}
        ),
    ),
    "negative cash collected on delivery": (
        InvalidAmount,
        lambda t, s: t.services.payments.settle_cod(s["cod"], kes(-1), actor_id=None),
    ),
    "provider outcome that is not an outcome": (
        InvalidInput,
        lambda t, s: t.services.payments.outcomes.apply_provider_event(
            "e1", payment_id=s["paid"], status="paid!", amount_minor=1, currency="KES"
        ),
    ),
    "negative amount": (
        InvalidAmount,
        lambda t, s: t.services.payments.create_payment(s["order"], -100, "KES", None, "mpesa_stk"),
    ),
    "zero amount": (
        InvalidAmount,
        lambda t, s: t.services.payments.create_payment(s["order"], 0, "KES", None, "mpesa_stk"),
    ),
    "float amount": (
        InvalidAmount,
        lambda t, s: t.services.payments.create_payment(s["order"], 10.5, "KES", None, "cash"),  # type: ignore[arg-type]
    ),
    "fraction of a minor unit": (
        FractionOfMinorUnit,
        lambda t, s: t.services.payments.create_payment(
            s["order"], Money.parse("10.005", "KES"), None, None, "cash"
        ),
    ),
    "unknown currency": (
        UnknownCurrency,
        lambda t, s: t.services.payments.create_payment(s["order"], 100, "KSH", None, "mpesa_stk"),
    ),
    "currency differs from the order": (
        CurrencyMismatch,
        lambda t, s: t.services.payments.create_payment(s["order"], 100, "NGN", None, "mpesa_stk"),
    ),
    "mixed currencies in one order": (
        CurrencyMismatch,
        lambda t, s: t.services.orders.create_order(
            [OrderLine("Milk", kes(100)), OrderLine("Garri", Money(100, "NGN"))]
        ),
    ),
    "order in a currency the shop does not use": (
        CurrencyMismatch,
        lambda t, s: t.services.payments.record_cash_sale(
            Order.of([OrderLine("Garri", Money(100, "NGN"))]), Money(100, "NGN")
        ),
    ),
    "zero quantity": (
        InvalidOrder,
        lambda t, s: t.services.orders.create_order([OrderLine("Milk", kes(100), 0)]),
    ),
    "more than the order owes": (
        Overpayment,
        lambda t, s: t.services.payments.create_payment(
            s["order"], 10001, "KES", None, "mpesa_stk"
        ),
    ),
    "unknown payment method": (
        InvalidInput,
        lambda t, s: t.services.payments.create_payment(s["order"], 100, "KES", None, "bitcoin"),
    ),
    "too little cash": (
        InsufficientTender,
        lambda t, s: t.services.payments.record_cash_sale(t.draft(5000), kes(4999)),
    ),
    "tender in another currency": (
        CurrencyMismatch,
        lambda t, s: t.services.payments.record_cash_sale(t.draft(5000), Money(9000, "USD")),
    ),
    "illegal transition: verify a cash sale": (
        IllegalTransition,
        lambda t, s: t.services.payments.confirm_manual_payment(s["paid"], s["decide"], True),
    ),
    "illegal transition: expire a paid payment": (
        IllegalTransition,
        lambda t, s: t.services.payments.outcomes.expire_payment(s["paid"]),
    ),
    "refund more than was paid": (
        Overpayment,
        lambda t, s: t.services.payments.refund(s["paid"], kes(5001), "x", grant=s["refund"]),
    ),
    "empty proof reference": (
        InvalidInput,
        lambda t, s: t.services.payments.submit_manual_payment_proof(
            s["order"], "mpesa_receipt", " "
        ),
    ),
    "unknown proof type": (
        InvalidInput,
        lambda t, s: t.services.payments.submit_manual_payment_proof(
            s["order"], "selfie", "ABCD1234"
        ),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_raises_a_specific_error_and_changes_nothing(
    till: Till, state: dict[str, Any], case: str
) -> None:
    error, call = CASES[case]
    before = till.counts()
    with pytest.raises(error) as info:
        call(till, state)
    assert info.value.message and "Traceback" not in info.value.message
    assert till.counts() == before


def tamper(till: Till, sql: str, *params: object) -> None:
    db = sqlite3.connect(till.ledger.settings.database)
    db.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    db.execute(sql, params)
    db.commit()
    db.close()


def test_tampered_proof_reference_refuses_the_decision(till: Till, state: dict[str, Any]) -> None:
    db = sqlite3.connect(till.ledger.settings.database)
    blob = bytearray(db.execute("SELECT reference_ct FROM proofs").fetchone()[0])
    db.close()
    blob[-3] ^= 0xFF
    tamper(till, "UPDATE proofs SET reference_ct = ?", bytes(blob))
    before = till.counts()
    with pytest.raises(DecryptionError, match="altered"):
        till.services.payments.confirm_manual_payment(state["proof_payment"], state["decide"], True)
    assert till.counts() == before
    assert till.services.payments.get_payment(state["proof_payment"]).status == (
        "awaiting_verification"
    )


def test_ciphertext_moved_to_another_customer_does_not_decrypt(till: Till) -> None:
    pay = till.services.payments
    from pos_app.services.customers import CustomerDetails

    a = pay.create_payment(
        till.order(100),
        100,
        "KES",
        None,
        "mpesa_paybill",
        CustomerDetails(name="Alice", phone="0711111111"),
    )
    b = pay.create_payment(
        till.order(100),
        100,
        "KES",
        None,
        "mpesa_paybill",
        CustomerDetails(name="Bob", phone="0722222222"),
    )
    tamper(
        till,
        "UPDATE customers SET name_ct = (SELECT name_ct FROM customers WHERE id = ?) WHERE id = ?",
        a.customer_id,
        b.customer_id,
    )
    assert pay.customer(a.customer_id or "").name == "Alice"
    with pytest.raises(DecryptionError):
        pay.customer(b.customer_id or "")


def test_corrupted_audit_entry_stops_writes_and_changes_nothing(
    till: Till, state: dict[str, Any]
) -> None:
    tamper(
        till,
        "UPDATE audit_log SET details = '{\"tampered\": 1}' "
        "WHERE seq = (SELECT max(seq) FROM audit_log)",
    )
    before = till.counts()
    with pytest.raises(AuditChainBroken, match="altered at entry"):
        till.services.payments.record_cash_sale(till.draft(1000), kes(1000))
    assert till.counts() == before
    assert till.services.audit.verify_chain() == before["audit_log"]


def test_disk_full_is_a_clear_error_and_nothing_is_half_written(till: Till) -> None:
    engine = till.ledger.engine
    with engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()

    def cap(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(engine, "connect", cap)
    engine.dispose()
    before = till.counts()
    big = Order.of([OrderLine("x" * 190, kes(100), 1) for _ in range(400)])
    with pytest.raises(DiskFull, match="nothing was saved"):
        till.services.payments.record_cash_sale(big, kes(40000))
    assert till.counts() == before
    with till.ledger.read() as conn:
        from pos_app.store import audit

        assert audit.verify_chain(conn) is None

    event.remove(engine, "connect", cap)
    engine.dispose()
    till.services.payments.record_cash_sale(big, kes(40000))
    assert till.counts()["order_lines"] == before["order_lines"] + 400
