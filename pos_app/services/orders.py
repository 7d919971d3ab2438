"""Orders: stored from a core draft (lines, VAT-inclusive totals), and what each still owes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from pos_app.core.errors import CurrencyMismatch, InvalidOrder, NotFound
from pos_app.core.events import OrderCreated
from pos_app.core.money import Money
from pos_app.core.orders import Order, OrderLine, OrderStatus
from pos_app.core.payments import OPEN_STATUSES, PAID_STATUSES
from pos_app.services.bus import EventBus
from pos_app.services.shop import load_settings
from pos_app.services.unit import Change, ledger_change
from pos_app.store.db import Ledger
from pos_app.store.schema import order_lines, orders, payments, shifts


@dataclass(frozen=True, slots=True)
class OrderView:
    id: str
    status: str
    total: Money
    vat: Money
    vat_bps: int
    lines: tuple[OrderLine, ...]
    paid: Money
    outstanding: Money
    cashier_id: str | None
    shift_id: str | None
    customer_id: str | None
    created_at: datetime


_INSERT_ORDER = orders.insert()
_INSERT_LINES = order_lines.insert()


def current_shift_id(conn: Connection) -> str | None:
    return conn.execute(
        select(shifts.c.id)
        .where(shifts.c.closed_at.is_(None))
        .order_by(shifts.c.opened_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def insert_order(
    change: Change,
    draft: Order,
    *,
    cashier_id: str | None,
    shift_id: str | None,
    customer_id: str | None = None,
    status: OrderStatus = OrderStatus.OPEN,
    known: tuple[str, datetime] | None = None,
) -> str:
    """Write the order and its lines inside `change` (the caller records audit/outbox).
    `known` is the (id, time) of an order rebuilt from the relay's copy (services.recovery)."""
    if known is None:
        change.require_selling()
    shop_currency = load_settings(change.conn).currency
    if draft.currency != shop_currency:
        raise CurrencyMismatch(shop_currency, draft.currency)
    order_id, now = known or (str(uuid.uuid4()), datetime.now(UTC))
    change.conn.execute(
        _INSERT_ORDER,
        {
            "id": order_id,
            "shift_id": shift_id,
            "cashier_id": cashier_id,
            "customer_id": customer_id,
            "status": status.value,
            "currency": draft.currency,
            "total_minor": draft.total.minor,
            "vat_minor": draft.vat.minor,
            "vat_bps": draft.vat_bps,
            "created_at": now,
            "updated_at": now,
        },
    )
    change.conn.execute(
        _INSERT_LINES,
        [
            {
                "id": str(uuid.uuid4()),
                "order_id": order_id,
                "position": i,
                "product_id": line.product_id,
                "name": line.name,
                "unit_price_minor": line.unit_price.minor,
                "quantity": line.quantity,
                "line_total_minor": line.total.minor,
            }
            for i, line in enumerate(draft.lines)
        ],
    )
    change.publish(OrderCreated(order_id=order_id, total=draft.total))
    return order_id


def order_payload(order_id: str, draft: Order) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "currency": draft.currency,
        "total_minor": draft.total.minor,
        "vat_minor": draft.vat.minor,
        "vat_bps": draft.vat_bps,
        "lines": [
            {
                "product_id": line.product_id,
                "name": line.name,
                "unit_price_minor": line.unit_price.minor,
                "quantity": line.quantity,
            }
            for line in draft.lines
        ],
    }


def load_order_row(conn: Connection, order_id: str) -> Any:
    row = conn.execute(select(orders).where(orders.c.id == order_id)).first()
    if row is None:
        raise NotFound("order", order_id)
    return row


def _sum_payments(conn: Connection, order_id: str, statuses: frozenset[Any]) -> int:
    return int(
        conn.execute(
            select(func.coalesce(func.sum(payments.c.amount_minor - payments.c.refunded_minor), 0))
            .where(payments.c.order_id == order_id)
            .where(payments.c.status.in_([s.value for s in statuses]))
        ).scalar_one()
    )


def amounts(conn: Connection, order_id: str) -> tuple[Money, Money, Money]:
    """(total, paid, still owed) of an order; open payments count against what is owed."""
    row = load_order_row(conn, order_id)
    paid = _sum_payments(conn, order_id, PAID_STATUSES)
    pending = _sum_payments(conn, order_id, OPEN_STATUSES)
    owed = max(0, row.total_minor - paid - pending)
    return (
        Money(row.total_minor, row.currency),
        Money(paid, row.currency),
        Money(owed, row.currency),
    )


