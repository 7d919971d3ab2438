"""Flutterwave and Stripe through the relay and the provider sandbox, real HTTP both ways: a
link per sale, signed webhooks verified again with the provider before anything is paid,
declines, expiry, duplicates, forgeries and refunds."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
import stripe
from sqlalchemy import update

from sync.protocol import Provider
from sync.providers import flutterwave
from sync.providers.testmode import (
    FLUTTERWAVE_TEST_CARD,
    STRIPE_DECLINED_CARDS,
    STRIPE_TEST_CARD,
)
from sync.relay.store import schema as t
from sync.relay.store.store import utcnow
from sync.relay.webhook_paths import callback_paths
from sync.sandbox import SandboxConfig, SandboxServer
from sync.sandbox.scripts import PRESETS, ScriptedOutcome, ScriptRule
from tests.relay.conftest import Relay

PROVIDERS = [Provider.FLUTTERWAVE.value, Provider.STRIPE.value]
TEST_CARDS = {"flutterwave": FLUTTERWAVE_TEST_CARD, "stripe": STRIPE_TEST_CARD}


@dataclass
class Wired:
    relay: Relay
    sandbox: SandboxServer
    shop_id: str
    till: dict[str, Any]
    cursor: int = 0

    def link(self, provider: str, reference: str, amount_minor: int = 150_000) -> dict[str, Any]:
        payment_id = str(uuid.uuid4())
        reply = self.relay.http.post(
            "/api/v1/terminal/payments/link",
            json={
                "payment_id": payment_id,
                "provider": provider,
                "amount_minor": amount_minor,
                "currency": "KES",
                "email": None,
                "reference": reference,
            },
            headers={**self.relay.auth(self.till), "Idempotency-Key": payment_id},
        )
        assert reply.status_code == 200, reply.text
        view: dict[str, Any] = reply.json()
        assert view["state"] == "pending" and view["authorization_url"], view
        return view

    def events(self, wait: float = 15) -> list[dict[str, Any]]:
        reply = self.relay.http.get(
            "/api/v1/terminal/events",
            params={"after": self.cursor, "wait": wait},
            headers=self.relay.auth(self.till),
        )
        assert reply.status_code == 200, reply.text
        found: list[dict[str, Any]] = reply.json()["events"]
        if found:
            self.cursor = found[-1]["seq"]
        return found

    def state(self, payment_id: str) -> str:
        row = self.relay.store.payment(payment_id)
        assert row is not None
        return str(row.state)

    def webhook_url(self, provider: str) -> str:
        token = self.relay.store.webhook_token(self.shop_id)
        return self.relay.url + callback_paths(self.shop_id, token)[provider]


@pytest.fixture
def wired(relay_factory: Any) -> Iterator[Wired]:
    relay: Relay = relay_factory(public_base_url="self")
    shop_id, token = relay.shop()
    paths = callback_paths(shop_id, token)
    config = SandboxConfig(
        flutterwave_webhook_url=relay.url + paths["flutterwave"],
        stripe_webhook_url=relay.url + paths["stripe"],
        callback_delay_s=0.2,
        duplicate_gap_s=0.3,
    )
    sandbox = SandboxServer(config)
    base = sandbox.start()
    relay.store.set_credentials(
        shop_id,
        "flutterwave",
        "test",
        {
            "secret_key": config.flutterwave_secret_key,
            "secret_hash": config.flutterwave_secret_hash,
        },
        base,
    )
    relay.store.set_credentials(
        shop_id,
        "stripe",
        "test",
        {"secret_key": config.stripe_secret_key, "webhook_secret": config.stripe_webhook_secret},
        base,
    )
    try:
        yield Wired(relay, sandbox, shop_id, relay.till(shop_id))
    finally:
        sandbox.stop()


def _pay(url: str, card: str) -> httpx.Response:
    return httpx.post(f"{url}/pay", data={"card": card}, timeout=15)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_paid_on_the_checkout_page(wired: Wired, provider: str) -> None:
    view = wired.link(provider, "SALE-0042")
    settings = wired.relay.http.get(
        "/api/v1/terminal/settings", headers=wired.relay.auth(wired.till)
    ).json()
    assert settings["test_mode"][provider] is True
    assert _pay(view["authorization_url"], TEST_CARDS[provider]).status_code == 200
    [event] = wired.events()
    assert (event["payment_id"], event["status"], event["amount_minor"], event["currency"]) == (
        view["payment_id"],
        "paid",
        150_000,
        "KES",
    )
    assert (event["provider"], event["channel"], event["test_mode"]) == (provider, provider, True)
    assert event["receipt"]  # Flutterwave's flw_ref, Stripe's PaymentIntent
    state = wired.relay.http.get(
        f"/api/v1/terminal/payments/{view['payment_id']}", headers=wired.relay.auth(wired.till)
    ).json()
    assert state["state"] == "paid" and state["event_seq"] == event["seq"]


def test_a_failed_stripe_debit_is_reported_failed(wired: Wired) -> None:
    # a delayed method that fails: the session completed unpaid, then async_payment_failed
    wired.sandbox.state.script.add(
        ScriptRule(outcome=ScriptedOutcome(result_code="1"), reference="SALE-DECLINE")
    )
    view = wired.link("stripe", "SALE-DECLINE")
    [event] = wired.events()
    assert (event["payment_id"], event["status"]) == (view["payment_id"], "failed")
    assert event["amount_minor"] is None  # nothing was paid
    assert wired.state(view["payment_id"]) == "failed"


def test_a_declined_stripe_card_leaves_the_session_open(wired: Wired) -> None:
    view = wired.link("stripe", "SALE-CARD")
    page = _pay(view["authorization_url"], STRIPE_DECLINED_CARDS[0])
    assert 'id="declined"' in page.text
    assert wired.events(wait=1) == []
    assert wired.state(view["payment_id"]) == "pending"  # another card may still pay


def test_an_expired_stripe_session_is_reported_expired(wired: Wired) -> None:
    view = wired.link("stripe", "SALE-LATE")
    session_id = wired.relay.store.payment(view["payment_id"]).provider_reference  # type: ignore[union-attr]
    assert session_id.startswith("cs_test_")
    session = wired.sandbox.state.stripe_sessions[session_id]
    assert abs(session.expires_at - session.created - 30 * 60) <= 2  # not Stripe's default day
    # What Stripe does by itself when the session's time runs out.
    expired = httpx.post(
        f"{wired.sandbox.base_url}/v1/checkout/sessions/{session_id}/expire",
        headers={"Authorization": f"Bearer {wired.sandbox.config.stripe_secret_key}"},
    )
    assert expired.status_code == 200, expired.text
    [event] = wired.events()
    assert (event["payment_id"], event["status"]) == (view["payment_id"], "expired")


def test_an_abandoned_flutterwave_page_expires_after_its_session(wired: Wired) -> None:
    """Flutterwave says nothing when its page closes: once the session (30 min) is over and
    verify still knows no attempt, the relay reports the payment expired."""
    view = wired.link("flutterwave", "SALE-GONE")
    assert wired.events(wait=1.5) == []  # verified at least once: no attempt yet, still open
    assert wired.state(view["payment_id"]) == "pending"
    long_ago = utcnow() - timedelta(minutes=32)
    with wired.relay.store.write() as conn:
        conn.execute(
            update(t.payments)
            .where(t.payments.c.payment_id == view["payment_id"])
            .values(created_at=long_ago, next_check_at=utcnow())
        )
    [event] = wired.events()
    assert (event["payment_id"], event["status"]) == (view["payment_id"], "expired")


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_duplicated_webhook_is_counted_once(wired: Wired, provider: str) -> None:
    wired.sandbox.state.script.add(
        ScriptRule(outcome=PRESETS["duplicated_callback"], reference="SALE-TWICE")
    )
    view = wired.link(provider, "SALE-TWICE")
    [event] = wired.events()
    assert (event["payment_id"], event["status"]) == (view["payment_id"], "paid")
    deadline = time.monotonic() + 10
    kind = f"{provider}_webhook"
    while len([d for d in wired.sandbox.state.deliveries if d.kind == kind]) < 2:
        assert time.monotonic() < deadline, "the sandbox never delivered twice"
        time.sleep(0.05)
    time.sleep(0.5)
    delivered = [d for d in wired.sandbox.state.deliveries if d.kind == kind]
    assert [d.status_code for d in delivered] == [200, 200]  # both acknowledged
    assert wired.events(wait=1) == []  # and one event only


def _forged(provider: str, wired: Wired, reference: str, session_id: str | None) -> Any:
    if provider == "flutterwave":
        body = json.dumps(
            {
                "event": "charge.completed",
                "data": {
                    "id": 999,
                    "tx_ref": reference,
                    "status": "successful",
                    "amount": 1500,
                    "currency": "KES",
                },
            }
        ).encode()
        headers = {flutterwave.SIGNATURE_HEADER: flutterwave.sign(body, "not-the-secret-hash")}
    else:
        text = json.dumps(
            {
                "id": "evt_forged",
                "type": "checkout.session.completed",
                "created": int(time.time()),
                "livemode": False,
                "data": {
                    "object": {
                        "id": session_id,
                        "object": "checkout.session",
                        "status": "complete",
                        "payment_status": "paid",
                        "amount_total": 150_000,
                        "currency": "kes",
                        "client_reference_id": reference,
                    }
                },
            }
        )
        signature = stripe.WebhookSignature.generate_signature_header(text, "whsec_forger")
        headers = {"Stripe-Signature": signature}
        body = text.encode()
    return httpx.post(
        wired.webhook_url(provider),
        content=body,
        headers={"Content-Type": "application/json", **headers},
    )


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_forged_webhook_is_refused_and_pays_nothing(wired: Wired, provider: str) -> None:
    view = wired.link(provider, "SALE-FORGED")
    session_id = wired.relay.store.payment(view["payment_id"]).provider_reference  # type: ignore[union-attr]
    reply = _forged(provider, wired, "SALE-FORGED", session_id)
    assert reply.status_code == 401, reply.text
    assert wired.events(wait=1.5) == []
    assert wired.state(view["payment_id"]) == "pending"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_refund_through_the_relay(wired: Wired, provider: str) -> None:
    view = wired.link(provider, "SALE-BACK")
    assert _pay(view["authorization_url"], TEST_CARDS[provider]).status_code == 200
    [event] = wired.events()
    assert event["status"] == "paid"
    refund_id = str(uuid.uuid4())

    def refund() -> httpx.Response:
        return wired.relay.http.post(
            f"/api/v1/terminal/payments/{view['payment_id']}/refund",
            json={"refund_id": refund_id, "amount_minor": 50_000, "currency": "KES"},
            headers={**wired.relay.auth(wired.till), "Idempotency-Key": refund_id},
        )

    first, again = refund(), refund()
    assert first.status_code == 200, first.text
    assert again.json() == first.json()
    body = first.json()
    assert (body["amount_minor"], body["currency"]) == (50_000, "KES")
    assert body["provider_refund_id"]
    state = wired.sandbox.state
    if provider == "flutterwave":
        [charge] = state.flutterwave_charges.values()
        assert charge.refunded == 500  # KES 500.00, once
    else:
        [session] = state.stripe_sessions.values()
        assert body["status"] in ("succeeded", "pending")
        assert session.payment_intent is not None


def test_a_live_link_without_live_credentials_is_refused(wired: Wired) -> None:
    wired.relay.store.set_test_mode(wired.shop_id, Provider.STRIPE, False, "owner", None)
    payment_id = str(uuid.uuid4())
    reply = wired.relay.http.post(
        "/api/v1/terminal/payments/link",
        json={
            "payment_id": payment_id,
            "provider": "stripe",
            "amount_minor": 100,
            "currency": "KES",
            "reference": "SALE-LIVE",
        },
        headers={**wired.relay.auth(wired.till), "Idempotency-Key": payment_id},
    )
    assert reply.status_code == 409
    assert "no Stripe live credentials" in reply.text


def test_flutterwave_verif_hash_webhooks_are_accepted(wired: Wired) -> None:
    """Accounts without the newer HMAC header send the secret hash itself (verif-hash)."""
    wired.sandbox.state.config.flutterwave_signature = "verif-hash"
    view = wired.link("flutterwave", "SALE-HASH")
    assert _pay(view["authorization_url"], FLUTTERWAVE_TEST_CARD).status_code == 200
    [event] = wired.events()
    assert (event["payment_id"], event["status"]) == (view["payment_id"], "paid")


def test_stripe_signatures_during_a_rotation_and_past_the_tolerance(wired: Wired) -> None:
    view = wired.link("stripe", "SALE-ROLL")
    session_id = wired.relay.store.payment(view["payment_id"]).provider_reference  # type: ignore[union-attr]
    secret = wired.sandbox.config.stripe_webhook_secret
    text = json.dumps(
        {
            "id": "evt_rolled",
            "type": "checkout.session.expired",
            "created": int(time.time()),
            "livemode": False,
            "data": {
                "object": {
                    "id": session_id,
                    "object": "checkout.session",
                    "status": "expired",
                    "payment_status": "unpaid",
                    "amount_total": 150_000,
                    "currency": "kes",
                    "client_reference_id": "SALE-ROLL",
                }
            },
        }
    )

    def signed(at: int, *secrets: str) -> str:
        """A Stripe-Signature header with one v1 per secret (Stripe's published scheme)."""
        headers = [stripe.WebhookSignature.generate_signature_header(text, s, at) for s in secrets]
        return ",".join([f"t={at}", *(h.split(",", 1)[1] for h in headers)])

    def post(signature: str) -> httpx.Response:
        return httpx.post(
            wired.webhook_url("stripe"),
            content=text.encode(),
            headers={"Content-Type": "application/json", "Stripe-Signature": signature},
        )

    stale = int(time.time()) - 301
    assert post(signed(stale, secret)).status_code == 401  # a replay past 300 s
    assert wired.state(view["payment_id"]) == "pending"
    # Rolling the secret: Stripe signs with the old and the new one; the relay has one of them.
    assert post(signed(int(time.time()), "whsec_the_new_one", secret)).status_code == 200
    [event] = wired.events()
    assert (event["payment_id"], event["status"]) == (view["payment_id"], "expired")


def test_a_declined_flutterwave_card_leaves_the_page_open_and_the_next_card_pays(
    wired: Wired,
) -> None:
    """A signed failed charge.completed is one attempt: Flutterwave keeps the page open, and the
    customer's second card pays the sale (were the decline final, that money would be parked
    with no sale behind it while the customer waits at the counter)."""
    view = wired.link("flutterwave", "SALE-RETRY")
    declined = httpx.post(f"{view['authorization_url']}/decline", timeout=15)
    assert declined.status_code == 200 and 'data-status="failed"' in declined.text
    assert wired.events(wait=1.5) == []  # nothing final, nothing paid
    assert wired.state(view["payment_id"]) == "pending"
    assert _pay(view["authorization_url"], FLUTTERWAVE_TEST_CARD).status_code == 200
    [paid] = wired.events()
    assert (paid["payment_id"], paid["status"]) == (view["payment_id"], "paid")
    assert wired.relay.store.parked(wired.shop_id) == []


def test_a_page_paid_after_its_payment_expired_is_parked(wired: Wired) -> None:
    """The relay gave the page up (its session was over); a later success is money with no sale
    behind it: a supervisor decides, the till is not told "paid"."""
    view = wired.link("flutterwave", "SALE-LATE")
    long_ago = utcnow() - timedelta(minutes=32)
    with wired.relay.store.write() as conn:
        conn.execute(
            update(t.payments)
            .where(t.payments.c.payment_id == view["payment_id"])
            .values(created_at=long_ago, next_check_at=utcnow())
        )
    [expired] = wired.events()
    assert expired["status"] == "expired"
    assert _pay(view["authorization_url"], FLUTTERWAVE_TEST_CARD).status_code == 200
    deadline = time.monotonic() + 15
    while not (parked := wired.relay.store.parked(wired.shop_id)):
        assert time.monotonic() < deadline, "the late payment was never parked"
        time.sleep(0.05)
    assert [p.reason for p in parked] == ["paid_after_final"]
    assert wired.events(wait=1) == []
    assert wired.state(view["payment_id"]) == "expired"
