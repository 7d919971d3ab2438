"""Scripted outcomes: what the sandbox makes happen to a payment, chosen per phone, amount or
reference.

Default script (when no explicit rule matches) for STK pushes, by the phone's last digits:
    254708374149 (Safaricom's own test number)  -> unreachable, 1037, as the real sandbox
    ...1032 -> cancelled (1032)         ...1037 -> unreachable (1037)
    ...2001 -> wrong PIN (2001)         ...0001 -> insufficient funds (1)
    ...0017 -> duplicate within 2 minutes (17)   ...1001 -> payer busy (1001)
    ...9002 -> paid, callback sent twice         ...9003 -> paid, callback late
    ...9004 -> paid, no callback at all (only a query finds out)
    anything else -> paid, one callback.
Paystack links, Flutterwave links and Stripe Checkout Sessions wait for their checkout page
(Pay / Decline) unless a rule matches their amount, reference (tx_ref, client_reference_id) or
e-mail; then the sandbox settles them by itself after the callback delay. A failed outcome is a
failed charge on Flutterwave (charge.completed, status failed) and a delayed method that fails
on Stripe (completed unpaid, then async_payment_failed).
eTIMS sales are signed unless a rule matches their trdInvcNo or totAmt (etims_* presets; see
sync.sandbox.etims_api).
"""

from __future__ import annotations

import threading
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from sync.providers.testmode import MPESA_SANDBOX_TEST_MSISDN


class Delivery(StrEnum):
    ONCE = "once"
    TWICE = "twice"  # the same callback delivered again (providers do this)
    LATE = "late"  # delivered after the late delay; the query knows the result earlier
    NONE = "none"  # never delivered; only the query/verify API tells


class ScriptedOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    # Daraja ResultCode; for the card providers "0" = success, anything else failed
    result_code: str = "0"
    delivery: Delivery = Delivery.ONCE
    delay_s: float | None = Field(default=None, ge=0)  # None: the sandbox's callback delay

    @property
    def paid(self) -> bool:
        return self.result_code == "0"


PRESETS: dict[str, ScriptedOutcome] = {
    "success": ScriptedOutcome(),
    "cancelled": ScriptedOutcome(result_code="1032"),
    "unreachable": ScriptedOutcome(result_code="1037"),
    "wrong_pin": ScriptedOutcome(result_code="2001"),
    "insufficient_funds": ScriptedOutcome(result_code="1"),
    "duplicate_within_2_minutes": ScriptedOutcome(result_code="17"),
    "busy": ScriptedOutcome(result_code="1001"),
    "duplicated_callback": ScriptedOutcome(delivery=Delivery.TWICE),
    "late_callback": ScriptedOutcome(delivery=Delivery.LATE),
    "no_callback": ScriptedOutcome(delivery=Delivery.NONE),
    # eTIMS: KRA's result codes (994 overlapped data, 910 parameter error); slow = signed
    # at once, answered after the delay
    "etims_duplicate": ScriptedOutcome(result_code="994"),
    "etims_refused": ScriptedOutcome(result_code="910"),
    "etims_slow": ScriptedOutcome(delay_s=5.0),
}

_DEFAULT_SUFFIXES: dict[str, str] = {
    "1032": "cancelled",
    "1037": "unreachable",
    "2001": "wrong_pin",
    "0001": "insufficient_funds",
    "0017": "duplicate_within_2_minutes",
    "1001": "busy",
    "9002": "duplicated_callback",
    "9003": "late_callback",
    "9004": "no_callback",
}

RESULT_DESCRIPTIONS: dict[str, str] = {
    "0": "The service request is processed successfully.",
    "1": "The balance is insufficient for the transaction.",
    "17": "Rule limited.",
    "1001": "Unable to lock subscriber, a transaction is already in process for the current "
    "subscriber",
    "1019": "Transaction has expired",
    "1032": "Request cancelled by user",
    "1037": "DS timeout user cannot be reached",
    "2001": "The initiator information is invalid.",
}


class ScriptRule(BaseModel):
    """One scripted outcome; every criterion given must match."""

    model_config = ConfigDict(frozen=True)

    outcome: ScriptedOutcome
    phone: str | None = None
    amount_minor: int | None = Field(default=None, ge=0)
    # Paystack reference, Flutterwave tx_ref, Stripe client_reference_id, M-Pesa
    # AccountReference or e-mail
    reference: str | None = None

    def matches(self, phone: str | None, amount_minor: int, reference: str | None) -> bool:
        return (
            (self.phone is None or self.phone == phone)
            and (self.amount_minor is None or self.amount_minor == amount_minor)
            and (self.reference is None or self.reference == reference)
        )


def outcome_named(name: str) -> ScriptedOutcome:
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown outcome {name!r}; known: {sorted(PRESETS)}") from None


class Script:
    """Rules added by tests or the admin endpoint (newest first), then the default script.
    Shared between the server thread and the test thread, hence the lock."""

    def __init__(self, rules: list[ScriptRule] | None = None, use_defaults: bool = True) -> None:
        self._lock = threading.Lock()
        self._rules: list[ScriptRule] = list(rules or [])
        self.use_defaults = use_defaults

    def add(self, rule: ScriptRule) -> None:
        with self._lock:
            self._rules.insert(0, rule)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def rules(self) -> list[ScriptRule]:
        with self._lock:
            return list(self._rules)

    def explicit(
        self, phone: str | None, amount_minor: int, *references: str | None
    ) -> ScriptedOutcome | None:
        for rule in self.rules():
            if any(rule.matches(phone, amount_minor, ref) for ref in references or (None,)):
                return rule.outcome
        return None

    def for_stk(self, phone: str, amount_minor: int, account_reference: str) -> ScriptedOutcome:
        found = self.explicit(phone, amount_minor, account_reference)
        if found is not None:
            return found
        if self.use_defaults:
            if phone == MPESA_SANDBOX_TEST_MSISDN:
                return PRESETS["unreachable"]
            name = _DEFAULT_SUFFIXES.get(phone[-4:])
            if name is not None:
                return PRESETS[name]
        return PRESETS["success"]
