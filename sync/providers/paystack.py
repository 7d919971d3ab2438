"""Paystack: transaction links, verification, refunds and signed webhooks.

All that is known of Paystack lives here; see docs/providers.md and the published samples copied
under tests/providers/samples (paystack_*). Facts that shape the code:
- the webhook signature is HMAC-SHA512 of the RAW body keyed with the secret key itself;
- verify answers HTTP 200 even for failed payments: value is given only when status, amount,
  currency and reference all match what the sale asked for;
- field types are loose (amount as a string, metadata as "", 0 or an object).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

import httpx

from sync.providers.base import (
    PaymentInitiation,
    PaymentOutcome,
    PaymentRequest,
    ProviderError,
    ProviderNotification,
    ProviderPayloadError,
    ProviderStatus,
    RefundResult,
    WebhookSignatureError,
    header,
    register_provider,
)
from sync.providers.http import HttpProviderClient, overloaded
from sync.providers.wire import (
    as_text,
    json_or_empty,
    load_json_object,
    minor_units,
    parse_iso_utc,
    synthetic_email,
)

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.paystack.co"
SIGNATURE_HEADER = "x-paystack-signature"
REFERENCE_PATTERN = re.compile(r"^[A-Za-z0-9.=\-]{1,100}$")
CHANNELS = frozenset(
    {"card", "bank", "ussd", "qr", "mobile_money", "bank_transfer", "eft", "apple_pay"}
)
# Smallest amounts Paystack accepts, in subunits, where we know them.
MINIMUM_AMOUNT = {"KES": 3_00}

_STATUS_OUTCOMES = {
    "success": PaymentOutcome.PAID,
    "failed": PaymentOutcome.FAILED,
    "reversed": PaymentOutcome.FAILED,
    # "abandoned" is what Paystack shows for a link the customer has not completed yet; the
    # customer can still pay on it, so it is not final.
    "abandoned": PaymentOutcome.PENDING,
    "ongoing": PaymentOutcome.PENDING,
    "pending": PaymentOutcome.PENDING,
    "processing": PaymentOutcome.PENDING,
    "queued": PaymentOutcome.PENDING,
}


@dataclass(frozen=True)
class PaystackConfig:
    secret_key: str = field(repr=False)
    base_url: str = DEFAULT_BASE_URL
    timeout_s: float = 10.0
    retry_backoff_s: float = 0.5
    # Paystack requires an e-mail; customers at a till often have none.
    synthetic_email_domain: str = "customers.invalid"

    def __post_init__(self) -> None:
        if self.secret_key.startswith("pk_"):
            raise ValueError(
                "That is a Paystack PUBLIC key (pk_...): the relay needs the SECRET key (sk_...)."
            )
        if not self.secret_key.startswith(("sk_test_", "sk_live_")):
            raise ValueError("A Paystack secret key starts with sk_test_ or sk_live_.")
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))

    @property
    def test_mode(self) -> bool:
        return self.secret_key.startswith("sk_test_")


@dataclass(frozen=True, slots=True)
class PaystackLink:
    authorization_url: str
    access_code: str
    reference: str


@dataclass(frozen=True, slots=True)
class PaystackVerification:
    reference: str
    status: str  # the raw data.status
    outcome: PaymentOutcome
    amount_minor: int | None
    currency: str | None
    paid_at: datetime | None
    channel: str | None
    gateway_response: str | None
    # What the sale asked for when fees are passed to the customer (amount then includes them).
    requested_amount_minor: int | None = None

    def gives_value(
        self, expected_amount_minor: int, expected_currency: str, expected_reference: str
    ) -> bool:
        """Hand over goods only if Paystack says success for exactly this sale and amount."""
        if self.status != "success" or self.reference != expected_reference:
            return False
        if self.currency is None or self.currency.upper() != expected_currency.upper():
            return False
        if self.amount_minor is None:
            return False
        if self.amount_minor == expected_amount_minor:
            return True
        return (
            self.requested_amount_minor == expected_amount_minor
            and self.amount_minor >= expected_amount_minor
        )


@dataclass(frozen=True, slots=True)
class PaystackRefund:
    refund_id: str | None
    reference: str
    amount_minor: int | None
    currency: str | None
    status: str


@dataclass(frozen=True, slots=True)
class PaystackEvent:
    event: str
    reference: str | None
    status: str | None
    amount_minor: int | None
    currency: str | None
    paid_at: datetime | None
    customer_email: str | None
    raw: dict[str, Any] = field(repr=False)


class DuplicateReference(ProviderError):
    """Paystack already has a transaction with this reference. When it was our own earlier
    attempt whose reply was lost, `verification` says what became of it."""

    def __init__(self, reference: str, verification: PaystackVerification | None) -> None:
        if verification is not None and verification.outcome is PaymentOutcome.PAID:
            message = "This sale is already paid through Paystack; do not charge again."
        else:
            message = (
                "A Paystack link for this sale already exists but its details were lost. "
                "Create a new link for the sale."
            )
        super().__init__(
            "duplicate_reference",
            message,
            http_status=400,
            detail=f"duplicate reference {reference}",
        )
        self.reference = reference
        self.verification = verification


# ---------------------------------------------------------------------------------- webhooks


def sign(raw: bytes, secret_key: str) -> str:
    """The x-paystack-signature Paystack would send for `raw`."""
    return hmac.new(secret_key.encode(), raw, hashlib.sha512).hexdigest()


def verify_signature(raw: bytes, signature: str | None, secret_key: str) -> bool:
    """Check x-paystack-signature against the RAW body bytes, in constant time."""
    if not signature or not isinstance(raw, bytes):
        return False
    expected = sign(raw, secret_key).encode()
    return hmac.compare_digest(expected, signature.strip().lower().encode("utf-8", "replace"))


def parse_webhook(raw: bytes | str | Mapping[str, Any]) -> PaystackEvent:
    """Parse a webhook body leniently. Check the signature first (verify_signature)."""
    body = load_json_object(raw, "Paystack webhook")
    event = as_text(body.get("event"))
    data = body.get("data")
    if event is None or not isinstance(data, dict):
        raise ProviderPayloadError("Paystack webhook: 'event' or 'data' missing")
    customer = data.get("customer")
    email = customer.get("email") if isinstance(customer, dict) else None
    currency = as_text(data.get("currency"))
    return PaystackEvent(
        event=event,
        reference=as_text(data.get("reference")),
        status=as_text(data.get("status")),
        amount_minor=minor_units(data.get("amount")),
        currency=currency.upper() if currency else None,
        paid_at=parse_iso_utc(data.get("paid_at")) or parse_iso_utc(data.get("paidAt")),
        customer_email=email if isinstance(email, str) else None,
        raw=body,
    )


def outcome_for_status(status: str | None) -> PaymentOutcome:
    return _STATUS_OUTCOMES.get((status or "").lower(), PaymentOutcome.UNKNOWN)


# ---------------------------------------------------------------------------------- client


class PaystackClient(HttpProviderClient):
    name: ClassVar[str] = "paystack"

    def __init__(self, config: PaystackConfig, http: httpx.AsyncClient | None = None) -> None:
        super().__init__(config, http)
        self.config = config

    def __repr__(self) -> str:
        mode = "test" if self.config.test_mode else "live"
        return f"PaystackClient({mode}, url={self.config.base_url!r})"

    async def initialize(
        self,
        amount_minor: int,
        currency: str,
        reference: str,
        email: str | None = None,
        callback_url: str | None = None,
        channels: Iterable[str] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> PaystackLink:
        """Create the checkout link for one sale. Safe to resend: Paystack refuses a second
        transaction with the same reference, and a lost first reply is then found by verify."""
        currency = _checked_currency(currency)
        _check_reference(reference)
        if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
            raise ProviderError("paystack_bad_amount", "The amount must be a positive number.")
        minimum = MINIMUM_AMOUNT.get(currency, 1)
        if amount_minor < minimum:
            raise ProviderError(
                "paystack_bad_amount",
                f"Paystack needs at least {minimum / 100:.2f} {currency} for a payment.",
            )
        body: dict[str, Any] = {
            "email": email.strip()
            if email and email.strip()
            else synthetic_email(reference, self.config.synthetic_email_domain),
            "amount": str(amount_minor),
            "currency": currency,
            "reference": reference,
        }
        if callback_url:
            body["callback_url"] = callback_url
        if channels is not None:
            chosen = list(channels)
            unknown = sorted(set(chosen) - CHANNELS)
            if unknown or not chosen:
                raise ProviderError(
                    "paystack_bad_channels",
                    f"Unknown Paystack payment channel(s): {', '.join(unknown) or 'none given'}.",
                )
            body["channels"] = chosen
        if metadata is not None:
            body["metadata"] = dict(metadata)
        response = await self._request("POST", "/transaction/initialize", json=body)
        reply = json_or_empty(response)
        data = reply.get("data")
        if response.status_code == 200 and reply.get("status") is True and isinstance(data, dict):
            url = as_text(data.get("authorization_url"))
            code = as_text(data.get("access_code"))
            if url and code:
                return PaystackLink(url, code, as_text(data.get("reference")) or reference)
        if _is_duplicate(reply):
            raise DuplicateReference(reference, await self._verify_quietly(reference))
        raise _api_error(response, "initialize")

    async def verify(self, reference: str) -> PaystackVerification:
        """What Paystack says of this reference now (HTTP 200 even for failed payments)."""
        _check_reference(reference)
        response = await self._request("GET", f"/transaction/verify/{reference}")
        reply = json_or_empty(response)
        data = reply.get("data")
        if response.status_code == 200 and reply.get("status") is True and isinstance(data, dict):
            status = (as_text(data.get("status")) or "").lower()
            currency = as_text(data.get("currency"))
            return PaystackVerification(
                reference=as_text(data.get("reference")) or "",
                status=status,
                outcome=outcome_for_status(status),
                amount_minor=minor_units(data.get("amount")),
                currency=currency.upper() if currency else None,
                paid_at=parse_iso_utc(data.get("paid_at")) or parse_iso_utc(data.get("paidAt")),
                channel=as_text(data.get("channel")),
                gateway_response=as_text(data.get("gateway_response")),
                requested_amount_minor=minor_units(data.get("requested_amount")),
            )
        raise _api_error(response, "verify")

    async def refund(self, reference: str, amount_minor: int | None = None) -> PaystackRefund:
        """Refund all or part of a paid transaction. Sent once: a refund is not idempotent."""
        _check_reference(reference)
        body: dict[str, Any] = {"transaction": reference}
        if amount_minor is not None:
            if isinstance(amount_minor, bool) or not isinstance(amount_minor, int):
                raise ProviderError("paystack_bad_amount", "The refund amount must be in cents.")
            if amount_minor <= 0:
                raise ProviderError("paystack_bad_amount", "The refund amount must be positive.")
            body["amount"] = amount_minor
        response = await self._request("POST", "/refund", idempotent=False, json=body)
        reply = json_or_empty(response)
        data = reply.get("data")
        if response.status_code in (200, 201) and reply.get("status") is True:
            data = data if isinstance(data, dict) else {}
            transaction = data.get("transaction")
            currency = as_text(data.get("currency"))
            return PaystackRefund(
                refund_id=as_text(data.get("id")),
                reference=(
                    as_text(transaction.get("reference")) if isinstance(transaction, dict) else None
                )
                or reference,
                amount_minor=minor_units(data.get("amount")),
                currency=currency.upper() if currency else None,
                status=as_text(data.get("status")) or "pending",
            )
        raise _api_error(response, "refund")

    # -------------------------------------------------------------------------- interface

    async def initialize_payment(self, request: PaymentRequest) -> PaymentInitiation:
        link = await self.initialize(
            request.amount_minor,
            request.currency,
            request.reference,
            email=request.email,
            callback_url=request.callback_url,
            metadata=request.metadata,
        )
        return PaymentInitiation(
            provider=self.name,
            reference=request.reference,
            provider_reference=link.reference,
            checkout_url=link.authorization_url,
        )

    async def verify_payment(self, reference: str) -> ProviderStatus:
        result = await self.verify(reference)
        return ProviderStatus(
            provider=self.name,
            provider_reference=result.reference or reference,
            outcome=result.outcome,
            message=result.gateway_response or result.status,
            result_code=result.status,
            amount_minor=result.amount_minor,
            currency=result.currency,
            paid_at=result.paid_at,
            value_check=result.gives_value,
        )

    async def refund_payment(
        self,
        provider_reference: str,
        amount_minor: int | None = None,
        *,
        currency: str | None = None,
        idempotency_key: str | None = None,
    ) -> RefundResult:
        """Paystack takes no idempotency key: the refund is sent once."""
        refund = await self.refund(provider_reference, amount_minor)
        return RefundResult(
            provider=self.name,
            provider_reference=refund.reference,
            refund_id=refund.refund_id,
            amount_minor=refund.amount_minor,
            currency=refund.currency,
            status=refund.status,
        )

    def parse_webhook(self, raw: bytes, headers: Mapping[str, str]) -> list[ProviderNotification]:
        """Check the signature on the raw bytes, then parse. Raises WebhookSignatureError."""
        if not verify_signature(raw, header(headers, SIGNATURE_HEADER), self.config.secret_key):
            raise WebhookSignatureError()
        event = parse_webhook(raw)
        return [
            ProviderNotification(
                provider=self.name,
                kind=event.event,
                dedupe_key=f"{event.event}:{event.reference or ''}",
                outcome=outcome_for_status(event.status),
                provider_reference=event.reference,
                result_code=event.status,
                amount_minor=event.amount_minor,
                currency=event.currency,
                receipt=event.reference,
                account_reference=event.reference,
                payer=event.customer_email,
                occurred_at=event.paid_at,
                raw=event.raw,
            )
        ]

    # -------------------------------------------------------------------------- plumbing

    async def _request(
        self, method: str, path: str, *, idempotent: bool = True, **kwargs: Any
    ) -> httpx.Response:
        return await self._bearer_request(
            "Paystack", self.config.secret_key, method, path, idempotent=idempotent, **kwargs
        )

    async def _verify_quietly(self, reference: str) -> PaystackVerification | None:
        """After a duplicate (often our own earlier attempt whose reply was lost), find out
        what became of the transaction that holds the reference."""
        try:
            return await self.verify(reference)
        except ProviderError:
            return None


def _checked_currency(currency: str) -> str:
    code = currency.strip().upper() if isinstance(currency, str) else ""
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise ProviderError("paystack_bad_currency", f"{currency!r} is not a currency code.")
    return code


def _check_reference(reference: str) -> None:
    if not isinstance(reference, str) or not REFERENCE_PATTERN.match(reference):
        raise ProviderError(
            "paystack_bad_reference",
            "A Paystack reference may contain only letters, digits, '-', '.' and '=' "
            "(at most 100 characters).",
        )


def _is_duplicate(reply: Mapping[str, Any]) -> bool:
    return reply.get("code") == "duplicate_reference" or (
        "duplicate" in str(reply.get("message", "")).lower()
        and "reference" in str(reply.get("message", "")).lower()
    )


def _api_error(response: httpx.Response, operation: str) -> ProviderError:
    reply = json_or_empty(response)
    message = str(reply.get("message") or "")[:200]
    code = str(reply.get("code") or "")
    status = response.status_code
    detail = f"{operation}: HTTP {status} {code} {message}".strip()
    lowered = message.lower()
    if status == 401 or lowered == "invalid key":
        return ProviderError(
            "paystack_invalid_key",
            "Paystack refused the shop's secret key. Owner: check PAYSTACK_SECRET_KEY and that "
            "test mode matches the key (sk_test_ / sk_live_).",
            http_status=status,
            detail=detail,
        )
    if "currency" in lowered and ("not supported" in lowered or "not enabled" in lowered):
        return ProviderError(
            "paystack_currency_not_enabled",
            "This currency is not enabled on the shop's Paystack account. Owner: enable it in "
            "the Paystack dashboard, or charge in the account's currency.",
            http_status=status,
            detail=detail,
        )
    if "reference not found" in lowered or (status == 404 and operation == "verify"):
        return ProviderError(
            "paystack_reference_not_found",
            "Paystack has no payment with this reference yet.",
            http_status=status,
            detail=detail,
        )
    busy = overloaded("paystack", "Paystack", status, detail)
    if busy is not None:
        return busy
    return ProviderError(
        "paystack_refused",
        f"Paystack did not accept the request: {message or 'no reason given'}.",
        http_status=status,
        detail=detail,
    )


register_provider(PaystackClient.name, PaystackClient)
