"""Payment rows: the views services hand out, and the writes every payment operation shares
(a new row, a move through the state machine); the services compose them, none inherits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from pos_app.core.errors import CurrencyMismatch, InvalidInput, NotFound, Overpayment
from pos_app.core.events import PaymentProcessed
from pos_app.core.money import Money, currency
from pos_app.core.orders import OrderStatus
from pos_app.core.payments import (
    PAID_STATUSES,
    PROVIDER_OF_METHOD,
    PaymentMethod,
    PaymentStatus,
    transition,
)
from pos_app.core.risk import RiskReason
from pos_app.services import etims_invoices, orders
from pos_app.services.unit import Change
from pos_app.store.crypto import FieldCipher
from pos_app.store.schema import payments

S = PaymentStatus
RECEIPT = "receipt_number_ct"
PROVIDER_REF = "provider_reference_ct"
COLLECTED_BY = "collected_by_ct"
_INSERT_PAYMENT = payments.insert()


@dataclass(frozen=True, slots=True)
class PaymentView:
    id: str
    order_id: str
    method: str
    provider: str
    amount: Money
    status: str
    needs_supervisor: bool
    risk_score: int
    risk_reasons: tuple[RiskReason, ...]
    # personal data: kept out of repr() so a logged view never leaks it
    receipt_number: str | None = field(repr=False)
    provider_reference: str | None = field(repr=False)
    tendered: Money | None
    change: Money | None
    paid_amount: Money | None
    refunded: Money
    customer_id: str | None
    test_mode: bool
    created_at: datetime
    updated_at: datetime
    # why the provider declined: its result code (Daraja ResultCode) and a short message
    result_code: str | None = None
    result_message: str | None = None
    # who brought the cash of a cash-on-delivery order (personal data)
    collected_by: str | None = field(default=None, repr=False)

    @property
    def is_paid(self) -> bool:
        return PaymentStatus(self.status) in PAID_STATUSES


@dataclass(frozen=True, slots=True)
class CashSale:
    order_id: str
    payment_id: str
    amount: Money
    tendered: Money
    change: Money


@dataclass(frozen=True, slots=True)
class ProofView:
    id: str
    payment_id: str
    proof_type: str
    reference: str = field(repr=False)
    has_image: bool
    notes: str | None = field(repr=False)
    submitted_by: str | None
    submitted_at: datetime
    decision: str | None
    decided_by: str | None
    decided_at: datetime | None


def money_of(amount: Money | int, code: str | None) -> Money:
    """A Money from the guide's (amount, currency) pair or a Money; refuses zero/negative."""
    if isinstance(amount, Money):
        if code is not None and code != amount.currency:
            currency(code)
            raise CurrencyMismatch(amount.currency, code)
        money = amount
    else:
        if code is None:
            raise InvalidInput("An amount needs a currency.")
        money = Money(amount, code)
    return money.require_positive()


def load_payment(conn: Connection, payment_id: str) -> Any:
    row = conn.execute(select(payments).where(payments.c.id == payment_id)).first()
    if row is None:
        raise NotFound("payment", payment_id)
    return row


def payment_view(row: Any, cipher: FieldCipher) -> PaymentView:
    code = row.currency
    reasons = tuple(RiskReason(r["name"], r["points"], r["explanation"]) for r in row.risk_reasons)
    return PaymentView(
        id=row.id,
        order_id=row.order_id,
        method=row.method,
        provider=row.provider,
        amount=Money(row.amount_minor, code),
        status=row.status,
        needs_supervisor=bool(row.needs_supervisor),
        risk_score=row.risk_score,
        risk_reasons=reasons,
        receipt_number=cipher.decrypt_text_opt(row.receipt_number_ct, "payments", RECEIPT, row.id),
        provider_reference=cipher.decrypt_text_opt(
            row.provider_reference_ct, "payments", PROVIDER_REF, row.id
        ),
        tendered=None if row.tendered_minor is None else Money(row.tendered_minor, code),
        change=None if row.change_minor is None else Money(row.change_minor, code),
        paid_amount=None
        if row.paid_amount_minor is None
        else Money(row.paid_amount_minor, row.paid_currency),
        refunded=Money(row.refunded_minor, code),
        customer_id=row.customer_id,
        test_mode=bool(row.test_mode),
        created_at=row.created_at,
        updated_at=row.updated_at,
        result_code=row.result_code,
        result_message=row.result_message,
        collected_by=cipher.decrypt_text_opt(row.collected_by_ct, "payments", COLLECTED_BY, row.id),
    )


def audit_summary(row: Any, status: str | None = None) -> dict[str, Any]:
    """What the audit log may say about a payment: no personal data."""
    return {
        "order_id": row.order_id,
        "method": row.method,
        "amount_minor": row.amount_minor,
        "currency": row.currency,
        "status": status or row.status,
    }


def insert_payment(
    change: Change,
    *,
    order_id: str,
    amount: Money,
    method: PaymentMethod,
    status: PaymentStatus,
    customer_id: str | None,
    created_by: str | None,
    test_mode: bool = False,
    tendered: Money | None = None,
    change_given: Money | None = None,
    known: tuple[str, datetime] | None = None,
) -> str:
    """A new payment row inside `change`; its id. `known` is the (id, time) of a payment
    rebuilt from the relay's copy (services.recovery)."""
    if known is None:
        change.require_selling()
    payment_id, now = known or (str(uuid.uuid4()), datetime.now(UTC))
    change.conn.execute(
        _INSERT_PAYMENT,
        {
            "id": payment_id,
            "order_id": order_id,
            "customer_id": customer_id,
            "method": method.value,
            "provider": PROVIDER_OF_METHOD[method].value,
            "amount_minor": amount.minor,
            "currency": amount.currency,
            "status": status.value,
            "tendered_minor": None if tendered is None else tendered.minor,
            "change_minor": None if change_given is None else change_given.minor,
            "refunded_minor": 0,
            "risk_score": 0,
            "risk_reasons": [],
            "needs_supervisor": False,
            "test_mode": test_mode,
            "created_by": created_by,
            "created_at": now,
            "updated_at": now,
        },
    )
    return payment_id


def move(change: Change, row: Any, target: PaymentStatus, **values: Any) -> PaymentStatus:
    """Move a payment through the state machine (refusing a move it forbids), refresh its
    order's status and publish the move once `change` commits."""
    new = transition(row.status, target)
    change.conn.execute(
        update(payments)
        .where(payments.c.id == row.id)
        .values(status=new.value, updated_at=datetime.now(UTC), **values)
    )
    if orders.refresh_status(change.conn, row.order_id) == OrderStatus.PAID:
        etims_invoices.sale_completed(change, row.order_id)
    change.publish(
        PaymentProcessed(
            payment_id=row.id,
            order_id=row.order_id,
            amount=Money(row.amount_minor, row.currency),
            provider=row.provider,
            status=new.value,
        )
    )
    return new


def check_amount_against_order(conn: Connection, order_id: str, amount: Money) -> None:
    total, _, owed = orders.amounts(conn, order_id)
    if amount.currency != total.currency:
        raise CurrencyMismatch(total.currency, amount.currency)
    if amount > owed:
        raise Overpayment(f"{amount.format()} is more than the order still owes ({owed.format()}).")
