"""PaymentEvents: what a provider outcome streamed by the relay does to the ledger.

sync.engine.pull only moves the events: it opens a `batch()` (one write transaction, see
pos_app.services.unit.one_transaction), skips the events the inbox has `seen`, applies each
other one in its own `savepoint()` with `apply` and `mark_applied`s it, and advances its cursor
fact in the same batch. The rules of applying live here:

- an outcome for a payment the cashier's screen still shows as initiating first marks it
  awaiting the customer (an outcome proves the prompt or link reached the provider);
- an M-Pesa C2B confirmation (no payment id) is counted by one till of the shop only: the one
  the relay gave it to (`claimed_by_till`, the till that showed its account reference). There it
  pays the one open sale whose account reference (pos_app.services.counter.account_reference)
  and amount it carries; what matches nothing is kept in provider_events, where the
  supervisor's approvals queue matches it to typed receipt codes, and `match_late_c2b` tries it
  again once the sale is rung up. Another till's payment is kept as taken, never as money this
  till could accept; one nobody showed is counted only after the relay grants it to this till.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, select
from sqlalchemy.dialects.sqlite import insert

from pos_app.core.events import EtimsInvoiceSettled
from pos_app.core.money import Money
from pos_app.core.orders import OrderStatus
from pos_app.core.payments import LINK_METHOD_OF, PaymentMethod, PaymentStatus
from pos_app.services import etims_invoices, provider_events, sms_receipts
from pos_app.services.bus import EventBus
from pos_app.services.counter import account_reference
from pos_app.services.etims_invoices import EtimsOutcome
from pos_app.services.orders import amounts as order_amounts
from pos_app.services.payment_outcomes import ApplyOutcome, ProviderOutcomes
from pos_app.services.payments import PaymentService
from pos_app.services.provider_events import Claim, ProviderEventView
from pos_app.services.sms_receipts import SmsResult
from pos_app.services.unit import HeldBus, ledger_change, one_transaction
from pos_app.store import state
from pos_app.store.db import Ledger
from pos_app.store.schema import inbox, orders, payments

C2B = "mpesa_c2b"
# hosted checkout pages: the event's reference is the sale's reference the provider holds
LINK_CHANNELS = frozenset(provider.value for provider in LINK_METHOD_OF)
PAID = "paid"
# the relay's outcome words -> the ledger's payment states
TARGET = {
    PAID: PaymentStatus.SUCCEEDED,
    "failed": PaymentStatus.FAILED,
    "cancelled": PaymentStatus.CANCELLED,
    "expired": PaymentStatus.EXPIRED,
}
RECORDED = "recorded"  # kept in provider_events for a supervisor
_LATE_MATCH_NS = uuid.UUID("0b7e4c1a-53d2-4d8e-b0a4-7c9f3d2e1a55")


@dataclass(frozen=True, slots=True)
class ProviderOutcome:
    """One provider outcome as the relay streams it (sync.protocol.CanonicalPaymentEvent,
    without the wire types)."""

    event_id: str
    seq: int
    provider: str
    channel: str
    status: str  # paid / failed / cancelled / expired
    payment_id: str | None
    amount_minor: int | None
    currency: str | None
    reference: str | None
    receipt: str | None
    payer: str | None
    result_code: str | None
    message: str | None
    test_mode: bool
    occurred_at: datetime
    received_at: datetime
    # C2B: whose payment the relay says it is (sync.engine.pull reads claimed_by_till); an
    # outcome made on this till itself (demo day) is its own
    claim: Claim = Claim.MINE

    @property
    def event_type(self) -> str:
        return f"{self.channel}.{self.status}"

    def paid(self) -> Money | None:
        """The money a paid outcome brought (None when it is not paid or says no amount)."""
        if self.status != PAID or self.amount_minor is None or not self.currency:
            return None
        return Money(self.amount_minor, self.currency)

    def record(self) -> provider_events.ProviderEventRecord:
        return provider_events.ProviderEventRecord(
            event_id=self.event_id,
            relay_seq=self.seq,
            provider=self.provider,
            channel=self.channel,
            status=self.status,
            amount_minor=self.amount_minor,
            currency=self.currency,
            reference=self.reference,
            receipt=self.receipt,
            payer=self.payer,
            test_mode=self.test_mode,
            occurred_at=self.occurred_at,
            received_at=self.received_at,
            claim=self.claim,
        )


class EventBatch:
    """One write transaction of the pull: the events applied in it, their inbox rows and the
    stream's cursor commit together; what the events publish reaches the bus after the commit."""

    def __init__(self, ledger: Ledger, held: HeldBus, conn: Connection) -> None:
        self.ledger = ledger  # writes of services built over it are savepoints of `conn`
        self.held = held
        self.conn = conn  # the transaction itself

    def fact(self, key: str) -> str | None:
        return state.get(self.conn, key)

    def set_fact(self, key: str, value: str) -> None:
        state.put(self.conn, key, value)

    def seen(self, event_id: str) -> bool:
        """Applied (or kept) before: its inbox row is there."""
        found = self.conn.execute(select(inbox.c.event_id).where(inbox.c.event_id == event_id))
        return found.first() is not None

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """One event's effects: on error its savepoint rolls back and what it published is
        dropped, so nothing of it happened."""
        mark = len(self.held.held)
        try:
            with self.conn.begin_nested():
                yield
        except BaseException:
            del self.held.held[mark:]
            raise

    def keep_for_supervisor(self, event: ProviderOutcome) -> None:
        provider_events.record(self.conn, self.ledger.cipher, event.record())

    def mark_applied(self, event: ProviderOutcome, result: str) -> None:
        self.mark_done(event.event_id, event.seq, event.event_type, result)

    def mark_done(self, event_id: str, seq: int, event_type: str, result: str) -> None:
        """The inbox row of any stream event: seen() finds it, and it is never applied again."""
        self.conn.execute(
            insert(inbox)
            .values(
                event_id=event_id,
                relay_seq=seq,
                type=event_type,
                result=result[:32],
                applied_at=datetime.now(UTC),
            )
            .on_conflict_do_nothing(index_elements=["event_id"])
        )

    def apply_sms(self, result: SmsResult) -> str:
        """What the relay did with one of this till's text receipts."""
        word, settled = sms_receipts.apply_result(self.conn, result)
        if settled is not None:
            self.held.publish(settled)
        return word

    def apply_etims(self, outcome: EtimsOutcome) -> str:
        """KRA's answer for one of this till's invoices, kept with the order."""
        result = etims_invoices.apply_outcome(self.conn, outcome)
        self.held.publish(EtimsInvoiceSettled(receipt_number=outcome.receipt_number))
        return result


