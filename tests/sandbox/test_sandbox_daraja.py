"""The Daraja client against the real sandbox over HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import httpx
import pytest
from receiver import Receiver

from sync.providers.base import PaymentOutcome, ProviderError
from sync.providers.daraja import (
    C2B_REGISTER_V1_PATH,
    SANDBOX_PASSKEY,
    DarajaClient,
    DarajaConfig,
    parse_c2b,
    parse_stk_callback,
)
from sync.providers.daraja_pull import pull_window, register_pull
from sync.providers.testmode import MPESA_SANDBOX_TEST_MSISDN
from sync.sandbox import SandboxConfig, SandboxServer, ScriptedOutcome
from sync.sandbox.state import now

pytestmark = pytest.mark.anyio

CALLBACK_PATH = "/hooks/stk/secret-token"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    config = SandboxConfig(callback_delay_s=0.3, late_callback_delay_s=2.0)
    with SandboxServer(config) as server:
        yield server


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


def daraja_config(sandbox: SandboxServer, **overrides: object) -> DarajaConfig:
    values: dict[str, object] = {
        "consumer_key": sandbox.config.daraja_consumer_key,
        "consumer_secret": sandbox.config.daraja_consumer_secret,
        "shortcode": sandbox.config.daraja_shortcode,
        "passkey": SANDBOX_PASSKEY,
        "base_url": sandbox.base_url,
        "test_mode": True,
    }
    values.update(overrides)
    return DarajaConfig(**values)  # type: ignore[arg-type]


@pytest.fixture
async def client(sandbox: SandboxServer) -> AsyncIterator[DarajaClient]:
    async with DarajaClient(daraja_config(sandbox)) as daraja:
        yield daraja


async def test_push_callback_and_query(
    sandbox: SandboxServer, receiver: Receiver, client: DarajaClient
) -> None:
    # A longer delay for this payment keeps the "being processed" check clear of slow machines.
    sandbox.script(ScriptedOutcome(delay_s=1.5), phone="254712345678", amount_minor=250_00)
    accepted = await client.stk_push(
        "0712 345 678", 250_00, "SALE-1", "Duka sale", receiver.url + CALLBACK_PATH
    )
    assert accepted.checkout_request_id.startswith("ws_CO_")
    pending = await client.stk_query(accepted.checkout_request_id)
    assert pending.outcome is PaymentOutcome.PENDING  # "being processed", HTTP 500
    [delivered] = receiver.wait_for(CALLBACK_PATH)
    callback = parse_stk_callback(delivered.body)
    assert callback.checkout_request_id == accepted.checkout_request_id
    assert callback.merchant_request_id == accepted.merchant_request_id
    assert callback.outcome is PaymentOutcome.PAID and callback.amount_minor == 250_00
    assert callback.receipt_number is not None and len(callback.receipt_number) == 10
    assert callback.phone == "254712345678" and callback.transaction_time is not None
    final = await client.stk_query(accepted.checkout_request_id)
    assert final.outcome is PaymentOutcome.PAID and final.result_code == "0"
    sandbox.state.script.clear()


@pytest.mark.parametrize(
    ("phone", "code", "outcome"),
    [
        ("0712341032", "1032", PaymentOutcome.CANCELLED),
        (MPESA_SANDBOX_TEST_MSISDN, "1037", PaymentOutcome.EXPIRED),
        ("0712342001", "2001", PaymentOutcome.FAILED),
        ("0712340001", "1", PaymentOutcome.FAILED),
    ],
)
async def test_default_script_by_phone(
    phone: str, code: str, outcome: PaymentOutcome, receiver: Receiver, client: DarajaClient
) -> None:
    accepted = await client.stk_push(phone, 100, "A1", "d", receiver.url + CALLBACK_PATH)
    [delivered] = receiver.wait_for(CALLBACK_PATH)
    callback = parse_stk_callback(delivered.body)
    assert callback.result_code == code and callback.outcome is outcome
    assert callback.amount_minor is None and callback.receipt_number is None
    result = await client.stk_query(accepted.checkout_request_id)
    assert result.result_code == code and result.outcome is outcome


async def test_duplicated_callback(receiver: Receiver, client: DarajaClient) -> None:
    await client.stk_push("0712349002", 100, "A1", "d", receiver.url + CALLBACK_PATH)
    first, second = receiver.wait_for(CALLBACK_PATH, count=2)
    assert first.body == second.body


async def test_no_callback_only_the_query_knows(receiver: Receiver, client: DarajaClient) -> None:
    accepted = await client.stk_push("0712349004", 100, "A1", "d", receiver.url + CALLBACK_PATH)
    await asyncio.sleep(0.8)
    assert receiver.on(CALLBACK_PATH) == []
    result = await client.stk_query(accepted.checkout_request_id)
    assert result.outcome is PaymentOutcome.PAID


async def test_late_callback_arrives_after_the_query_knows(
    receiver: Receiver, client: DarajaClient
) -> None:
    started = time.monotonic()
    accepted = await client.stk_push("0712349003", 100, "A1", "d", receiver.url + CALLBACK_PATH)
    await asyncio.sleep(0.5)
    assert (await client.stk_query(accepted.checkout_request_id)).outcome is PaymentOutcome.PAID
    assert receiver.on(CALLBACK_PATH) == []
    [late] = receiver.wait_for(CALLBACK_PATH)
    assert time.monotonic() - started >= 2.2
    assert parse_stk_callback(late.body).outcome is PaymentOutcome.PAID


async def test_admin_endpoint_scripts_by_amount(
    sandbox: SandboxServer, receiver: Receiver, client: DarajaClient
) -> None:
    async with httpx.AsyncClient() as http:
        reply = await http.post(
            f"{sandbox.base_url}/sandbox/script",
            json={"amount_minor": 777_00, "outcome": "wrong_pin"},
        )
        assert reply.status_code == 200
        try:
            await client.stk_push("0712345678", 777_00, "A1", "d", receiver.url + CALLBACK_PATH)
            [delivered] = receiver.wait_for(CALLBACK_PATH)
            assert parse_stk_callback(delivered.body).result_code == "2001"
        finally:
            await http.delete(f"{sandbox.base_url}/sandbox/script")
        bad = await http.post(f"{sandbox.base_url}/sandbox/script", json={"outcome": "maybe"})
        assert bad.status_code == 422


async def test_in_process_scripting_by_phone(
    sandbox: SandboxServer, receiver: Receiver, client: DarajaClient
) -> None:
    sandbox.script("cancelled", phone="254799999999")
    try:
        await client.stk_push("0799999999", 100, "A1", "d", receiver.url + CALLBACK_PATH)
        [delivered] = receiver.wait_for(CALLBACK_PATH)
        assert parse_stk_callback(delivered.body).outcome is PaymentOutcome.CANCELLED
    finally:
        sandbox.state.script.clear()


async def test_a_second_token_holder_revokes_the_first(
    sandbox: SandboxServer, receiver: Receiver, client: DarajaClient
) -> None:
    """Daraja's one-token-per-app rule: the client recovers by minting again, once."""
    first = await client.get_token()
    async with DarajaClient(daraja_config(sandbox)) as intruder:
        assert await intruder.get_token() != first
    accepted = await client.stk_push("0712345678", 100, "A1", "d", receiver.url + CALLBACK_PATH)
    assert accepted.checkout_request_id and await client.get_token() != first


