"""Orders: stored from a priced core draft (lines in tax classes, discounts beside the price,
VAT per line and per band), with a gap-free receipt number, and what each still owes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from pos_app.core.discounts import Discount
from pos_app.core.errors import (
    CurrencyMismatch,
    DukaError,
    InvalidOrder,
    NoAuthority,
    NotASupervisor,
    NotFound,
)
from pos_app.core.events import OrderCreated
from pos_app.core.money import Money
from pos_app.core.orders import Order, OrderLine, OrderStatus
from pos_app.core.payments import OPEN_STATUSES, PAID_STATUSES
from pos_app.core.quantities import Quantity, Unit
from pos_app.core.receipt_numbers import ReceiptNumber
from pos_app.core.tax import LineTax, TaxSummary, TaxTable, summarise
from pos_app.services import receipt_numbers
from pos_app.services.bus import EventBus
from pos_app.services.grants import Action, Grant
from pos_app.services.shop import load_settings, shop_tax_table
from pos_app.services.unit import Change, audit_refusal, ledger_change
from pos_app.services.users import authorise
from pos_app.store.db import Ledger
from pos_app.store.schema import order_lines, orders, payments, products, shifts


class DiscountNeedsApproval(DukaError):
    def __init__(self, threshold_bps: int) -> None:
        super().__init__(
            f"A discount above {threshold_bps / 100:g}% needs a supervisor's approval."
        )
        self.threshold_bps = threshold_bps


@dataclass(frozen=True, slots=True)
class StoredLine:
    """A line as the ledger keeps it: what was rung up, its share of the cart discount, its
    VAT split (of what the buyer paid for it) and how much of it has come back."""

    id: str
    position: int
    line: OrderLine
    cart_discount: Money
    tax: LineTax
    refunded_thousandths: int

    @property
    def paid(self) -> Money:
        return self.tax.gross

    @property
    def discount(self) -> Money:
        own = self.line.discount.amount if self.line.discount else Money.zero(self.paid.currency)
        return own + self.cart_discount


@dataclass(frozen=True, slots=True)
class OrderView:
    id: str
    status: str
    total: Money
    vat: Money
    stored_lines: tuple[StoredLine, ...]
    taxes: TaxSummary
    receipt_number: ReceiptNumber | None  # None for an order stored before revision 0007
    cart_discount_reason: str | None
    paid: Money
    outstanding: Money
    cashier_id: str | None
    shift_id: str | None
    customer_id: str | None
    created_at: datetime

    @property
    def lines(self) -> tuple[OrderLine, ...]:
        return tuple(s.line for s in self.stored_lines)

    @property
    def discount(self) -> Money:
        return Money(sum(s.discount.minor for s in self.stored_lines), self.total.currency)


_INSERT_ORDER = orders.insert()
_INSERT_LINES = order_lines.insert()


def current_shift_id(conn: Connection) -> str | None:
    return conn.execute(
        select(shifts.c.id)
        .where(shifts.c.closed_at.is_(None))
        .order_by(shifts.c.opened_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def _check_discounts(
    change: Change, order_id: str, draft: Order, approved_by: Grant | None
) -> str | None:
    """The approver's id when the draft's discounts need one (raises without), else None;
    every discount is audited with its amounts and approver."""
    if draft.discount.is_zero:
        return None
    threshold = load_settings(change.conn).discount_approval_bps
    approver = None
    if draft.priced.needs_supervisor_grant(threshold):
        if approved_by is None:
            raise DiscountNeedsApproval(threshold)
        approver = authorise(change.conn, approved_by, Action.OVERRIDE).id
    change.record(
        "order.discounted",
        entity="order",
        entity_id=order_id,
        details={
            "gross_minor": draft.priced.gross.minor,
            "discount_minor": draft.discount.minor,
            "line_discounts_minor": [p.line.line_discount.minor for p in draft.priced.lines],
            "cart_discount_minor": draft.priced.cart_discount.amount.minor
            if draft.priced.cart_discount
            else 0,
            "threshold_bps": threshold,
            "approved_by": approver,
        },
    )
    return approver


def insert_order(
    change: Change,
    draft: Order,
    *,
    cashier_id: str | None,
    shift_id: str | None,
    customer_id: str | None = None,
    status: OrderStatus = OrderStatus.OPEN,
    known: tuple[str, datetime] | None = None,
    approved_by: Grant | None = None,
) -> str:
    """Write the order, its lines and its receipt number inside `change` (the caller records
    audit/outbox; discounts are audited here, and refused above the shop's percent without
    a supervisor's grant). `known` is the (id, time) of an order rebuilt from the relay's
    copy (services.recovery)."""
    if known is None:
        change.require_selling()
    settings = load_settings(change.conn)
    if draft.currency != settings.currency:
        raise CurrencyMismatch(settings.currency, draft.currency)
    order_id, now = known or (str(uuid.uuid4()), datetime.now(UTC))
    approver = _check_discounts(change, order_id, draft, approved_by)
    receipt = receipt_numbers.allocate(change.conn, settings.receipt_prefix)
    cart = draft.priced.cart_discount
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
            "receipt_prefix": receipt.prefix,
            "receipt_sequence": receipt.sequence,
            "cart_discount_reason": cart.reason if cart and cart.amount.minor else None,
            "discount_approved_by": approver,
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
                "quantity_thousandths": line.amount.thousandths,
                "unit": line.amount.unit.value,
                "line_total_minor": priced.gross.minor,
                "tax_class": priced.tax.tax_class.code,
                "tax_rate_bps": priced.tax.tax_class.rate_bps,
                "discount_minor": priced.line.line_discount.minor,
                "discount_reason": line.discount.reason if line.discount else None,
                "cart_discount_minor": priced.cart_discount.minor,
                "taxable_minor": priced.tax.taxable.minor,
                "vat_minor": priced.tax.tax.minor,
            }
            for i, (line, priced) in enumerate(zip(draft.lines, draft.priced.lines, strict=True))
        ],
    )
    change.publish(OrderCreated(order_id=order_id, total=draft.total))
    return order_id


def order_payload(conn: Connection, order_id: str, draft: Order) -> dict[str, Any]:
    """The order as the relay receives it. The receipt number travels with it, so the relay
    knows each till's highest number and a restored till can continue after it."""
    row = load_order_row(conn, order_id)
    return {
        "order_id": order_id,
        "receipt_prefix": row.receipt_prefix,
        "receipt_sequence": row.receipt_sequence,
        "currency": draft.currency,
        "total_minor": draft.total.minor,
        "vat_minor": draft.vat.minor,
        "discount_minor": draft.discount.minor,
        "taxes": [
            {
                "tax_class": band.tax_class.code,
                "rate_bps": band.tax_class.rate_bps,
                "taxable_minor": band.taxable.minor,
                "vat_minor": band.tax.minor,
            }
            for band in draft.taxes.bands
        ],
        "lines": [
            {
                "product_id": line.product_id,
                "name": line.name,
                "unit_price_minor": line.unit_price.minor,
                "quantity_thousandths": line.amount.thousandths,
                "unit": line.amount.unit.value,
                "tax_class": priced.tax.tax_class.code,
                "discount_minor": priced.discount.minor,
                "taxable_minor": priced.tax.taxable.minor,
                "vat_minor": priced.tax.tax.minor,
            }
            for line, priced in zip(draft.lines, draft.priced.lines, strict=True)
        ],
    }


def _at_sold_rates(conn: Connection, rows: Sequence[Any]) -> TaxTable:
    """The shop's table at the rates the lines were sold at (a rate may have changed since)."""
    table = shop_tax_table(load_settings(conn))
    return table.with_rates({r.tax_class: r.tax_rate_bps for r in rows})


def stored_table(conn: Connection, order_id: str) -> TaxTable:
    """The tax table of an order's lines as they were sold (credit notes are taxed by it)."""
    rows = conn.execute(
        select(order_lines.c.tax_class, order_lines.c.tax_rate_bps).where(
            order_lines.c.order_id == order_id
        )
    ).all()
    return _at_sold_rates(conn, rows)


def stored_lines(conn: Connection, order_id: str) -> tuple[tuple[StoredLine, ...], TaxSummary]:
    row = load_order_row(conn, order_id)
    rows = list(
        conn.execute(
            select(order_lines)
            .where(order_lines.c.order_id == order_id)
            .order_by(order_lines.c.position)
        )
    )
    table = _at_sold_rates(conn, rows)
    code = row.currency
    result = []
    for r in rows:
        unit = Unit(r.unit)
        quantity: int | Quantity = Quantity(r.quantity_thousandths, unit)
        if unit is Unit.EACH:
            quantity = r.quantity_thousandths // 1000
        discount = (
            Discount(Money(r.discount_minor, code), r.discount_reason or "")
            if r.discount_minor
            else None
        )
        line = OrderLine(
            r.name, Money(r.unit_price_minor, code), quantity, r.product_id, r.tax_class, discount
        )
        tax = LineTax(
            table.get(r.tax_class),
            Money(r.taxable_minor + r.vat_minor, code),
            Money(r.taxable_minor, code),
            Money(r.vat_minor, code),
        )
        result.append(
            StoredLine(
                r.id, r.position, line, Money(r.cart_discount_minor, code), tax,
                r.refunded_thousandths,
            )
        )
    return tuple(result), summarise((s.tax for s in result), table, code)


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

    def draft(
        self, lines: Sequence[OrderLine], cart_discount: Discount | None = None
    ) -> Order:
        """A priced draft: each line in its product's tax class unless it names one (no
        product: the shop's default class); raises on mixed currencies, empty orders, a class
        the shop's country does not have, a discount larger than what it discounts."""
        with self._ledger.read() as conn:
            settings = load_settings(conn)
            ids = {line.product_id for line in lines if line.product_id and not line.tax_class}
            classes: dict[str | None, str] = {
                r.id: r.tax_class
                for r in conn.execute(
                    select(products.c.id, products.c.tax_class).where(products.c.id.in_(ids))
                )
            }
        lines = [
            replace(line, tax_class=classes[line.product_id])
            if line.product_id in classes and not line.tax_class
            else line
            for line in lines
        ]
        draft = Order.of(lines, shop_tax_table(settings), cart_discount)
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
        cart_discount: Discount | None = None,
        approved_by: Grant | None = None,
    ) -> OrderView:
        """`cart_discount` applies to lines given as a list (a draft carries its own);
        `approved_by` is needed once a discount is above the shop's percent."""
        draft = lines if isinstance(lines, Order) else self.draft(lines, cart_discount)
        try:
            order_id = self._create(draft, cashier_id, shift_id, customer_id, approved_by)
        except (DiscountNeedsApproval, NotASupervisor, NoAuthority) as error:
            audit_refusal(
                self._ledger, self._bus, cashier_id, "discount.refused", "order", "", error,
                {"discount_minor": draft.discount.minor,
                 "approved_by": approved_by.user_id if approved_by else None},
            )
            raise
        return self.get_order(order_id)

    def _create(
        self,
        draft: Order,
        cashier_id: str | None,
        shift_id: str | None,
        customer_id: str | None,
        approved_by: Grant | None,
    ) -> str:
        with ledger_change(self._ledger, self._bus, cashier_id) as change:
            shift = shift_id or current_shift_id(change.conn)
            order_id = insert_order(
                change, draft, cashier_id=cashier_id, shift_id=shift, customer_id=customer_id,
                approved_by=approved_by,
            )
            change.record(
                "order.created",
                entity="order",
                entity_id=order_id,
                details={"total_minor": draft.total.minor, "currency": draft.currency},
                payload=order_payload(change.conn, order_id, draft),
            )
        return order_id

    def get_order(self, order_id: str) -> OrderView:
        with self._ledger.read() as conn:
            row = load_order_row(conn, order_id)
            total, paid, owed = amounts(conn, order_id)
            lines, taxes = stored_lines(conn, order_id)
        receipt = receipt_numbers.of_order(row)
        return OrderView(
            id=row.id,
            status=row.status,
            total=total,
            vat=Money(row.vat_minor, row.currency),
            stored_lines=lines,
            taxes=taxes,
            receipt_number=receipt,
            cart_discount_reason=row.cart_discount_reason,
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

    def cancel_order(
        self, order_id: str, *, actor_id: str | None, override: Grant | None = None
    ) -> OrderView:
        """Cancel an order no money has been taken for; with `override` (a supervisor's
        OVERRIDE grant, spent here) the cancellation is on the supervisor's record."""
        with ledger_change(self._ledger, self._bus, actor_id) as change:
            if override is not None:
                change.actor = authorise(change.conn, override, Action.OVERRIDE).id
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