class PaymentEvents:
    def __init__(self, ledger: Ledger, bus: EventBus) -> None:
        self._ledger = ledger
        self._bus = bus

    def fact(self, key: str) -> str | None:
        with self._ledger.read() as conn:
            return state.get(conn, key)

    @contextmanager
    def batch(self) -> Iterator[EventBatch]:
        with one_transaction(self._ledger, self._bus) as (joined, held):
            assert isinstance(held, HeldBus)
            with joined.write() as conn:
                yield EventBatch(joined, held, conn)

    def apply(self, batch: EventBatch, event: ProviderOutcome) -> str:
        """One event's effects inside `batch`; a short result word for the inbox."""
        outcomes = ProviderOutcomes(batch.ledger, batch.held)
        payment_id = event.payment_id
        if payment_id is None and event.channel == C2B:
            if event.claim is not Claim.MINE:
                # taken: another till counts it; open: counted once the relay grants it here
                batch.keep_for_supervisor(event)
                return event.claim.value
            payment_id = pay_open_sale(
                PaymentService(batch.ledger, batch.held),
                batch.conn,
                event.reference,
                event.paid(),
                event.test_mode,
            )
            if payment_id is None:
                batch.keep_for_supervisor(event)
                return RECORDED
        elif payment_id is not None and _status_of(batch.conn, payment_id) == (
            PaymentStatus.INITIATING
        ):
            # the outcome overtook the cashier's screen marking the prompt as sent: an outcome
            # proves the prompt (or link) reached the provider
            outcomes.mark_awaiting_customer(payment_id, event.reference or event.event_id)
        outcome = outcomes.apply_provider_event(
            event.event_id,
            status=TARGET[event.status],
            amount_minor=event.amount_minor if event.amount_minor is not None else 0,
            currency=event.currency or "",
            payment_id=payment_id,
            provider_reference=event.reference if event.channel in LINK_CHANNELS else None,
            receipt_number=event.receipt,
            relay_seq=event.seq,
            event_type=event.event_type,
            result_code=event.result_code,
            message=event.message,
            test_mode=event.test_mode,
        )
        if outcome is ApplyOutcome.UNMATCHED and event.payment_id is None:
            # money nobody asked for: a supervisor places it. (An unknown payment id is
            # another till's payment of the same shop: not this till's business.)
            batch.keep_for_supervisor(event)
        return outcome.value

    def match_late_c2b(self, claim: Callable[[ProviderEventView], Claim] | None = None) -> int:
        """Pay open sales with C2B confirmations that arrived before the sale was rung up;
        how many were matched. A confirmation nobody showed the reference of is counted only
        once `claim` (the relay, asked off any transaction) says it is this till's; without
        `claim` (offline) it waits."""
        with self._ledger.read() as conn:
            unmatched = [
                v
                for v in provider_events.find_unmatched(conn, self._ledger.cipher)
                if v.channel == C2B
                and v.reference
                and v.amount is not None
                and find_open_sale(conn, v.reference, v.amount) is not None
            ]
        matched = 0
        for view in unmatched:
            if view.claim is Claim.OPEN:
                answer = claim(view) if claim is not None else Claim.OPEN
                if answer is Claim.TAKEN:
                    self._taken(view.event_id)
                if answer is not Claim.MINE:
                    continue
            with (
                one_transaction(self._ledger, self._bus) as (joined, held),
                joined.write() as conn,
            ):
                payment_id = pay_open_sale(
                    PaymentService(joined, held), conn, view.reference, view.amount, view.test_mode
                )
                if payment_id is None or view.amount is None:
                    continue
                provider_events.set_claim(conn, view.event_id, Claim.MINE)
                outcome = ProviderOutcomes(joined, held).apply_provider_event(
                    str(uuid.uuid5(_LATE_MATCH_NS, view.event_id)),
                    status=PaymentStatus.SUCCEEDED,
                    amount_minor=view.amount.minor,
                    currency=view.amount.currency,
                    payment_id=payment_id,
                    receipt_number=view.receipt,
                    relay_seq=view.relay_seq,
                    event_type="mpesa_c2b.late_match",
                    test_mode=view.test_mode,
                )
                if outcome in (ApplyOutcome.APPLIED, ApplyOutcome.FLAGGED):
                    provider_events.mark_matched(conn, view.event_id, payment_id, "auto")
                    matched += 1
        return matched

    def _taken(self, event_id: str) -> None:
        """The relay gave this payment to another till: never count it here."""
        with ledger_change(self._ledger, self._bus, None) as change:
            provider_events.set_claim(change.conn, event_id, Claim.TAKEN)
            change.record(
                "provider_event.taken",
                entity="provider_event",
                entity_id=event_id,
                details={"claim": Claim.TAKEN.value},
            )


