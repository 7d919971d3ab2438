"""Online payments whose outcome is late, and when they stop waiting.

After `check_after` the provider should be asked how the payment went (the sync engine asks
the relay for an STK query / Paystack verify; the outcome then arrives on the pull stream).
After `unknown_after` with still no outcome the payment becomes "unknown" and needs a
supervisor: the till never guesses paid or failed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from pos_app.core.errors import DukaError
from pos_app.core.payments import STARTED_ONLINE, PaymentMethod, PaymentStatus
from pos_app.services.bus import EventBus
from pos_app.services.payment_outcomes import ProviderOutcomes
from pos_app.store.db import Ledger
from pos_app.store.schema import payments

log = logging.getLogger(__name__)

WAITING = (PaymentStatus.INITIATING.value, PaymentStatus.AWAITING_CUSTOMER.value)
ONLINE = tuple(m.value for m in STARTED_ONLINE)


@dataclass(frozen=True)
class Timing:
    check_after: timedelta
    unknown_after: timedelta


@dataclass(frozen=True)
class ReconcileTimings:
    # Daraja's STK prompt times out on the phone after about a minute; a payment link
    # (Paystack, Flutterwave, Stripe) can reasonably stay open while the customer finds a card.
    stk: Timing = Timing(timedelta(seconds=45), timedelta(minutes=5))
    link: Timing = Timing(timedelta(minutes=2), timedelta(minutes=30))
    # how often one late payment is checked again with the provider
    recheck_every_s: float = 30.0

    def of(self, method: str) -> Timing:
        return self.stk if method == PaymentMethod.MPESA_STK.value else self.link


@dataclass(frozen=True)
class LateSweep:
    unknown: int = 0  # payments that became unknown in this sweep
    to_check: list[str] = field(default_factory=list)  # oldest first


class LatePayments:
    def __init__(self, ledger: Ledger, bus: EventBus, timings: ReconcileTimings) -> None:
        self._ledger = ledger
        self._outcomes = ProviderOutcomes(ledger, bus)
        self.timings = timings

    def sweep(self, now: datetime) -> LateSweep:
        """Mark the payments waiting past `unknown_after` unknown; list the ones past
        `check_after` whose provider should be asked."""
        with self._ledger.read() as conn:
            waiting = conn.execute(
                select(payments.c.id, payments.c.method, payments.c.updated_at)
                .where(payments.c.status.in_(WAITING), payments.c.method.in_(ONLINE))
                .order_by(payments.c.updated_at)
            ).all()
        unknown = 0
        to_check: list[str] = []
        for row in waiting:
            timing = self.timings.of(row.method)
            age = now - row.updated_at
            if age >= timing.unknown_after:
                minutes = int(timing.unknown_after.total_seconds() // 60)
                try:
                    self._outcomes.mark_unknown(
                        row.id,
                        f"no answer from the provider after {minutes} minutes: check the "
                        "customer's message or the provider's statement",
                    )
                except DukaError:
                    # moved meanwhile (the outcome arrived): nothing to do
                    log.info("payment %s left the waiting states before it went unknown", row.id)
                    continue
                unknown += 1
            elif age >= timing.check_after:
                to_check.append(row.id)
        return LateSweep(unknown, to_check)
