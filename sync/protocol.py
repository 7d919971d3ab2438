"""Wire types shared by the till's sync engine and the relay (one definition, two users).

Everything here is JSON over HTTPS, documented in docs/relay-api.md. Money is integer minor
units plus an ISO 4217 code; times are timezone-aware UTC; ids are UUID4 strings made by the
side that creates the thing. Models ignore unknown fields so that either side can add an
optional field without breaking the other.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

API_PREFIX = "/api/v1"
MAX_PUSH_BATCH = 500
MAX_PULL_LIMIT = 500
MAX_PULL_WAIT_S = 30
IDEMPOTENCY_HEADER = "Idempotency-Key"
# three capital letters (ISO 4217): anything else is refused (422) before it reaches a column
ISO_CURRENCY = r"^[A-Z]{3}$"
# Every integer on the wire fits a signed 64-bit column; larger is refused (422), not a 500.
MAX_INT64 = 2**63 - 1
# A bound far above any sale (10 billion in major units) that still fits a 64-bit column.
MAX_AMOUNT_MINOR = 10**12


class WireModel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Provider(StrEnum):
    MPESA = "mpesa"
    PAYSTACK = "paystack"
    FLUTTERWAVE = "flutterwave"
    STRIPE = "stripe"


LINK_PROVIDERS: frozenset[Provider] = frozenset(
    {Provider.PAYSTACK, Provider.FLUTTERWAVE, Provider.STRIPE}
)
"""Providers whose payment is a hosted page the customer opens from a link or QR code."""


class PaymentChannel(StrEnum):
    """How the money came: an STK prompt the till asked for, a customer-initiated paybill/till
    payment (C2B), or a hosted checkout page (Paystack, Flutterwave, Stripe)."""

    MPESA_STK = "mpesa_stk"
    MPESA_C2B = "mpesa_c2b"
    PAYSTACK = "paystack"
    FLUTTERWAVE = "flutterwave"
    STRIPE = "stripe"


class EventStatus(StrEnum):
    """Final outcome reported to tills. Only PAID gives value."""

    PAID = "paid"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class CanonicalPaymentEvent(WireModel):
    """One provider outcome, verified by the relay and numbered in the shop's sequence.

    `payment_id` is the till's payment id when the payment was initiated through the relay
    (STK push, Paystack link); it is null for C2B payments, which the till matches on
    `reference` (the account number the customer typed) or the cashier matches by receipt.
    """

    seq: int = Field(ge=1, le=MAX_INT64, description="gap-free per-shop sequence number")
    event_id: UUID
    shop_id: UUID
    provider: Provider
    channel: PaymentChannel
    payment_id: UUID | None = None
    reference: str | None = None
    status: EventStatus
    amount_minor: int | None = Field(default=None, ge=0, le=MAX_INT64)
    currency: str | None = Field(default=None, pattern=ISO_CURRENCY)
    receipt: str | None = None
    payer: str | None = Field(default=None, description="masked phone or name; never full")
    result_code: str | None = None
    message: str | None = None
    occurred_at: AwareDatetime
    received_at: AwareDatetime
    test_mode: bool = Field(description="test money never counts as live money")
    claimed_by_till: UUID | None = Field(
        default=None,
        description="C2B only: the till the relay gave this payment to (the one that showed its "
        "account reference). Every other till shows it as taken, never as unmatched money. "
        "Null: nobody showed the reference; a till may ask for it (POST /terminal/c2b/claims).",
    )


class EtimsOutcome(StrEnum):
    SIGNED = "etims.signed"
    REFUSED = "etims.refused"


class EtimsKind(StrEnum):
    SALE = "sale"
    CREDIT_NOTE = "credit_note"


class EtimsEvent(WireModel):
    """KRA eTIMS's answer for one of a till's invoices, in the shop's event sequence (`seq` is
    shared with the payment events). Signed: what the receipt prints from the control unit
    (docs/etims.md). Refused: KRA's code and message, for a supervisor."""

    seq: int = Field(ge=1, le=MAX_INT64)
    event_id: UUID
    type: EtimsOutcome
    till_id: UUID
    receipt_number: str = Field(min_length=1, max_length=50)
    kind: EtimsKind
    invoice_number: int | None = None
    control_unit_id: str | None = None
    cu_invoice_number: str | None = None
    receipt_counter: int | None = None
    total_receipt_counter: int | None = None
    internal_data: str | None = None
    receipt_signature: str | None = None
    signed_at: AwareDatetime | None = None
    qr_url: str | None = None
    recovered: bool = False
    code: str | None = None
    message: str | None = None


class SmsOutcome(StrEnum):
    SENT = "sms.sent"
    FAILED = "sms.failed"
    UNKNOWN = "sms.unknown"  # it may have gone out; the relay does not send it again