def _status_of(conn: Connection, payment_id: str) -> str | None:
    status: str | None = conn.execute(
        select(payments.c.status).where(payments.c.id == payment_id)
    ).scalar_one_or_none()
    return status


def pay_open_sale(
    service: PaymentService,
    conn: Connection,
    reference: str | None,
    amount: Money | None,
    test_mode: bool,
) -> str | None:
    """The paybill payment a C2B confirmation pays, made now if the customer paid from the
    SIM menu before the cashier recorded anything: the open sale whose account reference the
    customer typed, owing exactly this. A payment made here keeps the event's test mode: test
    money never counts as live."""
    if not reference or amount is None:
        return None
    target = find_open_sale(conn, reference, amount)
    if target is None:
        return None
    payment_id, order_id = target
    if payment_id is None:
        created = service.create_payment(
            order_id, amount, None, None, PaymentMethod.MPESA_PAYBILL, test_mode=test_mode
        )
        payment_id = created.id
    return payment_id


def find_open_sale(
    conn: Connection, reference: str, amount: Money
) -> tuple[str | None, str] | None:
    """(waiting paybill payment or None, order id) of the one open order with this account
    reference that expects exactly `amount` by paybill; None when nothing (or not exactly one
    thing) fits."""
    wanted = provider_events.normalize_code(reference)
    if not wanted.isalnum():  # also keeps LIKE wildcards out
        return None
    candidates = [
        row.id
        for row in conn.execute(
            select(orders.c.id).where(
                orders.c.status == OrderStatus.OPEN.value,
                orders.c.currency == amount.currency,
                orders.c.id.like(wanted.lower() + "%"),
            )
        )
        if account_reference(row.id) == wanted
    ]
    if len(candidates) != 1:
        return None
    order_id = candidates[0]
    waiting = conn.execute(
        select(payments.c.id).where(
            payments.c.order_id == order_id,
            payments.c.method == PaymentMethod.MPESA_PAYBILL.value,
            payments.c.status == PaymentStatus.AWAITING_CUSTOMER.value,
            payments.c.amount_minor == amount.minor,
        )
    ).first()
    if waiting is not None:
        return waiting.id, order_id
    if order_amounts(conn, order_id)[2] == amount:
        return None, order_id
    return None
