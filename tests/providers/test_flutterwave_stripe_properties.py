"""Property tests for the Flutterwave and Stripe parsers: arbitrary input raises only the
declared ProviderPayloadError (or a False signature check), and what they accept is sane."""

from __future__ import annotations

import contextlib
import json
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.providers import flutterwave, stripe_checkout
from sync.providers.amounts import ISO_MINOR_DIGITS, major_to_minor, minor_to_major
from sync.providers.base import ProviderPayloadError, WebhookSignatureError

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=25,
)
JSON_AMOUNTS = JSON | st.sampled_from(["100", "1.5", "338.63", "-1", 338.63, 1e300])
AMOUNTS = JSON_AMOUNTS | st.decimals(allow_nan=True)
CURRENCIES = st.sampled_from([*ISO_MINOR_DIGITS, "kes", " ngn ", "XYZ", ""]) | JSON


def transaction(amounts: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(
        st.sampled_from(
            [
                "id",
                "tx_ref",
                "flw_ref",
                "status",
                "amount",
                "charged_amount",
                "currency",
                "customer",
                "created_at",
                "payment_type",
                "processor_response",
            ]
        ),
        amounts | CURRENCIES | st.fixed_dictionaries({"email": JSON}),
    )


TRANSACTION = transaction(AMOUNTS)
FLUTTERWAVE_BODIES = st.one_of(
    st.fixed_dictionaries({"event": JSON, "data": transaction(JSON_AMOUNTS) | JSON}),
    st.fixed_dictionaries({"type": JSON, "id": JSON, "data": transaction(JSON_AMOUNTS) | JSON}),
    st.fixed_dictionaries({"txRef": JSON}, optional={"event.type": JSON}).map(
        lambda body: body | {"id": 1, "amount": "10", "currency": "KES"}
    ),
)
SESSION = st.dictionaries(
    st.sampled_from(
        [
            "id",
            "object",
            "url",
            "status",
            "payment_status",
            "amount_total",
            "currency",
            "client_reference_id",
            "metadata",
            "payment_intent",
            "livemode",
            "expires_at",
        ]
    ),
    JSON | CURRENCIES | st.fixed_dictionaries({"reference": JSON}),
)
STRIPE_EVENTS = st.fixed_dictionaries(
    {
        "id": JSON,
        "type": st.sampled_from(sorted(stripe_checkout.SESSION_EVENTS)) | JSON,
        "data": st.fixed_dictionaries({"object": SESSION | JSON}) | JSON,
    },
    optional={"livemode": JSON, "created": JSON},
)


def _encode(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


@settings(max_examples=200)
@given(st.one_of(JSON, FLUTTERWAVE_BODIES))
def test_flutterwave_webhook_parser_only_raises_payload_errors(body: Any) -> None:
    try:
        event = flutterwave.parse_webhook(_encode(body))
    except ProviderPayloadError:
        return
    assert event.amount_minor is None or event.amount_minor >= 0
    assert event.currency is None or event.currency in ISO_MINOR_DIGITS
    json.dumps(event.raw)  # the raw body stays storable as JSON


@settings(max_examples=200)
@given(TRANSACTION)
def test_flutterwave_transaction_parser_only_raises_payload_errors(data: dict[str, Any]) -> None:
    try:
        found = flutterwave.parse_transaction(data)
    except ProviderPayloadError:
        return
    assert found.amount_minor is None or found.amount_minor >= 0
    if found.gives_value(found.amount_minor or 1, found.currency or "KES", found.tx_ref or ""):
        assert found.status == "successful"


@settings(max_examples=200)
@given(st.one_of(JSON, STRIPE_EVENTS))
def test_stripe_event_parser_only_raises_payload_errors(body: Any) -> None:
    try:
        event = stripe_checkout.parse_event(_encode(body))
    except ProviderPayloadError:
        return
    assert event.event_id and event.type
    if event.session is not None:
        assert event.session.amount_minor is None or event.session.amount_minor >= 0


@settings(max_examples=200)
@given(SESSION)
def test_stripe_session_parser_only_raises_payload_errors(obj: dict[str, Any]) -> None:
    try:
        session = stripe_checkout.parse_session(obj)
    except ProviderPayloadError:
        return
    if session.gives_value(session.amount_minor or 1, session.currency or "KES", "r"):
        assert session.payment_status == "paid"


@settings(max_examples=200)
@given(st.binary(max_size=200), st.text(max_size=120))
def test_parsers_and_signature_checks_survive_arbitrary_input(raw: bytes, text: str) -> None:
    for body in (raw, text):
        for parser in (flutterwave.parse_webhook, stripe_checkout.parse_event):
            with contextlib.suppress(ProviderPayloadError):
                parser(body)
    headers = {flutterwave.SIGNATURE_HEADER: text}
    assert flutterwave.verify_signature(raw, headers, "hash") in (True, False)
    assert flutterwave.verify_signature(raw, {flutterwave.VERIF_HASH_HEADER: text}, "h") in (
        True,
        False,
    )
    assert stripe_checkout.verify_signature(raw, text, "whsec_x") is False


FW = flutterwave.FlutterwaveClient(flutterwave.FlutterwaveConfig("FLWSECK_TEST-x", "h"))
CHECKOUT = stripe_checkout.StripeCheckoutClient(
    stripe_checkout.StripeConfig("sk_test_x", "whsec_x")
)


@settings(max_examples=200)
@given(st.binary(max_size=200) | JSON.map(_encode))
def test_signed_garbage_raises_only_payload_errors(raw: bytes) -> None:
    """A correctly signed body that is not a webhook still fails only as declared."""
    with contextlib.suppress(ProviderPayloadError):
        FW.parse_webhook(raw, {"verif-hash": "h"})
    try:
        header = stripe_checkout.stripe.WebhookSignature.generate_signature_header(
            raw.decode(), "whsec_x"
        )
    except UnicodeDecodeError:
        return
    with contextlib.suppress(ProviderPayloadError, WebhookSignatureError):
        CHECKOUT.parse_webhook(raw, {"Stripe-Signature": header})


@settings(max_examples=300)
@given(AMOUNTS, CURRENCIES)
def test_major_to_minor_is_exact_or_none(value: Any, currency: Any) -> None:
    minor = major_to_minor(value, currency) if isinstance(currency, str) else None
    if minor is not None:
        assert minor >= 0
        assert minor_to_major(minor, currency) == Decimal(str(value))


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(sorted(ISO_MINOR_DIGITS)))
def test_minor_units_round_trip(minor: int, currency: str) -> None:
    assert major_to_minor(str(minor_to_major(minor, currency)), currency) == minor
    assert major_to_minor(minor_to_major(minor, currency), currency) == minor
    stripe_amount = stripe_checkout.to_stripe_amount(minor, currency)
    assert stripe_checkout.from_stripe_amount(stripe_amount, currency) == minor
