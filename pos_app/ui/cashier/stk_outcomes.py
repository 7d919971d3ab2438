"""Why an M-Pesa prompt did not end in a payment, in the cashier's language, and what to do next.

sync.providers.mpesa_codes decides what each result code means (outcome, cause, next action);
only the words live here, keyed by cause, so that Qt can translate them, and the button the
dialog puts first, chosen by next action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QCoreApplication

from sync.providers.mpesa_codes import Cause, NextAction, describe_result


class Offer(StrEnum):
    """What the dialog puts first after a declined prompt."""

    RETRY = "retry"  # talk to the customer, then send a new prompt
    PAYBILL = "paybill"  # the prompt cannot reach the phone: pay from the SIM menu
    OTHER_TENDER = "other_tender"  # M-Pesa will not work for this customer now
    CHECK_FIRST = "check_first"  # a payment may already exist: look before asking again


@dataclass(frozen=True, slots=True)
class StkOutcome:
    code: str
    what: str
    next_step: str
    offer: Offer


_OFFERS = {
    NextAction.USE_PAYBILL: Offer.PAYBILL,
    NextAction.OTHER_METHOD: Offer.OTHER_TENDER,
    NextAction.FIX_SETTINGS: Offer.OTHER_TENDER,
    NextAction.CHECK_FIRST: Offer.CHECK_FIRST,
}  # any other next action: send the prompt again

# (what happened, what to do next) per cause; each line is a literal for lupdate
_TEXTS: dict[Cause, Callable[[], tuple[str, str]]] = {
    Cause.INSUFFICIENT_FUNDS: lambda: (
        QCoreApplication.translate(
            "StkOutcome", "The customer does not have enough money in M-Pesa."
        ),
        QCoreApplication.translate(
            "StkOutcome",
            "Take another tender, or let the customer top up and send the prompt again.",
        ),
    ),
    Cause.REPEAT_TOO_SOON: lambda: (
        QCoreApplication.translate(
            "StkOutcome",
            "M-Pesa refused a repeat of the same amount to this phone within 2 minutes.",
        ),
        QCoreApplication.translate(
            "StkOutcome",
            "Wait, and check whether the earlier payment went through before asking again.",
        ),
    ),
    Cause.PHONE_BUSY: lambda: (
        QCoreApplication.translate(
            "StkOutcome", "The customer's phone is busy with another M-Pesa transaction."
        ),
        QCoreApplication.translate("StkOutcome", "Wait a minute, then send the prompt again."),
    ),
    Cause.PROMPT_EXPIRED: lambda: (
        QCoreApplication.translate(
            "StkOutcome", "The prompt expired before the customer answered."
        ),
        QCoreApplication.translate(
            "StkOutcome", "Send the prompt again when the customer is ready."
        ),
    ),
    Cause.PROMPT_NOT_DELIVERED: lambda: (
        QCoreApplication.translate("StkOutcome", "M-Pesa could not send the prompt to the phone."),
        QCoreApplication.translate(
            "StkOutcome",
            "Try again, or let the customer pay from the SIM menu with the paybill or till.",
        ),
    ),
    Cause.CANCELLED_BY_CUSTOMER: lambda: (
        QCoreApplication.translate("StkOutcome", "The customer cancelled the prompt on the phone."),
        QCoreApplication.translate(
            "StkOutcome", "Ask the customer, then send the prompt again, or choose another tender."
        ),
    ),
    Cause.PHONE_UNREACHABLE: lambda: (
        QCoreApplication.translate(
            "StkOutcome",
            "The customer's phone did not answer: it may be off, locked or without network.",
        ),
        QCoreApplication.translate(
            "StkOutcome",
            "Ask the customer to check that the phone is on, then try again, or pay from "
            "the SIM menu with the paybill or till.",
        ),
    ),
    Cause.WRONG_PIN: lambda: (
        QCoreApplication.translate("StkOutcome", "The customer entered a wrong M-Pesa PIN."),
        QCoreApplication.translate(
            "StkOutcome", "Send the prompt again and ask the customer to enter the PIN carefully."
        ),
    ),
    Cause.SHOP_SETUP: lambda: (
        QCoreApplication.translate(
            "StkOutcome", "M-Pesa says the shop's M-Pesa number does not accept this payment."
        ),
        QCoreApplication.translate(
            "StkOutcome", "Take another tender, and tell the owner to check the M-Pesa settings."
        ),
    ),
}


def stk_outcome(result_code: str | None) -> StkOutcome | None:
    """What a declined prompt's result code means for the cashier; None without a code (the
    status alone then speaks) or for a code that is not a refusal (paid, still waiting)."""
    meaning = describe_result(result_code)
    if meaning.code is None or not meaning.declined:
        return None
    offer = _OFFERS.get(meaning.next_action, Offer.RETRY)
    texts = _TEXTS.get(meaning.cause)
    if texts is None:
        what = QCoreApplication.translate(
            "StkOutcome", "M-Pesa declined the payment (code %1)."
        ).replace("%1", meaning.code[:20])
        next_step = QCoreApplication.translate(
            "StkOutcome",
            "Check the customer's M-Pesa messages before giving goods or asking again.",
        )
    else:
        what, next_step = texts()
    return StkOutcome(meaning.code, what, next_step, offer)
