"""In-process domain events, published to subscribers after the ledger commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from pos_app.core.money import Money


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainEvent:
    occurred_at: datetime = field(default_factory=_now)


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderCreated(DomainEvent):
    order_id: str
    total: Money


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentCreated(DomainEvent):
    payment_id: str
    order_id: str
    amount: Money
    method: str
    status: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentProcessed(DomainEvent):
    """A payment changed status (paid, failed, waiting for the customer, ...)."""

    payment_id: str
    order_id: str
    amount: Money
    provider: str
    status: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CashSaleRecorded(DomainEvent):
    payment_id: str
    order_id: str
    amount: Money
    change: Money


@dataclass(frozen=True, slots=True, kw_only=True)
class ProofSubmitted(DomainEvent):
    proof_id: str
    payment_id: str
    order_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ProofDecided(DomainEvent):
    proof_id: str
    payment_id: str
    verified: bool
    decided_by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentFlagged(DomainEvent):
    payment_id: str
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class RefundRecorded(DomainEvent):
    refund_id: str
    payment_id: str
    amount: Money


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftOpened(DomainEvent):
    shift_id: str
    opened_by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftClosed(DomainEvent):
    shift_id: str
    closed_by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CashMoved(DomainEvent):
    shift_id: str
    amount: Money
    direction: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogueChanged(DomainEvent):
    product_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsReceiptSettled(DomainEvent):
    """The relay says what became of a text receipt: sent, failed (with its reason) or
    unknown (it may have arrived; it is not sent again)."""

    request_id: str
    order_id: str
    state: str
    reason: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EtimsInvoiceSettled(DomainEvent):
    """KRA eTIMS signed (or refused) the invoice of a receipt: the status bar's count of
    unsigned invoices and that receipt's eTIMS block change."""

    receipt_number: str
