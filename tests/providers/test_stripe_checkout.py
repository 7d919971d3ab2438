"""Stripe Checkout through the official library against respx mocks of the samples; webhook
signatures against known answers."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from urllib.parse import parse_qs

import httpx
import pytest
import respx
import stripe
from provider_samples import sample, sample_bytes

from sync.providers.amounts import ISO_MINOR_DIGITS
from sync.providers.base import (
    PaymentOutcome,
    PaymentRequest,
    ProviderError,
    ProviderPayloadError,
    WebhookSignatureError,
)
from sync.providers.stripe_checkout import (
    STRIPE_DECIMALS,
    StripeCheckoutClient,
    StripeConfig,
    from_stripe_amount,
    parse_event,
    parse_session,
    stripe_units_per_minor,
    to_stripe_amount,
    verify_signature,
)

pytestmark = pytest.mark.anyio

BASE = "https://stripe.test"
KEY = "sk_test_0123456789abcdef"
SECRET = "whsec_duka_test_secret"
SESSIONS = f"{BASE}/v1/checkout/sessions"
SESSION_SAMPLE = "stripe_checkout_session_object_doc.json"
EVENT_SAMPLE = "stripe_checkout_session_completed_event_assembled.json"
REFUND_SAMPLE = "stripe_refund_object_doc.json"
SESSION_ID = "cs_test_a11YYufWQzNY63zpQ6QSNRQhkUpVph4WRmzW0zWJO2znZKdVujZ0N0S22u"
INTENT = "pi_1GszsK2eZvKYlo2CfhZyoZLp"


def form(request: httpx.Request) -> dict[str, list[str]]:
    return parse_qs(request.content.decode())


def session_sample(**changes: object) -> dict[str, object]:
    body: dict[str, object] = copy.deepcopy(sample(SESSION_SAMPLE))
    body.update(changes)
    return body


PAID_KES = {
    "status": "complete",
    "payment_status": "paid",
    "currency": "kes",
    "amount_total": 1500_50,
    "client_reference_id": "sale-7",
    "metadata": {"reference": "sale-7"},
    "payment_intent": INTENT,
    "url": None,
}


@pytest.fixture
async def client() -> AsyncIterator[StripeCheckoutClient]:
    config = StripeConfig(KEY, SECRET, base_url=BASE, max_network_retries=1)
    async with StripeCheckoutClient(config) as checkout:
        yield checkout


# ----------------------------------------------------------------------------- config


def test_mode_follows_the_key_and_a_mismatch_is_refused() -> None:
    assert StripeConfig(KEY, SECRET).is_test
    assert not StripeConfig("sk_live_x", SECRET).is_test
    assert StripeConfig("rk_test_x", SECRET, test_mode=True).is_test
    with pytest.raises(ValueError, match="live Stripe key"):
        StripeConfig("sk_live_x", SECRET, test_mode=True)
    with pytest.raises(ValueError, match="test Stripe key"):
        StripeConfig(KEY, SECRET, test_mode=False)
    with pytest.raises(ValueError, match="PUBLISHABLE"):
        StripeConfig("pk_test_x", SECRET)
    with pytest.raises(ValueError, match="whsec_"):
        StripeConfig(KEY, "secret")
    with pytest.raises(ValueError, match="30 minutes"):
        StripeConfig(KEY, SECRET, session_lifetime_s=60)
    shown = repr(StripeConfig(KEY, SECRET)) + repr(StripeCheckoutClient(StripeConfig(KEY, SECRET)))
    assert KEY not in shown and SECRET not in shown


def test_global_stripe_settings_are_left_alone() -> None:
    before = (stripe.api_key, stripe.api_base)
    StripeCheckoutClient(StripeConfig(KEY, SECRET, base_url="http://127.0.0.1:9"))
    assert (stripe.api_key, stripe.api_base) == before


# ----------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("minor", "currency", "stripe_amount"),
    [
        (1500_50, "KES", 1500_50),
        (150_00, "NGN", 150_00),
        (5000, "UGX", 500000),  # sent as two-decimal with 00
        (5000, "RWF", 5000),  # zero-decimal
        (2500, "XOF", 2500),
    ],
)
def test_stripe_units(minor: int, currency: str, stripe_amount: int) -> None:
    assert to_stripe_amount(minor, currency) == stripe_amount
    assert from_stripe_amount(stripe_amount, currency) == minor


def test_stripe_never_counts_coarser_than_iso_for_our_currencies() -> None:
    for code in ISO_MINOR_DIGITS:
        assert STRIPE_DECIMALS.get(code, 2) >= ISO_MINOR_DIGITS[code]
        assert stripe_units_per_minor(code) >= 1
    assert from_stripe_amount(500050, "UGX") is None  # not a whole shilling
    assert from_stripe_amount(-1, "KES") is None and from_stripe_amount(True, "KES") is None
    assert from_stripe_amount(100, "ISK") is None and from_stripe_amount(100, None) is None


# ----------------------------------------------------------------------------- sessions


async def test_create_session_sends_the_sale_and_an_idempotency_key(
    client: StripeCheckoutClient,
) -> None:
    with respx.mock() as mock:
        route = mock.post(SESSIONS).respond(200, json=sample(SESSION_SAMPLE))
        session = await client.create_session(
            1500_50,
            "KES",
            "sale-7",
            "https://shop.example/paid",
            cancel_url="https://shop.example/back",
            metadata={"till": "T1"},
        )
    assert session.session_id == SESSION_ID and session.url is not None
    assert session.url.startswith("https://checkout.stripe.com/c/pay/cs_test_")
    assert session.status == "open" and session.outcome is PaymentOutcome.PENDING
    request = route.calls[0].request
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.headers["Idempotency-Key"] == "duka-checkout-sale-7-150050-KES"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert form(request) == {
        "mode": ["payment"],
        "line_items[0][quantity]": ["1"],
        "line_items[0][price_data][currency]": ["kes"],
        "line_items[0][price_data][unit_amount]": ["150050"],
        "line_items[0][price_data][product_data][name]": ["Sale sale-7"],
        "success_url": ["https://shop.example/paid"],
        "client_reference_id": ["sale-7"],
        "metadata[till]": ["T1"],
        "metadata[reference]": ["sale-7"],
        "payment_intent_data[metadata][reference]": ["sale-7"],
        "cancel_url": ["https://shop.example/back"],
    }


async def test_session_expiry_and_ugx_amounts(client: StripeCheckoutClient) -> None:
    config = StripeConfig(KEY, SECRET, base_url=BASE, session_lifetime_s=1800)
    moment = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    with respx.mock() as mock:
        route = mock.post(SESSIONS).respond(200, json=sample(SESSION_SAMPLE))
        async with StripeCheckoutClient(config) as short:
            await short.create_session(5000, "UGX", "sale-ug", "https://s/p", now=moment)
    sent = form(route.calls[0].request)
    assert sent["line_items[0][price_data][unit_amount]"] == ["500000"]
    assert sent["line_items[0][price_data][currency]"] == ["ugx"]
    assert sent["expires_at"] == [str(int(moment.timestamp()) + 1800)]


async def test_a_5xx_is_retried_by_the_library_with_the_same_key(
    client: StripeCheckoutClient,
) -> None:
    with respx.mock() as mock:
        route = mock.post(SESSIONS).mock(
            side_effect=[
                httpx.Response(500, json={"error": {"type": "api_error", "message": "x"}}),
                httpx.Response(200, json=sample(SESSION_SAMPLE)),
            ]
        )
        await client.create_session(1000, "KES", "sale-8", "https://s/p", idempotency_key="pay-1")
    keys = {call.request.headers["Idempotency-Key"] for call in route.calls}
    assert route.call_count == 2 and keys == {"pay-1"}


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"reference": ""}, "stripe_bad_reference"),
        ({"reference": "x" * 201}, "stripe_bad_reference"),
        ({"amount_minor": 0}, "stripe_bad_amount"),
        ({"currency": "KSH"}, "stripe_bad_currency"),
    ],
)
async def test_bad_input_is_refused_before_any_call(
    kwargs: dict[str, object], code: str, client: StripeCheckoutClient
) -> None:
    args: dict[str, object] = {
        "amount_minor": 1000,
        "currency": "KES",
        "reference": "ok",
        "success_url": "https://s/p",
    }
    args.update(kwargs)
    with respx.mock(assert_all_called=False) as mock:
        route = mock.route()
        with pytest.raises(ProviderError) as caught:
            await client.create_session(**args)  # type: ignore[arg-type]
        assert caught.value.code == code and route.call_count == 0


@pytest.mark.parametrize(
    ("status", "error", "code", "retryable"),
    [
        (
            401,
            {"type": "invalid_request_error", "message": "Invalid API Key"},
            "invalid_key",
            False,
        ),
        (429, {"type": "invalid_request_error", "message": "Too many"}, "rate_limited", True),
        (
            400,
            {"type": "idempotency_error", "message": "Keys for idempotent requests..."},
            "idempotency_conflict",
            False,
        ),
        (400, {"type": "invalid_request_error", "message": "Bad currency"}, "refused", False),
        (404, {"type": "invalid_request_error", "code": "resource_missing"}, "not_found", False),
    ],
)
async def test_errors(
    status: int, error: dict[str, str], code: str, retryable: bool, client: StripeCheckoutClient
) -> None:
    with respx.mock() as mock:
        mock.get(f"{SESSIONS}/cs_test_1").respond(status, json={"error": error})
        with pytest.raises(ProviderError) as caught:
            await client.retrieve_session("cs_test_1")
    assert caught.value.code == f"stripe_{code}" and caught.value.retryable is retryable
    assert KEY not in str(caught.value)


async def test_network_down(client: StripeCheckoutClient) -> None:
    with respx.mock() as mock:
        route = mock.get(f"{SESSIONS}/cs_test_1").mock(side_effect=httpx.ConnectError("down"))
        with pytest.raises(ProviderError) as caught:
            await client.retrieve_session("cs_test_1")
    assert caught.value.code == "stripe_unreachable" and caught.value.retryable
    assert route.call_count == 2  # max_network_retries=1


async def test_retrieve_paid_session_gives_value_only_for_the_exact_sale(
    client: StripeCheckoutClient,
) -> None:
    with respx.mock() as mock:
        mock.get(f"{SESSIONS}/{SESSION_ID}").respond(200, json=session_sample(**PAID_KES))
        session = await client.retrieve_session(SESSION_ID)
        status = await client.verify_payment(SESSION_ID)
    assert session.outcome is PaymentOutcome.PAID and session.amount_minor == 1500_50
    assert session.currency == "KES" and session.payment_intent == INTENT
    assert session.gives_value(1500_50, "kes", "sale-7")
    assert not session.gives_value(1500_51, "KES", "sale-7")
    assert not session.gives_value(1500_50, "NGN", "sale-7")
    assert not session.gives_value(1500_50, "KES", "sale-8")
    assert status.outcome is PaymentOutcome.PAID and status.amount_minor == 1500_50
    assert status.gives_value(1500_50, "KES", "sale-7")  # the session's rule, through the interface
    assert not status.gives_value(1500_50, "KES", "sale-8")


@pytest.mark.parametrize(
    ("changes", "outcome", "gives_value"),
    [
        ({"payment_status": "unpaid"}, PaymentOutcome.PENDING, False),  # delayed method
        ({"status": "open", "payment_status": "unpaid"}, PaymentOutcome.PENDING, False),
        ({"status": "expired", "payment_status": "unpaid"}, PaymentOutcome.EXPIRED, False),
        ({"metadata": {"reference": "other"}}, PaymentOutcome.PAID, False),
        ({"client_reference_id": None}, PaymentOutcome.PAID, True),
        ({"client_reference_id": None, "metadata": {}}, PaymentOutcome.PAID, False),
    ],
)
def test_session_states(
    changes: dict[str, object], outcome: PaymentOutcome, gives_value: bool
) -> None:
    session = parse_session(session_sample(**{**PAID_KES, **changes}))
    assert session.outcome is outcome
    assert session.gives_value(1500_50, "KES", "sale-7") is gives_value


async def test_expire_open_and_already_paid(client: StripeCheckoutClient) -> None:
    expired = session_sample(status="expired", url=None)
    with respx.mock() as mock:
        mock.post(f"{SESSIONS}/{SESSION_ID}/expire").respond(200, json=expired)
        assert (await client.expire_session(SESSION_ID)).outcome is PaymentOutcome.EXPIRED
    refusal = {"error": {"type": "invalid_request_error", "message": "not in open status"}}
    with respx.mock() as mock:
        mock.post(f"{SESSIONS}/{SESSION_ID}/expire").respond(400, json=refusal)
        mock.get(f"{SESSIONS}/{SESSION_ID}").respond(200, json=session_sample(**PAID_KES))
        assert (await client.expire_session(SESSION_ID)).outcome is PaymentOutcome.PAID


async def test_initialize_payment_interface(client: StripeCheckoutClient) -> None:
    with respx.mock() as mock:
        route = mock.post(SESSIONS).respond(200, json=sample(SESSION_SAMPLE))
        started = await client.initialize_payment(
            PaymentRequest(
                "sale-9", 2198, "USD", callback_url="https://s/p", idempotency_key="pay-9"
            )
        )
    assert started.provider == "stripe" and started.provider_reference == SESSION_ID
    assert started.checkout_url is not None and started.checkout_url.startswith("https://")
    assert route.calls[0].request.headers["Idempotency-Key"] == "pay-9"
    with pytest.raises(ProviderError, match="returns to"):
        await client.initialize_payment(PaymentRequest("sale-9", 2198, "USD"))


async def test_a_replayed_closed_session_is_not_a_new_checkout(
    client: StripeCheckoutClient,
) -> None:
    request = PaymentRequest("sale-7", 1500_50, "KES", callback_url="https://s/p")
    for changes, words in (
        (PAID_KES, "already paid"),
        ({"status": "expired", "url": None}, "has closed"),
    ):
        with respx.mock() as mock:
            mock.post(SESSIONS).respond(200, json=session_sample(**changes))
            with pytest.raises(ProviderError) as caught:
                await client.initialize_payment(request)
        assert caught.value.code == "stripe_session_closed"
        assert words in caught.value.cashier_message


# ----------------------------------------------------------------------------- refunds


async def test_refund_sample_with_idempotency_key(client: StripeCheckoutClient) -> None:
    with respx.mock() as mock:
        route = mock.post(f"{BASE}/v1/refunds").respond(200, json=sample(REFUND_SAMPLE))
        refund = await client.refund(INTENT, "USD", 10_00, idempotency_key="refund-req-1")
    request = route.calls[0].request
    assert request.headers["Idempotency-Key"] == "refund-req-1"
    assert form(request) == {
        "payment_intent": [INTENT],
        "reason": ["requested_by_customer"],
        "amount": ["1000"],
    }
    assert refund.refund_id == "re_1Nispe2eZvKYlo2Cd31jOCgZ" and refund.amount_minor == 10_00
    assert refund.status == "succeeded" and refund.currency == "USD"


async def test_refund_payment_from_the_session(client: StripeCheckoutClient) -> None:
    with respx.mock() as mock:
        mock.get(f"{SESSIONS}/{SESSION_ID}").respond(200, json=session_sample(**PAID_KES))
        route = mock.post(f"{BASE}/v1/refunds").respond(200, json=sample(REFUND_SAMPLE))
        result = await client.refund_payment(SESSION_ID, idempotency_key="refund-req-2")
    assert form(route.calls[0].request)["payment_intent"] == [INTENT]
    assert "amount" not in form(route.calls[0].request)
    assert result.provider == "stripe" and result.refund_id == "re_1Nispe2eZvKYlo2Cd31jOCgZ"
    with pytest.raises(ProviderError, match="key"):
        await client.refund_payment(SESSION_ID)


async def test_refund_after_a_lost_reply_is_resent_with_the_same_key(
    client: StripeCheckoutClient,
) -> None:
    with respx.mock() as mock:
        route = mock.post(f"{BASE}/v1/refunds").mock(
            side_effect=[httpx.ReadTimeout("lost"), httpx.Response(200, json=sample(REFUND_SAMPLE))]
        )
        await client.refund(INTENT, "USD", idempotency_key="refund-req-3")
    assert [c.request.headers["Idempotency-Key"] for c in route.calls] == ["refund-req-3"] * 2


# ----------------------------------------------------------------------------- webhooks

# Known answers computed outside Python: `{ printf '1700000000.'; cat FILE; } | openssl dgst
# -sha256 -hmac SECRET` over the sample's bytes, for the current and a rolled secret.
KNOWN_T = 1700000000
KNOWN_V1 = "d79fc625368872aff6774269389344c24661eb9cb259222250b7f5d7c201dd31"
KNOWN_V1_OLD_SECRET = "1e4a684e561e8188b5874d71b2f51111dff50062e3b2fd53df0675c0b0975cef"


def test_signature_known_answer_vector() -> None:
    raw = sample_bytes(EVENT_SAMPLE)
    header = f"t={KNOWN_T},v1={KNOWN_V1}"
    assert (
        stripe.WebhookSignature.generate_signature_header(raw.decode(), SECRET, KNOWN_T) == header
    )
    assert verify_signature(raw, header, SECRET, tolerance_s=0)  # 0: no age check
    assert not verify_signature(raw, header, SECRET)  # 2023 is far older than 300 s
    rotated = f"t={KNOWN_T},v1={KNOWN_V1_OLD_SECRET},v1={KNOWN_V1},v0=6ffbb59b2300aae63f27"
    assert verify_signature(raw, rotated, SECRET, tolerance_s=0)
    assert verify_signature(raw, rotated, "whsec_duka_old_secret", tolerance_s=0)
    assert not verify_signature(raw, f"t={KNOWN_T},v0={KNOWN_V1}", SECRET, tolerance_s=0)
    assert not verify_signature(raw, f"t={KNOWN_T + 1},v1={KNOWN_V1}", SECRET, tolerance_s=0)


def signed(raw: bytes, at: int | None = None, secret: str = SECRET) -> str:
    stamp = int(time.time()) if at is None else at
    return stripe.WebhookSignature.generate_signature_header(raw.decode(), secret, stamp)


def test_signature_freshness_and_tampering() -> None:
    raw = sample_bytes(EVENT_SAMPLE)
    now = int(time.time())
    assert verify_signature(raw, signed(raw), SECRET)
    assert verify_signature(raw, signed(raw, now - 290), SECRET)
    assert not verify_signature(raw, signed(raw, now - 310), SECRET)
    reserialised = json.dumps(json.loads(raw)).encode()
    assert not verify_signature(reserialised, signed(raw), SECRET)
    assert not verify_signature(raw, signed(raw, secret="whsec_other"), SECRET)
    for bad in ("", "garbage", "t=x,v1=00", "v1=00"):
        assert not verify_signature(raw, bad, SECRET)
    assert not verify_signature(b"\xff\xfe", signed(b"x"), SECRET)


def test_completed_event_sample() -> None:
    event = parse_event(sample_bytes(EVENT_SAMPLE))
    assert event.event_id == "evt_1NG8Du2eZvKYlo2CUI79vXWy"
    assert event.type == "checkout.session.completed" and event.livemode is False
    assert event.session is not None and event.session.session_id == SESSION_ID
    assert event.session.payment_status == "paid" and event.session.amount_minor == 2198
    assert event.session.currency == "USD" and event.session.payment_intent == INTENT
    assert event.outcome is PaymentOutcome.PAID
    assert event.created is not None and event.created.year == 2023


@pytest.mark.parametrize(
    ("event_type", "payment_status", "outcome"),
    [
        ("checkout.session.completed", "unpaid", PaymentOutcome.PENDING),
        ("checkout.session.async_payment_succeeded", "paid", PaymentOutcome.PAID),
        ("checkout.session.async_payment_failed", "unpaid", PaymentOutcome.FAILED),
        ("checkout.session.expired", "unpaid", PaymentOutcome.EXPIRED),
        ("charge.refunded", "paid", PaymentOutcome.UNKNOWN),
    ],
)
def test_event_outcomes(event_type: str, payment_status: str, outcome: PaymentOutcome) -> None:
    body = sample(EVENT_SAMPLE)
    body["type"] = event_type
    body["data"]["object"]["payment_status"] = payment_status
    if event_type == "checkout.session.expired":
        body["data"]["object"]["status"] = "expired"
    assert parse_event(json.dumps(body).encode()).outcome is outcome


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"[]",
        b'{"id": "evt_1"}',
        b'{"id": "evt_1", "type": "checkout.session.completed", "data": {}}',
        b'{"id": "evt_1", "type": "checkout.session.completed", "data": {"object": {"id": 1,'
        b' "object": "refund"}}}',
    ],
)
def test_malformed_events(raw: bytes) -> None:
    with pytest.raises(ProviderPayloadError):
        parse_event(raw)


def test_client_parse_webhook_checks_the_signature_first() -> None:
    client = StripeCheckoutClient(StripeConfig(KEY, SECRET, base_url=BASE))
    raw = sample_bytes(EVENT_SAMPLE)
    [note] = client.parse_webhook(raw, {"stripe-signature": signed(raw)})
    assert note.kind == "checkout.session.completed" and note.outcome is PaymentOutcome.PAID
    assert note.dedupe_key == "evt_1NG8Du2eZvKYlo2CUI79vXWy"
    assert note.provider_reference == SESSION_ID and note.amount_minor == 2198
    for headers in ({"Stripe-Signature": signed(raw, secret="whsec_x")}, {}):
        with pytest.raises(WebhookSignatureError):
            client.parse_webhook(raw, headers)
    instructions = client.test_instructions()
    assert instructions is not None and "4242 4242 4242 4242" in " ".join(instructions.lines)


async def test_no_refund_for_an_unpaid_session(client: StripeCheckoutClient) -> None:
    unpaid = session_sample(**{**PAID_KES, "payment_status": "unpaid"})
    with respx.mock(assert_all_called=False) as mock:
        mock.get(f"{SESSIONS}/{SESSION_ID}").respond(200, json=unpaid)
        refunds = mock.post(f"{BASE}/v1/refunds")
        with pytest.raises(ProviderError) as caught:
            await client.refund_payment(SESSION_ID, idempotency_key="refund-req-4")
        assert refunds.call_count == 0
    assert caught.value.code == "stripe_not_paid"
