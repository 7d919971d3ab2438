"""Flutterwave v3: hosted payment links (Standard), verification by transaction id, refunds and
webhooks.

All that is known of Flutterwave lives here; see docs/providers.md and the published samples in
tests/providers/samples (flutterwave_*). Facts that shape the code:
- the secret key picks test or live mode (one host); the webhook "secret hash" is a separate
  value the owner chooses in the dashboard;
- webhooks arrive with `flutterwave-signature` (base64 HMAC-SHA256 of the raw body keyed with
  the secret hash) or the older `verif-hash` (the secret hash itself, nothing binds the body);
  either way only a verify call by transaction id grants value;
- `charge.completed` is sent for failures too: data.status tells;
- amounts are major-unit decimals on the wire (338.63): converted exactly, never via float.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

import httpx

from sync.providers.amounts import ISO_MINOR_DIGITS, currency_code, major_to_minor, minor_to_major
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
from sync.providers.testmode import key_mode
from sync.providers.wire import (
    as_text,
    json_or_empty,
    load_json_object,
    parse_iso_utc,
    synthetic_email,
)

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.flutterwave.com"
SIGNATURE_HEADER = "flutterwave-signature"
VERIF_HASH_HEADER = "verif-hash"
TX_REF_PATTERN = re.compile(r"^[A-Za-z0-9._=\-]{1,100}$")  # the Node SDK caps tx_ref at 100
_TRANSACTION_ID = re.compile(r"^[0-9]{1,20}$")

# Standard's payment_options value for each currency's mobile money (cards everywhere).
MOBILE_MONEY_OPTIONS: dict[str, str] = {
    "KES": "mpesa",
    "GHS": "mobilemoneyghana",
    "UGX": "mobilemoneyuganda",
    "RWF": "mobilemoneyrwanda",
    "TZS": "mobilemoneytanzania",
    "ZMW": "mobilemoneyzambia",
    "MWK": "mobilemoneymalawi",
    "XOF": "mobilemoneyfranco",
    "XAF": "mobilemoneyfranco",
}

_STATUS_OUTCOMES = {
    "successful": PaymentOutcome.PAID,
    "succeeded": PaymentOutcome.PAID,  # v4 bodies
    "failed": PaymentOutcome.FAILED,
    "cancelled": PaymentOutcome.CANCELLED,
    "pending": PaymentOutcome.PENDING,
}


@dataclass(frozen=True)
class FlutterwaveConfig:
    secret_key: str = field(repr=False)
    secret_hash: str = field(repr=False)  # the webhook "secret hash" set in the dashboard
    base_url: str = DEFAULT_BASE_URL
    # None: follow the key. Given: the key must be of that mode (an owner error otherwise).
    test_mode: bool | None = None
    timeout_s: float = 10.0
    retry_backoff_s: float = 0.5
    session_minutes: int = 30  # how long the hosted page stays open (max 1440)
    max_retry_attempt: int = 5
    synthetic_email_domain: str = "customers.invalid"

    def __post_init__(self) -> None:
        if self.secret_key.startswith("FLWPUBK"):
            raise ValueError(
                "That is a Flutterwave PUBLIC key (FLWPUBK...): the relay needs the SECRET key "
                "(FLWSECK...)."
            )
        mode = key_mode("flutterwave", self.secret_key)
        if mode is None:
            raise ValueError("A Flutterwave secret key starts with FLWSECK_TEST- or FLWSECK-.")
        if self.test_mode is not None and self.test_mode != mode:
            raise ValueError(
                "A live Flutterwave key (FLWSECK-) was given for test mode."
                if self.test_mode
                else "A test Flutterwave key (FLWSECK_TEST-) was given for live mode."
            )
        object.__setattr__(self, "test_mode", mode)
        if not self.secret_hash or not self.secret_hash.strip():
            raise ValueError("The Flutterwave webhook secret hash is missing.")
        if not 1 <= self.session_minutes <= 1440:
            raise ValueError("Flutterwave sessions last 1 to 1440 minutes.")
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))

    @property
    def is_test(self) -> bool:
        return bool(self.test_mode)


@dataclass(frozen=True, slots=True)
class FlutterwaveLink:
    link: str
    tx_ref: str


@dataclass(frozen=True, slots=True)
class FlutterwaveTransaction:
    """One transaction as verify reports it (a tx_ref can own several attempts)."""

    transaction_id: str
    tx_ref: str | None
    flw_ref: str | None
    status: str  # the raw data.status, lower case
    outcome: PaymentOutcome
    amount_minor: int | None
    charged_amount_minor: int | None  # more than amount when the payer bears the fee
    currency: str | None
    payment_type: str | None
    processor_response: str | None
    created_at: datetime | None

    def gives_value(
        self, expected_amount_minor: int, expected_currency: str, expected_tx_ref: str
    ) -> bool:
        """Goods only for `successful` on exactly this sale, currency and amount. Flutterwave's
        docs accept overpayment; a till demands equality (an overpayment needs a person)."""
        return (
            self.status == "successful"
            and self.tx_ref == expected_tx_ref
            and self.currency is not None
            and self.currency == expected_currency.strip().upper()
            and self.amount_minor == expected_amount_minor
        )


@dataclass(frozen=True, slots=True)
class FlutterwaveRefund:
    refund_id: str | None
    transaction_id: str
    amount_minor: int | None
    currency: str
    status: str


@dataclass(frozen=True, slots=True)
class FlutterwaveEvent:
    event: str  # "charge.completed" (v3, v4) or the v2 "event.type"
    event_type: str | None  # "CARD_TRANSACTION", "MPESA_TRANSACTION", ...
    transaction_id: str | None
    tx_ref: str | None
    flw_ref: str | None
    status: str | None
    amount_minor: int | None
    currency: str | None
    customer_email: str | None
    created_at: datetime | None
    raw: dict[str, Any] = field(repr=False)

    @property
    def dedupe_key(self) -> str:
        # v3 bodies carry no event id: the same transaction is reported once per status.
        return f"{self.event}:{self.transaction_id or self.tx_ref or ''}:{self.status or ''}"


# ---------------------------------------------------------------------------------- webhooks


def sign(raw: bytes, secret_hash: str) -> str:
    """The flutterwave-signature header for `raw`: base64 of HMAC-SHA256 keyed with the hash."""
    digest = hmac.new(secret_hash.encode(), raw, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify_signature(raw: bytes, headers: Mapping[str, str], secret_hash: str) -> bool:
    """flutterwave-signature when present (HMAC of the RAW bytes), else verif-hash (the secret
    hash verbatim), else nothing to trust. Constant-time comparisons."""
    if not isinstance(raw, bytes) or not secret_hash:
        return False
    signature = header(headers, SIGNATURE_HEADER)
    if signature is not None:
        expected = sign(raw, secret_hash).encode()
        return hmac.compare_digest(expected, signature.strip().encode("utf-8", "replace"))
    plain = header(headers, VERIF_HASH_HEADER)
    if plain is not None:
        return hmac.compare_digest(secret_hash.encode(), plain.encode("utf-8", "replace"))
    return False


def parse_webhook(raw: bytes | str | Mapping[str, Any]) -> FlutterwaveEvent:
    """Parse a v3, old flat v2 or v4 webhook body leniently. Check the signature first."""
    body = load_json_object(raw, "Flutterwave webhook", exact=True)  # amounts as Decimal
    plain = load_json_object(raw, "Flutterwave webhook")  # kept as the raw body, JSON-ready
    data = body.get("data")
    if isinstance(data, dict) and isinstance(body.get("event"), str):  # v3
        event = as_text(body.get("event"))
        return _event(event, as_text(body.get("event.type")), data, data.get("tx_ref"), plain)
    if isinstance(data, dict) and isinstance(body.get("type"), str):  # v4
        return _event(as_text(body.get("type")), None, data, data.get("reference"), plain)
    if "txRef" in body or "flwRef" in body:  # v2 (dashboard "V3 webhooks" off)
        event_type = as_text(body.get("event.type"))
        return _event(event_type, event_type, body, body.get("txRef"), plain)
    raise ProviderPayloadError("Flutterwave webhook: neither a v3, v4 nor v2 body")


def _event(
    event: str | None,
    event_type: str | None,
    data: Mapping[str, Any],
    tx_ref: Any,
    plain: dict[str, Any],
) -> FlutterwaveEvent:
    if event is None:
        raise ProviderPayloadError("Flutterwave webhook: no event name")
    currency = currency_code(data.get("currency"))
    customer = data.get("customer")
    email = customer.get("email") if isinstance(customer, dict) else None
    status = as_text(data.get("status"))
    return FlutterwaveEvent(
        event=event,
        event_type=event_type,
        transaction_id=as_text(data.get("id")),
        tx_ref=as_text(tx_ref),
        flw_ref=as_text(data.get("flw_ref")) or as_text(data.get("flwRef")),
        status=status.lower() if status else None,
        amount_minor=major_to_minor(data.get("amount"), currency) if currency else None,
        currency=currency,
        customer_email=email if isinstance(email, str) else None,
        created_at=parse_iso_utc(data.get("created_at")) or parse_iso_utc(data.get("createdAt")),
        raw=plain,
    )


def outcome_for_status(status: str | None) -> PaymentOutcome:
    return _STATUS_OUTCOMES.get((status or "").lower(), PaymentOutcome.UNKNOWN)


def page_outcome(outcome: PaymentOutcome) -> PaymentOutcome:
    """What one charge means for the sale's hosted page. A failed charge is one attempt: the
    page stays open and the customer may try another card or M-Pesa under the same tx_ref, so
    it ends nothing (were it final, the success that follows would be money with no sale);
    the page ends paid, cancelled by the customer, or expired."""
    return PaymentOutcome.PENDING if outcome is PaymentOutcome.FAILED else outcome


def parse_transaction(data: Mapping[str, Any]) -> FlutterwaveTransaction:
    """verify's `data` object (also the v3 webhook's); ProviderPayloadError without an id."""
    transaction_id = as_text(data.get("id"))
    if transaction_id is None:
        raise ProviderPayloadError("Flutterwave transaction: no id")
    currency = currency_code(data.get("currency"))
    status = (as_text(data.get("status")) or "").lower()
    return FlutterwaveTransaction(
        transaction_id=transaction_id,
        tx_ref=as_text(data.get("tx_ref")),
        flw_ref=as_text(data.get("flw_ref")),
        status=status,
        outcome=outcome_for_status(status),
        amount_minor=major_to_minor(data.get("amount"), currency) if currency else None,
        charged_amount_minor=(
            major_to_minor(data.get("charged_amount"), currency) if currency else None
        ),
        currency=currency,
        payment_type=as_text(data.get("payment_type")),
        processor_response=as_text(data.get("processor_response")),
        created_at=parse_iso_utc(data.get("created_at")),
    )


def payment_options(currency: str) -> str:
    """Card everywhere, plus the currency's mobile money where Flutterwave has one."""
    mobile = MOBILE_MONEY_OPTIONS.get(currency)
    return f"card, {mobile}" if mobile else "card"


