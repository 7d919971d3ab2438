"""Pull: long-poll the relay for the shop's canonical payment events, KRA eTIMS answers and
the fate of text receipts, and apply each once.

One SQLite transaction per batch (pos_app.services.payment_events.PaymentEvents.batch) holds,
for every new event, its effects and its inbox row (keyed on the event id), and the advanced
cursor: a crash anywhere leaves either all of it or none of it, and a re-delivered event finds
its inbox row and changes nothing. Each event is applied in a savepoint of its own, so one that
cannot be applied is kept for a supervisor instead of stopping the stream. What an event does
to the ledger is the till's business (PaymentEvents.apply); this module only moves events.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from pos_app.services.etims_invoices import EtimsOutcome, EtimsSignature
from pos_app.services.payment_events import EventBatch, PaymentEvents, ProviderOutcome
from pos_app.services.provider_events import Claim
from pos_app.services.sms_receipts import SmsResult, SmsState
from sync.engine.link import RelayLink
from sync.protocol import CanonicalPaymentEvent, EtimsEvent, PaymentChannel, SmsEvent
from sync.protocol import EtimsOutcome as EtimsOutcomeType

log = logging.getLogger(__name__)

LAST_PULL_KEY = "pull.last_at"
FAILED = "error"


def cursor_key(shop_id: str) -> str:
    # per shop: a till re-paired to another shop starts that shop's stream from the start
    return f"pull.cursor:{shop_id}"


@dataclass(frozen=True)
class PullReport:
    received: int
    applied: int
    cursor: str


class Puller:
    def __init__(self, events: PaymentEvents, link: RelayLink, *, limit: int = 200) -> None:
        self._events = events
        self._link = link
        self._limit = limit

    def cursor(self) -> str | None:
        creds = self._link.credentials
        if creds is None:
            return None
        return self._events.fact(cursor_key(creds.shop_id))

    def pull_once(self, wait_s: float = 0.0, stop: threading.Event | None = None) -> PullReport:
        """One (long-)poll and its application (skipped if `stop` was set meanwhile). Raises
        RelayUnavailable / RelayUnauthorized / NotPaired for the caller to handle."""
        client = self._link.client()
        creds = self._link.credentials
        assert creds is not None
        key = cursor_key(creds.shop_id)
        after = self._events.fact(key)
        reply = client.pull(after, wait_s, self._limit)
        if stop is not None and stop.is_set():
            return PullReport(len(reply.events), 0, after or "")
        self._link.reached()
        if not reply.events and reply.cursor == after:
            return PullReport(0, 0, reply.cursor)
        applied = 0
        with self._events.batch() as batch:
            if batch.fact(key) != after:
                # another puller moved the cursor meanwhile; its transaction applied these
                return PullReport(len(reply.events), 0, batch.fact(key) or "")
            for event in reply.events:
                applied += self._apply_once(batch, to_outcome(event, creds.terminal_id))
            for signed in reply.etims:
                applied += self._apply_etims_once(batch, signed, creds.terminal_id)
            for texted in reply.sms:
                applied += self._apply_sms_once(batch, texted, creds.terminal_id)
            batch.set_fact(key, reply.cursor)
            batch.set_fact(LAST_PULL_KEY, datetime.now(UTC).isoformat())
        return PullReport(len(reply.events), applied, reply.cursor)

    def _apply_once(self, batch: EventBatch, event: ProviderOutcome) -> bool:
        if batch.seen(event.event_id):
            return False
        try:
            with batch.savepoint():
                result = self._events.apply(batch, event)
        except Exception:
            # a bug must not stop the stream: keep the event where a supervisor sees it
            log.exception("applying relay event %s (seq %d) failed", event.event_id, event.seq)
            batch.keep_for_supervisor(event)
            result = FAILED
        batch.mark_applied(event, result)
        return True

    def _apply_etims_once(self, batch: EventBatch, event: EtimsEvent, terminal_id: str) -> bool:
        """KRA's answer for an invoice, once by its event id; another till's is only noted."""
        return _apply_till_event_once(
            batch, event, terminal_id, "eTIMS", lambda: batch.apply_etims(to_etims_outcome(event))
        )

    def _apply_sms_once(self, batch: EventBatch, event: SmsEvent, terminal_id: str) -> bool:
        """A text receipt's fate, once by its event id; another till's is only noted."""
        result = SmsResult(
            str(event.event_id), event.seq, str(event.request_id),
            SmsState(event.type.value.removeprefix("sms.")), event.reason,
        )  # fmt: skip
        return _apply_till_event_once(
            batch, event, terminal_id, "SMS", lambda: batch.apply_sms(result)
        )


def _apply_till_event_once(
    batch: EventBatch,
    event: EtimsEvent | SmsEvent,
    terminal_id: str,
    kind: str,
    apply: Callable[[], str],
) -> bool:
    """An answer to one till's request, applied once by its event id under a savepoint;
    another till's is only noted, and a failure is logged and marked, never stops the stream."""
    event_id = str(event.event_id)
    if batch.seen(event_id):
        return False
    if str(event.till_id) != terminal_id:
        batch.mark_done(event_id, event.seq, event.type.value, "other_till")
        return True
    try:
        with batch.savepoint():
            result = apply()
    except Exception:
        log.exception("applying %s event %s (seq %d) failed", kind, event_id, event.seq)
        result = FAILED
    batch.mark_done(event_id, event.seq, event.type.value, result)
    return True


