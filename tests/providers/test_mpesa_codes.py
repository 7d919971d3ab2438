"""What each M-Pesa result code means, decided in one place for the relay and the till."""

from __future__ import annotations

import pytest

from sync.providers.base import PaymentOutcome
from sync.providers.daraja import parse_stk_callback
from sync.providers.mpesa_codes import Cause, NextAction, describe_result


@pytest.mark.parametrize(
    ("code", "outcome", "cause", "action"),
    [
        (0, PaymentOutcome.PAID, Cause.PAID, NextAction.NONE),
        ("1", PaymentOutcome.FAILED, Cause.INSUFFICIENT_FUNDS, NextAction.OTHER_METHOD),
        (17, PaymentOutcome.FAILED, Cause.REPEAT_TOO_SOON, NextAction.CHECK_FIRST),
        (1001, PaymentOutcome.FAILED, Cause.PHONE_BUSY, NextAction.RETRY_LATER),
        (1019, PaymentOutcome.EXPIRED, Cause.PROMPT_EXPIRED, NextAction.RETRY_PROMPT),
        (1025, PaymentOutcome.FAILED, Cause.PROMPT_NOT_DELIVERED, NextAction.USE_PAYBILL),
        (9999, PaymentOutcome.FAILED, Cause.PROMPT_NOT_DELIVERED, NextAction.USE_PAYBILL),
        (1032, PaymentOutcome.CANCELLED, Cause.CANCELLED_BY_CUSTOMER, NextAction.RETRY_PROMPT),
        ("1031", PaymentOutcome.CANCELLED, Cause.CANCELLED_BY_CUSTOMER, NextAction.RETRY_PROMPT),
        (1037, PaymentOutcome.EXPIRED, Cause.PHONE_UNREACHABLE, NextAction.USE_PAYBILL),
        (2001, PaymentOutcome.FAILED, Cause.WRONG_PIN, NextAction.RETRY_PROMPT),
        (2028, PaymentOutcome.FAILED, Cause.SHOP_SETUP, NextAction.FIX_SETTINGS),
        ("SFC_IC0003", PaymentOutcome.FAILED, Cause.SHOP_SETUP, NextAction.FIX_SETTINGS),
        ("4999", PaymentOutcome.PENDING, Cause.IN_PROCESS, NextAction.WAIT),
        (1032.0, PaymentOutcome.CANCELLED, Cause.CANCELLED_BY_CUSTOMER, NextAction.RETRY_PROMPT),
        (" 2001 ", PaymentOutcome.FAILED, Cause.WRONG_PIN, NextAction.RETRY_PROMPT),
    ],
)
def test_result_codes(
    code: object, outcome: PaymentOutcome, cause: Cause, action: NextAction
) -> None:
    meaning = describe_result(code)
    assert (meaning.outcome, meaning.cause, meaning.next_action) == (outcome, cause, action)
    assert meaning.declined is (outcome not in (PaymentOutcome.PAID, PaymentOutcome.PENDING))


def test_aliases_share_the_canonical_code() -> None:
    assert describe_result(1031).code == "1032"
    assert describe_result("9999").code == "1025"
    assert describe_result(" 2001 ").code == "2001"


@pytest.mark.parametrize("code", [12345, "WHATEVER", None, "", {"a": 1}, True])
def test_unknown_codes_say_check_first(code: object) -> None:
    meaning = describe_result(code)
    assert meaning.outcome is PaymentOutcome.UNKNOWN and meaning.cause is Cause.UNRECOGNISED
    assert meaning.next_action is NextAction.CHECK_FIRST and meaning.declined


def test_the_callback_parser_takes_its_outcome_from_here() -> None:
    body = {
        "Body": {
            "stkCallback": {
                "MerchantRequestID": "m-1",
                "CheckoutRequestID": "ws_CO_1",
                "ResultCode": 1031,
                "ResultDesc": "Request cancelled by user",
            }
        }
    }
    callback = parse_stk_callback(body)
    assert callback.outcome is describe_result(1031).outcome is PaymentOutcome.CANCELLED
    assert callback.result_code == "1031"  # the code Daraja sent is kept as sent
