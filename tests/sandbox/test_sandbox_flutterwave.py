"""The Flutterwave client against the real sandbox over HTTP: hosted link, payment page (paid,
declined, retried), signed charge.completed webhooks, verify by id, refunds."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from receiver import Receiver

from sync.providers.base import PaymentOutcome, PaymentRequest, ProviderError
from sync.providers.flutterwave import (
    SIGNATURE_HEADER,
    VERIF_HASH_HEADER,
    FlutterwaveClient,
    FlutterwaveConfig,
    parse_webhook,
    verify_signature,
)
from sync.sandbox import SandboxConfig, SandboxServer

pytestmark = pytest.mark.anyio

KEY = "FLWSECK_TEST-shop-one-X"
HASH = "shop-one-secret-hash"
WEBHOOK_PATH = "/hooks/flutterwave"


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    with Receiver(reply={"status": "ok"}) as r:
        yield r


@pytest.fixture(scope="module")
def sandbox(receiver: Receiver) -> Iterator[SandboxServer]:
    config = SandboxConfig(
        flutterwave_secret_key=KEY,
        flutterwave_secret_hash=HASH,
        flutterwave_webhook_url=receiver.url + WEBHOOK_PATH,
        callback_delay_s=0.2,
        late_callback_delay_s=0.6,
    )
    with SandboxServer(config) as server:
        yield server


@pytest.fixture
async def client(sandbox: SandboxServer) -> AsyncIterator[FlutterwaveClient]:
    config = FlutterwaveConfig(KEY, HASH, base_url=sandbox.base_url, test_mode=True)
    async with FlutterwaveClient(config) as flw:
        yield flw


def webhooks_for(receiver: Receiver, tx_ref: str) -> list[bytes]:
    return [r.body for r in receiver.on(WEBHOOK_PATH) if parse_webhook(r.body).tx_ref == tx_ref]


async def wait_webhooks(receiver: Receiver, tx_ref: str, count: int = 1) -> list[bytes]:
    for _ in range(100):
        found = webhooks_for(receiver, tx_ref)
        if len(found) >= count:
            return found
        await asyncio.sleep(0.03)
    return webhooks_for(receiver, tx_ref)


async def pay(browser: httpx.AsyncClient, link: str, card: str | None = None) -> str:
    page = await browser.get(link)
    action = re.search(r'action="([^"]+/pay)"', page.text)
    assert page.status_code == 200 and action is not None
    base = f"{urlsplit(link).scheme}://{urlsplit(link).netloc}"
    data = {"card": card} if card is not None else None
    return (await browser.post(base + action.group(1), data=data)).text


async def test_link_pay_signed_webhook_verify_by_id(
    sandbox: SandboxServer, receiver: Receiver, client: FlutterwaveClient
) -> None:
    started = await client.initialize_payment(
        PaymentRequest("sale-2001", 1500_50, "KES", callback_url="https://shop.example/back")
    )
    assert started.checkout_url is not None
    assert started.checkout_url.startswith(f"{sandbox.base_url}/flutterwave/hosted/pay/flwlnk-")
    async with httpx.AsyncClient() as browser:
        page = await browser.get(started.checkout_url)
        assert "KES 1,500.50" in page.text and "card, mpesa" in page.text
        assert "5531 8866 5214 2950" in page.text and "3310" in page.text  # the banner
        paid = await pay(browser, started.checkout_url)
    assert 'data-status="successful"' in paid
    back = re.search(r'href="([^"]+)"', paid)
    assert back is not None
    query = parse_qs(urlsplit(back.group(1).replace("&amp;", "&")).query)
    assert query["status"] == ["successful"] and query["tx_ref"] == ["sale-2001"]

    [raw] = await wait_webhooks(receiver, "sale-2001")
    delivered = next(r for r in receiver.on(WEBHOOK_PATH) if r.body == raw)
    assert verify_signature(raw, delivered.headers, HASH)
    assert not verify_signature(raw, delivered.headers, "another-hash")
    [note] = client.parse_webhook(raw, delivered.headers)
    assert note.kind == "charge.completed" and note.outcome is PaymentOutcome.PAID
    assert note.provider_reference == query["transaction_id"][0]
    assert note.amount_minor == 1500_50 and note.currency == "KES"

    # Only the API's answer grants value: by the id the webhook gave.
    assert note.provider_reference is not None
    verified = await client.verify(note.provider_reference)
    assert verified.gives_value(1500_50, "KES", "sale-2001")
    assert not verified.gives_value(1500_00, "KES", "sale-2001")
    by_ref = await client.verify_payment("sale-2001")
    assert by_ref.outcome is PaymentOutcome.PAID
    assert by_ref.provider_reference == note.provider_reference


async def test_declined_card_then_a_retry_on_the_same_page(
    sandbox: SandboxServer, receiver: Receiver, client: FlutterwaveClient
) -> None:
    link = await client.create_payment_link(300_00, "GHS", "sale-2002", email="a@b.example")
    async with httpx.AsyncClient() as browser:
        declined = await pay(browser, link.link, "5258 5859 2266 6506")
        assert 'data-status="failed"' in declined and "Insufficient funds" in declined
        assert 'id="pay"' in declined  # the page stays open for another try
        [failed_raw] = await wait_webhooks(receiver, "sale-2002")
        failed = parse_webhook(failed_raw)
        assert failed.status == "failed" and failed.transaction_id is not None
        verified = await client.verify(failed.transaction_id)
        assert verified.outcome is PaymentOutcome.FAILED
        assert not verified.gives_value(300_00, "GHS", "sale-2002")
        paid = await pay(browser, link.link, "5531886652142950")
        assert 'data-status="successful"' in paid
        again = await browser.get(link.link)
        assert 'id="pay"' not in again.text  # a paid link cannot be paid twice
    raws = await wait_webhooks(receiver, "sale-2002", 2)
    ids = {parse_webhook(raw).transaction_id for raw in raws}
    assert len(ids) == 2  # one tx_ref, two transactions
    assert (await client.verify_payment("sale-2002")).outcome is PaymentOutcome.PAID


async def test_decline_button(sandbox: SandboxServer, client: FlutterwaveClient) -> None:
    link = await client.create_payment_link(100_00, "KES", "sale-2003")
    token = link.link.rsplit("/", 1)[1]
    async with httpx.AsyncClient() as browser:
        page = await browser.post(f"{sandbox.base_url}/flutterwave/hosted/pay/{token}/decline")
    assert 'data-status="failed"' in page.text
    transaction_id = re.search(r'data-transaction-id="(\d+)"', page.text)
    assert transaction_id is not None
    assert (await client.verify(transaction_id.group(1))).outcome is PaymentOutcome.FAILED


async def test_refunds(sandbox: SandboxServer, client: FlutterwaveClient) -> None:
    link = await client.create_payment_link(1000, "UGX", "sale-2004")
    async with httpx.AsyncClient() as browser:
        paid = await pay(browser, link.link)
    found = re.search(r'data-transaction-id="(\d+)"', paid)
    assert found is not None
    transaction_id = found.group(1)
    part = await client.refund(transaction_id, "UGX", 400, comments="one item back")
    assert part.amount_minor == 400 and part.status == "completed"
    rest = await client.refund_payment(transaction_id)  # currency looked up, full remainder
    assert rest.amount_minor == 600 and rest.currency == "UGX"
    with pytest.raises(ProviderError, match="fully refunded"):
        await client.refund(transaction_id, "UGX")


async def test_wrong_key_unknown_id_and_currency(
    sandbox: SandboxServer, client: FlutterwaveClient
) -> None:
    config = FlutterwaveConfig("FLWSECK_TEST-wrong-X", HASH, base_url=sandbox.base_url)
    async with FlutterwaveClient(config) as bad:
        with pytest.raises(ProviderError) as caught:
            await bad.create_payment_link(1000, "KES", "sale-2005")
    assert caught.value.code == "flutterwave_invalid_key"
    assert "FLWSECK_TEST-wrong-X" not in str(caught.value)
    with pytest.raises(ProviderError) as caught:
        await client.verify("999999999")
    assert caught.value.code == "flutterwave_transaction_not_found"
    with pytest.raises(ProviderError, match="Invalid currency"):
        await client.create_payment_link(1000, "ZAR", "sale-2006")


@pytest.mark.parametrize(
    ("outcome", "webhooks", "status"),
    [
        ("duplicated_callback", 2, "successful"),
        ("no_callback", 0, "successful"),
        ("cancelled", 1, "failed"),
    ],
)
async def test_scripted_links_settle_by_themselves(
    outcome: str,
    webhooks: int,
    status: str,
    sandbox: SandboxServer,
    receiver: Receiver,
    client: FlutterwaveClient,
) -> None:
    tx_ref = f"fw-scripted-{outcome.replace('_', '-')}"
    sandbox.script(outcome, reference=tx_ref)
    await client.create_payment_link(1000, "KES", tx_ref)
    verified = None
    for _ in range(100):
        try:
            verified = await client.verify_by_reference(tx_ref)
            break
        except ProviderError:
            await asyncio.sleep(0.03)
    assert verified is not None and verified.status == status
    if webhooks == 0:
        await asyncio.sleep(0.3)
        assert webhooks_for(receiver, tx_ref) == []
    else:
        found = await wait_webhooks(receiver, tx_ref, webhooks)
        assert len(found) == webhooks and len(set(found)) == 1


async def test_verif_hash_accounts(receiver: Receiver) -> None:
    config = SandboxConfig(
        flutterwave_secret_key=KEY,
        flutterwave_secret_hash=HASH,
        flutterwave_webhook_url=receiver.url + WEBHOOK_PATH,
        flutterwave_signature="verif-hash",
    )
    with SandboxServer(config) as sandbox:
        flw_config = FlutterwaveConfig(KEY, HASH, base_url=sandbox.base_url)
        async with FlutterwaveClient(flw_config) as client:
            link = await client.create_payment_link(100_00, "KES", "sale-2007")
            async with httpx.AsyncClient() as browser:
                await pay(browser, link.link)
            [raw] = await wait_webhooks(receiver, "sale-2007")
    delivered = next(r for r in receiver.on(WEBHOOK_PATH) if r.body == raw)
    assert (
        delivered.headers[VERIF_HASH_HEADER] == HASH and SIGNATURE_HEADER not in delivered.headers
    )
    [note] = FlutterwaveClient(flw_config).parse_webhook(raw, delivered.headers)
    assert note.outcome is PaymentOutcome.PAID


async def test_raw_requests_get_flutterwave_shaped_refusals(sandbox: SandboxServer) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    async with httpx.AsyncClient(base_url=sandbox.base_url, headers=headers) as http:
        no_email = await http.post("/v3/payments", json={"tx_ref": "r", "amount": "10"})
        assert no_email.status_code == 400
        assert no_email.json() == {
            "status": "error",
            "message": "customer.email is required",
            "data": None,
        }
        ngn = await http.post(
            "/v3/payments",
            json={"tx_ref": "r-ngn", "amount": 7500, "customer": {"email": "a@b.c"}},
        )
        assert ngn.json()["status"] == "success"  # currency defaults to NGN, as documented
        too_fine = await http.post(
            "/v3/payments",
            json={
                "tx_ref": "r2",
                "amount": "1.005",
                "currency": "KES",
                "customer": {"email": "a@b.c"},
            },
        )
        assert too_fine.status_code == 400
        missing = await http.get("/flutterwave/hosted/pay/flwlnk-nope")
        assert missing.status_code == 404
