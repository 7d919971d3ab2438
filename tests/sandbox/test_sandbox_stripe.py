"""The Stripe client (official library) against the real sandbox over HTTP: Checkout Session,
hosted page (paid, declined), signed events, retrieve before value, expire, refunds."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from receiver import Receiver

from sync.providers.base import PaymentOutcome, PaymentRequest, ProviderError
from sync.providers.stripe_checkout import (
    SIGNATURE_HEADER,
    StripeCheckoutClient,
    StripeConfig,
    parse_event,
    verify_signature,
)
from sync.sandbox import SandboxConfig, SandboxServer

pytestmark = pytest.mark.anyio

KEY = "sk_test_shop_one"
SECRET = "whsec_shop_one"
WEBHOOK_PATH = "/hooks/stripe"
SUCCESS = "https://shop.example/paid"


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    with Receiver(reply={"received": "true"}) as r:
        yield r


@pytest.fixture(scope="module")
def sandbox(receiver: Receiver) -> Iterator[SandboxServer]:
    config = SandboxConfig(
        stripe_secret_key=KEY,
        stripe_webhook_secret=SECRET,
        stripe_webhook_url=receiver.url + WEBHOOK_PATH,
        callback_delay_s=0.2,
        late_callback_delay_s=0.6,
    )
    with SandboxServer(config) as server:
        yield server


@pytest.fixture
async def client(sandbox: SandboxServer) -> AsyncIterator[StripeCheckoutClient]:
    config = StripeConfig(KEY, SECRET, base_url=sandbox.base_url, test_mode=True)
    async with StripeCheckoutClient(config) as checkout:
        yield checkout


def events_for(receiver: Receiver, reference: str) -> list[tuple[bytes, dict[str, str]]]:
    found = []
    for delivery in receiver.on(WEBHOOK_PATH):
        event = parse_event(delivery.body)
        if event.session is not None and event.session.client_reference_id == reference:
            found.append((delivery.body, delivery.headers))
    return found


async def wait_events(
    receiver: Receiver, reference: str, count: int = 1
) -> list[tuple[bytes, dict[str, str]]]:
    for _ in range(100):
        found = events_for(receiver, reference)
        if len(found) >= count:
            return found
        await asyncio.sleep(0.03)
    return events_for(receiver, reference)


async def submit(
    browser: httpx.AsyncClient, base: str, url: str, button: str, card: str | None = None
) -> str:
    """Press `button` on the checkout page, with the form's own card unless `card` is given."""
    page = await browser.get(url)
    forms = re.findall(r'<form method="post" action="([^"]+)">(.*?)</form>', page.text, re.S)
    action, inner = next((a, i) for a, i in forms if f'id="{button}"' in i)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', inner))
    if card is not None:
        fields["card"] = card
    return (await browser.post(base + action, data=fields)).text


async def test_session_pay_signed_event_retrieve(
    sandbox: SandboxServer, receiver: Receiver, client: StripeCheckoutClient
) -> None:
    started = await client.initialize_payment(
        PaymentRequest("sale-3001", 1500_50, "KES", callback_url=SUCCESS, idempotency_key="p-1")
    )
    assert started.provider_reference.startswith("cs_test_") and started.checkout_url
    before = await client.verify_payment(started.provider_reference)
    assert before.outcome is PaymentOutcome.PENDING
    async with httpx.AsyncClient() as browser:
        page = await browser.get(started.checkout_url)
        assert "KES 1,500.50" in page.text and "4242 4242 4242 4242" in page.text
        paid = await submit(browser, sandbox.base_url, started.checkout_url, "pay")
    assert 'data-payment-status="paid"' in paid

    [(raw, headers)] = await wait_events(receiver, "sale-3001")
    assert verify_signature(raw, headers[SIGNATURE_HEADER.lower()], SECRET)
    assert not verify_signature(raw, headers[SIGNATURE_HEADER.lower()], "whsec_other")
    [note] = client.parse_webhook(raw, headers)
    assert note.kind == "checkout.session.completed" and note.outcome is PaymentOutcome.PAID
    assert note.provider_reference == started.provider_reference
    assert note.amount_minor == 1500_50 and note.currency == "KES"
    assert note.dedupe_key.startswith("evt_")

    session = await client.retrieve_session(started.provider_reference)
    assert session.gives_value(1500_50, "KES", "sale-3001")
    assert not session.gives_value(1500_00, "KES", "sale-3001")
    assert session.payment_intent is not None and session.url is None

    # The same request again (a lost reply): the same session, not a second one.
    again = await client.initialize_payment(
        PaymentRequest("sale-3001", 1500_50, "KES", callback_url=SUCCESS, idempotency_key="p-1")
    )
    assert again.provider_reference == started.provider_reference


