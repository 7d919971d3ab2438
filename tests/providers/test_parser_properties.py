"""Property tests: arbitrary JSON and text never escape the parsers as anything but their
declared errors."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from provider_samples import SAMPLES

from sync.providers.base import ProviderPayloadError
from sync.providers.daraja import parse_c2b, parse_stk_callback, parse_transaction_status_result
from sync.providers.mpesa_sms import SmsNotRecognised, parse_mpesa_sms
from sync.providers.paystack import parse_webhook, verify_signature
from sync.providers.phones import InvalidPhone, normalise_msisdn

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
CALLBACK_KEYS = [
    "MerchantRequestID",
    "CheckoutRequestID",
    "ResultCode",
    "ResultDesc",
    "CallbackMetadata",
]
ITEM_NAMES = ["Amount", "MpesaReceiptNumber", "TransactionDate", "PhoneNumber", "Balance"]
C2B_KEYS = [
    "TransactionType",
    "TransID",
    "TransTime",
    "TransAmount",
    "BusinessShortCode",
    "BillRefNumber",
    "MSISDN",
    "FirstName",
]

# Bodies shaped like the real thing with any value in any field: these reach deep code paths.
ITEMS = st.lists(
    st.fixed_dictionaries({"Name": st.sampled_from(ITEM_NAMES)}, optional={"Value": JSON}),
    max_size=6,
)
CALLBACKS = st.fixed_dictionaries(
    {
        "Body": st.fixed_dictionaries(
            {
                "stkCallback": st.dictionaries(
                    st.sampled_from(CALLBACK_KEYS),
                    JSON | st.fixed_dictionaries({"Item": ITEMS | JSON}),
                )
            }
        )
    }
)
C2B_BODIES = st.dictionaries(
    st.sampled_from(C2B_KEYS), JSON | st.text(alphabet="0123456789.,", max_size=16)
)
WEBHOOKS = st.fixed_dictionaries(
    {
        "event": JSON,
        "data": st.dictionaries(
            st.sampled_from(
                [
                    "reference",
                    "status",
                    "amount",
                    "currency",
                    "paid_at",
                    "paidAt",
                    "customer",
                    "metadata",
                ]
            ),
            JSON | st.fixed_dictionaries({"email": JSON}),
        ),
    }
)


def _encode(value: Any) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


@settings(max_examples=300)
@given(st.one_of(JSON, CALLBACKS))
def test_stk_callback_parser_only_raises_payload_errors(body: Any) -> None:
    for form in (_encode(body), body if isinstance(body, dict) else _encode(body)):
        with contextlib.suppress(ProviderPayloadError):
            parse_stk_callback(form)


@settings(max_examples=300)
@given(st.one_of(JSON, C2B_BODIES))
def test_c2b_parser_only_raises_payload_errors(body: Any) -> None:
    try:
        payment = parse_c2b(_encode(body))
    except ProviderPayloadError:
        return
    assert payment.amount_minor >= 0 and payment.trans_time.tzinfo is not None


@settings(max_examples=300)
@given(st.one_of(JSON, WEBHOOKS))
def test_paystack_webhook_parser_only_raises_payload_errors(body: Any) -> None:
    try:
        event = parse_webhook(_encode(body))
    except ProviderPayloadError:
        return
    assert event.amount_minor is None or event.amount_minor >= 0


@settings(max_examples=300)
@given(st.binary(max_size=200))
def test_parsers_survive_arbitrary_bytes(raw: bytes) -> None:
    for parser in (parse_stk_callback, parse_c2b, parse_webhook, parse_transaction_status_result):
        with contextlib.suppress(ProviderPayloadError):
            parser(raw)
    assert verify_signature(raw, raw.decode("latin-1"), "sk_test_x") in (True, False)


PUBLISHED_SMS = [
    line
    for line in (SAMPLES / "sms_examples.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]


@settings(max_examples=500)
@given(
    st.one_of(
        st.text(max_size=300),
        st.builds(
            lambda base, cut, noise: base[:cut] + noise + base[cut:],
            st.sampled_from(PUBLISHED_SMS),
            st.integers(min_value=0, max_value=300),
            st.text(max_size=20),
        ),
    )
)
def test_sms_parser_only_raises_not_recognised(text: str) -> None:
    try:
        sms = parse_mpesa_sms(text)
    except SmsNotRecognised:
        return
    assert (
        sms.amount_minor >= 0 and sms.when.tzinfo is not None and sms.receipt == sms.receipt.upper()
    )


@settings(max_examples=300)
@given(st.text(max_size=50))
def test_phone_normaliser_only_raises_invalid_phone(text: str) -> None:
    try:
        msisdn = normalise_msisdn(text)
    except InvalidPhone:
        return
    assert msisdn.startswith(("2547", "2541")) and len(msisdn) == 12 and msisdn.isdigit()


RESULTS = st.fixed_dictionaries(
    {
        "Result": st.dictionaries(
            st.sampled_from(["ResultCode", "ResultDesc", "ConversationID", "ResultParameters"]),
            JSON
            | st.fixed_dictionaries(
                {
                    "ResultParameter": st.lists(
                        st.fixed_dictionaries(
                            {
                                "Key": st.sampled_from(
                                    [
                                        "ReceiptNo",
                                        "Amount",
                                        "FinalisedTime",
                                        "TransactionStatus",
                                        "DebitPartyName",
                                    ]
                                )
                            },
                            optional={"Value": JSON},
                        ),
                        max_size=5,
                    )
                    | JSON
                }
            ),
        )
    }
)


@settings(max_examples=300)
@given(st.one_of(JSON, RESULTS))
def test_transaction_status_parser_only_raises_payload_errors(body: Any) -> None:
    with contextlib.suppress(ProviderPayloadError):
        parse_transaction_status_result(_encode(body))


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_parsers_survive_arbitrary_text(text: str) -> None:
    for parser in (parse_stk_callback, parse_c2b, parse_webhook, parse_transaction_status_result):
        with contextlib.suppress(ProviderPayloadError):
            parser(text)