def refresh_status(conn: Connection, order_id: str) -> str:
    """Paid once paid payments cover the total; refunded once all that money went back."""
    row = load_order_row(conn, order_id)
    if row.status not in (OrderStatus.OPEN, OrderStatus.PAID, OrderStatus.REFUNDED):
        return str(row.status)
    paid = _sum_payments(conn, order_id, PAID_STATUSES)
    refunded = conn.execute(
        select(func.coalesce(func.sum(payments.c.refunded_minor), 0)).where(
            payments.c.order_id == order_id
        )
    ).scalar_one()
    if row.status != OrderStatus.OPEN and refunded:
        status = OrderStatus.REFUNDED if paid == 0 else OrderStatus.PAID
    else:
        status = OrderStatus.PAID if paid >= row.total_minor else OrderStatus.OPEN
    if status != row.status:
        conn.execute(
            update(orders)
            .where(orders.c.id == order_id)
            .values(status=status.value, updated_at=datetime.now(UTC))
        )
    return status.value


class OrderService:
    def __init__(self, ledger: Ledger, bus: EventBus) -> None:
        self._ledger = ledger
        self._bus = bus

    def draft(self, lines: Sequence[OrderLine]) -> Order:
        """A draft order at the shop's VAT rate (raises on mixed currencies, empty orders)."""
        with self._ledger.read() as conn:
            settings = load_settings(conn)
        draft = Order.of(lines, settings.vat_bps)
        if draft.currency != settings.currency:
            raise CurrencyMismatch(settings.currency, draft.currency)
        return draft

    def create_order(
        self,
        lines: Sequence[OrderLine] | Order,
        *,
        cashier_id: str | None = None,
        shift_id: str | None = None,
        customer_id: str | None = None,
    ) -> OrderView:
        draft = lines if isinstance(lines, Order) else self.draft(lines)
        with ledger_change(self._ledger, self._bus, cashier_id) as change:
            shift = shift_id or current_shift_id(change.conn)
            order_id = insert_order(
                change, draft, cashier_id=cashier_id, shift_id=shift, customer_id=customer_id
            )
            change.record(
                "order.created",
                entity="order",
                entity_id=order_id,
                details={"total_minor": draft.total.minor, "currency": draft.currency},
                payload=order_payload(order_id, draft),
            )
        return self.get_order(order_id)

    def get_order(self, order_id: str) -> OrderView:
        with self._ledger.read() as conn:
            row = load_order_row(conn, order_id)
            total, paid, owed = amounts(conn, order_id)
            lines = tuple(
                OrderLine(
                    name=r.name,
                    unit_price=Money(r.unit_price_minor, row.currency),
                    quantity=r.quantity,
                    product_id=r.product_id,
                )
                for r in conn.execute(
                    select(order_lines)
                    .where(order_lines.c.order_id == order_id)
                    .order_by(order_lines.c.position)
                )
            )
        return OrderView(
            id=row.id,
            status=row.status,
            total=total,
            vat=Money(row.vat_minor, row.currency),
            vat_bps=row.vat_bps,
            lines=lines,
            paid=paid,
            outstanding=owed,
            cashier_id=row.cashier_id,
            shift_id=row.shift_id,
            customer_id=row.customer_id,
            created_at=row.created_at,
        )

    def recent_orders(self, limit: int = 50) -> list[OrderView]:
        with self._ledger.read() as conn:
            ids = list(
                conn.execute(
                    select(orders.c.id).order_by(orders.c.created_at.desc()).limit(limit)
                ).scalars()
            )
        return [self.get_order(i) for i in ids]

    def cancel_order(self, order_id: str, *, actor_id: str | None) -> OrderView:
        """Cancel an order no money has been taken for."""
        with ledger_change(self._ledger, self._bus, actor_id) as change:
            row = load_order_row(change.conn, order_id)
            if row.status != OrderStatus.OPEN:
                raise InvalidOrder(
                    f"Only an open order can be cancelled (this one is {row.status})."
                )
            if _sum_payments(change.conn, order_id, PAID_STATUSES | OPEN_STATUSES):
                raise InvalidOrder("This order has payments: cancel or refund them first.")
            change.conn.execute(
                update(orders)
                .where(orders.c.id == order_id)
                .values(status=OrderStatus.CANCELLED.value, updated_at=datetime.now(UTC))
            )
            change.record(
                "order.cancelled",
                entity="order",
                entity_id=order_id,
                details={},
                payload={"order_id": order_id},
            )
        return self.get_order(order_id)
