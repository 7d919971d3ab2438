"""Giving money back: voiding a sale while its shift is open, refunding cash from the drawer,
recording an M-Pesa reversal, refunding a Paystack, Flutterwave or Stripe payment through the
relay; by amount, or by
line (returned quantities, credited by core.refunds and kept as credit-note lines that say
which sold line, how much of it and what tax they reverse).

Every one needs a supervisor's PIN and a reason. The money change itself is one ledger
transaction (PaymentService.refund, or the void below) with its outbox event and audit entry;
a refund through the relay is recorded as pending before the relay is asked (refund_requests); a
refused attempt changes nothing and is audited on its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import Connection, func, select, update

from pos_app.core.errors import DukaError, InvalidInput, NotFound, PaymentError, ShiftError
from pos_app.core.events import PaymentProcessed
from pos_app.core.money import Money
from pos_app.core.orders import OrderStatus
from pos_app.core.payments import OPEN_STATUSES, PAID_STATUSES, PaymentMethod, PaymentStatus
from pos_app.core.quantities import Quantity, Unit
from pos_app.services import etims_invoices, receipt_numbers
from pos_app.services.admin import RelayNotPaired
from pos_app.services.bus import EventBus
from pos_app.services.gateway import OnlineGateway
from pos_app.services.grants import Action, Grant, actor
from pos_app.services.orders import load_order_row, stored_lines
from pos_app.services.payment_rows import load_payment
from pos_app.services.payments import PaymentService, PaymentView, record_refund
from pos_app.services.refund_requests import DONE, RefundPending, RelayRefunds
from pos_app.services.refundable import (
    AlreadyRefunded,
    RefundableLines,
    RefundAlreadyRequested,
    RefundTooLarge,
    line_credit,
    refund_started,
    refundable_left,
    refundable_lines,
)
from pos_app.services.shop import ShopSettings, load_settings
from pos_app.services.unit import audit_refusal, ledger_change
from pos_app.services.users import UserService, authorise
from pos_app.store.db import Ledger
from pos_app.store.schema import credit_note_lines, order_lines, orders, payments, refunds, shifts

__all__ = [
    "AlreadyRefunded",
    "RefundAlreadyRequested",
    "RefundMethod",
    "RefundPending",
    "RefundService",
    "RefundTooLarge",
    "RefundableLines",
    "ReversalCodeMissing",
    "shift_refunds",
    "shift_voids",
]

S = PaymentStatus


class ReversalCodeMissing(InvalidInput):
    """An M-Pesa reversal is recorded with the code of the reversal transaction."""


class RefundMethod(StrEnum):
    CASH_DRAWER = "cash_drawer"
    MPESA_REVERSAL = "mpesa_reversal"
    PAYSTACK = "paystack_refund"
    FLUTTERWAVE = "flutterwave_refund"
    STRIPE = "stripe_refund"
    BANK_TRANSFER = "bank_transfer"


# Refunds the provider makes, asked for through the relay (refund_requests): by amount only.
RELAY_REFUNDS: Final = frozenset({RefundMethod.PAYSTACK, RefundMethod.FLUTTERWAVE,
                                  RefundMethod.STRIPE})  # fmt: skip


REFUND_METHOD_OF: Final[dict[str, RefundMethod]] = {
    PaymentMethod.CASH.value: RefundMethod.CASH_DRAWER,
    PaymentMethod.CASH_ON_DELIVERY.value: RefundMethod.CASH_DRAWER,
    PaymentMethod.MPESA_STK.value: RefundMethod.MPESA_REVERSAL,
    PaymentMethod.MPESA_PAYBILL.value: RefundMethod.MPESA_REVERSAL,
    PaymentMethod.MANUAL_MOBILE_MONEY.value: RefundMethod.MPESA_REVERSAL,
    PaymentMethod.PAYSTACK_LINK.value: RefundMethod.PAYSTACK,
    PaymentMethod.FLUTTERWAVE_LINK.value: RefundMethod.FLUTTERWAVE,
    PaymentMethod.STRIPE_CHECKOUT.value: RefundMethod.STRIPE,
    PaymentMethod.BANK_TRANSFER.value: RefundMethod.BANK_TRANSFER,
}


@dataclass(frozen=True, slots=True)
class RefundablePayment:
    payment: PaymentView
    refund_method: RefundMethod
    remaining: Money
    shift_open: bool  # the sale's shift is still open: it may be voided instead


@dataclass(frozen=True, slots=True)
class RefundableSale:
    """A paid sale as the refunds desk lists it: one row, its payments beneath."""

    order_id: str
    at: datetime
    items: tuple[str, ...]  # "2 x Unga wa Ugali 2kg"
    total: Money
    payments: tuple[RefundablePayment, ...]
    receipt_number: str = ""  # "TILL1-000123" as printed; empty for a sale stored before them


@dataclass(frozen=True, slots=True)
class RefundRow:
    id: str
    payment_id: str
    amount: Money
    method: str
    reason: str
    by_user: str
    at: datetime
    status: str = DONE  # "pending" while the provider has not answered, "failed" if it refused


def shift_refunds(conn: Connection, shift_id: str) -> dict[str, tuple[int, int]]:
    """(count, minor units) of the refunds given back per payment method, for the sales of
    one shift (for the Z report). Asked-for refunds count once the provider has made them."""
    rows = conn.execute(
        select(payments.c.method, func.count(), func.sum(refunds.c.amount_minor))
        .select_from(refunds.join(payments).join(orders))
        .where(orders.c.shift_id == shift_id, refunds.c.status == DONE)
        .group_by(payments.c.method)
    )
    return {str(method): (int(n), int(total)) for method, n, total in rows}


def shift_voids(conn: Connection, shift_id: str) -> dict[str, tuple[int, int]]:
    """(count, minor units) of the payments voided per payment method in one shift's sales."""
    rows = conn.execute(
        select(payments.c.method, func.count(), func.sum(payments.c.amount_minor))
        .select_from(payments.join(orders))
        .where(orders.c.shift_id == shift_id, payments.c.status == S.VOIDED.value)
        .group_by(payments.c.method)
    )
    return {str(method): (int(n), int(total)) for method, n, total in rows}