async def test_wrong_consumer_secret(sandbox: SandboxServer) -> None:
    async with DarajaClient(daraja_config(sandbox, consumer_secret="nope")) as daraja:
        with pytest.raises(ProviderError) as caught:
            await daraja.get_token()
    assert caught.value.code == "daraja_auth_failed"


async def test_wrong_passkey_and_shortcode(sandbox: SandboxServer, receiver: Receiver) -> None:
    url = receiver.url + CALLBACK_PATH
    async with DarajaClient(daraja_config(sandbox, passkey="wrong")) as daraja:
        with pytest.raises(ProviderError) as caught:
            await daraja.stk_push("0712345678", 100, "A1", "d", url)
    assert caught.value.code == "daraja_not_started"
    async with DarajaClient(daraja_config(sandbox, shortcode="600000")) as daraja:
        with pytest.raises(ProviderError) as caught:
            await daraja.stk_push("0712345678", 100, "A1", "d", url)
    assert caught.value.code == "daraja_bad_request"
    assert "BusinessShortCode" in caught.value.cashier_message


async def test_till_number_push(sandbox: SandboxServer, receiver: Receiver) -> None:
    async with DarajaClient(daraja_config(sandbox, till_number="5123456")) as daraja:
        accepted = await daraja.stk_push("0110123456", 100, "A1", "d", receiver.url + "/t")
    assert accepted.checkout_request_id
    [delivered] = receiver.wait_for("/t")
    assert parse_stk_callback(delivered.body).phone == "254110123456"


