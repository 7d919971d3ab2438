"""Reconcile: online payments whose outcome is late.

After `check_after` the relay is asked to check with the provider (STK query / Paystack
verify; the outcome then arrives on the pull stream). After `unknown_after` with still no
outcome the payment becomes "unknown" and needs a supervisor: the till never guesses paid or
failed. C2B confirmations that arrived before their sale was rung up are matched again here (by
account reference and amount).
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from pos_app.core.errors import DukaError
from pos_app.core.payments import PaymentMethod, PaymentStatus
from pos_app.services import provider_events
from pos_app.services.bus import EventBus
from pos_app.services.gateway import GatewayRejected, GatewayUnavailable
from pos_app.services.payments import ApplyOutcome, PaymentService
from pos_app.services.unit import one_transaction
from pos_app.store.db import Ledger
from pos_app.store.schema import payments
from sync.engine.apply import pay_open_sale
from sync.engine.gateway import RelayGateway

log = logging.getLogger(__name__)

WAITING = (PaymentStatus.INITIATING.value, PaymentStatus.AWAITING_CUSTOMER.value)
_LATE_MATCH_NS = uuid.UUID("0b7e4c1a-53d2-4d8e-b0a4-7c9f3d2e1a55")


@dataclass(frozen=True)
class Timing:
    check_after: timedelta
    unknown_after: timedelta


@dataclass(frozen=True)
class ReconcileTimings:
    # Daraja's STK prompt times out on the phone after about a minute; a Paystack link can
    # reasonably stay open while the customer finds a card.
    stk: Timing = Timing(timedelta(seconds=45), timedelta(minutes=5))
    paystack: Timing = Timing(timedelta(minutes=2), timedelta(minutes=30))
    recheck_every_s: float = 30.0

    def of(self, method: str) -> Timing:
        return self.stk if method == PaymentMethod.MPESA_STK.value else self.paystack


@dataclass(frozen=True)
class ReconcileReport:
    checked: int = 0
    unknown: int = 0
    c2b_matched: int = 0


@dataclass
class Reconciler:
    ledger: Ledger
    bus: EventBus
    gateway: RelayGateway
    timings: ReconcileTimings = field(default_factory=ReconcileTimings)
    _last_check: dict[str, float] = field(default_factory=dict)

    def run_once(self, now: datetime | None = None) -> ReconcileReport:
        now = now or datetime.now(UTC)
        service = PaymentService(self.ledger, self.bus)
        with self.ledger.read() as conn:
            waiting = conn.execute(
                select(payments.c.id, payments.c.method, payments.c.updated_at)
                .where(
                    payments.c.status.in_(WAITING),
                    payments.c.method.in_(
                        [PaymentMethod.MPESA_STK.value, PaymentMethod.PAYSTACK_LINK.value]
                    ),
                )
                .order_by(payments.c.updated_at)
            ).all()
        checked = unknown = 0
        relay_down = False
        for row in waiting:
            timing = self.timings.of(row.method)
            age = now - row.updated_at
            if age >= timing.unknown_after:
                minutes = int(timing.unknown_after.total_seconds() // 60)
                try:
                    service.mark_unknown(
                        row.id,
                        f"no answer from the provider after {minutes} minutes: check the "
                        "customer's message or the provider's statement",
                    )
                except DukaError:
                    # moved meanwhile (the outcome arrived): nothing to do
                    log.info("payment %s left the waiting states before it went unknown", row.id)
                    continue
                self._last_check.pop(row.id, None)
                unknown += 1
            elif age >= timing.check_after and not relay_down and self._due(row.id):
                try:
                    self.gateway.request_status_check(row.id)
                    checked += 1
                except GatewayUnavailable:
                    relay_down = True  # try the others next round
                except GatewayRejected as exc:
                    log.info("relay cannot check payment %s: %s", row.id, exc.message)
        return ReconcileReport(checked, unknown, self.match_late_c2b())

    def _due(self, payment_id: str) -> bool:
        last = self._last_check.get(payment_id)
        now = time.monotonic()
        if last is not None and now - last < self.timings.recheck_every_s:
            return False
        self._last_check[payment_id] = now
        return True

    def match_late_c2b(self) -> int:
        """Pay open sales with C2B confirmations that arrived before the sale was rung up."""
        with self.ledger.read() as conn:
            unmatched = [
                v
                for v in provider_events.find_unmatched(conn, self.ledger.cipher)
                if v.channel == "mpesa_c2b" and v.reference and v.amount is not None
            ]
        matched = 0
        for view in unmatched:
            with (
                one_transaction(self.ledger, self.bus) as (joined, held),
                joined.write() as conn,
            ):
                service = PaymentService(joined, held)
                payment_id = pay_open_sale(
                    service, conn, view.reference, view.amount, view.test_mode
                )
                if payment_id is None or view.amount is None:
                    continue
                outcome = service.apply_provider_event(
                    str(uuid.uuid5(_LATE_MATCH_NS, view.event_id)),
                    status=PaymentStatus.SUCCEEDED,
                    amount_minor=view.amount.minor,
                    currency=view.amount.currency,
                    payment_id=payment_id,
                    receipt_number=view.receipt,
                    relay_seq=view.relay_seq,
                    event_type="mpesa_c2b.late_match",
                )
                if outcome in (ApplyOutcome.APPLIED, ApplyOutcome.FLAGGED):
                    provider_events.mark_matched(conn, view.event_id, payment_id, "auto")
                    matched += 1
        return matched
