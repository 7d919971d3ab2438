"""Demo mode as the app starts it: no relay configured -> local relay + sandbox + paired till."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
from e2e_support import FAST, wait_for

from pos_app.config import TillSettings
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.services.bus import EventBus
from pos_app.services.counter import PAYBILL_KEY, account_reference
from pos_app.services.orders import OrderService
from pos_app.services.payments import PaymentService
from pos_app.store import state
from pos_app.store.db import open_ledger
from sync.demo import start_demo_stack
from sync.engine import credentials
from sync.engine.client import RelayClient
from sync.engine.pairing import pair
from sync.engine.runtime import start_till_sync, wants_demo
from sync.engine.scheduler import SyncEngine, SyncStatus
from sync.protocol import PaymentLinkRequest, Provider
from sync.providers.testmode import FLUTTERWAVE_TEST_CARD, STRIPE_TEST_CARD


def test_demo_mode_rings_up_an_stk_sale_and_survives_a_restart(tmp_path: Path) -> None:
    settings = TillSettings(data_dir=tmp_path / "till", keyring="memory", till_id="demo")
    ledger = open_ledger(settings)
    assert wants_demo(settings, ledger)
    with_relay = settings.model_copy(update={"relay_url": "https://relay.example"})
    assert not wants_demo(with_relay, ledger)
    bus = EventBus()
    seen: list[SyncStatus] = []
    sync = start_till_sync(ledger, bus, settings, on_status=seen.append)
    try:
        assert sync.demo is not None
        wait_for(sync.gateway.is_online, what="the demo relay")
        first_terminal = credentials.load(settings, ledger)
        orders, payments = OrderService(ledger, bus), PaymentService(ledger, bus)
        order = orders.create_order([OrderLine("Chai", Money(50_00, "KES"))])
        pay = payments.create_payment(order.id, Money(50_00, "KES"), None, None, "mpesa_stk")
        payments.process_payment(pay.id, {"phone_number": "0712345678"})
        started = sync.gateway.start_stk_push(
            pay.id, "254712345678", Money(50_00, "KES"), account_reference(order.id)
        )
        payments.outcomes.mark_awaiting_customer(pay.id, started.checkout_request_id)
        wait_for(lambda: payments.get_payment(pay.id).status == "succeeded", 15, "the demo sale")
        wait_for(lambda: seen and seen[-1].online and seen[-1].unsynced == 0, 15, "a status")
        assert seen[-1].till_status() == {
            "online": True,
            "unsynced": 0,
            "last_sync": seen[-1].last_sync,
            "offline_reason": None,
            # the banner shows in demo mode, for every provider the demo shop offers
            "test_mode_providers": ("flutterwave", "mpesa", "paystack", "stripe"),
            "providers": ("flutterwave", "mpesa", "paystack", "stripe"),  # a tender each
            "unsigned": 0,  # the demo shop signs nothing with eTIMS
        }
        with ledger.read() as conn:
            assert state.get(conn, PAYBILL_KEY) == sync.demo.sandbox.config.daraja_shortcode
    finally:
        sync.stop()
    again = start_till_sync(ledger, bus, settings)
    try:
        wait_for(again.gateway.is_online, what="the demo relay after a restart")
        assert credentials.load(settings, ledger) == first_terminal  # same relay, same pairing
    finally:
        again.stop()
        ledger.close()


def test_a_running_engine_adopts_a_pairing_made_from_the_settings_screen(tmp_path: Path) -> None:
    settings = TillSettings(data_dir=tmp_path / "till", keyring="memory", till_id="later")
    stack = start_demo_stack(tmp_path / "stack")  # a relay, but this till is not paired yet
    ledger = open_ledger(settings)
    engine = SyncEngine(ledger, EventBus(), settings, timings=FAST)
    engine.start()
    try:
        wait_for(lambda: engine.status().offline_reason == "not paired", what="'not paired'")
        pair(settings, ledger, stack.relay_url, stack.pairing_code())
        wait_for(lambda: engine.status().online, what="the engine to use the new token")
    finally:
        engine.stop()
        ledger.close()
        stack.stop()


def test_the_demo_shop_takes_every_hosted_page_provider(tmp_path: Path) -> None:
    """Flutterwave and Stripe, like Paystack, pay on the sandbox's page in demo mode."""
    settings = TillSettings(data_dir=tmp_path / "till", keyring="memory", till_id="demo")
    ledger = open_ledger(settings)
    stack = start_demo_stack(settings.data_dir, till=(settings, ledger))
    saved = credentials.load(settings, ledger)
    assert saved is not None
    client = RelayClient(saved.relay_url, saved.token)
    try:
        cards = {"paystack": None, "flutterwave": FLUTTERWAVE_TEST_CARD, "stripe": STRIPE_TEST_CARD}
        paid: dict[str, str] = {}
        for provider, card in cards.items():
            started = client.start_payment_link(
                PaymentLinkRequest(
                    payment_id=uuid.uuid4(), provider=Provider(provider), amount_minor=75_00,
                    currency="KES", reference=f"DEMO-{provider}",
                )
            )  # fmt: skip
            assert started.test_mode and started.authorization_url
            form = {"card": card} if card else None
            page = httpx.post(f"{started.authorization_url}/pay", data=form, timeout=15)
            assert page.status_code == 200
            paid[str(started.payment_id)] = provider

        def all_paid() -> bool:
            events = client.pull(None, 1.0).events
            return {str(e.payment_id): e.status.value for e in events} == dict.fromkeys(
                paid, "paid"
            )

        wait_for(all_paid, 20, "the three hosted-page payments")
    finally:
        client.close()
        stack.stop()
        ledger.close()
