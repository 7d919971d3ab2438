from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import respx
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from pos_app.core.events import EtimsInvoiceSettled, PaymentProcessed
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.services import etims_invoices
from pos_app.services.bus import EventBus
from pos_app.services.counter import account_reference
from pos_app.services.orders import OrderService
from pos_app.services.payment_events import EventBatch, PaymentEvents, ProviderOutcome
from pos_app.services.payments import PaymentService
from pos_app.services.provider_events import Claim, ProviderEventService
from pos_app.store.db import Ledger
from pos_app.store.schema import audit_log, inbox
from sync.engine.credentials import TerminalCredentials
from sync.engine.link import RelayLink
from sync.engine.pull import Puller

RELAY = "https://relay.test"
PULL_URL = f"{RELAY}/api/v1/terminal/events"
SHOP = str(uuid.uuid4())
TILL = str(uuid.uuid4())  # this till's terminal id


def _order(orders: OrderService, minor: int) -> str:
    return orders.create_order([OrderLine("Sugar 1kg", Money(minor, "KES"))]).id


def _stk_payment(orders: OrderService, payments: PaymentService, minor: int = 200_00) -> str:
    order_id = _order(orders, minor)
    payment = payments.create_payment(order_id, Money(minor, "KES"), None, None, "mpesa_stk")
    payments.process_payment(payment.id, {"phone_number": "0712345678"})
    payments.outcomes.mark_awaiting_customer(payment.id, "ws_CO_123")
    return payment.id


def _event(seq: int, **fields: Any) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat()
    return {
        "seq": seq,
        "event_id": str(uuid.uuid4()),
        "shop_id": SHOP,
        "provider": "mpesa",
        "channel": "mpesa_stk",
        "status": "paid",
        "amount_minor": 200_00,
        "currency": "KES",
        "receipt": "SGK1234ABC",
        "payer": "2547****678",
        "occurred_at": now,
        "received_at": now,
        "test_mode": True,
        **fields,
    }


def _puller(ledger: Ledger, bus: EventBus) -> Puller:
    link = RelayLink(TerminalCredentials(RELAY, "tok", TILL, SHOP, "Duka"))
    return Puller(PaymentEvents(ledger, bus), link)


def _audit_count(ledger: Ledger) -> int:
    with ledger.read() as conn:
        return int(conn.execute(select(func.count()).select_from(audit_log)).scalar_one())


@respx.mock
def test_a_paid_stk_event_is_applied_once_with_the_cursor(
    ledger: Ledger, bus: EventBus, orders: OrderService, payments: PaymentService
) -> None:
    pid = _stk_payment(orders, payments)
    seen: list[str] = []
    bus.subscribe(lambda e: seen.append(e.status), PaymentProcessed)
    event = _event(1, payment_id=pid)
    route = respx.get(PULL_URL).respond(200, json={"events": [event], "cursor": "1"})
    puller = _puller(ledger, bus)
    report = puller.pull_once()
    assert report.applied == 1 and puller.cursor() == "1"
    assert payments.get_payment(pid).status == "succeeded"
    assert payments.get_payment(pid).receipt_number == "SGK1234ABC"
    assert seen == ["succeeded"]
    audits = _audit_count(ledger)
    # the relay (or a restored cursor) delivers the same event again: nothing changes
    route.respond(200, json={"events": [event], "cursor": "1"})
    assert puller.pull_once().applied == 0
    assert route.calls.last.request.url.params["after"] == "1"
    assert _audit_count(ledger) == audits and seen == ["succeeded"]
    with ledger.read() as conn:
        assert conn.execute(select(func.count()).select_from(inbox)).scalar_one() == 1