def to_etims_outcome(event: EtimsEvent) -> EtimsOutcome:
    signature = None
    if event.type is EtimsOutcomeType.SIGNED:
        signature = EtimsSignature(
            invoice_number=event.invoice_number or 0,
            control_unit_id=event.control_unit_id or "",
            cu_invoice_number=event.cu_invoice_number or "",
            receipt_counter=event.receipt_counter,
            total_receipt_counter=event.total_receipt_counter,
            internal_data=event.internal_data or "",
            receipt_signature=event.receipt_signature or "",
            signed_at=event.signed_at,
            qr_url=event.qr_url or "",
        )
    return EtimsOutcome(
        str(event.event_id), event.seq, event.receipt_number, signature, event.code, event.message
    )


def claim_of(event: CanonicalPaymentEvent, terminal_id: str) -> Claim:
    """Whose payment the relay says it is: given to this till, to another till of the shop,
    or to nobody yet (then this till asks before counting it). Only C2B payments are claimed."""
    if event.channel is not PaymentChannel.MPESA_C2B:
        return Claim.MINE
    if event.claimed_by_till is None:
        return Claim.OPEN
    return Claim.MINE if str(event.claimed_by_till) == terminal_id else Claim.TAKEN


def to_outcome(event: CanonicalPaymentEvent, terminal_id: str) -> ProviderOutcome:
    return ProviderOutcome(
        event_id=str(event.event_id),
        seq=event.seq,
        provider=event.provider.value,
        channel=event.channel.value,
        status=event.status.value,
        payment_id=str(event.payment_id) if event.payment_id else None,
        amount_minor=event.amount_minor,
        currency=event.currency,
        reference=event.reference,
        receipt=event.receipt,
        payer=event.payer,
        result_code=event.result_code,
        message=event.message,
        test_mode=event.test_mode,
        occurred_at=event.occurred_at,
        received_at=event.received_at,
        claim=claim_of(event, terminal_id),
    )


def run_pull_loop(puller: Puller, stop: threading.Event, wait_s: float, budget_s: float) -> int:
    """Long-poll back to back until `stop` is set or `budget_s` has passed (so the scheduler
    job returns now and then); returns how many events were applied."""
    deadline = datetime.now(UTC).timestamp() + budget_s
    # a first poll that does not wait tells at once whether the relay is there
    applied = puller.pull_once(0, stop).applied
    while not stop.is_set() and datetime.now(UTC).timestamp() < deadline:
        applied += puller.pull_once(wait_s, stop).applied
    return applied
