"""Gathers risk signals from the ledger and flags payments that need a supervisor."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Final

from sqlalchemy import Connection, func, or_, select, update

from pos_app.core.errors import NotFound
from pos_app.core.events import PaymentFlagged
from pos_app.core.identifiers import normalize_reference
from pos_app.core.money import Money
from pos_app.core.payments import PAID_STATUSES, PaymentProvider
from pos_app.core.risk import (
    ATTEMPT_WINDOW_MINUTES,
    RiskAssessment,
    RiskReason,
    RiskSignals,
    assess,
)
from pos_app.services import customers
from pos_app.services.bus import EventBus
from pos_app.services.shop import load_settings
from pos_app.services.unit import Change, ledger_change
from pos_app.store.crypto import FieldCipher
from pos_app.store.db import Ledger
from pos_app.store.schema import payments, proofs

RECENT_SALES: Final = 200
MIN_SALES_FOR_USUAL: Final = 20
REFERENCE = "reference"


def reference_index(cipher: FieldCipher, reference: str) -> bytes:
    return cipher.blind_index(REFERENCE, normalize_reference(reference))


def usual_amount(conn: Connection, code: str) -> Money | None:
    """Median of the shop's recent paid sales in `code`; None while there are too few."""
    # newest payments first through the created_at index, filtered afterwards: filtering
    # first lets SQLite pick the status index and sort every paid sale the shop ever made
    recent = (
        select(payments.c.amount_minor, payments.c.status, payments.c.currency)
        .order_by(payments.c.created_at.desc())
        .limit(RECENT_SALES)
        .subquery()
    )
    amounts = list(
        conn.execute(
            select(recent.c.amount_minor)
            .where(recent.c.status.in_([s.value for s in PAID_STATUSES]))
            .where(recent.c.currency == code)
        ).scalars()
    )
    if len(amounts) < MIN_SALES_FOR_USUAL:
        return None
    return Money(int(statistics.median_low(amounts)), code)


def recent_attempts(conn: Connection, customer_id: str, now: datetime) -> int:
    since = now - timedelta(minutes=ATTEMPT_WINDOW_MINUTES)
    return int(
        conn.execute(
            select(func.count())
            .select_from(payments)
            .where(payments.c.customer_id == customer_id, payments.c.created_at >= since)
        ).scalar_one()
    )


def reference_used(conn: Connection, bidx: bytes, *, except_payment: str | None = None) -> bool:
    """Has this receipt / reference code been seen on any proof or paid payment?"""
    proof_hit = select(proofs.c.id).where(proofs.c.reference_bidx == bidx)
    pay_hit = select(payments.c.id).where(
        or_(payments.c.receipt_number_bidx == bidx, payments.c.provider_reference_bidx == bidx)
    )
    if except_payment is not None:
        proof_hit = proof_hit.where(proofs.c.payment_id != except_payment)
        pay_hit = pay_hit.where(payments.c.id != except_payment)
    return (
        conn.execute(proof_hit.limit(1)).first() is not None
        or conn.execute(pay_hit.limit(1)).first() is not None
    )


def gather(
    conn: Connection,
    cipher: FieldCipher,
    amount: Money,
    provider: PaymentProvider,
    *,
    customer_id: str | None = None,
    customer_is_new: bool = False,
    proof_reference_reused: bool = False,
    amount_mismatch: bool = False,
    now: datetime | None = None,
) -> RiskAssessment:
    now = now or datetime.now(UTC)
    return assess(
        RiskSignals(
            amount=amount,
            provider=provider,
            usual_amount=usual_amount(conn, amount.currency),
            recent_attempts=recent_attempts(conn, customer_id, now) if customer_id else 0,
            proof_reference_reused=proof_reference_reused,
            amount_mismatch=amount_mismatch,
            new_customer=customer_is_new,
        )
    )


def reasons_json(reasons: Sequence[RiskReason]) -> list[dict[str, object]]:
    return [{"name": r.name, "points": r.points, "explanation": r.explanation} for r in reasons]


def apply_flag(
    change: Change, payment_id: str, assessment: RiskAssessment, *, force: bool = False
) -> bool:
    """Store the score and reasons; above the shop's threshold (or `force`) mark the payment
    as needing a supervisor, with an audit entry and a PaymentFlagged event. Returns flagged?"""
    threshold = load_settings(change.conn).risk_threshold
    flagged = force or assessment.above(threshold)
    row = change.conn.execute(
        select(payments.c.risk_reasons, payments.c.needs_supervisor).where(
            payments.c.id == payment_id
        )
    ).first()
    if row is None:
        raise NotFound("payment", payment_id)
    known = {r["name"] for r in row.risk_reasons}
    merged = list(row.risk_reasons) + [
        r for r in reasons_json(assessment.reasons) if r["name"] not in known
    ]
    change.conn.execute(
        update(payments)
        .where(payments.c.id == payment_id)
        .values(
            risk_score=min(100, sum(int(r["points"]) for r in merged)),
            risk_reasons=merged,
            needs_supervisor=bool(row.needs_supervisor) or flagged,
            updated_at=datetime.now(UTC),
        )
    )
    if flagged:
        names = tuple(r.name for r in assessment.reasons)
        change.record(
            "payment.flagged",
            entity="payment",
            entity_id=payment_id,
            details={"score": assessment.score, "reasons": list(names)},
            payload={"payment_id": payment_id, "score": assessment.score, "reasons": list(names)},
        )
        change.publish(PaymentFlagged(payment_id=payment_id, score=assessment.score, reasons=names))
    return flagged


class RiskService:
    def __init__(self, ledger: Ledger, bus: EventBus) -> None:
        self._ledger = ledger
        self._bus = bus

    def calculate_risk_score(
        self,
        amount: Money,
        customer: customers.CustomerDetails | str | None,
        provider: PaymentProvider | str,
    ) -> RiskAssessment:
        """Score a prospective payment; `customer` is details (found by phone) or an id."""
        with self._ledger.read() as conn:
            customer_id: str | None = None
            if isinstance(customer, str):
                customer_id = customer
            elif customer is not None and customer.phone:
                region = customers.region_for(amount.currency)
                customer_id = customers.find_by_phone(
                    conn, self._ledger.cipher, customer.phone, region
                )
            return gather(
                conn,
                self._ledger.cipher,
                amount,
                PaymentProvider(provider),
                customer_id=customer_id,
                customer_is_new=customer is not None and customer_id is None,
            )

    def flag_high_risk_transaction(
        self, payment_id: str, assessment: RiskAssessment, *, actor_id: str | None = None
    ) -> bool:
        """Record the assessment on the payment; above threshold it needs a supervisor."""
        with ledger_change(self._ledger, self._bus, actor_id) as change:
            flagged = apply_flag(change, payment_id, assessment)
            if not flagged:
                change.record(
                    "payment.risk_scored",
                    entity="payment",
                    entity_id=payment_id,
                    details={"score": assessment.score},
                )
        return flagged
