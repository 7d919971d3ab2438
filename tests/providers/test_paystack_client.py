"""Paystack client, signatures and webhook parsing against respx mocks of the samples."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
from collections.abc import AsyncIterator

import httpx
import pytest
import respx
from provider_samples import sample, sample_bytes

from sync.providers.base import (
    PaymentOutcome,
    PaymentRequest,
    ProviderError,
    ProviderPayloadError,
    WebhookSignatureError,
)
from sync.providers.paystack import (
    DuplicateReference,
    PaystackClient,
    PaystackConfig,
    outcome_for_status,
    parse_webhook,
    sign,
    verify_signature,
)

pytestmark = pytest.mark.anyio

BASE = "https://paystack.test"
KEY = "sk_test_0123456789abcdef"
INIT_URL = f"{BASE}/transaction/initialize"


def verify_url(reference: str) -> str:
    return f"{BASE}/transaction/verify/{reference}"


@pytest.fixture
async def client() -> AsyncIterator[PaystackClient]:
    async with PaystackClient(PaystackConfig(KEY, base_url=BASE, retry_backoff_s=0)) as ps:
        yield ps


# ----------------------------------------------------------------------------- config


def test_mode_follows_the_key_prefix() -> None:
    assert PaystackConfig("sk_test_x").test_mode is True
    assert PaystackConfig("sk_live_x").test_mode is False
    with pytest.raises(ValueError, match="PUBLIC"):
        PaystackConfig("pk_test_x")
    with pytest.raises(ValueError):
        PaystackConfig("whatever")
    assert KEY not in repr(PaystackConfig(KEY))


# ----------------------------------------------------------------------------- initialize


async def test_initialize_with_synthesised_email(client: PaystackClient) -> None:
    with respx.mock() as mock:
        route = mock.post(INIT_URL).respond(200, json=sample("paystack_initialize_response.json"))
        link = await client.initialize(
            25000,
            "kes",
            "sale-42.a=b",
            channels=["card", "mobile_money"],
            metadata={"till": "T1"},
            callback_url="https://shop.example/thanks",
        )
    assert link.authorization_url == "https://checkout.paystack.com/nkdks46nymizns7"
    assert link.access_code == "nkdks46nymizns7" and link.reference == "nms6uvr1pl"
    request = route.calls[0].request
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    body = json.loads(request.content)
    assert body == {
        "email": "sale-sale-42-a-b@customers.invalid",
        "amount": "25000",
        "currency": "KES",
        "reference": "sale-42.a=b",
        "callback_url": "https://shop.example/thanks",
        "channels": ["card", "mobile_money"],
        "metadata": {"till": "T1"},
    }


async def test_initialize_keeps_a_real_email(client: PaystackClient) -> None:
    with respx.mock() as mock:
        route = mock.post(INIT_URL).respond(200, json=sample("paystack_initialize_response.json"))
        await client.initialize(20000, "NGN", "r1", email="customer@email.com")
    body = json.loads(route.calls[0].request.content)
    assert body["email"] == "customer@email.com" and body["amount"] == "20000"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"reference": "has space"}, "paystack_bad_reference"),
        ({"reference": "slash/no"}, "paystack_bad_reference"),
        ({"reference": "x" * 101}, "paystack_bad_reference"),
        ({"amount_minor": 0}, "paystack_bad_amount"),
        ({"amount_minor": 299}, "paystack_bad_amount"),  # under KES 3
        ({"currency": "KSH1"}, "paystack_bad_currency"),
        ({"channels": ["card", "cash"]}, "paystack_bad_channels"),
    ],
)
async def test_initialize_refuses_bad_input_before_any_call(
    kwargs: dict[str, object], code: str, client: PaystackClient
) -> None:
    args: dict[str, object] = {"amount_minor": 1000, "currency": "KES", "reference": "ok-1"}
    args.update(kwargs)
    with respx.mock(assert_all_called=False) as mock:
        route = mock.route()
        with pytest.raises(ProviderError) as caught:
            await client.initialize(**args)  # type: ignore[arg-type]
        assert caught.value.code == code and route.call_count == 0


async def test_duplicate_reference_is_verified_and_explained(client: PaystackClient) -> None:
    with respx.mock() as mock:
        mock.post(INIT_URL).respond(400, json=sample("paystack_error_duplicate_reference.json"))
        mock.get(verify_url("p90tk18gzc")).respond(
            200, json=sample("paystack_verify_abandoned.json")
        )
        with pytest.raises(DuplicateReference) as caught:
            await client.initialize(1000, "NGN", "p90tk18gzc")
    err = caught.value
    assert err.code == "duplicate_reference" and err.http_status == 400
    assert err.verification is not None and err.verification.status == "abandoned"
    assert "new link" in err.cashier_message


async def test_lost_reply_then_duplicate_on_retry_finds_the_payment(
    client: PaystackClient,
) -> None:
    with respx.mock() as mock:
        init = mock.post(INIT_URL).mock(
            side_effect=[
                httpx.ReadTimeout("reply lost"),
                httpx.Response(400, json=sample("paystack_error_duplicate_reference.json")),
            ]
        )
        mock.get(verify_url("re4lyvq3s3")).respond(200, json=sample("paystack_verify_success.json"))
        with pytest.raises(DuplicateReference) as caught:
            await client.initialize(30050, "NGN", "re4lyvq3s3")
        assert init.call_count == 2
    verification = caught.value.verification
    assert verification is not None and verification.outcome is PaymentOutcome.PAID
    assert "already paid" in caught.value.cashier_message


async def test_initialize_is_retried_on_5xx(client: PaystackClient) -> None:
    with respx.mock() as mock:
        init = mock.post(INIT_URL).mock(
            side_effect=[
                httpx.Response(502),
                httpx.Response(200, json=sample("paystack_initialize_response.json")),
            ]
        )
        link = await client.initialize(1000, "NGN", "r2")
    assert link.access_code == "nkdks46nymizns7" and init.call_count == 2


async def test_invalid_key(client: PaystackClient) -> None:
    with respx.mock() as mock:
        mock.post(INIT_URL).respond(401, json=sample("paystack_error_invalid_key.json"))
        with pytest.raises(ProviderError) as caught:
            await client.initialize(1000, "NGN", "r3")
    err = caught.value
    assert err.code == "paystack_invalid_key" and err.http_status == 401
    assert "PAYSTACK_SECRET_KEY" in err.cashier_message and KEY not in str(err)


async def test_currency_not_enabled(client: PaystackClient) -> None:
    with respx.mock() as mock:
        mock.post(INIT_URL).respond(
            400, json={"status": False, "message": "Currency not supported by merchant"}
        )
        with pytest.raises(ProviderError) as caught:
            await client.initialize(1000, "USD", "r4")
    assert caught.value.code == "paystack_currency_not_enabled"
    assert "enable" in caught.value.cashier_message


async def test_validation_error_sample(client: PaystackClient) -> None:
    with respx.mock() as mock:
        mock.post(INIT_URL).respond(400, json=sample("paystack_error_validation_sample.json"))
        with pytest.raises(ProviderError) as caught:
            await client.initialize(1000, "NGN", "r5")
    assert caught.value.code == "paystack_refused"
    assert "Email Address is required" in caught.value.cashier_message


async def test_initialize_network_down(client: PaystackClient) -> None:
    with respx.mock() as mock:
        init = mock.post(INIT_URL).mock(side_effect=httpx.ConnectError("down"))
        with pytest.raises(ProviderError) as caught:
            await client.initialize(1000, "NGN", "r6")
        assert init.call_count == 3
    assert caught.value.code == "paystack_unreachable" and caught.value.retryable


async def test_initialize_payment_interface(client: PaystackClient) -> None:
    with respx.mock() as mock:
        mock.post(INIT_URL).respond(200, json=sample("paystack_initialize_response.json"))
        started = await client.initialize_payment(
            PaymentRequest(reference="nms6uvr1pl", amount_minor=1000, currency="NGN")
        )
    assert started.checkout_url == "https://checkout.paystack.com/nkdks46nymizns7"
    assert started.provider == "paystack" and started.provider_reference == "nms6uvr1pl"


# ----------------------------------------------------------------------------- verify


async def test_verify_success_and_gives_value(client: PaystackClient) -> None:
    with respx.mock() as mock:
        route = mock.get(verify_url("re4lyvq3s3")).respond(
            200, json=sample("paystack_verify_success.json")
        )
        result = await client.verify("re4lyvq3s3")
    assert route.calls[0].request.headers["Authorization"] == f"Bearer {KEY}"
    assert result.status == "success" and result.outcome is PaymentOutcome.PAID
    assert result.amount_minor == 40333 and result.requested_amount_minor == 30050
    assert result.currency == "NGN" and result.channel == "card"
    assert result.paid_at is not None and result.paid_at.isoformat() == "2024-08-22T09:15:02+00:00"
    assert result.gives_value(40333, "NGN", "re4lyvq3s3")
    # Fees passed to the customer: the sale asked for 30050 and got at least that.
    assert result.gives_value(30050, "ngn", "re4lyvq3s3")


@pytest.mark.parametrize(
    ("amount", "currency", "reference"),
    [
        (40334, "NGN", "re4lyvq3s3"),
        (50000, "NGN", "re4lyvq3s3"),
        (40333, "KES", "re4lyvq3s3"),
        (40333, "NGN", "someone-else"),
    ],
)
async def test_verify_mismatch_gives_no_value(
    amount: int, currency: str, reference: str, client: PaystackClient
) -> None:
    with respx.mock() as mock:
        mock.get(verify_url("re4lyvq3s3")).respond(200, json=sample("paystack_verify_success.json"))
        result = await client.verify("re4lyvq3s3")
    assert not result.gives_value(amount, currency, reference)


async def test_underpaid_with_requested_amount_gives_no_value(client: PaystackClient) -> None:
    body = copy.deepcopy(sample("paystack_verify_success.json"))
    body["data"]["amount"] = 30000  # less than the requested 30050
    with respx.mock() as mock:
        mock.get(verify_url("re4lyvq3s3")).respond(200, json=body)
        result = await client.verify("re4lyvq3s3")
    assert not result.gives_value(30050, "NGN", "re4lyvq3s3")


async def test_verify_abandoned_is_pending_and_gives_no_value(client: PaystackClient) -> None:
    with respx.mock() as mock:
        mock.get(verify_url("p90tk18gzc")).respond(
            200, json=sample("paystack_verify_abandoned.json")
        )
        result = await client.verify("p90tk18gzc")
    assert result.status == "abandoned" and result.outcome is PaymentOutcome.PENDING
    assert result.paid_at is None
    assert not result.gives_value(1000, "NGN", "p90tk18gzc")


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        ("success", PaymentOutcome.PAID),
        ("failed", PaymentOutcome.FAILED),
        ("reversed", PaymentOutcome.FAILED),
        ("abandoned", PaymentOutcome.PENDING),
        ("ongoing", PaymentOutcome.PENDING),
        ("pending", PaymentOutcome.PENDING),
        ("processing", PaymentOutcome.PENDING),
        ("queued", PaymentOutcome.PENDING),
        ("brand-new-status", PaymentOutcome.UNKNOWN),
    ],
)
async def test_every_status_value(
    status: str, outcome: PaymentOutcome, client: PaystackClient
) -> None:
    body = copy.deepcopy(sample("paystack_verify_success.json"))
    body["data"]["status"] = status
    with respx.mock() as mock:
        mock.get(verify_url("re4lyvq3s3")).respond(200, json=body)
        result = await client.verify("re4lyvq3s3")
    assert result.status == status and result.outcome is outcome
    assert outcome_for_status(status) is outcome
    assert result.gives_value(40333, "NGN", "re4lyvq3s3") is (status == "success")


async def test_verify_unknown_reference(client: PaystackClient) -> None:
    with respx.mock() as mock:
        mock.get(verify_url("nope")).respond(
            400, json=sample("paystack_error_reference_not_found.json")
        )
        with pytest.raises(ProviderError) as caught:
            await client.verify("nope")
    assert caught.value.code == "paystack_reference_not_found"


async def test_verify_retries_network_errors_and_5xx(client: PaystackClient) -> None:
    with respx.mock() as mock:
        route = mock.get(verify_url("re4lyvq3s3")).mock(
            side_effect=[
                httpx.ReadTimeout("slow"),
                httpx.Response(503),
                httpx.Response(200, json=sample("paystack_verify_success.json")),
            ]
        )
        result = await client.verify("re4lyvq3s3")
    assert result.outcome is PaymentOutcome.PAID and route.call_count == 3


async def test_verify_gives_up_after_three_tries(client: PaystackClient) -> None:
    with respx.mock() as mock:
        route = mock.get(verify_url("r")).respond(500)
        with pytest.raises(ProviderError) as caught:
            await client.verify("r")
    assert route.call_count == 3
    assert caught.value.code == "paystack_unavailable" and caught.value.retryable


async def test_verify_payment_interface(client: PaystackClient) -> None:
    with respx.mock() as mock:
        mock.get(verify_url("re4lyvq3s3")).respond(200, json=sample("paystack_verify_success.json"))
        status = await client.verify_payment("re4lyvq3s3")
    assert status.outcome is PaymentOutcome.PAID and status.amount_minor == 40333
    assert status.gives_value(40333, "NGN", "re4lyvq3s3")
    assert not status.gives_value(40334, "NGN", "re4lyvq3s3")


# ----------------------------------------------------------------------------- refund

REFUND_REPLY = {
    "status": True,
    "message": "Refund has been queued for processing",
    "data": {
        "transaction": {"id": 4099260516, "reference": "re4lyvq3s3", "amount": 40333},
        "amount": 10000,
        "currency": "NGN",
        "status": "pending",
        "id": 3018284,
    },
}


async def test_partial_refund(client: PaystackClient) -> None:
    with respx.mock() as mock:
        route = mock.post(f"{BASE}/refund").respond(200, json=REFUND_REPLY)
        refund = await client.refund("re4lyvq3s3", 10000)
    assert json.loads(route.calls[0].request.content) == {
        "transaction": "re4lyvq3s3",
        "amount": 10000,
    }
    assert refund.refund_id == "3018284" and refund.amount_minor == 10000
    assert refund.status == "pending" and refund.reference == "re4lyvq3s3"


async def test_refund_is_sent_once(client: PaystackClient) -> None:
    with respx.mock() as mock:
        route = mock.post(f"{BASE}/refund").mock(side_effect=httpx.ReadTimeout("slow"))
        with pytest.raises(ProviderError) as caught:
            await client.refund("re4lyvq3s3")
        assert route.call_count == 1
    assert caught.value.code == "paystack_no_answer" and not caught.value.retryable


async def test_refund_refused(client: PaystackClient) -> None:
    with respx.mock() as mock:
        mock.post(f"{BASE}/refund").respond(
            400, json={"status": False, "message": "Transaction has been fully reversed"}
        )
        with pytest.raises(ProviderError, match="fully reversed"):
            await client.refund("re4lyvq3s3")


# ----------------------------------------------------------------------------- webhooks


def test_signature_is_hmac_sha512_of_the_raw_bytes() -> None:
    raw = sample_bytes("paystack_charge_success_webhook.json")
    expected = hmac.new(KEY.encode(), raw, hashlib.sha512).hexdigest()
    assert sign(raw, KEY) == expected
    assert verify_signature(raw, expected, KEY)
    assert verify_signature(raw, expected.upper(), KEY)
    # Re-serialising the JSON changes the bytes, so the signature must no longer match.
    reserialised = json.dumps(json.loads(raw)).encode()
    assert reserialised != raw and not verify_signature(reserialised, expected, KEY)
    assert not verify_signature(raw, expected, "sk_test_other")
    assert not verify_signature(raw, None, KEY)
    assert not verify_signature(raw, "", KEY)
    assert not verify_signature(raw, "é" * 128, KEY)


def test_charge_success_sample() -> None:
    event = parse_webhook(sample_bytes("paystack_charge_success_webhook.json"))
    assert event.event == "charge.success" and event.reference == "qTPrJoy9Bx"
    assert event.status == "success" and event.amount_minor == 10000
    assert event.currency == "NGN" and event.customer_email == "bojack@horseman.com"
    assert event.paid_at is not None and event.paid_at.isoformat() == "2016-09-30T21:10:19+00:00"


def test_paymentrequest_sample_has_no_reference() -> None:
    event = parse_webhook(sample_bytes("paystack_paymentrequest_success_webhook.json"))
    assert event.event == "paymentrequest.success" and event.reference is None
    assert event.amount_minor == 10000000 and event.customer_email is None


@pytest.mark.parametrize("metadata", ["", 0, {"till": "T1"}, None, []])
@pytest.mark.parametrize(
    ("amount", "minor"), [("10000", 10000), (10000, 10000), (10000.0, 10000), ("ten", None)]
)
def test_loose_field_types(metadata: object, amount: object, minor: int | None) -> None:
    body = sample("paystack_charge_success_webhook.json")
    body["data"]["metadata"] = metadata
    body["data"]["amount"] = amount
    assert parse_webhook(json.dumps(body).encode()).amount_minor == minor


@pytest.mark.parametrize(
    "raw",
    [b"", b"{}", b'{"event": "charge.success"}', b'{"event": "x", "data": []}', b"[1]", b"\x00"],
)
def test_malformed_webhooks(raw: bytes) -> None:
    with pytest.raises(ProviderPayloadError):
        parse_webhook(raw)


def test_client_parse_webhook_checks_the_signature_first() -> None:
    client = PaystackClient(PaystackConfig(KEY, base_url=BASE))
    raw = sample_bytes("paystack_charge_success_webhook.json")
    [note] = client.parse_webhook(raw, {"X-Paystack-Signature": sign(raw, KEY)})
    assert note.kind == "charge.success" and note.outcome is PaymentOutcome.PAID
    assert note.dedupe_key == "charge.success:qTPrJoy9Bx" and note.amount_minor == 10000
    with pytest.raises(WebhookSignatureError):
        client.parse_webhook(raw, {"x-paystack-signature": sign(raw, "sk_test_wrong")})
    with pytest.raises(WebhookSignatureError):
        client.parse_webhook(raw, {})