# ---------------------------------------------------------------------------------- client


class FlutterwaveClient(HttpProviderClient):
    name: ClassVar[str] = "flutterwave"

    def __init__(self, config: FlutterwaveConfig, http: httpx.AsyncClient | None = None) -> None:
        super().__init__(config, http)
        self.config = config

    def __repr__(self) -> str:
        mode = "test" if self.config.is_test else "live"
        return f"FlutterwaveClient({mode}, url={self.config.base_url!r})"

    async def create_payment_link(
        self,
        amount_minor: int,
        currency: str,
        tx_ref: str,
        *,
        redirect_url: str | None = None,
        email: str | None = None,
        phone: str | None = None,
        name: str | None = None,
        title: str | None = None,
        meta: Mapping[str, Any] | None = None,
    ) -> FlutterwaveLink:
        """The hosted page for one sale (POST /v3/payments). Resent on network errors and
        5xx: a link moves no money, and the customer only ever sees the one we return."""
        code = _checked_currency(currency)
        _check_tx_ref(tx_ref)
        _check_amount(amount_minor)
        customer: dict[str, Any] = {
            "email": email.strip()
            if email and email.strip()
            else synthetic_email(tx_ref, self.config.synthetic_email_domain)
        }
        if phone:
            customer["phonenumber"] = phone  # Standard's spelling
        if name:
            customer["name"] = name
        body: dict[str, Any] = {
            "tx_ref": tx_ref,
            "amount": str(minor_to_major(amount_minor, code)),
            "currency": code,
            "customer": customer,
            "payment_options": payment_options(code),
            "configurations": {
                "session_duration": self.config.session_minutes,
                "max_retry_attempt": self.config.max_retry_attempt,
            },
        }
        if redirect_url:
            body["redirect_url"] = redirect_url
        if title:
            body["customizations"] = {"title": title}
        if meta is not None:
            body["meta"] = dict(meta)
        response = await self._request("POST", "/v3/payments", json=body)
        reply = json_or_empty(response)
        data = reply.get("data")
        if response.status_code == 200 and reply.get("status") == "success":
            link = as_text(data.get("link")) if isinstance(data, dict) else None
            if link:
                return FlutterwaveLink(link, tx_ref)
        raise _api_error(response, "payments")

    async def verify(self, transaction_id: str) -> FlutterwaveTransaction:
        """GET /v3/transactions/{id}/verify: the only answer that can grant value."""
        if not _TRANSACTION_ID.match(str(transaction_id)):
            raise ProviderError(
                "flutterwave_bad_transaction_id", "A Flutterwave transaction id is a number."
            )
        response = await self._request("GET", f"/v3/transactions/{transaction_id}/verify")
        return _transaction_reply(response, "verify")

    async def verify_by_reference(self, tx_ref: str) -> FlutterwaveTransaction:
        """The transaction Flutterwave picks for `tx_ref` (which one, when there were several
        attempts, is undocumented: prefer verify by id when a webhook gave the id)."""
        _check_tx_ref(tx_ref)
        response = await self._request(
            "GET", "/v3/transactions/verify_by_reference", params={"tx_ref": tx_ref}
        )
        return _transaction_reply(response, "verify")

    async def refund(
        self,
        transaction_id: str,
        currency: str,
        amount_minor: int | None = None,
        comments: str | None = None,
    ) -> FlutterwaveRefund:
        """Refund all (amount None) or part of a transaction. Sent once: v3 has no idempotency
        key, so a lost reply must be looked up, never resent."""
        if not _TRANSACTION_ID.match(str(transaction_id)):
            raise ProviderError(
                "flutterwave_bad_transaction_id", "A Flutterwave transaction id is a number."
            )
        code = _checked_currency(currency)
        body: dict[str, Any] = {}
        if amount_minor is not None:
            _check_amount(amount_minor)
            body["amount"] = str(minor_to_major(amount_minor, code))
        if comments:
            body["comments"] = comments
        response = await self._request(
            "POST", f"/v3/transactions/{transaction_id}/refund", idempotent=False, json=body
        )
        reply = json_or_empty(response, exact=True)
        data = reply.get("data")
        if response.status_code in (200, 201) and reply.get("status") == "success":
            data = data if isinstance(data, dict) else {}
            return FlutterwaveRefund(
                refund_id=as_text(data.get("id")),
                transaction_id=as_text(data.get("tx_id")) or str(transaction_id),
                amount_minor=major_to_minor(data.get("amount_refunded"), code),
                currency=code,
                status=(as_text(data.get("status")) or "pending").lower(),
            )
        if response.status_code >= 500:
            # After ~28 s Flutterwave answers 503 while the refund may still be running.
            raise ProviderError(
                "flutterwave_no_answer",
                "Flutterwave did not confirm the refund; it may have gone through. Check the "
                "Flutterwave dashboard before trying again.",
                http_status=response.status_code,
                detail=f"refund: HTTP {response.status_code}",
            )
        raise _api_error(response, "refund")

    # -------------------------------------------------------------------------- interface

    def unpaid_page_lifetime_s(self) -> float:
        return self.config.session_minutes * 60.0  # Flutterwave sends nothing when it closes

    async def initialize_payment(self, request: PaymentRequest) -> PaymentInitiation:
        link = await self.create_payment_link(
            request.amount_minor,
            request.currency,
            request.reference,
            redirect_url=request.callback_url,
            email=request.email,
            title=request.description or None,
            meta=request.metadata,
        )
        return PaymentInitiation(
            provider=self.name,
            reference=request.reference,
            provider_reference=link.tx_ref,
            checkout_url=link.link,
        )

    async def verify_payment(self, reference: str) -> ProviderStatus:
        """`reference` is a transaction id (digits, from a webhook or the redirect) or the
        sale's tx_ref."""
        if _TRANSACTION_ID.match(reference):
            found = await self.verify(reference)
        else:
            try:
                found = await self.verify_by_reference(reference)
            except ProviderError as exc:
                if exc.code != "flutterwave_transaction_not_found":
                    raise
                # Nobody has tried to pay on the page yet: it is still open, or abandoned.
                return ProviderStatus(
                    provider=self.name,
                    provider_reference=reference,
                    outcome=PaymentOutcome.PENDING,
                    message="no payment attempt yet",
                )
        return ProviderStatus(
            provider=self.name,
            provider_reference=found.transaction_id,
            outcome=page_outcome(found.outcome),
            message=found.processor_response or found.status,
            result_code=found.status,
            amount_minor=found.amount_minor,
            currency=found.currency,
            receipt=found.flw_ref,
            value_check=found.gives_value,
        )

    async def refund_payment(
        self,
        provider_reference: str,
        amount_minor: int | None = None,
        *,
        currency: str | None = None,
        idempotency_key: str | None = None,
    ) -> RefundResult:
        """Flutterwave v3 takes no idempotency key; without `currency` the transaction is
        looked up first (amounts travel in major units)."""
        if currency is None:
            found = await self.verify(provider_reference)
            if found.currency is None:
                raise ProviderError(
                    "flutterwave_bad_currency", "Flutterwave did not say the payment's currency."
                )
            currency = found.currency
        refund = await self.refund(provider_reference, currency, amount_minor)
        return RefundResult(
            provider=self.name,
            provider_reference=refund.transaction_id,
            refund_id=refund.refund_id,
            amount_minor=refund.amount_minor,
            currency=refund.currency,
            status=refund.status,
        )

    def parse_webhook(self, raw: bytes, headers: Mapping[str, str]) -> list[ProviderNotification]:
        """Check the signature on the raw bytes, then parse. Raises WebhookSignatureError."""
        if not verify_signature(raw, headers, self.config.secret_hash):
            raise WebhookSignatureError()
        event = parse_webhook(raw)
        return [
            ProviderNotification(
                provider=self.name,
                kind=event.event,
                dedupe_key=event.dedupe_key,
                outcome=page_outcome(outcome_for_status(event.status)),
                provider_reference=event.transaction_id,
                result_code=event.status,
                amount_minor=event.amount_minor,
                currency=event.currency,
                receipt=event.flw_ref,
                account_reference=event.tx_ref,
                payer=event.customer_email,
                occurred_at=event.created_at,
                raw=event.raw,
            )
        ]

    # -------------------------------------------------------------------------- plumbing

    async def _request(
        self, method: str, path: str, *, idempotent: bool = True, **kwargs: Any
    ) -> httpx.Response:
        return await self._bearer_request(
            "Flutterwave", self.config.secret_key, method, path, idempotent=idempotent, **kwargs
        )


