"""Daraja callback / C2B parsing, from the published samples."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from provider_samples import sample, sample_bytes

from sync.providers.base import PaymentOutcome, ProviderPayloadError
from sync.providers.daraja import (
    C2BRejectCode,
    DarajaClient,
    DarajaConfig,
    c2b_validation_reply,
    parse_c2b,
    parse_stk_callback,
    parse_transaction_status_result,
)


def test_success_callback_2017_with_valueless_balance_item() -> None:
    cb = parse_stk_callback(sample_bytes("stk_callback_success_2017_doc.json"))
    assert cb.outcome is PaymentOutcome.PAID and cb.result_code == "0"
    assert cb.checkout_request_id == "ws_CO_27072017154747416"
    assert cb.merchant_request_id == "19465-780693-1"
    assert cb.amount_minor == 100
    assert cb.receipt_number == "LGR7OWQX0R"
    # 15:48:00 Nairobi time is 12:48:00 UTC.
    assert cb.transaction_time == datetime(2017, 7, 27, 12, 48, 0, tzinfo=UTC)
    assert cb.phone == "254721566839"


def test_success_callback_daraja3_float_amount() -> None:
    cb = parse_stk_callback(sample_bytes("stk_callback_success_daraja3_doc.json"))
    assert cb.amount_minor == 100 and cb.receipt_number == "NLJ7RT61SV"
    assert cb.transaction_time == datetime(2019, 12, 19, 7, 21, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    "name",
    ["stk_callback_cancelled_1032_2017_doc.json", "stk_callback_cancelled_1032_daraja3_doc.json"],
)
def test_cancelled_callbacks_have_no_metadata(name: str) -> None:
    cb = parse_stk_callback(sample_bytes(name))
    assert cb.outcome is PaymentOutcome.CANCELLED and cb.result_code == "1032"
    assert cb.amount_minor is None and cb.receipt_number is None and cb.transaction_time is None


def test_callback_accepts_a_dict_and_string_typed_values() -> None:
    body: dict[str, Any] = copy.deepcopy(sample("stk_callback_success_2017_doc.json"))
    callback = body["Body"]["stkCallback"]
    callback["ResultCode"] = "0"
    callback["CallbackMetadata"]["Item"] = [
        {"Name": "PhoneNumber", "Value": "2547 ***** 839"},
        {"Name": "Amount", "Value": "1,250.00"},
        {"Name": "TransactionDate", "Value": "20170727154800"},
        {"Name": "MpesaReceiptNumber", "Value": "lgr7owqx0r"},
    ]
    cb = parse_stk_callback(body)
    assert cb.outcome is PaymentOutcome.PAID
    assert cb.amount_minor == 125000 and cb.receipt_number == "LGR7OWQX0R"
    assert cb.phone == "2547 ***** 839"
    assert cb.transaction_time == datetime(2017, 7, 27, 12, 48, tzinfo=UTC)


def test_callback_outcome_follows_the_code_not_the_text() -> None:
    body = copy.deepcopy(sample("stk_callback_cancelled_1032_daraja3_doc.json"))
    body["Body"]["stkCallback"]["ResultDesc"] = "The service request is processed successfully."
    assert parse_stk_callback(body).outcome is PaymentOutcome.CANCELLED
    body["Body"]["stkCallback"]["ResultCode"] = 0
    body["Body"]["stkCallback"]["ResultDesc"] = "Request cancelled by user"
    assert parse_stk_callback(body).outcome is PaymentOutcome.PAID


def test_non_numeric_result_code_is_kept_as_text() -> None:
    body = copy.deepcopy(sample("stk_callback_cancelled_1032_daraja3_doc.json"))
    body["Body"]["stkCallback"]["ResultCode"] = "SFC_IC0003"
    cb = parse_stk_callback(body)
    assert cb.result_code == "SFC_IC0003" and cb.outcome is PaymentOutcome.FAILED


def test_unusable_metadata_values_become_none() -> None:
    body = copy.deepcopy(sample("stk_callback_success_daraja3_doc.json"))
    body["Body"]["stkCallback"]["CallbackMetadata"]["Item"] = [
        {"Name": "Amount", "Value": {"nested": 1}},
        {"Name": "TransactionDate", "Value": 20191399999999},
        {"Value": "no name"},
        "not an item",
    ]
    cb = parse_stk_callback(body)
    assert cb.amount_minor is None and cb.transaction_time is None and cb.receipt_number is None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'{"Body": {}}',
        b'{"Body": {"stkCallback": {"CheckoutRequestID": "ws_CO_1", "ResultCode": 0}}}',
        b'{"Body": {"stkCallback": {"MerchantRequestID": "m", "CheckoutRequestID": "c"}}}',
        b"\xff\xfe",
    ],
)
def test_malformed_callbacks_raise_the_declared_error(body: bytes) -> None:
    with pytest.raises(ProviderPayloadError) as caught:
        parse_stk_callback(body)
    assert caught.value.code == "payload_invalid"


@pytest.mark.parametrize(
    ("name", "trans_id", "amount", "msisdn"),
    [
        ("c2b_confirmation_2017_doc.json", "LGR219G3EY", 1000, "254708374149"),
        ("c2b_confirmation_masked_msisdn_v2_daraja3_doc.json", "RKL51ZDR4F", 500, "2547 ***** 126"),
        ("c2b_validation_request_daraja_registerurl_doc.json", "RKTQDM7W6S", 1000, "25470****149"),
        ("c2b_validation_request_2017_doc.json", "LGR219G3EY", 1000, "254708374149"),
    ],
)
def test_c2b_samples(name: str, trans_id: str, amount: int, msisdn: str) -> None:
    payment = parse_c2b(sample_bytes(name))
    assert payment.trans_id == trans_id and payment.amount_minor == amount
    assert payment.msisdn_masked == msisdn and payment.currency == "KES"
    assert payment.trans_time.tzinfo is UTC


def test_c2b_fields() -> None:
    payment = parse_c2b(sample_bytes("c2b_confirmation_masked_msisdn_v2_daraja3_doc.json"))
    assert payment.trans_time == datetime(2023, 11, 21, 9, 13, 25, tzinfo=UTC)
    assert payment.short_code == "600966" and payment.bill_ref == "Sample Transaction"
    assert payment.first_name == "NICHOLAS" and payment.transaction_type == "Pay Bill"


def test_c2b_published_text_with_missing_commas_is_refused() -> None:
    with pytest.raises(ProviderPayloadError):
        parse_c2b(sample_bytes("c2b_validation_request_daraja_registerurl_doc.published.txt"))


@pytest.mark.parametrize("missing", ["TransID", "TransTime", "TransAmount", "BusinessShortCode"])
def test_c2b_without_a_required_field(missing: str) -> None:
    body = sample("c2b_confirmation_2017_doc.json")
    del body[missing]
    with pytest.raises(ProviderPayloadError, match=missing):
        parse_c2b(body)


def test_c2b_numbers_instead_of_strings() -> None:
    body = sample("c2b_confirmation_2017_doc.json")
    body.update(TransAmount=10, TransTime=20170727104247, BusinessShortCode=600134)
    payment = parse_c2b(json.dumps(body))
    assert payment.amount_minor == 1000 and payment.short_code == "600134"


def test_validation_replies_match_the_samples() -> None:
    assert c2b_validation_reply(True) == sample("c2b_validation_response_accept_doc.json")
    assert c2b_validation_reply(False, C2BRejectCode.INVALID_MSISDN) == sample(
        "c2b_validation_response_reject_doc.json"
    )
    with pytest.raises(ValueError):
        c2b_validation_reply(False, "NOPE")


def test_parse_webhook_tells_stk_from_c2b() -> None:
    client = DarajaClient(
        DarajaConfig("k", "s", "174379", "p", base_url="https://x.test"), http=None
    )
    [stk] = client.parse_webhook(sample_bytes("stk_callback_success_2017_doc.json"), {})
    assert stk.kind == "stk_callback" and stk.dedupe_key == "stk:ws_CO_27072017154747416"
    assert stk.outcome is PaymentOutcome.PAID and stk.payer == "2547*****839"
    [c2b] = client.parse_webhook(sample_bytes("c2b_confirmation_2017_doc.json"), {})
    assert c2b.kind == "c2b_confirmation" and c2b.receipt == "LGR219G3EY"
    assert c2b.account_reference == "xyz" and c2b.amount_minor == 1000


@pytest.mark.parametrize("amount", ["1e5", "-10.00", "ten", "10.005", "", "NaN", "1 000"])
def test_c2b_amounts_that_are_not_plain_money(amount: str) -> None:
    body = sample("c2b_confirmation_2017_doc.json")
    body["TransAmount"] = amount
    with pytest.raises(ProviderPayloadError, match="TransAmount"):
        parse_c2b(body)


def test_transaction_status_result_sample() -> None:
    result = parse_transaction_status_result(
        sample_bytes("transaction_status_result_daraja3_doc.json")
    )
    assert result.found and result.result_code == "0" and result.status == "Completed"
    assert result.receipt == "MBN31H462N" and result.amount_minor == 300_00
    assert result.debit_party == "600310 - Safaricom333"  # the first of the repeated key
    assert result.finalised_at == datetime(2018, 2, 23, 2, 41, 12, tzinfo=UTC)
    assert result.conversation_id == "AG_20180223_0000493344ae97d86f75"


def test_transaction_status_not_found() -> None:
    body = {"Result": {"ResultCode": 2001, "ResultDesc": "The initiator information is invalid."}}
    result = parse_transaction_status_result(body)
    assert not result.found and result.result_code == "2001" and result.receipt is None
    with pytest.raises(ProviderPayloadError):
        parse_transaction_status_result(b'{"Result": {}}')