@respx.mock
def test_a_failed_apply_rolls_back_effects_and_cursor_together(
    ledger: Ledger, bus: EventBus, orders: OrderService, payments: PaymentService
) -> None:
    pid = _stk_payment(orders, payments)
    respx.get(PULL_URL).respond(200, json={"events": [_event(1, payment_id=pid)], "cursor": "1"})
    link = RelayLink(TerminalCredentials(RELAY, "tok", TILL, SHOP, "Duka"))

    class Crash(Exception):
        pass

    def crash_on_commit(*_: object) -> None:
        raise Crash()

    puller = Puller(PaymentEvents(ledger, bus), link)
    sa_event.listen(ledger.engine, "commit", crash_on_commit)
    try:
        puller.pull_once()
    except Crash:
        pass
    finally:
        sa_event.remove(ledger.engine, "commit", crash_on_commit)
    assert puller.cursor() is None
    assert payments.get_payment(pid).status == "awaiting_customer"
    assert puller.pull_once().applied == 1
    assert payments.get_payment(pid).status == "succeeded"


@respx.mock
def test_c2b_pays_the_open_sale_with_that_account_reference_and_amount(
    ledger: Ledger, bus: EventBus, orders: OrderService, payments: PaymentService
) -> None:
    order_id = _order(orders, 350_00)
    ref = account_reference(order_id)
    short = _event(1, channel="mpesa_c2b", reference=ref, amount_minor=349_00,
                   claimed_by_till=TILL)  # fmt: skip
    right = _event(2, channel="mpesa_c2b", reference=ref.lower(), amount_minor=350_00,
                   receipt="SGK9", claimed_by_till=TILL)  # fmt: skip
    respx.get(PULL_URL).respond(200, json={"events": [short, right], "cursor": "2"})
    assert _puller(ledger, bus).pull_once().applied == 2
    assert orders.get_order(order_id).status == "paid"
    [paid] = payments.payments_for_order(order_id)
    assert paid.method == "mpesa_paybill" and paid.status == "succeeded"
    assert paid.receipt_number == "SGK9"
    events = ProviderEventService(ledger)
    assert [v.event_id for v in events.unmatched()] == [short["event_id"]]
    # a cashier typing that receipt code finds it for the supervisor's one-click match
    assert events.matching("sgk1234abc", Money(349_00, "KES"))[0].event_id == short["event_id"]


@respx.mock
def test_test_money_from_the_sim_menu_stays_test_money(
    ledger: Ledger, bus: EventBus, orders: OrderService, payments: PaymentService
) -> None:
    """The relay says test mode: the payment the C2B makes is kept as test money."""
    order_id = _order(orders, 120_00)
    paid = _event(1, channel="mpesa_c2b", reference=account_reference(order_id),
                  amount_minor=120_00, test_mode=True, claimed_by_till=TILL)  # fmt: skip
    respx.get(PULL_URL).respond(200, json={"events": [paid], "cursor": "1"})
    assert _puller(ledger, bus).pull_once().applied == 1
    [payment] = payments.payments_for_order(order_id)
    assert payment.status == "succeeded" and payment.test_mode is True


