"""The relay against the provider sandbox over loopback: real HTTP both ways, no mocks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sync.relay.webhook_paths import callback_paths
from sync.sandbox import SandboxConfig, SandboxServer
from tests.relay.conftest import Relay


@pytest.fixture
def wired(relay_factory: Any) -> Iterator[tuple[Relay, SandboxServer, str, dict[str, Any]]]:
    relay: Relay = relay_factory(public_base_url="self")
    shop_id, token = relay.shop()
    paystack_url = relay.url + callback_paths(shop_id, token)["paystack"]
    config = SandboxConfig(paystack_webhook_url=paystack_url, callback_delay_s=0.2)
    sandbox = SandboxServer(config)
    base = sandbox.start()
    daraja = config.daraja_credentials(initiator=False)
    relay.store.set_credentials(shop_id, "mpesa", "test", daraja, base)
    relay.store.set_credentials(
        shop_id, "paystack", "test", {"secret_key": config.paystack_secret_key}, base
    )
    try:
        yield relay, sandbox, shop_id, relay.till(shop_id)
    finally:
        sandbox.stop()


def test_stk_push_round_trip_through_the_sandbox(wired: Any) -> None:
    relay, _sandbox, _shop, till = wired
    payment_id = "7d0c1c8e-5f6a-4b7e-9d55-0a4c2f1e9b31"
    reply = relay.http.post(
        "/api/v1/terminal/payments/mpesa-stk",
        json={
            "payment_id": payment_id,
            "phone": "0712345678",
            "amount_minor": 25_000,
            "currency": "KES",
            "account_reference": "INV-42",
        },
        headers={**relay.auth(till), "Idempotency-Key": payment_id},
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["state"] == "pending"
    pulled = relay.http.get(
        "/api/v1/terminal/events", params={"wait": 15}, headers=relay.auth(till)
    ).json()
    event = pulled["events"][0]
    assert (event["payment_id"], event["status"], event["amount_minor"]) == (
        payment_id,
        "paid",
        25_000,
    )
    assert event["receipt"] and event["test_mode"] is True


def test_paystack_link_paid_on_the_checkout_page(wired: Any) -> None:
    relay, _sandbox, _shop, till = wired
    payment_id = "1b7e4f0c-3a2d-4c5e-8f9a-6b1c2d3e4f50"
    reply = relay.paystack_link(till, payment_id, "SALE-0042")
    assert reply.status_code == 200, reply.text
    link = reply.json()["authorization_url"]
    assert httpx.post(f"{link}/pay").status_code == 200  # the customer pays
    pulled = relay.http.get(
        "/api/v1/terminal/events", params={"wait": 15}, headers=relay.auth(till)
    ).json()
    event = pulled["events"][0]
    assert (event["payment_id"], event["status"], event["amount_minor"], event["currency"]) == (
        payment_id,
        "paid",
        150_000,
        "KES",
    )
