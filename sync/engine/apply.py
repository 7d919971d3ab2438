"""EventApplier: what one canonical payment event does to the ledger.

It runs PaymentService.apply_provider_event inside the pull's transaction (so the effects, the
inbox row and the cursor commit together): `transaction()` opens that transaction with
pos_app.services.unit.one_transaction, whose ledger writes in savepoints of it and whose bus
holds the service's in-process events back until the commit.
C2B confirmations (no payment id) pay the open sale whose account reference and amount they
carry; what matches nothing is kept in provider_events, where the supervisor's approvals queue
matches it to typed receipt codes (ProviderEventService.matching: receipt code + amount).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, select

from pos_app.core.money import Money
from pos_app.core.orders import OrderStatus
from pos_app.core.payments import PaymentMethod
from pos_app.core.payments import PaymentStatus as LedgerStatus
from pos_app.services import provider_events
from pos_app.services.bus import EventBus
from pos_app.services.counter import account_reference
from pos_app.services.orders import amounts as order_amounts
from pos_app.services.payments import ApplyOutcome, PaymentService
from pos_app.services.unit import HeldBus, one_transaction
from pos_app.store.db import Ledger
from pos_app.store.schema import orders, payments
from sync.protocol import CanonicalPaymentEvent, PaymentChannel, PaymentStatus

log = logging.getLogger(__name__)

TARGET = {
    PaymentStatus.PAID: LedgerStatus.SUCCEEDED,
    PaymentStatus.FAILED: LedgerStatus.FAILED,
    PaymentStatus.CANCELLED: LedgerStatus.CANCELLED,
    PaymentStatus.EXPIRED: LedgerStatus.EXPIRED,
}
RECORDED = "recorded"  # kept in provider_events for a supervisor


class EventApplier:
    def __init__(self, ledger: Ledger, bus: EventBus) -> None:
        self._ledger = ledger
        self._bus = bus
        self._local = threading.local()  # the open transaction of this thread's pull

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """The pull's one write transaction; what the applied events published reaches the
        bus only after it commits (nothing of it if it rolls back)."""
        with one_transaction(self._ledger, self._bus) as (joined, held):
            assert isinstance(held, HeldBus)
            with joined.write() as conn:
                self._local.open = (joined, held)
                try:
                    yield conn
                finally:
                    del self._local.open

    def __call__(self, conn: Connection, event: CanonicalPaymentEvent) -> str:
        held = self._local.open[1]
        mark = len(held.held)
        try:
            return self._apply(conn, event, held)
        except BaseException:
            del held.held[mark:]  # its savepoint rolls back: nothing of it happened
            raise

    def _apply(self, conn: Connection, event: CanonicalPaymentEvent, held: HeldBus) -> str:
        service = PaymentService(self._local.open[0], held)
        payment_id = str(event.payment_id) if event.payment_id else None
        if payment_id is None and event.channel is PaymentChannel.MPESA_C2B:
            paid = _money(event) if event.status is PaymentStatus.PAID else None
            payment_id = pay_open_sale(service, conn, event.reference, paid, event.test_mode)
            if payment_id is None:
                provider_events.record(conn, self._ledger.cipher, to_record(event))
                return RECORDED
        elif payment_id is not None and _status_of(conn, payment_id) == LedgerStatus.INITIATING:
            # the outcome overtook the cashier's screen marking the prompt as sent: an outcome
            # proves the prompt (or link) reached the provider
            service.mark_awaiting_customer(payment_id, event.reference or str(event.event_id))
        outcome = service.apply_provider_event(
            str(event.event_id),
            status=TARGET[event.status],
            amount_minor=event.amount_minor if event.amount_minor is not None else 0,
            currency=event.currency or "",
            payment_id=payment_id,
            provider_reference=event.reference
            if event.channel is PaymentChannel.PAYSTACK
            else None,
            receipt_number=event.receipt,
            relay_seq=event.seq,
            event_type=f"{event.channel.value}.{event.status.value}",
            result_code=event.result_code,
            message=event.message,
        )
        if outcome is ApplyOutcome.UNMATCHED and event.payment_id is None:
            # money nobody asked for: a supervisor places it. (An unknown payment id is
            # another till's payment of the same shop: not this till's business.)
            provider_events.record(conn, self._ledger.cipher, to_record(event))
        return outcome.value


def _money(event: CanonicalPaymentEvent) -> Money | None:
    if event.amount_minor is None or not event.currency:
        return None
    return Money(event.amount_minor, event.currency)


def _status_of(conn: Connection, payment_id: str) -> str | None:
    return conn.execute(
        select(payments.c.status).where(payments.c.id == payment_id)
    ).scalar_one_or_none()


def pay_open_sale(
    service: PaymentService,
    conn: Connection,
    reference: str | None,
    amount: Money | None,
    test_mode: bool,
) -> str | None:
    """The paybill payment a C2B confirmation pays, made now if the customer paid from the
    SIM menu before the cashier recorded anything: the open sale whose account reference
    (pos_app.services.counter.account_reference) the customer typed, owing exactly this.
    A payment made here keeps the event's test mode: test money never counts as live."""
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
            payments.c.status == LedgerStatus.AWAITING_CUSTOMER.value,
            payments.c.amount_minor == amount.minor,
        )
    ).first()
    if waiting is not None:
        return waiting.id, order_id
    if order_amounts(conn, order_id)[2] == amount:
        return None, order_id
    return None


def to_record(event: CanonicalPaymentEvent) -> provider_events.ProviderEventRecord:
    return provider_events.ProviderEventRecord(
        event_id=str(event.event_id),
        relay_seq=event.seq,
        provider=event.provider.value,
        channel=event.channel.value,
        status=event.status.value,
        amount_minor=event.amount_minor,
        currency=event.currency,
        reference=event.reference,
        receipt=event.receipt,
        payer=event.payer,
        test_mode=event.test_mode,
        occurred_at=event.occurred_at,
        received_at=event.received_at,
    )