async def test_declined_card_keeps_the_session_open_then_the_till_expires_it(
    sandbox: SandboxServer, receiver: Receiver, client: StripeCheckoutClient
) -> None:
    session = await client.create_session(500_00, "KES", "sale-3002", SUCCESS)
    assert session.url is not None
    async with httpx.AsyncClient() as browser:
        declined = await submit(browser, sandbox.base_url, session.url, "decline")
        assert "declined" in declined and 'data-decline-code="generic_decline"' in declined
        insufficient = await submit(
            browser, sandbox.base_url, session.url, "pay", "4000 0000 0000 9995"
        )
        assert 'data-decline-code="insufficient_funds"' in insufficient
    after = await client.retrieve_session(session.session_id)
    assert after.outcome is PaymentOutcome.PENDING
    assert not after.gives_value(500_00, "KES", "sale-3002")
    assert events_for(receiver, "sale-3002") == []  # Stripe sends nothing for a decline
    expired = await client.expire_session(session.session_id)
    assert expired.outcome is PaymentOutcome.EXPIRED
    [(raw, headers)] = await wait_events(receiver, "sale-3002")
    [note] = client.parse_webhook(raw, headers)
    assert note.kind == "checkout.session.expired" and note.outcome is PaymentOutcome.EXPIRED
    again = await client.expire_session(session.session_id)  # refused, read back
    assert again.outcome is PaymentOutcome.EXPIRED


async def test_refunds_with_idempotency_keys(
    sandbox: SandboxServer, client: StripeCheckoutClient
) -> None:
    session = await client.create_session(5000, "UGX", "sale-3003", SUCCESS)
    assert session.url is not None
    async with httpx.AsyncClient() as browser:
        await submit(browser, sandbox.base_url, session.url, "pay")
    part = await client.refund_payment(session.session_id, 2000, idempotency_key="refund-1")
    assert part.amount_minor == 2000 and part.status == "succeeded" and part.currency == "UGX"
    replay = await client.refund_payment(session.session_id, 2000, idempotency_key="refund-1")
    assert replay.refund_id == part.refund_id  # a resend refunds nothing more
    rest = await client.refund_payment(session.session_id, idempotency_key="refund-2")
    assert rest.amount_minor == 3000
    with pytest.raises(ProviderError, match="already been refunded"):
        await client.refund_payment(session.session_id, idempotency_key="refund-3")
    with pytest.raises(ProviderError) as caught:
        await client.refund_payment(session.session_id, 100, idempotency_key="refund-1")
    assert caught.value.code == "stripe_idempotency_conflict"


async def test_scripted_delayed_method_fails(
    sandbox: SandboxServer, receiver: Receiver, client: StripeCheckoutClient
) -> None:
    sandbox.script("cancelled", reference="sale-3004")
    await client.create_session(100_00, "KES", "sale-3004", SUCCESS)
    found = await wait_events(receiver, "sale-3004", 2)
    kinds = [parse_event(raw).type for raw, _ in found]
    assert kinds == ["checkout.session.completed", "checkout.session.async_payment_failed"]
    outcomes = [client.parse_webhook(raw, headers)[0].outcome for raw, headers in found]
    assert outcomes == [PaymentOutcome.PENDING, PaymentOutcome.FAILED]
    session = parse_event(found[0][0]).session
    assert session is not None
    with pytest.raises(ProviderError) as caught:
        await client.refund_payment(session.session_id, idempotency_key="refund-4")
    assert caught.value.code == "stripe_not_paid"
    assert session.payment_intent is not None  # the sandbox refuses it too
    with pytest.raises(ProviderError, match="charge_not_refundable"):
        await client.refund(session.payment_intent, "KES", idempotency_key="refund-5")


async def test_scripted_duplicate_events_share_one_id(
    sandbox: SandboxServer, receiver: Receiver, client: StripeCheckoutClient
) -> None:
    sandbox.script("duplicated_callback", reference="sale-3005")
    await client.create_session(100_00, "KES", "sale-3005", SUCCESS)
    found = await wait_events(receiver, "sale-3005", 2)
    assert len({parse_event(raw).event_id for raw, _ in found}) == 1
    assert all(verify_signature(raw, h[SIGNATURE_HEADER.lower()], SECRET) for raw, h in found)


async def test_wrong_key_and_unknown_session(
    sandbox: SandboxServer, client: StripeCheckoutClient
) -> None:
    config = StripeConfig("sk_test_wrong", SECRET, base_url=sandbox.base_url)
    async with StripeCheckoutClient(config) as bad:
        with pytest.raises(ProviderError) as caught:
            await bad.create_session(100_00, "KES", "sale-3006", SUCCESS)
    assert caught.value.code == "stripe_invalid_key" and "sk_test_wrong" not in str(caught.value)
    with pytest.raises(ProviderError) as caught:
        await client.retrieve_session("cs_test_nope")
    assert caught.value.code == "stripe_not_found"


async def test_raw_requests_get_stripe_shaped_replies(sandbox: SandboxServer) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    async with httpx.AsyncClient(base_url=sandbox.base_url, headers=headers) as http:
        missing = await http.post("/v1/checkout/sessions", data={"mode": "payment"})
        assert missing.status_code == 400
        assert missing.json()["error"]["type"] == "invalid_request_error"
        fields = {
            "mode": "payment",
            "success_url": SUCCESS,
            "line_items[0][price_data][currency]": "ugx",
            "line_items[0][price_data][unit_amount]": "500050",  # not whole shillings
            "line_items[0][quantity]": "1",
        }
        assert (await http.post("/v1/checkout/sessions", data=fields)).status_code == 400
        fields["line_items[0][price_data][unit_amount]"] = "500000"
        made = await http.post("/v1/checkout/sessions", data=fields)
        body = made.json()
        assert body["object"] == "checkout.session" and body["amount_total"] == 500000
        assert body["url"].endswith(body["id"]) and body["payment_status"] == "unpaid"
        assert json.loads(made.content)["livemode"] is False
