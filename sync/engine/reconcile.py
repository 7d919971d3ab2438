"""Reconcile: online payments whose outcome is late (the rules: pos_app.services.late_payments).

The engine's part is the relay: it asks it to check with the provider the payments the sweep
says are due (each at most every `recheck_every_s`; the outcome then arrives on the pull
stream), and has C2B confirmations that arrived before their sale was rung up matched again,
asking the relay first for one nobody showed the reference of (one shop, one claim).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pos_app.services.bus import EventBus
from pos_app.services.gateway import C2BTaken, GatewayRejected, GatewayUnavailable
from pos_app.services.late_payments import LatePayments, ReconcileTimings
from pos_app.services.payment_events import PaymentEvents
from pos_app.services.provider_events import Claim, ProviderEventView
from pos_app.services.sync_ledger import Ledger
from sync.engine.relay_gateway import RelayGateway

log = logging.getLogger(__name__)
# who asked, in the relay's audit: the till matching a sale's own reference, not a person
CLAIMED_BY = "till (sale's account reference)"


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
        sweep = LatePayments(self.ledger, self.bus, self.timings).sweep(now or datetime.now(UTC))
        # forget the payments that stopped waiting (paid, failed, unknown)
        self._last_check = {k: v for k, v in self._last_check.items() if k in sweep.to_check}
        checked = 0
        for payment_id in sweep.to_check:
            if not self._due(payment_id):
                continue
            try:
                self.gateway.request_status_check(payment_id)
                checked += 1
            except GatewayUnavailable:
                break  # try the others next round
            except GatewayRejected as exc:
                log.info("relay cannot check payment %s: %s", payment_id, exc.message)
        return ReconcileReport(checked, sweep.unknown, self.match_late_c2b())

    def _due(self, payment_id: str) -> bool:
        last = self._last_check.get(payment_id)
        now = time.monotonic()
        if last is not None and now - last < self.timings.recheck_every_s:
            return False
        self._last_check[payment_id] = now
        return True

    def match_late_c2b(self) -> int:
        """Pay open sales with C2B confirmations that arrived before the sale was rung up."""
        return PaymentEvents(self.ledger, self.bus).match_late_c2b(self._claim)

    def _claim(self, view: ProviderEventView) -> Claim:
        """The relay's answer to this till asking for a payment nobody showed the reference
        of; OPEN (ask again next round) when it cannot answer."""
        if not view.receipt:
            return Claim.OPEN
        try:
            self.gateway.claim_c2b(view.receipt, CLAIMED_BY)
        except C2BTaken:
            return Claim.TAKEN
        except GatewayRejected as exc:
            log.info("relay cannot grant C2B event %s: %s", view.event_id, exc.message)
            return Claim.OPEN
        except GatewayUnavailable:
            return Claim.OPEN
        return Claim.MINE
