"""Discounts through the services: kept apart from the price, audited, and above the shop's
percent only with a supervisor's approval."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from ledger_helpers import Till, kes
from sqlalchemy import select

from pos_app.core.discounts import Discount
from pos_app.core.errors import InvalidDiscount, NoAuthority, NotASupervisor
from pos_app.core.orders import OrderLine
from pos_app.services.grants import Action
from pos_app.services.orders import DiscountNeedsApproval
from pos_app.store.schema import audit_log, order_lines, orders


def audit(till: Till, action: str) -> list[dict[str, object]]:
    with till.ledger.read() as conn:
        rows = conn.execute(select(audit_log.c.details).where(audit_log.c.action == action))
        return [json.loads(r.details) for r in rows]


def test_a_small_discount_is_the_cashiers_and_is_kept_beside_the_price(till: Till) -> None:
    line = OrderLine("Sukari", kes(18500), 2, discount=Discount(kes(1000), "Torn bag"))
    order = till.services.orders.create_order([line], cashier_id=till.cashier.id)
    assert order.total == kes(36000) and order.discount == kes(1000)
    stored = order.stored_lines[0]
    assert stored.line.unit_price == kes(18500) and stored.line.total == kes(37000)
    assert stored.line.discount == Discount(kes(1000), "Torn bag")
    with till.ledger.read() as conn:
        row = conn.execute(select(order_lines)).one()
    assert (row.unit_price_minor, row.line_total_minor, row.discount_minor,
            row.discount_reason) == (18500, 37000, 1000, "Torn bag")
    assert row.taxable_minor + row.vat_minor == 36000
    [entry] = audit(till, "order.discounted")
    assert entry["discount_minor"] == 1000 and entry["approved_by"] is None
    assert entry["threshold_bps"] == 1000


def test_above_the_shops_percent_a_supervisor_approves(till: Till) -> None:
    lines = [OrderLine("Chai", kes(10000)), OrderLine("Soda", kes(5000))]
    big = Discount(kes(3000), "Manager's friend")  # 20 % of 150.00
    orders_service = till.services.orders
    with pytest.raises(DiscountNeedsApproval):
        orders_service.create_order(lines, cashier_id=till.cashier.id, cart_discount=big)
    with pytest.raises(NotASupervisor):  # a cashier's PIN grants no override
        till.grant(Action.OVERRIDE, till.cashier)
    with pytest.raises(NoAuthority):  # a grant for another action does not approve it
        orders_service.create_order(lines, cashier_id=till.cashier.id, cart_discount=big,
                                    approved_by=till.grant(Action.REFUND))
    with till.ledger.read() as conn:
        assert conn.execute(select(orders)).first() is None  # refused: nothing stored
    assert [e["error"] for e in audit(till, "discount.refused")] == [
        "DiscountNeedsApproval", "NoAuthority"
    ]
    order = orders_service.create_order(lines, cashier_id=till.cashier.id, cart_discount=big,
                                        approved_by=till.grant(Action.OVERRIDE))
    assert order.total == kes(12000) and order.cart_discount_reason == "Manager's friend"
    # spread over the lines in proportion: 2000 on the chai, 1000 on the soda
    assert [s.cart_discount for s in order.stored_lines] == [kes(2000), kes(1000)]
    assert audit(till, "order.discounted")[-1]["approved_by"] == till.supervisor.id
    with till.ledger.read() as conn:
        assert conn.execute(select(orders.c.discount_approved_by)).scalar() == till.supervisor.id


def test_the_threshold_is_the_shops_setting(till: Till) -> None:
    till.services.shop.update(till.grant(Action.SETTINGS), discount_approval_bps=2500)
    order = till.services.orders.create_order(
        [OrderLine("Chai", kes(10000), discount=Discount(kes(2500), "Promo"))]
    )
    assert order.total == kes(7500)
    with pytest.raises(DiscountNeedsApproval):
        till.services.orders.create_order(
            [OrderLine("Chai", kes(10000), discount=Discount(kes(2501), "Promo"))]
        )


def test_a_discount_above_the_line_is_refused(till: Till) -> None:
    with pytest.raises(InvalidDiscount):
        till.services.orders.draft([OrderLine("Chai", kes(100), discount=Discount(kes(101), "x"))])


@examples(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.integers(1, 100_000), st.integers(1, 4), st.integers(0, 100)),
             min_size=1, max_size=5),
    st.integers(0, 100),
)
def test_what_is_stored_adds_up(
    till: Till, lines: list[tuple[int, int, int]], cart_percent: int
) -> None:
    rung = [
        OrderLine(f"I{i}", kes(p), q, tax_class="BCE"[i % 3],
                  discount=Discount.percent(kes(p * q), pct * 100, "r") if pct else None)
        for i, (p, q, pct) in enumerate(lines)
    ]
    if all(line.discount is not None and line.discount.amount == line.total for line in rung):
        with pytest.raises(InvalidDiscount):  # nothing left to pay
            till.services.orders.draft(rung)
        return
    draft = till.services.orders.draft(rung)
    cart = Discount.percent(draft.total, cart_percent * 100, "cart") if cart_percent else None
    if cart is not None and cart.amount == draft.total:
        with pytest.raises(InvalidDiscount):
            till.services.orders.draft(rung, cart)
        return
    order = till.services.orders.create_order(
        rung, cart_discount=cart, approved_by=till.grant(Action.OVERRIDE)
    )
    gross = sum(p * q for p, q, _ in lines)
    assert order.total.minor + order.discount.minor == gross
    assert order.taxes.gross == order.total
    for stored in order.stored_lines:
        assert stored.paid + stored.discount == stored.line.total
