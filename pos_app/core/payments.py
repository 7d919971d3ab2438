"""Payment methods, proof types and the payment state machine: only listed transitions exist."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from pos_app.core.errors import IllegalTransition


class PaymentMethod(StrEnum):
    CASH = "cash"
    CASH_ON_DELIVERY = "cash_on_delivery"
    MPESA_STK = "mpesa_stk"
    MPESA_PAYBILL = "mpesa_paybill"  # the customer pays from the SIM / USSD menu
    PAYSTACK_LINK = "paystack_link"
    FLUTTERWAVE_LINK = "flutterwave_link"
    STRIPE_CHECKOUT = "stripe_checkout"
    BANK_TRANSFER = "bank_transfer"
    MANUAL_MOBILE_MONEY = "manual_mobile_money"


class PaymentProvider(StrEnum):
    CASH = "cash"
    MPESA = "mpesa"
    PAYSTACK = "paystack"
    FLUTTERWAVE = "flutterwave"
    STRIPE = "stripe"
    MANUAL = "manual"


PROVIDER_OF_METHOD: Final[dict[PaymentMethod, PaymentProvider]] = {
    PaymentMethod.CASH: PaymentProvider.CASH,
    PaymentMethod.CASH_ON_DELIVERY: PaymentProvider.CASH,
    PaymentMethod.MPESA_STK: PaymentProvider.MPESA,
    PaymentMethod.MPESA_PAYBILL: PaymentProvider.MPESA,
    PaymentMethod.PAYSTACK_LINK: PaymentProvider.PAYSTACK,
    PaymentMethod.FLUTTERWAVE_LINK: PaymentProvider.FLUTTERWAVE,
    PaymentMethod.STRIPE_CHECKOUT: PaymentProvider.STRIPE,
    PaymentMethod.BANK_TRANSFER: PaymentProvider.MANUAL,
    PaymentMethod.MANUAL_MOBILE_MONEY: PaymentProvider.MANUAL,
}

# A hosted checkout page the customer opens from a link or QR code, per provider (the relay's
# POST /terminal/payments/link makes it; its refunds go through the relay too).
LINK_METHOD_OF: Final[dict[PaymentProvider, PaymentMethod]] = {
    PaymentProvider.PAYSTACK: PaymentMethod.PAYSTACK_LINK,
    PaymentProvider.FLUTTERWAVE: PaymentMethod.FLUTTERWAVE_LINK,
    PaymentProvider.STRIPE: PaymentMethod.STRIPE_CHECKOUT,
}
LINK_METHODS: Final = frozenset(LINK_METHOD_OF.values())
# Methods the till starts through the relay and whose outcome arrives from the provider.
STARTED_ONLINE: Final = frozenset({PaymentMethod.MPESA_STK, *LINK_METHODS})
# Methods whose outcome arrives from a provider through the relay.
ONLINE_METHODS: Final = frozenset({*STARTED_ONLINE, PaymentMethod.MPESA_PAYBILL})
# Methods settled by a person looking at a proof (receipt code, SMS, bank slip).
MANUAL_METHODS: Final = frozenset(
    {PaymentMethod.BANK_TRANSFER, PaymentMethod.MANUAL_MOBILE_MONEY, PaymentMethod.MPESA_PAYBILL}
)


class ProofType(StrEnum):
    MPESA_RECEIPT = "mpesa_receipt"
    MOBILE_MONEY = "mobile_money"
    BANK_TRANSFER = "bank_transfer"
    SMS_TEXT = "sms_text"
    OTHER = "other"


class PaymentStatus(StrEnum):
    PENDING = "pending"
    INITIATING = "initiating"
    AWAITING_CUSTOMER = "awaiting_customer"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    UNKNOWN = "unknown"  # the till cannot tell: a supervisor checks with the provider
    AWAITING_VERIFICATION = "awaiting_verification"
    VERIFIED = "verified"
    REJECTED = "rejected"
    AWAITING_COD = "awaiting_cod"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"
    VOIDED = "voided"


S = PaymentStatus

TRANSITIONS: Final[dict[PaymentStatus, frozenset[PaymentStatus]]] = {
    S.PENDING: frozenset(
        {
            S.INITIATING,  # online: the relay is asked to start an STK push / link
            S.AWAITING_CUSTOMER,  # paybill: the customer pays from the SIM menu
            S.AWAITING_VERIFICATION,  # manual: a proof was typed in
            S.AWAITING_COD,
            S.SUCCEEDED,  # cash in hand
            S.CANCELLED,
        }
    ),
    S.INITIATING: frozenset({S.AWAITING_CUSTOMER, S.FAILED, S.CANCELLED, S.UNKNOWN}),
    S.AWAITING_CUSTOMER: frozenset(
        {S.SUCCEEDED, S.FAILED, S.CANCELLED, S.EXPIRED, S.UNKNOWN, S.AWAITING_VERIFICATION}
    ),
    # The till's time-out is a guess; a provider's late "paid" is the truth.
    S.EXPIRED: frozenset({S.SUCCEEDED, S.UNKNOWN}),
    S.UNKNOWN: frozenset({S.SUCCEEDED, S.FAILED}),
    S.AWAITING_VERIFICATION: frozenset({S.VERIFIED, S.REJECTED}),
    S.AWAITING_COD: frozenset({S.SUCCEEDED, S.CANCELLED}),
    S.SUCCEEDED: frozenset({S.REFUNDED, S.PARTIALLY_REFUNDED, S.VOIDED}),
    S.VERIFIED: frozenset({S.REFUNDED, S.PARTIALLY_REFUNDED, S.VOIDED}),
    S.PARTIALLY_REFUNDED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.FAILED: frozenset(),
    S.CANCELLED: frozenset(),
    S.REJECTED: frozenset(),
    S.REFUNDED: frozenset(),
    S.VOIDED: frozenset(),
}

# Money is in the shop's hands in these states.
PAID_STATUSES: Final = frozenset({S.SUCCEEDED, S.VERIFIED, S.PARTIALLY_REFUNDED})
# A payment in one of these still counts against what an order owes.
OPEN_STATUSES: Final = frozenset(
    {
        S.PENDING,
        S.INITIATING,
        S.AWAITING_CUSTOMER,
        S.UNKNOWN,
        S.AWAITING_VERIFICATION,
        S.AWAITING_COD,
    }
)
TERMINAL_STATUSES: Final = frozenset(s for s, targets in TRANSITIONS.items() if not targets)
# Only a supervisor may take a payment out of these.
SUPERVISOR_ONLY_FROM: Final = frozenset({S.UNKNOWN, S.AWAITING_VERIFICATION})


def can_transition(current: PaymentStatus | str, target: PaymentStatus | str) -> bool:
    try:
        return PaymentStatus(target) in TRANSITIONS[PaymentStatus(current)]
    except ValueError:
        return False


def transition(current: PaymentStatus | str, target: PaymentStatus | str) -> PaymentStatus:
    """The new status, or IllegalTransition naming both ends."""
    if not can_transition(current, target):
        raise IllegalTransition(str(current), str(target))
    return PaymentStatus(target)


def initial_status(method: PaymentMethod) -> PaymentStatus:
    """Where a newly created payment of `method` starts."""
    if method is PaymentMethod.CASH_ON_DELIVERY:
        return S.AWAITING_COD
    if method is PaymentMethod.MPESA_PAYBILL:
        return S.AWAITING_CUSTOMER
    return S.PENDING