class SmsEvent(WireModel):
    """What became of a till's text receipt (docs/sms.md), in the shop's event sequence. Never
    the phone number or the text: `reason` is the relay's words for a failure."""

    seq: int = Field(ge=1, le=MAX_INT64)
    event_id: UUID
    type: SmsOutcome
    till_id: UUID
    request_id: UUID = Field(description="the till's id of the text (its outbox payload's)")
    reason: str | None = Field(default=None, max_length=200)


class PullResponse(WireModel):
    events: list[CanonicalPaymentEvent]
    etims: list[EtimsEvent] = Field(
        default_factory=list,
        description="eTIMS outcomes, numbered in the same sequence as `events`; tills that "
        "do not know them skip them with the cursor",
    )
    sms: list[SmsEvent] = Field(
        default_factory=list,
        description="text receipts sent, failed or of unknown fate, in the same sequence",
    )
    cursor: str = Field(description="opaque; pass back as ?after= on the next pull")


class OutboxEvent(WireModel):
    """One event from a till's outbox. `till_seq` counts 1, 2, 3... per till without gaps."""

    event_id: UUID
    till_seq: int = Field(ge=1, le=MAX_INT64)
    type: str = Field(min_length=1, max_length=64)
    occurred_at: AwareDatetime
    payload: dict[str, Any] = Field(default_factory=dict)


# Outbox event type a till pushes when it shows a paybill account reference for a sale, with
# payload {"reference": "..."}: the relay then gives a C2B payment for that reference to it.
PAYBILL_REFERENCE_SHOWN = "paybill.reference_shown"
# Outbox event type a till of an eTIMS shop pushes for every completed sale and credit note,
# with payload {"receipt_number", "kind", "original_receipt_number", "body"}: `body` is the
# saveTrnsSalesOsdc body without invcNo and orgInvcNo, which the relay's signer gives.
ETIMS_SIGN_REQUESTED = "etims.sign_requested"
# Outbox event type a till of an eTIMS shop pushes when a product is added or changed, with
# payload {"item": saveItem body}: the relay registers the item with KRA, once per change,
# before any invoice that names it is signed.
ETIMS_ITEM_CHANGED = "etims.item_changed"

# Outbox event type a till pushes when the cashier chooses an SMS receipt, with payload
# {"request_id", "to" (E.164), "message"}: the relay sends it once through Africa's Talking.
SMS_RECEIPT_REQUESTED = "sms.receipt_requested"


class PushRequest(WireModel):
    events: list[OutboxEvent] = Field(max_length=MAX_PUSH_BATCH)


class PushStatus(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


class PushResult(WireModel):
    event_id: UUID
    till_seq: int
    status: PushStatus
    reason: str | None = None
    first_received_at: AwareDatetime | None = Field(
        default=None, description="for duplicates: when the relay first accepted this event"
    )


class PushResponse(WireModel):
    results: list[PushResult]
    next_till_seq: int = Field(description="the till_seq the relay expects next")


class OwnEventsResponse(WireModel):
    """A page of the events this till pushed, oldest first (to rebuild a lost ledger)."""

    events: list[OutboxEvent]
    next_till_seq: int = Field(description="the till_seq the relay expects next")


class SeqGap(WireModel):
    """409 body when a push batch does not continue the till's sequence."""

    detail: Literal["till_seq_gap"] = "till_seq_gap"
    expected_till_seq: int


class ErrorCode(StrEnum):
    """`ErrorBody.code` values a till acts on (the detail is for people)."""

    # 409: the first request with this Idempotency-Key is still being handled; its outcome is
    # not known yet. Ask again later with the same key (a new key could do it twice).
    IN_PROGRESS = "in_progress"


class ErrorBody(WireModel):
    detail: str
    code: str | None = None


class PairRequest(WireModel):
    pairing_code: str = Field(min_length=4, max_length=64)
    till_name: str = Field(min_length=1, max_length=80)


class PairResponse(WireModel):
    terminal_id: UUID
    token: str = Field(description="bearer token; store it in the OS keyring, shown once")
    shop_id: UUID
    shop_name: str
    relay_time: AwareDatetime


class StkPushRequest(WireModel):
    payment_id: UUID
    phone: str = Field(min_length=9, max_length=20)
    amount_minor: int = Field(gt=0, le=MAX_AMOUNT_MINOR)
    currency: Literal["KES"] = "KES"
    account_reference: str = Field(min_length=1, max_length=12)
    description: str | None = Field(default=None, max_length=13)


class PaystackLinkRequest(WireModel):
    payment_id: UUID
    amount_minor: int = Field(gt=0, le=MAX_AMOUNT_MINOR)
    currency: str = Field(pattern=ISO_CURRENCY)
    email: str | None = None
    reference: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9.=\-]+$")


