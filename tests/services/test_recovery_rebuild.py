"""The relay's copy of a till's events rebuilds every kind of sale the till pushes, not just
cash: other tenders, proofs and their decisions, unknown outcomes resolved, refunds, voids,
shifts. What it cannot rebuild is listed with why. Real ledger files, a real backup."""

from __future__ import annotations

from typing import Any

from ledger_helpers import SUPERVISOR_PIN, Till, kes
from sqlalchemy import func, select

from pos_app.services import etims_invoices
from pos_app.services.backups import back_up
from pos_app.services.grants import Action
from pos_app.services.recovery import NotRecoveredWhy, RelayEvent, catch_up, restore_latest
from pos_app.services.refunds import RefundService
from pos_app.services.shop import load_settings
from pos_app.store import outbox
from pos_app.store.db import Ledger, open_ledger
from pos_app.store.schema import order_lines, orders, payments, products, proofs, shifts
from pos_app.store.schema import outbox as outbox_table


def _books(ledger: Ledger) -> dict[str, Any]:
    with ledger.read() as conn:
        return {
            "payments": {
                r.id: (r.order_id, r.method, r.status, r.amount_minor, r.refunded_minor)
                for r in conn.execute(select(payments))
            },
            "orders": {r.id: (r.status, r.total_minor) for r in conn.execute(select(orders))},
            "returned": sorted(
                (r.name, r.refunded_thousandths) for r in conn.execute(select(order_lines))
            ),
            "shifts": {r.id: r.float_minor for r in conn.execute(select(shifts))},
            "settings": load_settings(conn),
            "products": {r.id: (r.name, r.price_minor) for r in conn.execute(select(products))},
            "flags": {r.id: r.needs_supervisor for r in conn.execute(select(payments))},
            "proofs": {
                r.id: (r.payment_id, r.proof_type, r.reference_bidx, r.decision)
                for r in conn.execute(select(proofs))
            },
        }


def _a_day(till: Till) -> None:
    """One of each kind of sale after the backup."""
    pay = till.services.payments
    shift = till.services.shifts.open_shift(till.cashier.id, kes(500_00))
    till.services.shifts.cash_movement(
        shift.id, "out", kes(1000), "Float to the bank", user_id=till.supervisor.id
    )
    till.services.shop.update(till.grant(Action.SETTINGS), receipt_footer="Karibu tena")
    cash = pay.record_cash_sale(till.draft(5000), kes(6000), cashier_id=till.cashier.id)
    stk_order = till.order(7000)
    stk = pay.create_payment(stk_order, kes(7000), "KES", "mpesa", "mpesa_stk")
    pay.process_payment(stk.id, {"phone_number": "254712345678"})
    pay.outcomes.mark_unknown(stk.id, "no callback")
    pay.outcomes.resolve_unknown(stk.id, till.grant(Action.DECIDE_PAYMENT), True)
    proof_order = till.order(3000)
    pay.submit_manual_payment_proof(proof_order, "mpesa_receipt", "QAB1234567")
    [proof] = pay.payments_for_order(proof_order)
    pay.confirm_manual_payment(proof.id, till.grant(Action.DECIDE_PAYMENT), True)
    pay.refund(cash.payment_id, kes(1000), "Broken", grant=till.grant(Action.REFUND))
    voided = pay.record_cash_sale(till.draft(2500), kes(2500), cashier_id=till.cashier.id)
    RefundService(till.ledger, till.services.bus, pay, till.services.users).void_sale(
        voided.order_id, "Rang up twice", supervisor_id=till.supervisor.id, pin=SUPERVISOR_PIN
    )
    till.order(4000)  # left open
    soap = till.services.catalogue.add_product(
        "Soap", kes(100), grant=till.grant(Action.CATALOGUE)
    )
    till.services.catalogue.update_product(
        soap.id, price=kes(120), grant=till.grant(Action.CATALOGUE)
    )


def test_the_relays_copy_rebuilds_every_kind_of_sale(till: Till) -> None:
    back_up(till.ledger)
    with till.ledger.read() as conn:
        at_backup = len(outbox.pending(conn, till.ledger.cipher, 10_000))
    _a_day(till)
    with till.ledger.read() as conn:
        pushed = outbox.pending(conn, till.ledger.cipher, 10_000)[at_backup:]
    relay = [RelayEvent(e.seq, e.event_id, e.type, e.occurred_at, e.payload) for e in pushed]
    before = _books(till.ledger)
    settings = till.ledger.settings
    till.ledger.close()

    restore_latest(settings)
    restored = open_ledger(settings)
    try:
        assert _books(restored) != before
        report = catch_up(restored, till.services.bus, relay, 0)
        assert _books(restored) == before
    finally:
        restored.close()
    types = {note.type for note in report.recovered}
    assert {"order.created", "payment.created", "sale.cash", "payment.resolved",
            "proof.submitted", "proof.decided", "payment.refunded", "sale.voided",
            "shift.opened"} <= types
    assert {"settings.updated", "product.added", "product.updated"} <= types
    # who took cash out of the drawer is not in the event: the only thing left out, and why
    assert [(n.type, n.why) for n in report.not_recovered] == [
        ("cash.out", NotRecoveredWhy.NOT_REBUILT)
    ]
    assert len(report.recovered) + len(report.not_recovered) == len(relay)


