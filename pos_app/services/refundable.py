"""What of a payment can still be given back: the one home of that rule, for cash and M-Pesa
refunds (PaymentService.refund), relay refund requests (refund_requests) and voids
(refunds). Paid minus refunded minus what is asked of the relay and not yet settled.

And what of a sale's lines can still come back: each line's quantity minus what earlier
credit notes took back; the credit for returned quantities is core.refunds' arithmetic."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Connection, func, select

from pos_app.core.errors import InvalidInput, Overpayment, PaymentError
from pos_app.core.money import Money
from pos_app.core.payments import PAID_STATUSES, PaymentStatus
from pos_app.core.quantities import Quantity
from pos_app.core.refunds import CreditNote, SoldLine, credit_note
from pos_app.core.tax import TaxTable
from pos_app.services.orders import StoredLine, stored_lines, stored_table
from pos_app.store.schema import refunds

PENDING: Final = "pending"  # a refund asked of the relay, not yet settled


class AlreadyRefunded(PaymentError):
    def __init__(self) -> None:
        super().__init__("This payment was already refunded in full.")


class RefundTooLarge(Overpayment):
    def __init__(self, asked: Money, remaining: Money) -> None:
        super().__init__(
            f"{asked.format()} is more than was paid and not yet refunded ({remaining.format()})."
        )
        self.asked = asked
        self.remaining = remaining


class RefundAlreadyRequested(PaymentError):
    def __init__(self) -> None:
        super().__init__(
            "A refund of this payment is already waiting for the provider: it is sent again "
            "automatically until the provider answers."
        )


def pending_minor(conn: Connection, payment_id: str) -> int:
    """What is asked of the relay for this payment and not yet settled."""
    total = conn.execute(
        select(func.coalesce(func.sum(refunds.c.amount_minor), 0)).where(
            refunds.c.payment_id == payment_id, refunds.c.status == PENDING
        )
    ).scalar_one()
    return int(total)


def refundable_left(conn: Connection, row: Any) -> Money:
    """What of a payment row may still be given back: paid - refunded - pending."""
    left = row.amount_minor - row.refunded_minor - pending_minor(conn, row.id)
    return Money(max(left, 0), row.currency)


def refund_started(conn: Connection, row: Any) -> bool:
    """Something of this payment was given back or asked for (a void is then too late)."""
    return bool(row.refunded_minor) or pending_minor(conn, row.id) > 0


def check_refund(conn: Connection, row: Any, amount: Money) -> None:
    """Refuse a refund of a payment with nothing to give back, or of more than is left."""
    if row.status == PaymentStatus.REFUNDED.value or (
        row.status in PAID_STATUSES and row.refunded_minor >= row.amount_minor
    ):
        raise AlreadyRefunded()
    if PaymentStatus(row.status) not in PAID_STATUSES:
        raise PaymentError(f"A {row.status} payment has no money to give back.")
    if amount.currency != row.currency:
        raise InvalidInput(f"Refund in {row.currency}, the payment's currency.")
    left = refundable_left(conn, row)
    if left.is_zero:
        raise RefundAlreadyRequested()
    if amount > left:
        raise RefundTooLarge(amount, left)


def status_after_refund(row: Any, refunded_minor: int) -> PaymentStatus:
    """Where a payment goes once `refunded_minor` of it has been given back in all."""
    if refunded_minor >= row.amount_minor:
        return PaymentStatus.REFUNDED
    return PaymentStatus.PARTIALLY_REFUNDED


def sold_lines(lines: tuple[StoredLine, ...]) -> list[SoldLine]:
    """The sale's lines as core.refunds sees them: what was paid for each, and how much of
    each earlier credit notes took back."""
    return [
        SoldLine(s.line.amount, s.paid, s.tax.tax_class.code, s.refunded_thousandths)
        for s in lines
    ]


@dataclass(frozen=True, slots=True)
class RefundableLines:
    """A sale's lines as the refunds desk offers them back: their names, what was sold, paid
    and already taken back, and the rates they were sold at, so the desk can show what a
    return gives back (the same credit_note the refund then records) without a query."""

    order_id: str
    names: tuple[str, ...]
    prices: tuple[Money, ...]  # each line's unit price, as its receipt printed it
    sold: tuple[SoldLine, ...]
    table: TaxTable

    def credit(self, returns: Mapping[int, Quantity]) -> CreditNote:
        return credit_note(self.sold, returns, self.table)


def refundable_lines(conn: Connection, order_id: str) -> RefundableLines:
    lines, _ = stored_lines(conn, order_id)
    return RefundableLines(
        order_id,
        tuple(s.line.name for s in lines),
        tuple(s.line.unit_price for s in lines),
        tuple(sold_lines(lines)),
        stored_table(conn, order_id),
    )


def line_credit(
    conn: Connection, order_id: str, returns: Mapping[int, Quantity]
) -> tuple[tuple[StoredLine, ...], CreditNote]:
    """The sale's lines and the credit note for `returns` (line position -> quantity given
    back); raises core RefundTooLarge for more of a line than is left."""
    lines, _ = stored_lines(conn, order_id)
    return lines, credit_note(sold_lines(lines), returns, stored_table(conn, order_id))
