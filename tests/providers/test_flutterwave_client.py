"""Flutterwave v3 client, webhook signatures and parsing against respx mocks of the samples."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest
import respx
from provider_samples import sample, sample_bytes

from sync.providers.amounts import major_to_minor, minor_to_major
from sync.providers.base import (
    PaymentOutcome,
    PaymentRequest,
    ProviderError,
    ProviderPayloadError,
    WebhookSignatureError,
)
from sync.providers.flutterwave import (
    SIGNATURE_HEADER,
    VERIF_HASH_HEADER,
    FlutterwaveClient,
    FlutterwaveConfig,
    outcome_for_status,
    parse_webhook,
    payment_options,
    sign,
    verify_signature,
)

pytestmark = pytest.mark.anyio

BASE = "https://flutterwave.test"
KEY = "FLWSECK_TEST-0123456789abcdef-X"
HASH = "duka-secret-hash"
PAYMENTS_URL = f"{BASE}/v3/payments"
V3_WEBHOOK = "flutterwave_charge_completed_webhook_v3_doc.json"
V4_WEBHOOK = "flutterwave_charge_completed_webhook_v4_doc.json"
VERIFY_SAMPLE = "flutterwave_verify_by_id_response_v3_doc.json"
REFUND_SAMPLE = "flutterwave_refund_initiated_response_v3_doc.json"
LINK_SAMPLE = "flutterwave_standard_payment_link_response_v3_doc.json"
SAMPLE_LINK = "https://checkout.flutterwave.com/v3/hosted/pay/flwlnk-01hynrt7cd1fpm6gtef6khn93g"


def verify_url(transaction_id: str | int) -> str:
    return f"{BASE}/v3/transactions/{transaction_id}/verify"


@pytest.fixture
async def client() -> AsyncIterator[FlutterwaveClient]:
    config = FlutterwaveConfig(KEY, HASH, base_url=BASE, retry_backoff_s=0)
    async with FlutterwaveClient(config) as flw:
        yield flw


# ----------------------------------------------------------------------------- config


def test_mode_follows_the_key_and_a_mismatch_is_refused() -> None:
    assert FlutterwaveConfig(KEY, HASH).is_test
    assert not FlutterwaveConfig("FLWSECK-abc-X", HASH).is_test
    assert FlutterwaveConfig(KEY, HASH, test_mode=True).is_test
    with pytest.raises(ValueError, match="live Flutterwave key"):
        FlutterwaveConfig("FLWSECK-abc-X", HASH, test_mode=True)
    with pytest.raises(ValueError, match="test Flutterwave key"):
        FlutterwaveConfig(KEY, HASH, test_mode=False)
    with pytest.raises(ValueError, match="PUBLIC"):
        FlutterwaveConfig("FLWPUBK_TEST-abc-X", HASH)
    with pytest.raises(ValueError, match="starts with"):
        FlutterwaveConfig("sk_test_x", HASH)
    with pytest.raises(ValueError, match="secret hash"):
        FlutterwaveConfig(KEY, " ")
    shown = repr(FlutterwaveConfig(KEY, HASH)) + repr(
        FlutterwaveClient(FlutterwaveConfig(KEY, HASH))
    )
    assert KEY not in shown and HASH not in shown


# ----------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("value", "currency", "minor"),
    [
        (100, "NGN", 100_00),
        (Decimal("338.63"), "NGN", 338_63),
        (338.63, "NGN", 338_63),
        ("7500", "KES", 7500_00),
        ("2462.37", "KES", 2462_37),
        (1.4, "NGN", 1_40),
        (5000, "UGX", 5000),
        ("5000.5", "UGX", None),  # a fraction of a shilling that does not exist
        ("1.005", "KES", None),
        (-1, "KES", None),
        ("1e3", "KES", None),
        (True, "KES", None),
        (float("nan"), "KES", None),
        (Decimal("1E+300"), "KES", None),
        (Decimal("1E+3"), "KES", 1000_00),
        (100, "XYZ", None),
    ],
)
def test_major_unit_amounts_convert_exactly(
    value: object, currency: str, minor: int | None
) -> None:
    assert major_to_minor(value, currency) == minor


def test_minor_to_major_keeps_the_currency_digits() -> None:
    assert str(minor_to_major(15050, "KES")) == "150.50"
    assert str(minor_to_major(5000, "UGX")) == "5000"
    assert str(minor_to_major(1, "GHS")) == "0.01"


# ----------------------------------------------------------------------------- payment link


async def test_payment_link_for_a_kenyan_sale(client: FlutterwaveClient) -> None:
    with respx.mock() as mock:
        route = mock.post(PAYMENTS_URL).respond(200, json=sample(LINK_SAMPLE))
        link = await client.create_payment_link(
            1500_50,
            "kes",
            "sale-42",
            redirect_url="https://shop.example/back",
            phone="254712345678",
            title="Duka",
            meta={"till": "T1"},
        )
    assert link.link == SAMPLE_LINK and link.tx_ref == "sale-42"
    request = route.calls[0].request
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert json.loads(request.content) == {
        "tx_ref": "sale-42",
        "amount": "1500.50",
        "currency": "KES",
        "customer": {"email": "sale-sale-42@customers.invalid", "phonenumber": "254712345678"},
        "payment_options": "card, mpesa",
        "configurations": {"session_duration": 30, "max_retry_attempt": 5},
        "redirect_url": "https://shop.example/back",
        "customizations": {"title": "Duka"},
        "meta": {"till": "T1"},
    }


@pytest.mark.parametrize(
    ("currency", "options"),
    [("KES", "card, mpesa"), ("GHS", "card, mobilemoneyghana"), ("NGN", "card"), ("USD", "card")],
)
def test_payment_options_follow_the_currency(currency: str, options: str) -> None:
    assert payment_options(currency) == options


async def test_payment_link_in_a_zero_decimal_currency(client: FlutterwaveClient) -> None:
    with respx.mock() as mock:
        route = mock.post(PAYMENTS_URL).respond(200, json=sample(LINK_SAMPLE))
        await client.create_payment_link(5000, "UGX", "sale-ug", email="buyer@example.com")
    body = json.loads(route.calls[0].request.content)
    assert body["amount"] == "5000" and body["payment_options"] == "card, mobilemoneyuganda"
    assert body["customer"] == {"email": "buyer@example.com"}


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"tx_ref": "has space"}, "flutterwave_bad_reference"),
        ({"tx_ref": "x" * 101}, "flutterwave_bad_reference"),
        ({"amount_minor": 0}, "flutterwave_bad_amount"),
        ({"amount_minor": True}, "flutterwave_bad_amount"),
        ({"currency": "KSH"}, "flutterwave_bad_currency"),
    ],
)
async def test_bad_input_is_refused_before_any_call(
    kwargs: dict[str, object], code: str, client: FlutterwaveClient
) -> None:
    args: dict[str, object] = {"amount_minor": 1000, "currency": "KES", "tx_ref": "ok-1"}
    args.update(kwargs)
    with respx.mock(assert_all_called=False) as mock:
        route = mock.route()
        with pytest.raises(ProviderError) as caught:
            await client.create_payment_link(**args)  # type: ignore[arg-type]
        assert caught.value.code == code and route.call_count == 0


async def test_payment_link_is_retried_on_503(client: FlutterwaveClient) -> None:
    busy = {"status": "error", "message": "An error occurred. Please contact support", "data": None}
    with respx.mock() as mock:
        route = mock.post(PAYMENTS_URL).mock(
            side_effect=[
                httpx.Response(503, json=busy),
                httpx.Response(200, json=sample(LINK_SAMPLE)),
            ]
        )
        link = await client.create_payment_link(1000, "KES", "sale-43")
    assert link.link == SAMPLE_LINK and route.call_count == 2


async def test_bad_key_is_explained_without_the_key(client: FlutterwaveClient) -> None:
    refusal = {"status": "error", "message": "Invalid authorization key", "data": None}
    with respx.mock() as mock:
        mock.post(PAYMENTS_URL).respond(401, json=refusal)
        with pytest.raises(ProviderError) as caught:
            await client.create_payment_link(1000, "KES", "sale-44")
    err = caught.value
    assert err.code == "flutterwave_invalid_key" and err.http_status == 401
    assert "FLUTTERWAVE_SECRET_KEY" in err.cashier_message and KEY not in str(err)


async def test_validation_error(client: FlutterwaveClient) -> None:
    refusal = {"status": "error", "message": "Invalid currency provided", "data": None}
    with respx.mock() as mock:
        mock.post(PAYMENTS_URL).respond(400, json=refusal)
        with pytest.raises(ProviderError, match="Invalid currency provided") as caught:
            await client.create_payment_link(1000, "KES", "sale-45")
    assert caught.value.code == "flutterwave_refused" and not caught.value.retryable


async def test_initialize_payment_interface(client: FlutterwaveClient) -> None:
    with respx.mock() as mock:
        mock.post(PAYMENTS_URL).respond(200, json=sample(LINK_SAMPLE))
        started = await client.initialize_payment(PaymentRequest("sale-46", 250_00, "KES"))
    assert started.provider == "flutterwave" and started.checkout_url == SAMPLE_LINK
    assert started.provider_reference == "sale-46"


# ----------------------------------------------------------------------------- verify


async def test_verify_sample_gives_value_only_for_the_exact_sale(
    client: FlutterwaveClient,
) -> None:
    with respx.mock() as mock:
        route = mock.get(verify_url(288200108)).respond(200, json=sample(VERIFY_SAMPLE))
        found = await client.verify("288200108")
    assert route.calls[0].request.headers["Authorization"] == f"Bearer {KEY}"
    assert found.transaction_id == "288200108" and found.tx_ref == "LiveCardTest"
    assert found.status == "successful" and found.outcome is PaymentOutcome.PAID
    assert found.amount_minor == 100_00 and found.charged_amount_minor == 100_00
    assert found.currency == "NGN" and found.payment_type == "card"
    assert found.flw_ref == "YemiDesola/FLW275407301"
    assert found.created_at is not None and found.created_at.isoformat().startswith("2020-07-15")
    assert found.gives_value(100_00, "ngn", "LiveCardTest")
    assert not found.gives_value(100_01, "NGN", "LiveCardTest")
    assert not found.gives_value(99_99, "NGN", "LiveCardTest")  # overpaid: a person decides
    assert not found.gives_value(100_00, "KES", "LiveCardTest")
    assert not found.gives_value(100_00, "NGN", "someone-else")


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        ("successful", PaymentOutcome.PAID),
        ("failed", PaymentOutcome.FAILED),
        ("pending", PaymentOutcome.PENDING),
        ("cancelled", PaymentOutcome.CANCELLED),
        ("brand-new", PaymentOutcome.UNKNOWN),
    ],
)
async def test_every_status(
    status: str, outcome: PaymentOutcome, client: FlutterwaveClient
) -> None:
    body = copy.deepcopy(sample(VERIFY_SAMPLE))
    body["data"]["status"] = status
    with respx.mock() as mock:
        mock.get(verify_url(288200108)).respond(200, json=body)
        found = await client.verify("288200108")
    assert found.outcome is outcome and outcome_for_status(status) is outcome
    assert found.gives_value(100_00, "NGN", "LiveCardTest") is (status == "successful")


async def test_fractional_amounts_are_exact(client: FlutterwaveClient) -> None:
    raw = sample_bytes(VERIFY_SAMPLE).replace(b'"amount": 100,', b'"amount": 338.63,')
    with respx.mock() as mock:
        mock.get(verify_url(288200108)).respond(200, content=raw)
        found = await client.verify("288200108")
    assert found.amount_minor == 338_63 and found.gives_value(338_63, "NGN", "LiveCardTest")


@pytest.mark.parametrize("http_status", [200, 400, 404])
async def test_unknown_id_is_read_from_the_body(
    http_status: int, client: FlutterwaveClient
) -> None:
    refusal = {"status": "error", "message": "No transaction was found for this id", "data": None}
    with respx.mock() as mock:
        mock.get(verify_url(1)).respond(http_status, json=refusal)
        with pytest.raises(ProviderError) as caught:
            await client.verify("1")
    assert caught.value.code == "flutterwave_transaction_not_found"


async def test_verify_refuses_a_non_numeric_id(client: FlutterwaveClient) -> None:
    with pytest.raises(ProviderError) as caught:
        await client.verify("../payments")
    assert caught.value.code == "flutterwave_bad_transaction_id"


async def test_verify_retries_and_verify_by_reference(client: FlutterwaveClient) -> None:
    with respx.mock() as mock:
        by_id = mock.get(verify_url(288200108)).mock(
            side_effect=[httpx.ReadTimeout("slow"), httpx.Response(200, json=sample(VERIFY_SAMPLE))]
        )
        by_ref = mock.get(
            f"{BASE}/v3/transactions/verify_by_reference", params={"tx_ref": "LiveCardTest"}
        ).respond(200, json=sample(VERIFY_SAMPLE))
        by_number = await client.verify_payment("288200108")
        by_tx_ref = await client.verify_payment("LiveCardTest")
    assert by_id.call_count == 2 and by_ref.call_count == 1
    for status in (by_number, by_tx_ref):
        assert status.outcome is PaymentOutcome.PAID and status.amount_minor == 100_00
        assert status.provider_reference == "288200108" and status.currency == "NGN"
        # The interface's value rule is the transaction's own: exact sale, amount, currency.
        assert status.gives_value(100_00, "NGN", "LiveCardTest")
        assert not status.gives_value(100_01, "NGN", "LiveCardTest")
        assert not status.gives_value(100_00, "KES", "LiveCardTest")
        assert not status.gives_value(100_00, "NGN", "AnotherSale")


async def test_a_link_nobody_tried_yet_is_pending_through_the_interface(
    client: FlutterwaveClient,
) -> None:
    """No attempt on the page: still open, or abandoned once the session is over (the relay
    decides by `unpaid_page_lifetime_s`); any other refusal stays an error."""
    refusal = {"status": "error", "message": "No transaction was found for this id", "data": None}
    url = f"{BASE}/v3/transactions/verify_by_reference"
    with respx.mock() as mock:
        mock.get(url, params={"tx_ref": "SALE-1"}).respond(400, json=refusal)
        status = await client.verify_payment("SALE-1")
        mock.get(url, params={"tx_ref": "SALE-2"}).respond(401, json={"message": "Invalid key"})
        with pytest.raises(ProviderError):
            await client.verify_payment("SALE-2")
    assert status.outcome is PaymentOutcome.PENDING and not status.gives_value(1, "NGN", "SALE-1")
    assert client.unpaid_page_lifetime_s() == 30 * 60


# ----------------------------------------------------------------------------- refund


async def test_partial_refund_sample(client: FlutterwaveClient) -> None:
    with respx.mock() as mock:
        route = mock.post(f"{BASE}/v3/transactions/908790/refund").respond(
            200, json=sample(REFUND_SAMPLE)
        )
        refund = await client.refund("908790", "NGN", 6900_00, comments="returned goods")
    assert json.loads(route.calls[0].request.content) == {
        "amount": "6900.00",
        "comments": "returned goods",
    }
    assert refund.refund_id == "75923" and refund.transaction_id == "908790"
    assert refund.amount_minor == 6900_00 and refund.status == "completed"


async def test_full_refund_through_the_interface_looks_up_the_currency(
    client: FlutterwaveClient,
) -> None:
    with respx.mock() as mock:
        mock.get(verify_url(288200108)).respond(200, json=sample(VERIFY_SAMPLE))
        route = mock.post(f"{BASE}/v3/transactions/288200108/refund").respond(
            200, json=sample(REFUND_SAMPLE)
        )
        result = await client.refund_payment("288200108")
    assert json.loads(route.calls[0].request.content) == {}
    assert result.provider == "flutterwave" and result.currency == "NGN"
    assert result.amount_minor == 6900_00 and result.refund_id == "75923"


@pytest.mark.parametrize(
    "failure", [httpx.ReadTimeout("slow"), httpx.Response(503, json={"status": "error"})]
)
async def test_refund_is_sent_once(
    failure: httpx.Response | Exception, client: FlutterwaveClient
) -> None:
    with respx.mock() as mock:
        route = mock.post(f"{BASE}/v3/transactions/908790/refund").mock(side_effect=[failure])
        with pytest.raises(ProviderError) as caught:
            await client.refund("908790", "NGN")
        assert route.call_count == 1
    assert caught.value.code == "flutterwave_no_answer" and not caught.value.retryable


# ----------------------------------------------------------------------------- webhooks

# Known answers computed outside Python: `openssl dgst -sha256 -hmac duka-secret-hash -binary
# FILE | base64` over the sample files' bytes.
KNOWN_SIGNATURES = {
    V3_WEBHOOK: "XmDaXmxmyv2R4Ryuy/iCxtJTU0d5epHckaGwhYv1nW0=",
    V4_WEBHOOK: "+UEHWDvlJ6XaEzcmAcTHCcLqFaryzrTj6WGLNjfFB7A=",
}


@pytest.mark.parametrize(("name", "expected"), sorted(KNOWN_SIGNATURES.items()))
def test_hmac_signature_known_answers(name: str, expected: str) -> None:
    raw = sample_bytes(name)
    assert sign(raw, HASH) == expected
    assert verify_signature(raw, {"Flutterwave-Signature": expected}, HASH)
    assert sign(b'{"event":"charge.completed"}', HASH) == (
        "ST8RbCWGmQ/7yyCj1bWP5xrX1BeyJGKgHU82LNRMTrU="
    )


def test_signature_rules() -> None:
    raw = sample_bytes(V3_WEBHOOK)
    good = sign(raw, HASH)
    reserialised = json.dumps(json.loads(raw)).encode()
    assert reserialised != raw and not verify_signature(
        reserialised, {SIGNATURE_HEADER: good}, HASH
    )
    assert not verify_signature(raw, {SIGNATURE_HEADER: sign(raw, "other")}, HASH)
    assert not verify_signature(raw, {SIGNATURE_HEADER: "é"}, HASH)
    assert verify_signature(raw, {VERIF_HASH_HEADER: HASH}, HASH)
    assert not verify_signature(raw, {VERIF_HASH_HEADER: HASH + "x"}, HASH)
    assert not verify_signature(raw, {VERIF_HASH_HEADER: ""}, HASH)
    # The HMAC header, when present, decides: a right verif-hash beside a wrong HMAC fails.
    assert not verify_signature(raw, {SIGNATURE_HEADER: "bad", VERIF_HASH_HEADER: HASH}, HASH)
    assert not verify_signature(raw, {}, HASH)


def test_v3_webhook_sample() -> None:
    event = parse_webhook(sample_bytes(V3_WEBHOOK))
    assert event.event == "charge.completed" and event.transaction_id == "285959875"
    assert event.tx_ref == "Links-616626414629" and event.status == "successful"
    assert event.amount_minor == 100_00 and event.currency == "NGN"
    assert event.customer_email == "user@gmail.com" and event.flw_ref == "PeterEkene/FLW270177170"
    assert event.dedupe_key == "charge.completed:285959875:successful"
    assert event.raw["data"]["app_fee"] == 1.4  # plain JSON for storage


def test_v4_webhook_sample() -> None:
    event = parse_webhook(sample_bytes(V4_WEBHOOK))
    assert event.event == "charge.completed" and event.transaction_id == "chg_Hq4oBRTJ4r"
    assert event.tx_ref == "49c3c6f5-aedd-4443-9eb4-92c51758f04a"
    assert event.status == "succeeded" and outcome_for_status(event.status) is PaymentOutcome.PAID
    assert event.amount_minor == 2500_00 and event.currency == "KES"


def test_real_deliveries_add_event_type_and_meta_data() -> None:
    body = sample(V3_WEBHOOK)
    body["event.type"] = "MPESA_TRANSACTION"
    body["meta_data"] = {"__CheckoutInitAddress": "N/A"}
    body["data"]["status"] = "failed"
    event = parse_webhook(json.dumps(body).encode())
    assert event.event_type == "MPESA_TRANSACTION" and event.status == "failed"
    assert event.dedupe_key == "charge.completed:285959875:failed"


def test_old_flat_v2_body() -> None:
    body = {
        "id": 404,
        "txRef": "sale-9",
        "flwRef": "FLW-MOCK-1",
        "amount": 150.5,
        "charged_amount": 150.5,
        "status": "successful",
        "currency": "KES",
        "customer": {"fullName": "A B", "email": "a@b.c"},
        "entity": {},
        "event.type": "CARD_TRANSACTION",
    }
    event = parse_webhook(json.dumps(body).encode())
    assert event.event == "CARD_TRANSACTION" and event.transaction_id == "404"
    assert (
        event.tx_ref == "sale-9" and event.amount_minor == 150_50 and event.flw_ref == "FLW-MOCK-1"
    )


@pytest.mark.parametrize(
    "raw",
    [b"", b"{}", b"[1]", b'{"event": "charge.completed"}', b'{"data": {}}', b"\xff", b"nul"],
)
def test_malformed_webhooks(raw: bytes) -> None:
    with pytest.raises(ProviderPayloadError):
        parse_webhook(raw)


def test_client_parse_webhook_checks_the_signature_first() -> None:
    client = FlutterwaveClient(FlutterwaveConfig(KEY, HASH, base_url=BASE))
    raw = sample_bytes(V3_WEBHOOK)
    [note] = client.parse_webhook(raw, {"flutterwave-signature": sign(raw, HASH)})
    assert note.kind == "charge.completed" and note.outcome is PaymentOutcome.PAID
    assert note.provider_reference == "285959875" and note.account_reference == "Links-616626414629"
    assert note.amount_minor == 100_00 and note.receipt == "PeterEkene/FLW270177170"
    [same] = client.parse_webhook(raw, {"verif-hash": HASH})
    assert same.dedupe_key == note.dedupe_key
    for headers in ({"flutterwave-signature": sign(raw, "x")}, {"verif-hash": "x"}, {}):
        with pytest.raises(WebhookSignatureError):
            client.parse_webhook(raw, headers)
    assert client.test_instructions() is not None