class RefundService:
    def __init__(
        self,
        ledger: Ledger,
        bus: EventBus,
        payments_service: PaymentService,
        users_service: UserService,
        gateway: Callable[[], OnlineGateway | None] | None = None,
    ) -> None:
        self._ledger = ledger
        self._bus = bus
        self._payments = payments_service
        self._users = users_service
        self._gateway = gateway or (lambda: None)
        self.relay = RelayRefunds(ledger, bus, self._gateway)

    # --- reading --------------------------------------------------------------------------
    def recent_paid(self, limit: int = 200) -> list[RefundablePayment]:
        """Paid (or partly refunded) payments, newest first, with what can still go back."""
        with self._ledger.read() as conn:
            ids = list(
                conn.execute(
                    select(payments.c.id)
                    .where(payments.c.status.in_([s.value for s in PAID_STATUSES]))
                    .order_by(payments.c.created_at.desc())
                    .limit(limit)
                ).scalars()
            )
        return [self.refundable(i) for i in ids]

    def recent_sales(self, limit: int = 200) -> list[RefundableSale]:
        """The sales of the newest paid payments, newest first, each with its paid payments
        (a split sale is one sale)."""
        paid = self.recent_paid(limit)
        by_order: dict[str, list[RefundablePayment]] = {}
        for target in paid:
            by_order.setdefault(target.payment.order_id, []).append(target)
        with self._ledger.read() as conn:
            heads = {
                row.id: row
                for row in conn.execute(
                    select(orders.c.id, orders.c.created_at, orders.c.total_minor,
                           orders.c.currency, orders.c.receipt_prefix,
                           orders.c.receipt_sequence).where(orders.c.id.in_(list(by_order)))
                )
            }
            items: dict[str, list[str]] = {}
            for line in conn.execute(
                select(
                    order_lines.c.order_id,
                    order_lines.c.quantity_thousandths,
                    order_lines.c.unit,
                    order_lines.c.name,
                )
                .where(order_lines.c.order_id.in_(list(by_order)))
                .order_by(order_lines.c.order_id, order_lines.c.position)
            ):
                amount = Quantity(line.quantity_thousandths, Unit(line.unit))
                items.setdefault(line.order_id, []).append(f"{amount} x {line.name}")
        return [
            RefundableSale(
                order_id=order_id,
                at=heads[order_id].created_at,
                items=tuple(items.get(order_id, ())),
                total=Money(heads[order_id].total_minor, heads[order_id].currency),
                payments=tuple(reversed(targets)),  # in the order they were paid
                receipt_number=str(receipt_numbers.of_order(heads[order_id]) or ""),
            )
            for order_id, targets in by_order.items()
        ]

    def orders_for_phone(self, phone: str) -> set[str]:
        """The sales a customer paid, found by their whole phone number through its blind
        index (the index is of the whole number: its last digits alone cannot be looked up)."""
        try:
            return {p.order_id for p in self._payments.payments_for_phone(phone)}
        except DukaError:  # not a phone number after all
            return set()

    def shop(self) -> ShopSettings:
        """The shop's name, zone and receipt header, for the refund slip."""
        with self._ledger.read() as conn:
            return load_settings(conn)

    def refundable(self, payment_id: str) -> RefundablePayment:
        view = self._payments.get_payment(payment_id)
        with self._ledger.read() as conn:
            shift_open = _shift_open(conn, view.order_id)
            remaining = refundable_left(conn, load_payment(conn, payment_id))
        return RefundablePayment(
            payment=view,
            refund_method=REFUND_METHOD_OF[view.method],
            remaining=remaining,
            shift_open=shift_open,
        )

    def sale_lines(self, order_id: str) -> RefundableLines:
        """The sale's lines, what of each is left to come back, and how a return is priced."""
        with self._ledger.read() as conn:
            return refundable_lines(conn, order_id)

    def refunds(self, limit: int = 500) -> list[RefundRow]:
        with self._ledger.read() as conn:
            rows = conn.execute(select(refunds).order_by(refunds.c.created_at.desc()).limit(limit))
            return [
                RefundRow(
                    r.id,
                    r.payment_id,
                    Money(r.amount_minor, r.currency),
                    r.method,
                    r.reason,
                    r.by_user,
                    r.created_at,
                    r.status,
                )
                for r in rows
            ]

    # --- refunds --------------------------------------------------------------------------
    def refund(
        self,
        payment_id: str,
        amount: Money,
        reason: str,
        *,
        supervisor_id: str,
        pin: str,
        reversal_code: str | None = None,
        request_id: str | None = None,
    ) -> PaymentView:
        """Give `amount` back the way the payment came in (cash from the drawer, an M-Pesa
        reversal already made on the phone, a Paystack, Flutterwave or Stripe refund through
        the relay).

        A refund through the relay is recorded as pending first, then the relay is asked with
        `request_id` (a UUID the screen keeps until the refund succeeds; the same id again is
        the same refund, so asking after a lost reply can never refund twice). Without an
        answer it raises RefundPending and the refund is sent again by itself."""
        try:
            if not reason.strip():
                raise InvalidInput("Say why the money is given back.")
            amount.require_positive("A refund")
            grant = self._users.grant(supervisor_id, pin, Action.REFUND)
            view = self._payments.get_payment(payment_id)
            method = REFUND_METHOD_OF[view.method]
            if method not in RELAY_REFUNDS:  # those go by amount only (refund_lines says why)
                self._require_no_tax_invoice(view.order_id)
            text = reason.strip()
            if method is RefundMethod.MPESA_REVERSAL:
                if not reversal_code or not reversal_code.strip():
                    raise ReversalCodeMissing(
                        "Type the M-Pesa reversal's transaction code from the confirmation SMS."
                    )
                text = f"{text} (M-Pesa reversal {reversal_code.strip().upper()})"
            if method not in RELAY_REFUNDS:
                return self._payments.refund(
                    payment_id, amount, text, grant=grant, method=method.value
                )
            if self._gateway() is None:
                raise RelayNotPaired("Card and payment-link refunds go through the relay.")
            request = self.relay.request(
                payment_id, amount, text, method=method.value, grant=grant, request_id=request_id
            )
        except DukaError as exc:
            audit_refusal(
                self._ledger,
                self._bus,
                supervisor_id,
                "refund.refused",
                "payment",
                payment_id,
                exc,
                {"amount_minor": amount.minor, "currency": amount.currency},
            )
            raise
        # recorded: from here on an error is the relay's answer, audited as such, not a refusal
        self.relay.send(request, actor_id=supervisor_id)
        return self._payments.get_payment(payment_id)

    def _require_no_tax_invoice(self, order_id: str) -> None:
        """KRA's credit note lists the items and quantities it reverses (rcptTyCd R): an
        amount alone cannot be one, so a sale sent to eTIMS gives money back by line. (A card
        or payment-link refund through the relay is by amount still, and makes no credit
        note yet: docs/etims.md.)"""
        with self._ledger.read() as conn:
            invoice = etims_invoices.invoice_of(conn, order_id)
        if invoice is not None and invoice.state is not etims_invoices.EtimsState.REFUSED:
            raise InvalidInput(
                "This sale has an eTIMS tax invoice, and its credit note must say what comes "
                "back: pick the items and quantities instead of typing an amount."
            )

    def refund_lines(
        self,
        payment_id: str,
        returns: Mapping[int, Quantity],
        reason: str,
        *,
        supervisor_id: str,
        pin: str,
        reversal_code: str | None = None,
    ) -> PaymentView:
        """Give back what the buyer paid for `returns` (line position -> quantity returned) of
        the payment's sale, the way the payment came in (cash, an M-Pesa reversal already
        made, a bank transfer; a payment-link payment is refunded by amount). One transaction:
        the refund, its credit-note lines, the lines' returned quantities, outbox, audit."""
        try:
            if not reason.strip():
                raise InvalidInput("Say why the goods come back.")
            grant = self._users.grant(supervisor_id, pin, Action.REFUND)
            method = REFUND_METHOD_OF[self._payments.get_payment(payment_id).method]
            text = reason.strip()
            if method in RELAY_REFUNDS:
                raise InvalidInput(
                    "Refund a card or payment-link payment by amount: it goes through the relay."
                )
            if method is RefundMethod.MPESA_REVERSAL:
                if not reversal_code or not reversal_code.strip():
                    raise ReversalCodeMissing(
                        "Type the M-Pesa reversal's transaction code from the confirmation SMS."
                    )
                text = f"{text} (M-Pesa reversal {reversal_code.strip().upper()})"
            self._credit_lines(payment_id, returns, text, grant, method.value, void=False)
        except DukaError as exc:
            audit_refusal(
                self._ledger, self._bus, supervisor_id, "refund.refused", "payment", payment_id,
                exc, {"lines": sorted(returns)},
            )
            raise
        return self._payments.get_payment(payment_id)

    def void_lines(
        self,
        payment_id: str,
        returns: Mapping[int, Quantity],
        reason: str,
        *,
        supervisor_id: str,
        pin: str,
    ) -> PaymentView:
        """Take lines (or part of them) off a paid sale of the open shift: the money goes back
        at once, from the drawer for cash, and the credit-note lines say what was voided.
        Once the shift is closed, refund_lines instead."""
        try:
            if not reason.strip():
                raise InvalidInput("Say why the lines are voided.")
            grant = self._users.grant(supervisor_id, pin, Action.REFUND)
            view = self._payments.get_payment(payment_id)
            with self._ledger.read() as conn:
                if not _shift_open(conn, view.order_id):
                    raise ShiftError(
                        "This sale's shift is closed: its lines can no longer be voided. "
                        "Refund them instead."
                    )
            method = REFUND_METHOD_OF[view.method]
            if method in RELAY_REFUNDS:
                raise InvalidInput(
                    "Refund a card or payment-link payment by amount: it goes through the relay."
                )
            self._credit_lines(payment_id, returns, reason.strip(), grant, method.value,
                               void=True)
        except DukaError as exc:
            audit_refusal(
                self._ledger, self._bus, supervisor_id, "void.refused", "payment", payment_id,
                exc, {"lines": sorted(returns)},
            )
            raise
        return self._payments.get_payment(payment_id)

    def _credit_lines(
        self,
        payment_id: str,
        returns: Mapping[int, Quantity],
        reason: str,
        grant: Grant,
        method: str,
        *,
        void: bool,
    ) -> str:
        with ledger_change(self._ledger, self._bus, actor(grant)) as change:
            conn = change.conn
            supervisor_id = authorise(conn, grant, Action.REFUND).id
            order_id = load_payment(conn, payment_id).order_id
            lines, note = line_credit(conn, order_id, returns)
            if note.total.is_zero:
                raise InvalidInput(
                    "What comes back is worth less than the smallest coin: return more at once."
                )
            refund_id = record_refund(change, payment_id, note.total, reason, supervisor_id,
                                      method)
            credited = []
            for credit in note.lines:
                sold = lines[credit.index]
                values = {
                    "order_line_id": sold.id,
                    "quantity_thousandths": credit.quantity.thousandths,
                    "amount_minor": credit.amount.minor,
                    "tax_class": credit.tax.tax_class.code,
                    "tax_rate_bps": credit.tax.tax_class.rate_bps,
                    "taxable_minor": credit.tax.taxable.minor,
                    "vat_minor": credit.tax.tax.minor,
                }
                conn.execute(
                    credit_note_lines.insert().values(
                        id=str(uuid.uuid4()), refund_id=refund_id, **values
                    )
                )
                conn.execute(
                    update(order_lines)
                    .where(order_lines.c.id == sold.id)
                    .values(
                        refunded_thousandths=order_lines.c.refunded_thousandths
                        + credit.quantity.thousandths
                    )
                )
                credited.append({"position": sold.position, **values})
            order = load_order_row(conn, order_id)
            change.record(
                "void.credit_note" if void else "refund.credit_note",
                entity="refund",
                entity_id=refund_id,
                details={
                    "order_id": order_id,
                    "amount_minor": note.total.minor,
                    "vat_minor": note.taxes.tax.minor,
                    "lines": [(c["position"], c["quantity_thousandths"]) for c in credited],
                },
                payload={
                    "refund_id": refund_id,
                    "order_id": order_id,
                    # what the credit note reverses, as the sale's receipt printed it
                    "receipt_prefix": order.receipt_prefix,
                    "receipt_sequence": order.receipt_sequence,
                    "currency": note.total.currency,
                    "amount_minor": note.total.minor,
                    "vat_minor": note.taxes.tax.minor,
                    "lines": credited,
                },
            )
            etims_invoices.credit_note_issued(change, order_id, note)
        return refund_id

    # --- voids ----------------------------------------------------------------------------
    def void_sale(self, order_id: str, reason: str, *, supervisor_id: str, pin: str) -> None:
        """Undo a sale of the open shift: its paid payments become voided (the money goes back
        to the customer at once), open ones are cancelled, the order is cancelled."""
        try:
            if not reason.strip():
                raise InvalidInput("Say why the sale is voided.")
            grant = self._users.grant(supervisor_id, pin, Action.REFUND)
            self._void(order_id, reason.strip(), grant)
        except DukaError as exc:
            audit_refusal(
                self._ledger, self._bus, supervisor_id, "void.refused", "order", order_id, exc
            )
            raise

    def _void(self, order_id: str, reason: str, grant: Grant) -> None:
        now = datetime.now(UTC)
        with ledger_change(self._ledger, self._bus, actor(grant)) as change:
            conn = change.conn
            authorise(conn, grant, Action.REFUND)
            order = conn.execute(select(orders).where(orders.c.id == order_id)).first()
            if order is None:
                raise NotFound("order", order_id)
            if order.status in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):
                raise PaymentError(f"This sale is already {order.status}.")
            if not _shift_open(conn, order_id):
                raise ShiftError(
                    "This sale's shift is closed: it can no longer be voided. Refund it instead."
                )
            rows = list(conn.execute(select(payments).where(payments.c.order_id == order_id)))
            if any(refund_started(conn, r) for r in rows):
                raise PaymentError("Part of this sale was refunded: refund the rest instead.")
            voided: list[dict[str, Any]] = []
            for row in rows:
                status = PaymentStatus(row.status)
                if status in PAID_STATUSES:
                    target = S.VOIDED
                elif status in OPEN_STATUSES:
                    target = S.CANCELLED
                else:
                    continue
                conn.execute(
                    update(payments)
                    .where(payments.c.id == row.id)
                    .values(status=target.value, needs_supervisor=False, updated_at=now)
                )
                voided.append(
                    {"payment_id": row.id, "status": target.value, "amount_minor": row.amount_minor}
                )
                change.publish(
                    PaymentProcessed(
                        payment_id=row.id,
                        order_id=order_id,
                        amount=Money(row.amount_minor, row.currency),
                        provider=row.provider,
                        status=target.value,
                    )
                )
            conn.execute(
                update(orders)
                .where(orders.c.id == order_id)
                .values(status=OrderStatus.CANCELLED.value, updated_at=now)
            )
            # what KRA is told comes back (nothing was refunded before: see above)
            sold, _ = stored_lines(conn, order_id)
            _, note = line_credit(conn, order_id, {s.position: s.line.amount for s in sold})
            # every line comes back whole: nothing of a voided sale is left to refund
            conn.execute(
                update(order_lines)
                .where(order_lines.c.order_id == order_id)
                .values(refunded_thousandths=order_lines.c.quantity_thousandths)
            )
            change.record(
                "sale.voided",
                entity="order",
                entity_id=order_id,
                details={
                    "total_minor": order.total_minor,
                    "currency": order.currency,
                    "payments": voided,
                },
                payload={"order_id": order_id, "reason": reason, "payments": voided},
            )
            etims_invoices.credit_note_issued(change, order_id, note)


def _shift_open(conn: Connection, order_id: str) -> bool:
    shift_id = conn.execute(select(orders.c.shift_id).where(orders.c.id == order_id)).scalar()
    if shift_id is None:
        return False
    closed = conn.execute(select(shifts.c.closed_at).where(shifts.c.id == shift_id)).scalar()
    return closed is None