@respx.mock
def test_a_c2b_given_to_another_till_is_taken_and_one_given_to_nobody_waits(
    ledger: Ledger, bus: EventBus, orders: OrderService, payments: PaymentService
) -> None:
    """One shop, one claim: a payment the relay gave to another till never pays a sale here
    and is never offered as money to accept; one nobody showed the reference of pays nothing
    until the relay grants it to this till."""
    theirs_order, open_order = _order(orders, 500_00), _order(orders, 200_00)
    theirs = _event(1, channel="mpesa_c2b", reference=account_reference(theirs_order),
                    amount_minor=500_00, receipt="SGKTAKEN1", claimed_by_till=str(uuid.uuid4()))
    nobodys = _event(2, channel="mpesa_c2b", reference=account_reference(open_order),
                     amount_minor=200_00, receipt="SGKOPEN01")  # fmt: skip
    respx.get(PULL_URL).respond(200, json={"events": [theirs, nobodys], "cursor": "2"})
    assert _puller(ledger, bus).pull_once().applied == 2
    assert orders.get_order(theirs_order).status == "open"
    assert orders.get_order(open_order).status == "open"
    with ledger.read() as conn:
        results = dict(conn.execute(select(inbox.c.event_id, inbox.c.result)).all())
    assert results == {theirs["event_id"]: "taken", nobodys["event_id"]: "open"}
    service = ProviderEventService(ledger)
    assert service.matching("SGKTAKEN1", Money(500_00, "KES")) == []  # never a match to accept
    assert [v.receipt for v in service.taken_elsewhere("sgktaken1")] == ["SGKTAKEN1"]
    assert [(v.receipt, v.taken) for v in service.unmatched()] == [
        ("SGKOPEN01", False), ("SGKTAKEN1", True)
    ]
    events = PaymentEvents(ledger, bus)
    assert events.match_late_c2b() == 0  # offline: no grant, nothing counted
    asked: list[str | None] = []

    def refused(view: Any) -> Claim:
        asked.append(view.receipt)
        return Claim.TAKEN

    assert events.match_late_c2b(refused) == 0
    assert asked == ["SGKOPEN01"]  # the taken one is never even asked for
    assert orders.get_order(open_order).status == "open"
    assert service.unmatched()[0].taken and service.unmatched()[1].taken
    assert events.match_late_c2b(lambda view: Claim.MINE) == 0  # taken stays taken


@respx.mock
def test_a_c2b_nobody_showed_pays_the_sale_once_the_relay_grants_it(
    ledger: Ledger, bus: EventBus, orders: OrderService, payments: PaymentService
) -> None:
    order_id = _order(orders, 200_00)
    nobodys = _event(1, channel="mpesa_c2b", reference=account_reference(order_id),
                     amount_minor=200_00, receipt="SGKOPEN02")  # fmt: skip
    respx.get(PULL_URL).respond(200, json={"events": [nobodys], "cursor": "1"})
    _puller(ledger, bus).pull_once()
    assert PaymentEvents(ledger, bus).match_late_c2b(lambda view: Claim.MINE) == 1
    assert orders.get_order(order_id).status == "paid"
    assert ProviderEventService(ledger).unmatched() == []


@respx.mock
def test_the_relays_test_mode_wins_over_what_the_till_thought(
    ledger: Ledger, bus: EventBus, orders: OrderService, payments: PaymentService
) -> None:
    """The till started the prompt as live money, but the relay ran it in test mode: the
    payment is kept as test money, never counted live."""
    pid = _stk_payment(orders, payments)
    assert payments.get_payment(pid).test_mode is False
    respx.get(PULL_URL).respond(
        200, json={"events": [_event(1, payment_id=pid, test_mode=True)], "cursor": "1"}
    )
    _puller(ledger, bus).pull_once()
    paid = payments.get_payment(pid)
    assert paid.status == "succeeded" and paid.test_mode is True


@respx.mock
def test_long_poll_asks_the_relay_to_wait(ledger: Ledger, bus: EventBus) -> None:
    route = respx.get(PULL_URL).mock(
        return_value=httpx.Response(200, json={"events": [], "cursor": "0"})
    )
    _puller(ledger, bus).pull_once(wait_s=20)
    assert float(route.calls.last.request.url.params["wait"]) == 20


