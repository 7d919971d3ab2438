"""What an M-Pesa (Daraja) ResultCode means: the payment's outcome, its cause, what to do next.

The one home of these facts: the relay reads the outcome through sync.providers.daraja (STK
callbacks and queries), the till's STK dialog reads cause and next action and words them in the
cashier's language. Keyed on the code, never on ResultDesc, whose wording changes over the
years. Pure: no Qt, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from sync.providers.base import PaymentOutcome
from sync.providers.wire import as_text

RESULT_IN_PROCESS: Final = "4999"


class NextAction(StrEnum):
    NONE = "none"  # paid: hand over the goods
    WAIT = "wait"  # still in flight: query again shortly
    RETRY_PROMPT = "retry_prompt"  # talk to the customer, then send a new prompt
    RETRY_LATER = "retry_later"  # wait a minute, then send a new prompt
    USE_PAYBILL = "use_paybill"  # the prompt cannot reach the phone: pay from the SIM menu
    OTHER_METHOD = "other_method"  # M-Pesa will not work for this customer now
    CHECK_FIRST = "check_first"  # a payment may already exist: check before asking again
    FIX_SETTINGS = "fix_settings"  # the owner must correct the shop's M-Pesa settings


class Cause(StrEnum):
    """Why the prompt ended as it did; several causes share an outcome and a next action."""

    PAID = "paid"
    IN_PROCESS = "in_process"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    REPEAT_TOO_SOON = "repeat_too_soon"  # same amount, same phone, within 2 minutes
    PHONE_BUSY = "phone_busy"  # another M-Pesa transaction holds the phone
    PROMPT_EXPIRED = "prompt_expired"
    PROMPT_NOT_DELIVERED = "prompt_not_delivered"
    CANCELLED_BY_CUSTOMER = "cancelled_by_customer"
    PHONE_UNREACHABLE = "phone_unreachable"  # off, locked or without network
    WRONG_PIN = "wrong_pin"
    SHOP_SETUP = "shop_setup"  # the shortcode/till does not allow this payment
    UNRECOGNISED = "unrecognised"


@dataclass(frozen=True, slots=True)
class ResultMeaning:
    code: str | None  # the canonical code (aliases resolved); None when there was none
    outcome: PaymentOutcome
    cause: Cause
    next_action: NextAction

    @property
    def declined(self) -> bool:
        """The prompt ended without a payment (neither paid nor still in flight)."""
        return self.outcome not in (PaymentOutcome.PAID, PaymentOutcome.PENDING)


_MEANINGS: Final[dict[str, tuple[PaymentOutcome, Cause, NextAction]]] = {
    "0": (PaymentOutcome.PAID, Cause.PAID, NextAction.NONE),
    "1": (PaymentOutcome.FAILED, Cause.INSUFFICIENT_FUNDS, NextAction.OTHER_METHOD),
    "17": (PaymentOutcome.FAILED, Cause.REPEAT_TOO_SOON, NextAction.CHECK_FIRST),
    "1001": (PaymentOutcome.FAILED, Cause.PHONE_BUSY, NextAction.RETRY_LATER),
    "1019": (PaymentOutcome.EXPIRED, Cause.PROMPT_EXPIRED, NextAction.RETRY_PROMPT),
    "1025": (PaymentOutcome.FAILED, Cause.PROMPT_NOT_DELIVERED, NextAction.USE_PAYBILL),
    "1032": (PaymentOutcome.CANCELLED, Cause.CANCELLED_BY_CUSTOMER, NextAction.RETRY_PROMPT),
    "1037": (PaymentOutcome.EXPIRED, Cause.PHONE_UNREACHABLE, NextAction.USE_PAYBILL),
    "2001": (PaymentOutcome.FAILED, Cause.WRONG_PIN, NextAction.RETRY_PROMPT),
    "2028": (PaymentOutcome.FAILED, Cause.SHOP_SETUP, NextAction.FIX_SETTINGS),
    RESULT_IN_PROCESS: (PaymentOutcome.PENDING, Cause.IN_PROCESS, NextAction.WAIT),
}
# Codes Daraja has used for the same meaning over the years.
_ALIASES: Final = {"1031": "1032", "9999": "1025", "SFC_IC0003": "2028"}
_UNRECOGNISED: Final = (PaymentOutcome.UNKNOWN, Cause.UNRECOGNISED, NextAction.CHECK_FIRST)


def normalise_result_code(value: Any) -> str | None:
    """ResultCode as text: 1032, "1032", 1032.0 and " 1032 " all give "1032"."""
    return as_text(value)


def canonical_result_code(code: Any) -> str | None:
    """The code whose meaning `code` shares (1031 -> 1032, 9999 -> 1025), as text."""
    text = normalise_result_code(code)
    return None if text is None else _ALIASES.get(text, text)


def describe_result(code: Any) -> ResultMeaning:
    """What a Daraja ResultCode means; an unknown or missing code is UNKNOWN, check first."""
    text = canonical_result_code(code)
    outcome, cause, action = _UNRECOGNISED if text is None else _MEANINGS.get(text, _UNRECOGNISED)
    return ResultMeaning(text, outcome, cause, action)