def _transaction_reply(response: httpx.Response, operation: str) -> FlutterwaveTransaction:
    reply = json_or_empty(response, exact=True)
    data = reply.get("data")
    if response.status_code == 200 and reply.get("status") == "success" and isinstance(data, dict):
        return parse_transaction(data)
    raise _api_error(response, operation)


def _checked_currency(currency: str) -> str:
    code = currency_code(currency)
    if code is None:
        raise ProviderError(
            "flutterwave_bad_currency",
            f"{currency!r} is not a currency we can charge through Flutterwave "
            f"({', '.join(sorted(ISO_MINOR_DIGITS))}).",
        )
    return code


def _check_tx_ref(tx_ref: str) -> None:
    if not isinstance(tx_ref, str) or not TX_REF_PATTERN.match(tx_ref):
        raise ProviderError(
            "flutterwave_bad_reference",
            "A Flutterwave tx_ref may contain only letters, digits, '-', '_', '.' and '=' "
            "(at most 100 characters).",
        )


def _check_amount(amount_minor: int) -> None:
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        raise ProviderError("flutterwave_bad_amount", "The amount must be a positive number.")


def _api_error(response: httpx.Response, operation: str) -> ProviderError:
    reply = json_or_empty(response)
    message = str(reply.get("message") or reply.get("error_id") or "")[:200]
    status = response.status_code
    detail = f"{operation}: HTTP {status} {message}".strip()
    lowered = message.lower()
    if status == 401 or "authorization" in lowered:
        return ProviderError(
            "flutterwave_invalid_key",
            "Flutterwave refused the shop's secret key. Owner: check FLUTTERWAVE_SECRET_KEY and "
            "that test mode matches the key (FLWSECK_TEST- / FLWSECK-).",
            http_status=status,
            detail=detail,
        )
    if "no transaction was found" in lowered:  # the HTTP code differs between reports
        return ProviderError(
            "flutterwave_transaction_not_found",
            "Flutterwave has no payment with this id yet.",
            http_status=status,
            detail=detail,
        )
    busy = overloaded("flutterwave", "Flutterwave", status, detail)
    if busy is not None:
        return busy
    return ProviderError(
        "flutterwave_refused",
        f"Flutterwave did not accept the request: {message or 'no reason given'}.",
        http_status=status,
        detail=detail,
    )


register_provider(FlutterwaveClient.name, FlutterwaveClient)
