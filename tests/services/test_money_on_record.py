"""Every change to money is on the record: a sale needs an open shift, and money leaving a
cart (cleared, a line removed, a quantity lowered after a tender started) is audited."""

from __future__ import annotations

import json

import pytest
from ledger_helpers import Till, kes
from sqlalchemy import select

from pos_app.core.errors import NoAuthority, ShiftError
from pos_app.core.orders import OrderLine
from pos_app.core.quantities import Quantity, Unit
from pos_app.services.counter import Counter
from pos_app.services.grants import Action
from pos_app.store.schema import audit_log, orders


def _counter(till: Till) -> Counter:
    counter = Counter(till.services)
    counter.user_id = till.cashier.id
    return counter


def _last(till: Till) -> tuple[str, str | None, dict[str, object]]:
    with till.ledger.read() as conn:
        row = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
    details = row.details if isinstance(row.details, dict) else json.loads(row.details)
    return row.action, row.actor, details


def test_no_sale_before_a_shift_is_open(till: Till) -> None:
    counter = _counter(till)
    with pytest.raises(ShiftError, match="Open a shift"):
        counter.create_order([OrderLine("Soda", kes(8000))])
    with till.ledger.read() as conn:
        assert conn.execute(select(orders)).first() is None
    shift = till.services.shifts.open_shift(till.cashier.id, kes(0))
    order_id = counter.create_order([OrderLine("Soda", kes(8000))])
    assert till.services.orders.get_order(order_id).shift_id == shift.id


def test_money_leaving_the_cart_is_audited(till: Till) -> None:
    counter = _counter(till)
    lines = [OrderLine("Soda", kes(8000), 2), OrderLine("Bread", kes(7000))]
    counter.record_cart_change("cleared", lines)
    action, actor, details = _last(till)
    assert (action, actor) == ("cart.cleared", till.cashier.id)
    assert details["amount_minor"] == 23000 and details["lines"] == 2
    assert "Soda" not in json.dumps(details)  # names stay out of the clear-text log

    grant = till.grant(Action.OVERRIDE)
    counter.record_cart_change("quantity_lowered", [lines[0]], "order-1", approved_by=grant)
    action, actor, details = _last(till)
    assert action == "cart.quantity_lowered" and details["approved_by"] == till.supervisor.id
    assert details["amount_minor"] == 16000

    with pytest.raises(NoAuthority):
        counter.record_cart_change(
            "line_removed",
            [lines[1]],
            approved_by=till.supervisor.id,  # type: ignore[arg-type]
        )


def test_a_price_override_is_on_record_with_its_supervisor(till: Till) -> None:
    counter = _counter(till)
    counter.record_price_override(kes(21000), kes(18000), 2, till.grant(Action.OVERRIDE))
    action, actor, details = _last(till)
    assert (action, actor) == ("cart.price_overridden", till.supervisor.id)
    assert (details["old_minor"], details["new_minor"]) == (21000, 18000)
    assert (details["quantity_thousandths"], details["unit"]) == (2000, "each")
    counter.record_price_override(
        kes(65000), kes(60000), Quantity(750, Unit.KG), till.grant(Action.OVERRIDE)
    )
    assert (_last(till)[2]["quantity_thousandths"], _last(till)[2]["unit"]) == (750, "kg")
    with pytest.raises(NoAuthority):
        counter.record_price_override(kes(21000), kes(1), 1, till.grant(Action.REFUND))
