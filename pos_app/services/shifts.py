"""Shifts: open with a float, cash in / out, close with counted amounts -> Z report (with the
refunds and voids of the shift's sales on their own lines)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from pos_app.core.errors import InvalidInput, NotFound, ShiftError
from pos_app.core.events import CashMoved, ShiftClosed, ShiftOpened
from pos_app.core.money import Money
from pos_app.core.payments import PAID_STATUSES
from pos_app.core.shifts import z_report
from pos_app.services.bus import EventBus
from pos_app.services.refunds import shift_refunds, shift_voids
from pos_app.services.shop import load_settings
from pos_app.services.unit import ledger_change
from pos_app.services.users import require_role
from pos_app.store.db import Ledger
from pos_app.store.schema import cash_movements, orders, payments, shifts, users


class ShortageNeedsReason(ShiftError):
    """The counted cash is short of the expected beyond the shop's tolerance and no reason was
    given. Says nothing of the amounts: the count is blind until the shift is closed."""

    def __init__(self) -> None:
        super().__init__("The drawer is short: say why before closing.")


@dataclass(frozen=True, slots=True)
class ShiftView:
    id: str
    opened_by: str
    opened_at: datetime
    opening_float: Money
    closed_at: datetime | None
    z_report: dict[str, Any] | None


def _view(row: Any) -> ShiftView:
    return ShiftView(
        row.id,
        row.opened_by,
        row.opened_at,
        Money(row.float_minor, row.currency),
        row.closed_at,
        row.z_report,
    )


def _load(conn: Connection, shift_id: str) -> Any:
    row = conn.execute(select(shifts).where(shifts.c.id == shift_id)).first()
    if row is None:
        raise NotFound("shift", shift_id)
    return row


def _name(conn: Connection, user_id: str) -> str:
    return conn.execute(select(users.c.name).where(users.c.id == user_id)).scalar() or ""


def _movements(conn: Connection, shift_id: str, direction: str, code: str) -> Money:
    total = conn.execute(
        select(func.coalesce(func.sum(cash_movements.c.amount_minor), 0)).where(
            cash_movements.c.shift_id == shift_id, cash_movements.c.direction == direction
        )
    ).scalar_one()
    return Money(int(total), code)


def refunds_and_voids(conn: Connection, shift_id: str) -> dict[str, dict[str, int]]:
    """Per payment method with any: what was refunded and voided of the shift's sales (the
    expected takings are already net of both; these lines say why)."""
    given_back = shift_refunds(conn, shift_id)
    voided = shift_voids(conn, shift_id)
    return {
        method: {
            "refunds_count": given_back.get(method, (0, 0))[0],
            "refunds_minor": given_back.get(method, (0, 0))[1],
            "voids_count": voided.get(method, (0, 0))[0],
            "voids_minor": voided.get(method, (0, 0))[1],
        }
        for method in sorted(set(given_back) | set(voided))
    }


def takings(
    conn: Connection, shift_id: str, code: str, *, test_mode: bool = False
) -> dict[str, Money]:
    """Money taken per payment method in the shift's orders, net of refunds. Test payments
    (a provider in test mode) are never money: `test_mode=True` lists them apart."""
    rows = conn.execute(
        select(
            payments.c.method,
            func.sum(payments.c.amount_minor - payments.c.refunded_minor),
        )
        .join(orders, orders.c.id == payments.c.order_id)
        .where(orders.c.shift_id == shift_id)
        .where(payments.c.status.in_([s.value for s in PAID_STATUSES]))
        .where(payments.c.currency == code)
        .where(payments.c.test_mode.is_(test_mode))
        .group_by(payments.c.method)
    )
    return {method: Money(int(amount), code) for method, amount in rows}


def test_payments(conn: Connection, shift_id: str, code: str) -> dict[str, int]:
    """The shift's test payments per method (minor units), for the Z report's line apart."""
    return {m: a.minor for m, a in takings(conn, shift_id, code, test_mode=True).items()}


class ShiftService:
    def __init__(self, ledger: Ledger, bus: EventBus) -> None:
        self._ledger = ledger
        self._bus = bus

    def current_shift(self) -> ShiftView | None:
        with self._ledger.read() as conn:
            row = conn.execute(select(shifts).where(shifts.c.closed_at.is_(None)).limit(1)).first()
            return None if row is None else _view(row)

    def open_shift(self, user_id: str, opening_float: Money) -> ShiftView:
        if opening_float.minor < 0:
            raise InvalidInput("The float cannot be negative.")
        shift_id = str(uuid.uuid4())
        with ledger_change(self._ledger, self._bus, user_id) as change:
            conn = change.conn
            require_role(conn, user_id, "cashier")
            code = load_settings(conn).currency
            if opening_float.currency != code:
                raise InvalidInput(f"The float must be in {code}.")
            if conn.execute(select(shifts.c.id).where(shifts.c.closed_at.is_(None))).first():
                raise ShiftError("A shift is already open on this till: close it first.")
            conn.execute(
                shifts.insert().values(
                    id=shift_id,
                    opened_by=user_id,
                    opened_at=datetime.now(UTC),
                    currency=code,
                    float_minor=opening_float.minor,
                )
            )
            change.record(
                "shift.opened",
                entity="shift",
                entity_id=shift_id,
                details={"float_minor": opening_float.minor, "currency": code},
                payload={
                    "shift_id": shift_id,
                    "opened_by": user_id,
                    "float_minor": opening_float.minor,
                    "currency": code,
                },
            )
            change.publish(ShiftOpened(shift_id=shift_id, opened_by=user_id))
            row = _load(conn, shift_id)
        return _view(row)

    def cash_movement(
        self, shift_id: str, direction: str, amount: Money, reason: str, *, user_id: str
    ) -> None:
        """Cash put into ("in") or taken out of ("out") the drawer, with a reason."""
        if direction not in ("in", "out"):
            raise InvalidInput("A cash movement is 'in' or 'out'.")
        amount.require_positive("A cash movement")
        if not reason.strip():
            raise InvalidInput("Say why cash goes in or out.")
        with ledger_change(self._ledger, self._bus, user_id) as change:
            conn = change.conn
            require_role(conn, user_id, "cashier")
            row = _load(conn, shift_id)
            if row.closed_at is not None:
                raise ShiftError("This shift is closed.")
            if amount.currency != row.currency:
                raise InvalidInput(f"The drawer holds {row.currency}.")
            movement_id = str(uuid.uuid4())
            conn.execute(
                cash_movements.insert().values(
                    id=movement_id,
                    shift_id=shift_id,
                    direction=direction,
                    amount_minor=amount.minor,
                    currency=amount.currency,
                    reason=reason.strip(),
                    user_id=user_id,
                    at=datetime.now(UTC),
                )
            )
            change.record(
                f"cash.{direction}",
                entity="shift",
                entity_id=shift_id,
                details={"amount_minor": amount.minor, "currency": amount.currency},
                payload={
                    "movement_id": movement_id,
                    "shift_id": shift_id,
                    "direction": direction,
                    "amount_minor": amount.minor,
                    "currency": amount.currency,
                    "reason": reason.strip(),
                },
            )
            change.publish(CashMoved(shift_id=shift_id, amount=amount, direction=direction))

    def close_shift(
        self,
        shift_id: str,
        counted: Mapping[str, Money],
        *,
        user_id: str,
        shortage_reason: str = "",
        shortage_tolerance_minor: int = 0,
    ) -> dict[str, Any]:
        """Close the shift; returns the Z report (expected vs counted per method). A cash
        shortage beyond `shortage_tolerance_minor` needs a reason, kept in the report."""
        with ledger_change(self._ledger, self._bus, user_id) as change:
            conn = change.conn
            require_role(conn, user_id, "cashier")
            row = _load(conn, shift_id)
            if row.closed_at is not None:
                raise ShiftError("This shift is already closed.")
            code = row.currency
            report = z_report(
                opening_float=Money(row.float_minor, code),
                cash_in=_movements(conn, shift_id, "in", code),
                cash_out=_movements(conn, shift_id, "out", code),
                takings=takings(conn, shift_id, code),
                counted=counted,
            )
            now = datetime.now(UTC)
            report = {
                **report,
                "shift_id": shift_id,
                "opened_at": row.opened_at.isoformat(),  # UTC; the report shows the shop's time
                "closed_at": now.isoformat(),
                "opened_by": row.opened_by,
                "closed_by": user_id,
                # names as they were at close: the paper record outlives a renamed account
                "opened_by_name": _name(conn, row.opened_by),
                "closed_by_name": _name(conn, user_id),
                "refunds_and_voids": refunds_and_voids(conn, shift_id),
                "shortage_reason": shortage_reason.strip(),
                "counted_methods": sorted(counted),  # the rest come from the ledger
                "test_payments": test_payments(conn, shift_id, code),
            }
            short = report["methods"]["cash"]["difference_minor"] < -shortage_tolerance_minor
            if short and not shortage_reason.strip():
                raise ShortageNeedsReason()
            conn.execute(
                update(shifts)
                .where(shifts.c.id == shift_id)
                .values(
                    closed_by=user_id,
                    closed_at=now,
                    counted={k: v.minor for k, v in counted.items()},
                    z_report=report,
                )
            )
            change.record(
                "shift.closed",
                entity="shift",
                entity_id=shift_id,
                details={
                    "total_difference_minor": report["total_difference_minor"],
                    "shortage_reason": report["shortage_reason"],
                },
                payload={"z_report": report},
            )
            change.publish(ShiftClosed(shift_id=shift_id, closed_by=user_id))
        return report
