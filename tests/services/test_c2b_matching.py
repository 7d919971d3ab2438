"""The C2B matching rule (pos_app.services.payment_events), without the sync engine: a
confirmation pays the one open sale with its account reference and amount, or is kept."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from ledger_helpers import Till, kes

from pos_app.core.money import Money
from pos_app.services import provider_events as pe
from pos_app.services.counter import (
    PAYBILL_KEY,
    PAYBILL_REFERENCE_SHOWN,
    Counter,
    account_reference,
)
from pos_app.services.payment_events import (
    RECORDED,
    PaymentEvents,
    ProviderOutcome,
    find_open_sale,
)
from pos_app.services.provider_events import ProviderEventService
from pos_app.store import outbox, state
from sync.protocol import PAYBILL_REFERENCE_SHOWN as ON_THE_WIRE


def _c2b(reference: str | None, minor: int, *, receipt: str = "SGK1234ABC") -> ProviderOutcome:
    now = datetime.now(UTC)
    return ProviderOutcome(
        event_id=str(uuid.uuid4()),
        seq=1,
        provider="mpesa",
        channel="mpesa_c2b",
        status="paid",
        payment_id=None,
        amount_minor=minor,
        currency="KES",
        reference=reference,
        receipt=receipt,
        payer="2547****678",
        result_code=None,
        message=None,
        test_mode=True,
        occurred_at=now,
        received_at=now,
    )


def _apply(till: Till, event: ProviderOutcome) -> str:
    events = PaymentEvents(till.ledger, till.services.bus)
    with events.batch() as batch:
        return events.apply(batch, event)


def _open_sale(till: Till, minor: int) -> str:
    return till.services.orders.create_order(till.draft(minor)).id


def test_the_open_sale_with_that_reference_and_amount_is_paid(till: Till) -> None:
    order_id = _open_sale(till, 350_00)
    result = _apply(till, _c2b(account_reference(order_id).lower(), 350_00, receipt="SGK9"))
    assert result == "applied"
    assert till.services.orders.get_order(order_id).status == "paid"
    [paid] = till.services.payments.payments_for_order(order_id)
    assert (paid.method, paid.status, paid.receipt_number) == ("mpesa_paybill", "succeeded", "SGK9")


def test_a_wrong_amount_pays_nothing_and_is_kept_for_a_supervisor(till: Till) -> None:
    order_id = _open_sale(till, 350_00)
    event = _c2b(account_reference(order_id), 349_00)
    assert _apply(till, event) == RECORDED
    assert till.services.orders.get_order(order_id).status == "open"
    assert till.services.payments.payments_for_order(order_id) == []
    assert [v.event_id for v in ProviderEventService(till.ledger).unmatched()] == [event.event_id]


def test_a_waiting_paybill_payment_is_the_one_paid(till: Till) -> None:
    order_id = _open_sale(till, 120_00)
    payments = till.services.payments
    waiting = payments.create_payment(order_id, kes(120_00), None, None, "mpesa_paybill")
    with till.ledger.read() as conn:
        assert find_open_sale(conn, account_reference(order_id), kes(120_00)) == (
            waiting.id,
            order_id,
        )
    assert _apply(till, _c2b(account_reference(order_id), 120_00)) == "applied"
    assert payments.get_payment(waiting.id).status == "succeeded"


def test_references_that_fit_nothing_or_cannot_be_a_reference_match_nothing(till: Till) -> None:
    order_id = _open_sale(till, 50_00)
    with till.ledger.read() as conn:
        assert find_open_sale(conn, "%", kes(50_00)) is None  # no LIKE wildcards
        assert find_open_sale(conn, "ZZZZ9999", kes(50_00)) is None
        assert find_open_sale(conn, account_reference(order_id), Money(50_00, "UGX")) is None


def test_a_confirmation_kept_earlier_pays_the_sale_later(till: Till) -> None:
    order_id = _open_sale(till, 80_00)
    payments = till.services.payments
    stk = payments.create_payment(order_id, kes(80_00), None, None, "mpesa_stk")
    with till.ledger.write() as conn:
        pe.record(conn, till.ledger.cipher, _c2b(account_reference(order_id), 80_00).record())
    events = PaymentEvents(till.ledger, till.services.bus)
    assert events.match_late_c2b() == 0  # the order still waits on its STK payment
    payments.cancel_payment(stk.id, actor_id=None, reason="customer paid from the SIM menu")
    assert events.match_late_c2b() == 1
    assert till.services.orders.get_order(order_id).status == "paid"
    assert ProviderEventService(till.ledger).unmatched() == []
    assert events.match_late_c2b() == 0


def test_showing_a_paybill_reference_tells_the_relay_in_one_transaction(till: Till) -> None:
    """One shop, one claim: the paybill fallback's account reference goes to the relay (an
    outbox event with its audit entry) so that the C2B payment for it is this till's."""
    assert PAYBILL_REFERENCE_SHOWN == ON_THE_WIRE
    counter = Counter(till.services)
    order_id = _open_sale(till, 120_00)

    def shown() -> list[outbox.OutboxEvent]:
        with till.ledger.read() as conn:
            pending = outbox.pending(conn, till.ledger.cipher, limit=500)
        return [e for e in pending if e.type == PAYBILL_REFERENCE_SHOWN]

    counter.paybill_details(order_id)  # no paybill number yet: nothing to show, nothing sent
    assert shown() == []
    with till.ledger.write() as conn:
        state.put(conn, PAYBILL_KEY, "600984")
    before = till.counts()
    assert counter.paybill_details(order_id).account_reference == account_reference(order_id)
    [event] = shown()
    assert event.payload["reference"] == account_reference(order_id)
    after = till.counts()
    assert (after["outbox"], after["audit_log"]) == (before["outbox"] + 1, before["audit_log"] + 1)