class PaymentLinkRequest(PaystackLinkRequest):
    """Body of POST /payments/link: a hosted checkout page from any provider in LINK_PROVIDERS."""

    provider: Provider

    @field_validator("provider")
    @classmethod
    def _hosted_page(cls, value: Provider) -> Provider:
        if value not in LINK_PROVIDERS:
            raise ValueError(f"{value} has no payment link; use its own endpoint")
        return value


class PaymentState(StrEnum):
    """What the relay knows of a payment a till initiated."""

    PENDING = "pending"  # accepted by the provider, outcome not known yet
    PAID = "paid"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    MISMATCH = "mismatch"  # provider says paid but amount/currency/reference disagree: parked
    ERROR = "error"  # the provider refused to start it (see error)


class ProviderErrorInfo(WireModel):
    code: str
    cashier_message: str
    retryable: bool


class RelayPaymentView(WireModel):
    """Reply to initiate (STK / payment link) and to GET /terminal/payments/{payment_id}."""

    payment_id: UUID
    provider: Provider
    state: PaymentState
    amount_minor: int
    currency: str
    reference: str
    test_mode: bool
    checkout_request_id: str | None = None
    authorization_url: str | None = None
    customer_message: str | None = None
    receipt: str | None = None
    error: ProviderErrorInfo | None = None
    event_seq: int | None = Field(default=None, description="seq of the canonical event, if any")
    updated_at: datetime


class RelayRefundRequest(WireModel):
    """Body of POST /terminal/payments/{payment_id}/refund (Paystack, Flutterwave and Stripe
    payments). The Idempotency-Key header is the refund id: Paystack and Flutterwave refunds
    are not idempotent; Stripe gets it as its own Idempotency-Key."""

    refund_id: UUID
    amount_minor: int = Field(gt=0, le=MAX_AMOUNT_MINOR)
    currency: str = Field(pattern=ISO_CURRENCY)
    reason: str | None = Field(default=None, max_length=200)


class RefundView(WireModel):
    payment_id: UUID
    refund_id: UUID
    amount_minor: int
    currency: str
    status: str = Field(
        description="the provider's refund status, e.g. pending, processed, succeeded"
    )
    provider_refund_id: str | None = None


class MpesaNumberKind(StrEnum):
    PAYBILL = "paybill"  # the customer also types the sale's account reference
    TILL = "till"  # Buy Goods: the number alone


class MpesaPayTo(WireModel):
    """The M-Pesa number a customer pays to from the SIM menu, in the shop's current mode."""

    kind: MpesaNumberKind
    number: str = Field(pattern=r"^[0-9]{5,10}$")
    test_mode: bool


class TerminalSettings(WireModel):
    """Reply to GET /terminal/settings: what a till shows about its shop (the test-mode banner,
    the paybill or till number for the SIM-menu fallback). `mpesa_pay_to` is null when the
    shop has no M-Pesa credentials for its current mode; relays before it leave it out."""

    shop_id: UUID
    shop_name: str
    test_mode: dict[Provider, bool]
    mpesa_pay_to: MpesaPayTo | None = None


class C2BClaimRequest(WireModel):
    """Body of POST /terminal/c2b/claims: a supervisor matches an unmatched C2B payment (by
    its M-Pesa receipt) to a sale on this till. The relay grants each payment once per shop."""

    receipt: str = Field(min_length=8, max_length=32, pattern=r"^[A-Za-z0-9]+$")
    supervisor: str = Field(min_length=1, max_length=80, description="who matched, for audit")


class C2BClaimView(WireModel):
    """200: the payment is this till's (granted now or before). 409 carries the same body with
    the till that has it, so that the second till can explain the refusal."""

    receipt: str
    till_id: UUID
    till_name: str
    granted_at: AwareDatetime
    how: Literal["reference", "manual"]


C2BReceivedState = Literal["confirming", "confirmed", "refused"]


class C2BReceived(WireModel):
    """One SIM-menu payment Daraja reported for an account reference. Daraja signs nothing, so
    until the Transaction Status API confirms it this is only a claim: "confirming" never pays
    a sale (its paid event follows on the pull stream once confirmed); "refused": M-Pesa has no
    such payment, or not for this amount."""

    amount_minor: int = Field(ge=0, le=MAX_INT64)
    currency: str = Field(min_length=3, max_length=3)
    state: C2BReceivedState
    received_at: AwareDatetime
    test_mode: bool


class C2BReceivedList(WireModel):
    """Reply to GET /terminal/c2b/received?reference=...: the last day's, oldest first."""

    received: list[C2BReceived]
