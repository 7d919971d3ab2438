"""Sales whose money is not all in yet although the counter has moved on: a payment proof or a
paybill code waiting for a supervisor, or an M-Pesa prompt / Paystack link still out (a sale
parked with "New sale"). The cashier sees them in a list with a count, never silently.
Cash on delivery has its own list (Counter.open_cod_orders)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from pos_app.core.money import Money
from pos_app.core.orders import OrderStatus
from pos_app.core.payments import PaymentMethod
from pos_app.core.payments import PaymentStatus as S
from pos_app.services import receipt_numbers
from pos_app.store.db import Ledger
from pos_app.store.schema import orders, payments

SUPERVISOR = "supervisor"  # a proof / paybill code a supervisor must approve
CUSTOMER = "customer"  # a prompt or a link the customer has not answered yet
_WAITING = {
    S.AWAITING_VERIFICATION.value: SUPERVISOR,
    S.PENDING.value: CUSTOMER,
    S.INITIATING.value: CUSTOMER,
    S.AWAITING_CUSTOMER.value: CUSTOMER,
    S.UNKNOWN.value: CUSTOMER,
}


@dataclass(frozen=True, slots=True)
class WaitingSale:
    order_id: str
    total: Money
    waiting: Money  # the part of the total still waiting
    waiting_for: str  # SUPERVISOR or CUSTOMER (a supervisor's approval wins)
    since: datetime
    receipt_number: str = ""  # as printed; empty for a sale stored before receipt numbers


def waiting_sales(ledger: Ledger, limit: int = 50) -> list[WaitingSale]:
    """Newest first."""
    query = (
        select(
            orders.c.id,
            orders.c.total_minor,
            orders.c.currency,
            orders.c.receipt_prefix,
            orders.c.receipt_sequence,
            payments.c.status,
            func.sum(payments.c.amount_minor).label("waiting_minor"),
            func.min(payments.c.created_at).label("since"),
        )
        .join(payments, payments.c.order_id == orders.c.id)
        .where(
            orders.c.status != OrderStatus.CANCELLED.value,
            payments.c.status.in_(list(_WAITING)),
            payments.c.method != PaymentMethod.CASH_ON_DELIVERY.value,
        )
        .group_by(orders.c.id, payments.c.status)
    )
    found: dict[str, WaitingSale] = {}
    with ledger.read() as conn:
        for row in conn.execute(query):
            kind = _WAITING[row.status]
            before = found.get(row.id)
            waiting = Money(int(row.waiting_minor), row.currency)
            if before is not None:
                kind = SUPERVISOR if SUPERVISOR in (kind, before.waiting_for) else kind
                waiting = waiting + before.waiting
            since = row.since if before is None else min(row.since, before.since)
            found[row.id] = WaitingSale(
                row.id, Money(row.total_minor, row.currency), waiting, kind, since,
                str(receipt_numbers.of_order(row) or ""),
            )
    return sorted(found.values(), key=lambda sale: sale.since, reverse=True)[:limit]
