"""Refunds and voids by line: returned quantities come back, the credit note says what it
reverses, and no series of partial returns gives back more than was paid."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from ledger_helpers import SUPERVISOR_PIN, Till, kes
from sqlalchemy import select

from pos_app.core.discounts import Discount
from pos_app.core.errors import InvalidInput, RefundTooLarge, ShiftError
from pos_app.core.orders import OrderLine
from pos_app.core.quantities import Quantity, Unit
from pos_app.services.grants import Action
from pos_app.services.refunds import RefundService
from pos_app.store import outbox
from pos_app.store.schema import audit_log, credit_note_lines

LINES = [
    OrderLine("Unga", kes(21000), 2, tax_class="C"),
    OrderLine("Sukari", kes(18500), 1, tax_class="B", discount=Discount(kes(500), "Torn")),
    OrderLine("Nyama", kes(65000), Quantity(1500, Unit.KG), tax_class="A"),
]


def refunds_of(till: Till) -> RefundService:
    s = till.services
    return RefundService(till.ledger, s.bus, s.payments, s.users)


def sell(till: Till, lines: list[OrderLine] = LINES) -> tuple[str, str]:
    draft = till.services.orders.draft(lines)
    sale = till.services.payments.record_cash_sale(draft, draft.total, cashier_id=till.cashier.id)
    return sale.order_id, sale.payment_id


def returned(till: Till, order_id: str) -> list[int]:
    lines = till.services.orders.get_order(order_id).stored_lines
    return [s.refunded_thousandths for s in lines]


def test_returning_one_of_two_bags_gives_back_its_price(till: Till) -> None:
    order_id, payment_id = sell(till)
    refunds = refunds_of(till)
    view = refunds.refund_lines(
        payment_id,
        {0: Quantity.each(1), 2: Quantity(500, Unit.KG)},
        "Wrong item",
        supervisor_id=till.supervisor.id,
        pin=SUPERVISOR_PIN,
    )
    # one bag of unga (210.00, zero-rated) and 0.5 of 1.5 kg of meat (325.00, exempt)
    assert view.refunded == kes(21000 + 32500) and view.status == "partially_refunded"
    assert returned(till, order_id) == [1000, 0, 500]
    with till.ledger.read() as conn:
        notes = conn.execute(select(credit_note_lines).order_by(credit_note_lines.c.amount_minor))
        rows = [(r.quantity_thousandths, r.amount_minor, r.tax_class, r.vat_minor) for r in notes]
        events = outbox.pending(conn, till.ledger.cipher, 100)
    assert rows == [(1000, 21000, "C", 0), (500, 32500, "A", 0)]
    [credit] = [e.payload for e in events if e.type == "refund.credit_note"]
    assert (credit["receipt_prefix"], credit["receipt_sequence"]) == ("TILL1", 1)
    assert [line["position"] for line in credit["lines"]] == [0, 2]


def test_the_discounted_line_gives_back_what_was_paid_with_its_vat(till: Till) -> None:
    _, payment_id = sell(till)
    view = refunds_of(till).refund_lines(
        payment_id,
        {1: Quantity.each(1)},
        "Spoilt",
        supervisor_id=till.supervisor.id,
        pin=SUPERVISOR_PIN,
    )
    assert view.refunded == kes(18000)  # 185.00 less the 5.00 discount
    with till.ledger.read() as conn:
        row = conn.execute(select(credit_note_lines)).one()
    assert (row.tax_class, row.tax_rate_bps, row.taxable_minor + row.vat_minor) == (
        "B",
        1600,
        18000,
    )
    assert row.vat_minor == 18000 - 15517  # 18000 / 1.16 = 15517.24


def test_more_than_is_left_is_refused_changes_nothing_and_is_audited(till: Till) -> None:
    order_id, payment_id = sell(till)
    refunds = refunds_of(till)
    refunds.refund_lines(
        payment_id,
        {0: Quantity.each(2)},
        "Back",
        supervisor_id=till.supervisor.id,
        pin=SUPERVISOR_PIN,
    )
    before = till.counts()
    with pytest.raises(RefundTooLarge):
        refunds.refund_lines(
            payment_id,
            {0: Quantity.each(1)},
            "Again",
            supervisor_id=till.supervisor.id,
            pin=SUPERVISOR_PIN,
        )
    after = till.counts()
    for table in ("refunds", "credit_note_lines", "outbox", "payments"):
        assert after[table] == before[table]
    with till.ledger.read() as conn:
        last = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc())).first()
    assert last is not None and last.action == "refund.refused"
    assert json.loads(last.details)["error"] == "RefundTooLarge"
    assert returned(till, order_id) == [2000, 0, 0]


def test_a_voided_sale_has_every_quantity_back(till: Till) -> None:
    till.services.shifts.open_shift(till.cashier.id, kes(0))
    order_id, payment_id = sell(till)
    refunds = refunds_of(till)
    refunds.void_lines(
        payment_id,
        {2: Quantity(1500, Unit.KG)},
        "Rang up twice",
        supervisor_id=till.supervisor.id,
        pin=SUPERVISOR_PIN,
    )
    assert returned(till, order_id) == [0, 0, 1500]
    with till.ledger.read() as conn:
        assert conn.execute(select(credit_note_lines.c.amount_minor)).scalar() == 97500
    other_id, _ = sell(till)
    refunds.void_sale(
        other_id, "Customer left", supervisor_id=till.supervisor.id, pin=SUPERVISOR_PIN
    )
    assert returned(till, other_id) == [2000, 1000, 1500]


def test_lines_of_a_closed_shift_are_refunded_not_voided(till: Till) -> None:
    _, payment_id = sell(till)  # no shift open
    with pytest.raises(ShiftError):
        refunds_of(till).void_lines(
            payment_id,
            {0: Quantity.each(1)},
            "x",
            supervisor_id=till.supervisor.id,
            pin=SUPERVISOR_PIN,
        )


@examples(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.integers(1, 200_000),
    st.integers(1, 20_000),
    st.integers(0, 50),
    st.lists(st.integers(1, 20_000), min_size=1, max_size=3),
)
def test_partial_returns_never_give_back_more_than_was_paid(
    till: Till, price: int, grams: int, percent: int, parts: list[int]
) -> None:
    if price * grams < 500:
        return  # rounds to nothing: not a sale
    till.services.shop.update(till.grant(Action.SETTINGS), discount_approval_bps=10_000)
    line = OrderLine("Nyama", kes(price), Quantity(grams, Unit.KG), tax_class="B")
    gross = line.total
    if percent:
        line = OrderLine(
            "Nyama",
            kes(price),
            Quantity(grams, Unit.KG),
            tax_class="B",
            discount=Discount.percent(gross, percent * 100, "Promo"),
        )
    if line.discount is not None and line.discount.amount == gross:
        return
    order_id, payment_id = sell(till, [line])
    paid = till.services.orders.get_order(order_id).total
    refunds = refunds_of(till)
    left = grams
    for part in parts:
        if left == 0:
            break
        take = min(part, left)
        try:
            refunds.refund_lines(
                payment_id,
                {0: Quantity(take, Unit.KG)},
                "Back",
                supervisor_id=till.supervisor.id,
                pin=SUPERVISOR_PIN,
            )
        except InvalidInput:  # worth nothing on its own: refused, nothing came back
            continue
        left -= take
        given_back = till.services.payments.get_payment(payment_id).refunded
        assert given_back <= paid
    if left == 0:
        assert till.services.payments.get_payment(payment_id).refunded == paid
    assert returned(till, order_id) == [grams - left]
