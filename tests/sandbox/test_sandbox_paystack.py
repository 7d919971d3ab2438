"""The Paystack client against the real sandbox over HTTP: link, checkout page, signed webhook,
verify, refund."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from receiver import Receiver

from sync.providers.base import PaymentOutcome, ProviderError
from sync.providers.paystack import (
    SIGNATURE_HEADER,
    DuplicateReference,
    PaystackClient,
    PaystackConfig,
    parse_webhook,
    verify_signature,
)
from sync.sandbox import SandboxConfig, SandboxServer

pytestmark = pytest.mark.anyio

KEY = "sk_test_shop_one"
WEBHOOK_PATH = "/hooks/paystack"


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    with Receiver(reply={"status": "ok"}) as r:
        yield r


@pytest.fixture(scope="module")
def sandbox(receiver: Receiver) -> Iterator[SandboxServer]:
    config = SandboxConfig(
        paystack_secret_key=KEY,
        paystack_webhook_url=receiver.url + WEBHOOK_PATH,
        callback_delay_s=0.2,
        late_callback_delay_s=0.6,
    )
    with SandboxServer(config) as server:
        yield server


@pytest.fixture
async def client(sandbox: SandboxServer) -> AsyncIterator[PaystackClient]:
    async with PaystackClient(PaystackConfig(KEY, base_url=sandbox.base_url)) as paystack:
        yield paystack


def webhooks_for(receiver: Receiver, reference: str) -> list[bytes]:
    return [
        r.body for r in receiver.on(WEBHOOK_PATH) if parse_webhook(r.body).reference == reference
    ]


async def wait_webhooks(receiver: Receiver, reference: str, count: int = 1) -> list[bytes]:
    for _ in range(100):
        found = webhooks_for(receiver, reference)
        if len(found) >= count:
            return found
        await asyncio.sleep(0.03)
    return webhooks_for(receiver, reference)


async def test_link_checkout_pay_webhook_verify(
    sandbox: SandboxServer, receiver: Receiver, client: PaystackClient
) -> None:
    link = await client.initialize(1500_00, "KES", "sale-1001", metadata={"till": "T1"})
    assert link.reference == "sale-1001"
    assert link.authorization_url == f"{sandbox.base_url}/checkout/{link.access_code}"
    before = await client.verify("sale-1001")
    assert before.status == "abandoned" and before.outcome is PaymentOutcome.PENDING
    async with httpx.AsyncClient() as browser:
        page = await browser.get(link.authorization_url)
        assert page.status_code == 200 and "KES 1,500.00" in page.text
        assert "4084 0840 8408 4081" in page.text  # the test-card banner
        action = re.search(r'action="([^"]+/pay)"', page.text)
        assert action is not None
        paid_page = await browser.post(sandbox.base_url + action.group(1))
        assert 'data-status="success"' in paid_page.text
    [raw] = await wait_webhooks(receiver, "sale-1001")
    delivered = next(r for r in receiver.on(WEBHOOK_PATH) if r.body == raw)
    assert verify_signature(raw, delivered.headers[SIGNATURE_HEADER], KEY)
    assert not verify_signature(raw, delivered.headers[SIGNATURE_HEADER], "sk_test_other")
    [note] = client.parse_webhook(raw, delivered.headers)
    assert note.kind == "charge.success" and note.outcome is PaymentOutcome.PAID
    assert note.amount_minor == 1500_00 and note.currency == "KES"
    event = parse_webhook(raw)
    assert event.customer_email == "sale-sale-1001@customers.invalid"
    assert event.raw["data"]["metadata"] == {"till": "T1"}
    verified = await client.verify("sale-1001")
    assert verified.outcome is PaymentOutcome.PAID and verified.paid_at is not None
    assert verified.gives_value(1500_00, "KES", "sale-1001")
    assert not verified.gives_value(1500_01, "KES", "sale-1001")


async def test_decline_sends_no_webhook(
    sandbox: SandboxServer, receiver: Receiver, client: PaystackClient
) -> None:
    link = await client.initialize(500_00, "NGN", "sale-1002", email="buyer@example.com")
    async with httpx.AsyncClient() as browser:
        page = await browser.post(f"{sandbox.base_url}/checkout/{link.access_code}/decline")
        assert 'data-status="failed"' in page.text
        again = await browser.get(link.authorization_url)
        assert 'id="pay"' not in again.text  # a settled link cannot be paid
    verified = await client.verify("sale-1002")
    assert verified.status == "failed" and verified.outcome is PaymentOutcome.FAILED
    assert not verified.gives_value(500_00, "NGN", "sale-1002")
    await asyncio.sleep(0.3)
    assert webhooks_for(receiver, "sale-1002") == []


async def test_duplicate_reference(client: PaystackClient) -> None:
    await client.initialize(300, "KES", "sale-1003")
    with pytest.raises(DuplicateReference) as caught:
        await client.initialize(300, "KES", "sale-1003")
    assert caught.value.verification is not None
    assert caught.value.verification.reference == "sale-1003"


async def test_wrong_key_and_currency(sandbox: SandboxServer, client: PaystackClient) -> None:
    async with PaystackClient(PaystackConfig("sk_test_wrong", base_url=sandbox.base_url)) as bad:
        with pytest.raises(ProviderError) as caught:
            await bad.initialize(1000, "KES", "sale-1004")
    assert caught.value.code == "paystack_invalid_key" and "sk_test_wrong" not in str(caught.value)
    with pytest.raises(ProviderError) as caught:
        await client.initialize(1000, "EUR", "sale-1005")
    assert caught.value.code == "paystack_currency_not_enabled"
    with pytest.raises(ProviderError) as caught:
        await client.verify("never-made")
    assert caught.value.code == "paystack_reference_not_found"


@pytest.mark.parametrize(
    ("outcome", "webhooks", "status"),
    [
        ("duplicated_callback", 2, "success"),
        ("no_callback", 0, "success"),
        ("late_callback", 1, "success"),
        ("cancelled", 0, "failed"),
    ],
)
async def test_scripted_links_settle_by_themselves(
    outcome: str,
    webhooks: int,
    status: str,
    sandbox: SandboxServer,
    receiver: Receiver,
    client: PaystackClient,
) -> None:
    reference = f"scripted-{outcome.replace('_', '-')}"
    sandbox.script(outcome, reference=reference)
    await client.initialize(1000, "KES", reference)
    for _ in range(100):  # settles after the sandbox's delay
        verified = await client.verify(reference)
        if verified.status != "abandoned":
            break
        await asyncio.sleep(0.03)
    assert verified.status == status
    if webhooks == 0:
        await asyncio.sleep(0.3)
        assert webhooks_for(receiver, reference) == []
    else:
        found = await wait_webhooks(receiver, reference, webhooks)
        assert len(found) == webhooks and len(set(found)) == 1


async def test_refunds(sandbox: SandboxServer, client: PaystackClient) -> None:
    link = await client.initialize(1000_00, "KES", "sale-1006")
    async with httpx.AsyncClient() as browser:
        await browser.post(f"{sandbox.base_url}/checkout/{link.access_code}/pay")
    part = await client.refund("sale-1006", 400_00)
    assert part.amount_minor == 400_00 and part.status == "pending"
    assert (await client.verify("sale-1006")).status == "success"
    rest = await client.refund("sale-1006")
    assert rest.amount_minor == 600_00
    after = await client.verify("sale-1006")
    assert after.status == "reversed" and not after.gives_value(1000_00, "KES", "sale-1006")
    with pytest.raises(ProviderError, match="fully reversed"):
        await client.refund("sale-1006")


async def test_raw_requests_get_paystack_shaped_refusals(sandbox: SandboxServer) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    async with httpx.AsyncClient(base_url=sandbox.base_url, headers=headers) as http:
        no_email = await http.post("/transaction/initialize", json={"amount": "20000"})
        assert no_email.status_code == 400
        assert no_email.json()["message"] == "Email Address is required"
        assert no_email.json()["code"] == "missing_params"
        bad_amount = await http.post(
            "/transaction/initialize", json={"email": "a@b.c", "amount": "lots"}
        )
        assert bad_amount.status_code == 400 and bad_amount.json()["status"] is False
        ok = await http.post(
            "/transaction/initialize", json={"email": "customer@email.com", "amount": 20000}
        )
        data = ok.json()["data"]
        assert ok.json()["status"] is True and len(data["access_code"]) == 15
        assert data["authorization_url"].endswith("/checkout/" + data["access_code"])
        missing = await http.get("/checkout/not-a-code")
        assert missing.status_code == 404
        deliveries = await http.get("/sandbox/deliveries")
        assert deliveries.status_code == 200
        assert all(d["kind"] == "paystack_webhook" for d in deliveries.json())


async def test_refund_reply_has_the_documented_shape(
    sandbox: SandboxServer, client: PaystackClient
) -> None:
    link = await client.initialize(200_00, "KES", "sale-1007", email="buyer@example.com")
    async with httpx.AsyncClient() as browser:
        await browser.post(f"{sandbox.base_url}/checkout/{link.access_code}/pay")
    paid_at = (await client.verify("sale-1007")).paid_at
    headers = {"Authorization": f"Bearer {KEY}"}
    async with httpx.AsyncClient(base_url=sandbox.base_url, headers=headers) as http:
        reply = await http.post("/refund", json={"transaction": "sale-1007", "amount": 5000})
    data = reply.json()["data"]
    transaction = data["transaction"]
    assert transaction["reference"] == "sale-1007" and transaction["domain"] == "test"
    assert {"authorization", "customer", "paid_at", "paidAt", "currency"} <= set(transaction)
    assert transaction["paid_at"] is not None and paid_at is not None
    assert transaction["paid_at"].startswith(paid_at.strftime("%Y-%m-%dT%H:%M:%S"))
    assert data["expected_at"] > data["createdAt"] and data["status"] == "pending"
    assert data["amount"] == 5000 and data["domain"] == "test"