def test_an_event_about_a_sale_the_backup_lacks_is_listed_not_guessed(till: Till) -> None:
    back_up(till.ledger)
    sale = till.services.payments.record_cash_sale(till.draft(5000), kes(5000))
    with till.ledger.read() as conn:
        [*_, last] = outbox.pending(conn, till.ledger.cipher, 10_000)
    refund = RelayEvent(
        last.seq + 1,
        "e-refund",
        "payment.refunded",
        last.occurred_at,
        {"payment_id": "not-a-payment", "amount_minor": 100, "currency": "KES",
         "status": "partially_refunded"},
    )
    other = RelayEvent(
        last.seq + 2, "e-other", "sale.cash", last.occurred_at,
        {"payment": {"order_id": sale.order_id, "payment_id": "p2", "amount_minor": 5,
                     "currency": "USD", "status": "succeeded", "tendered_minor": 5,
                     "change_minor": 0}},
    )
    stranger = RelayEvent(  # opened by a user this ledger never had
        last.seq + 3, "e-shift", "shift.opened", last.occurred_at,
        {"shift_id": "s-9", "opened_by": "nobody", "float_minor": 0, "currency": "KES"},
    )
    report = catch_up(till.ledger, till.services.bus, [refund, other, stranger], 0)
    assert [(n.type, n.why) for n in report.not_recovered] == [
        ("payment.refunded", NotRecoveredWhy.UNKNOWN_ORDER),
        ("sale.cash", NotRecoveredWhy.OTHER_CURRENCY),
        ("shift.opened", NotRecoveredWhy.REFUSED),
    ]
    with till.ledger.read() as conn:  # each went back into the outbox: numbers not reused
        assert conn.execute(select(func.max(outbox_table.c.seq))).scalar() == last.seq + 3


def test_an_etims_sale_waits_for_its_signature_again_after_a_restore(till: Till) -> None:
    till.services.shop.update(till.grant(Action.SETTINGS), etims_enabled=True)
    back_up(till.ledger)
    with till.ledger.read() as conn:
        at_backup = len(outbox.pending(conn, till.ledger.cipher, 10_000))
    till.services.catalogue.add_product("Soap", kes(100), grant=till.grant(Action.CATALOGUE))
    sale = till.services.payments.record_cash_sale(till.draft(5000), kes(5000))
    with till.ledger.read() as conn:
        pushed = outbox.pending(conn, till.ledger.cipher, 10_000)[at_backup:]
    relay = [RelayEvent(e.seq, e.event_id, e.type, e.occurred_at, e.payload) for e in pushed]
    settings = till.ledger.settings
    till.ledger.close()

    restore_latest(settings)
    restored = open_ledger(settings)
    try:
        report = catch_up(restored, till.services.bus, relay, 0)
        with restored.read() as conn:
            invoice = etims_invoices.invoice_of(conn, sale.order_id)
            waiting = etims_invoices.waiting_count(conn)
    finally:
        restored.close()
    assert [n.type for n in report.recovered] == [
        "product.added", "etims.item_changed", "sale.cash", "etims.sign_requested",
    ]  # fmt: skip
    assert invoice is not None and invoice.receipt_number == "TILL1-000001" and waiting == 1


def test_a_text_receipt_waits_again_after_a_restore(till: Till) -> None:
    from pos_app.services.counter import Counter
    from pos_app.services.sms_receipts import SmsState, SmsWords, latest_for

    back_up(till.ledger)
    with till.ledger.read() as conn:
        at_backup = len(outbox.pending(conn, till.ledger.cipher, 10_000))
    sale = till.services.payments.record_cash_sale(till.draft(5000), kes(5000))
    asked = Counter(till.services).send_receipt_sms(
        sale.order_id, "0712 345 678", SmsWords("Receipt", "Total", "eTIMS", {})
    )
    with till.ledger.read() as conn:
        pushed = outbox.pending(conn, till.ledger.cipher, 10_000)[at_backup:]
    relay = [RelayEvent(e.seq, e.event_id, e.type, e.occurred_at, e.payload) for e in pushed]
    settings = till.ledger.settings
    till.ledger.close()

    restore_latest(settings)
    restored = open_ledger(settings)
    try:
        report = catch_up(restored, till.services.bus, relay, 0)
        kept = latest_for(restored, sale.order_id)
    finally:
        restored.close()
    assert [n.type for n in report.recovered] == ["sale.cash", "sms.receipt_requested"]
    assert kept is not None and (kept.id, kept.state) == (asked.id, SmsState.WAITING)