@respx.mock
def test_an_event_that_cannot_be_applied_does_not_stop_the_stream(
    ledger: Ledger, bus: EventBus, orders: OrderService, payments: PaymentService
) -> None:
    pid = _stk_payment(orders, payments)
    broken = _event(1, payment_id=str(uuid.uuid4()))
    good = _event(2, payment_id=pid)
    respx.get(PULL_URL).respond(200, json={"events": [broken, good], "cursor": "2"})
    seen: list[str] = []
    bus.subscribe(lambda e: seen.append(e.payment_id), PaymentProcessed)

    class Flaky(PaymentEvents):
        def apply(self, batch: EventBatch, event: ProviderOutcome) -> str:
            if event.event_id == broken["event_id"]:
                batch.held.publish(PaymentProcessed(payment_id="ghost", order_id="x",
                                                    amount=Money(1, "KES"), provider="mpesa",
                                                    status="succeeded"))  # fmt: skip
                raise RuntimeError("a bug")
            return super().apply(batch, event)

    link = RelayLink(TerminalCredentials(RELAY, "tok", TILL, SHOP, "Duka"))
    puller = Puller(Flaky(ledger, bus), link)
    assert puller.pull_once().applied == 2 and puller.cursor() == "2"
    assert payments.get_payment(pid).status == "succeeded"
    assert seen == [pid]  # nothing published for the event that failed
    with ledger.read() as conn:
        results = dict(conn.execute(select(inbox.c.event_id, inbox.c.result)).all())
    assert results[broken["event_id"]] == "error"
    assert [v.event_id for v in ProviderEventService(ledger).unmatched()] == [broken["event_id"]]


@respx.mock
def test_another_tills_payments_are_not_this_tills_business(ledger: Ledger, bus: EventBus) -> None:
    theirs = _event(1, provider="paystack", channel="paystack", payment_id=str(uuid.uuid4()),
                    reference="SALE-OTHER")  # fmt: skip
    respx.get(PULL_URL).respond(200, json={"events": [theirs], "cursor": "1"})
    assert _puller(ledger, bus).pull_once().applied == 1
    assert ProviderEventService(ledger).unmatched() == []


def _etims_event(seq: int, till_id: str, receipt: str) -> dict[str, Any]:
    return {
        "seq": seq, "event_id": str(uuid.uuid4()), "type": "etims.signed", "till_id": till_id,
        "receipt_number": receipt, "kind": "sale", "invoice_number": 7,
        "control_unit_id": "KRACU0100000123", "cu_invoice_number": "KRACU0100000123/7",
        "receipt_counter": 7, "total_receipt_counter": 7,
        "internal_data": "B4QZ7KXM2TLRWV5NJYDC3HPAEG", "receipt_signature": "K7TQ2MXW5RZB3NVA",
        "signed_at": datetime.now(UTC).isoformat(), "qr_url": "https://etims-sbx.kra.go.ke/q",
    }  # fmt: skip


@respx.mock
def test_kras_signature_is_kept_once_and_another_tills_is_only_noted(
    ledger: Ledger, bus: EventBus, orders: OrderService
) -> None:
    order_id = _order(orders, 200_00)
    with ledger.write() as conn:
        etims_invoices.requested(conn, order_id, "TILL1-000001", "sale", datetime.now(UTC))
    settled: list[str] = []
    bus.subscribe(lambda e: settled.append(e.receipt_number), EtimsInvoiceSettled)
    mine = _etims_event(1, TILL, "TILL1-000001")
    theirs = _etims_event(2, str(uuid.uuid4()), "TILL1-000001")  # same number, other till
    reply = {"events": [], "etims": [mine, theirs], "cursor": "2"}
    route = respx.get(PULL_URL).respond(200, json=reply)
    puller = _puller(ledger, bus)
    assert puller.pull_once().applied == 2 and puller.cursor() == "2"
    with ledger.read() as conn:
        invoice = etims_invoices.invoice_of(conn, order_id)
        results = dict(conn.execute(select(inbox.c.event_id, inbox.c.result)).all())
    assert invoice is not None and invoice.signature is not None
    assert invoice.signature.cu_invoice_number == "KRACU0100000123/7"
    assert results == {mine["event_id"]: "signed", theirs["event_id"]: "other_till"}
    assert settled == ["TILL1-000001"]  # published after the commit, once
    route.respond(200, json=reply)
    assert puller.pull_once().applied == 0 and settled == ["TILL1-000001"]