async def test_c2b_register_and_simulate(
    sandbox: SandboxServer, receiver: Receiver, client: DarajaClient
) -> None:
    registered = await client.register_c2b_urls(
        receiver.url + "/c2b/confirm", receiver.url + "/c2b/validate"
    )
    assert registered.response_code == "0"
    await client.simulate_c2b(1500_00, "0712345678", "SALE-9")
    [validation] = receiver.wait_for("/c2b/validate")
    [confirmation] = receiver.wait_for("/c2b/confirm")
    payment = parse_c2b(confirmation.body)
    assert payment.amount_minor == 1500_00 and payment.bill_ref == "SALE-9"
    assert payment.short_code == "174379" and "*" in payment.msisdn_masked
    assert json.loads(validation.body)["TransID"] == payment.trans_id


async def test_c2b_validation_refusal_stops_the_payment(
    sandbox: SandboxServer, client: DarajaClient
) -> None:
    with Receiver(reply={"ResultCode": "C2B00012", "ResultDesc": "Rejected"}) as refusing:
        await client.register_c2b_urls(refusing.url + "/c2b/confirm", refusing.url + "/c2b/check")
        await client.simulate_c2b(100, "0712345678", "UNKNOWN")
        assert len(refusing.wait_for("/c2b/check")) == 1
        await asyncio.sleep(0.3)
        assert refusing.on("/c2b/confirm") == []


async def test_c2b_register_on_the_v1_path_for_older_clients(
    sandbox: SandboxServer, receiver: Receiver, client: DarajaClient
) -> None:
    """A third-party client that still registers on /mpesa/c2b/v1/registerurl is served too."""
    token = await client.get_token()
    body = {
        "ShortCode": sandbox.config.daraja_shortcode,
        "ResponseType": "Completed",
        "ConfirmationURL": receiver.url + "/v1/confirm",
        "ValidationURL": receiver.url + "/v1/validate",
    }
    async with httpx.AsyncClient() as http:
        reply = await http.post(
            f"{sandbox.base_url}{C2B_REGISTER_V1_PATH}",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
        )
    assert reply.status_code == 200
    assert reply.json()["ResponseCode"] == "0" and reply.json()["OriginatorCoversationID"]
    await client.simulate_c2b(250_00, "0712345678", "SALE-V1")
    [confirmation] = receiver.wait_for("/v1/confirm")
    assert parse_c2b(confirmation.body).bill_ref == "SALE-V1"


async def test_pull_transactions_list_the_c2b_payments_made(receiver: Receiver) -> None:
    """Pull answers in Daraja's wire format from the C2B payments the sandbox made, once the
    shortcode is registered for Pull, for the window asked."""
    with SandboxServer(SandboxConfig(callback_delay_s=0.1)) as fresh:
        async with DarajaClient(daraja_config(fresh)) as daraja:
            start, end = now() - timedelta(hours=1), now() + timedelta(minutes=1)
            with pytest.raises(ProviderError):  # not registered for Pull yet
                await pull_window(daraja, start, end)
            await daraja.register_c2b_urls(
                receiver.url + "/c2b/confirm", receiver.url + "/c2b/validate"
            )
            await daraja.simulate_c2b(1500_00, "0712345678", "SALE-9")
            await daraja.simulate_c2b(200_00, "0712345679", None)
            registration = await register_pull(daraja, "0712345678", receiver.url + "/pull")
            assert registration.response_code == "1000"
            rows = await pull_window(daraja, start, end)
            assert await pull_window(daraja, start - timedelta(hours=3), start) == []
    assert [(r.amount_minor, r.bill_reference, r.msisdn) for r in rows] == [
        (1500_00, "SALE-9", "254712345678"),
        (200_00, "", "254712345679"),
    ]
    assert {r.transaction_id for r in rows} == set(fresh.state.c2b)
