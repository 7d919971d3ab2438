"""Stripe Checkout: one Checkout Session (hosted URL) per sale, the session read back before
anything counts as paid, refunds with an Idempotency-Key, and signed webhooks.

All that is known of Stripe lives here; see docs/providers.md and the published samples in
tests/providers/samples (stripe_*). Built on the official `stripe` library: a StripeClient per
shop (never the library's global settings) whose base address can point at the sandbox, and
whose HTTP goes through our httpx client (shared with the relay's others, or its own).
Facts that shape the code:
- `Stripe-Signature: t=..,v1=..[,v1=..]`: HMAC-SHA256 of "<t>." + raw body with the whsec_
  secret; several v1 during a secret rotation (any may match), 300 s tolerance;
- a session `complete` may still be processing: only payment_status `paid` counts;
- Stripe's minor units differ from ISO 4217 for a few currencies (STRIPE_DECIMALS).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, NoReturn, Self

import httpx
import stripe

from sync.providers.amounts import ISO_MINOR_DIGITS, currency_code
from sync.providers.base import (
    PaymentInitiation,
    PaymentOutcome,
    PaymentProviderInterface,
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
from sync.providers.testmode import key_mode
from sync.providers.wire import as_text, load_json_object

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.stripe.com"
SIGNATURE_HEADER = "Stripe-Signature"
WEBHOOK_TOLERANCE_S = 300
MAX_REFERENCE_LENGTH = 200  # client_reference_id
MIN_SESSION_S = 30 * 60  # expires_at: 30 min to 24 h after creation
MAX_SESSION_S = 24 * 60 * 60

# Digits of Stripe's smallest unit where it is not 2 (docs "zero-decimal" and special cases).
# UGX and ISK are in the zero-decimal list but are SENT as two-decimal values ending in 00.
_ZERO_DECIMAL = [
    "BIF",
    "CLP",
    "DJF",
    "GNF",
    "JPY",
    "KMF",
    "KRW",
    "MGA",
    "PYG",
    "RWF",
    "VND",
    "VUV",
    "XAF",
    "XOF",
    "XPF",
]
STRIPE_DECIMALS: dict[str, int] = {
    **dict.fromkeys(_ZERO_DECIMAL, 0),
    "UGX": 2,
    "ISK": 2,
    **dict.fromkeys(["BHD", "JOD", "KWD", "OMR", "TND"], 3),
}

SESSION_EVENTS = frozenset(
    {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "checkout.session.expired",
    }
)


def stripe_units_per_minor(currency: str) -> int:
    """How many of Stripe's units make one of our (ISO) minor units: 100 for UGX, else 1.
    Stripe never counts coarser than ISO for the currencies we take (tested)."""
    return int(10 ** (STRIPE_DECIMALS.get(currency, 2) - ISO_MINOR_DIGITS[currency]))


def to_stripe_amount(amount_minor: int, currency: str) -> int:
    """ISO minor units -> the integer Stripe wants (UGX 5,000 -> 500000)."""
    return amount_minor * stripe_units_per_minor(currency)


def from_stripe_amount(value: Any, currency: str | None) -> int | None:
    """Stripe's integer amount -> ISO minor units; None when not a whole non-negative amount
    or not a whole number of our minor units (UGX 500050)."""
    if currency is None or currency not in ISO_MINOR_DIGITS:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    units, rest = divmod(value, stripe_units_per_minor(currency))
    return units if rest == 0 else None


@dataclass(frozen=True)
class StripeConfig:
    secret_key: str = field(repr=False)  # sk_test_/sk_live_ (or a restricted rk_ key)
    webhook_secret: str = field(repr=False)  # whsec_..., one per endpoint and mode
    base_url: str = DEFAULT_BASE_URL
    # None: follow the key. Given: the key must be of that mode (an owner error otherwise).
    test_mode: bool | None = None
    timeout_s: float = 10.0
    max_network_retries: int = 2  # the library's own retries; every POST carries our key
    webhook_tolerance_s: int = WEBHOOK_TOLERANCE_S
    session_lifetime_s: int | None = None  # None: Stripe's default (24 h)

    def __post_init__(self) -> None:
        if self.secret_key.startswith("pk_"):
            raise ValueError(
                "That is a Stripe PUBLISHABLE key (pk_...): the relay needs the secret key."
            )
        mode = key_mode("stripe", self.secret_key)
        if mode is None:
            raise ValueError("A Stripe secret key starts with sk_test_/sk_live_ (or rk_).")
        if self.test_mode is not None and self.test_mode != mode:
            raise ValueError(
                "A live Stripe key was given for test mode."
                if self.test_mode
                else "A test Stripe key was given for live mode."
            )
        object.__setattr__(self, "test_mode", mode)
        if not self.webhook_secret.startswith("whsec_"):
            raise ValueError("A Stripe webhook signing secret starts with whsec_.")
        lifetime = self.session_lifetime_s
        if lifetime is not None and not MIN_SESSION_S <= lifetime <= MAX_SESSION_S:
            raise ValueError("A Checkout Session lasts 30 minutes to 24 hours.")
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))

    @property
    def is_test(self) -> bool:
        return bool(self.test_mode)


@dataclass(frozen=True, slots=True)
class StripeSession:
    session_id: str
    url: str | None  # only while the session is open
    status: str | None  # open | complete | expired
    payment_status: str | None  # paid | unpaid | no_payment_required
    amount_minor: int | None  # amount_total in ISO minor units
    currency: str | None
    client_reference_id: str | None
    metadata_reference: str | None
    payment_intent: str | None
    livemode: bool | None
    expires_at: datetime | None

    @property
    def outcome(self) -> PaymentOutcome:
        if self.payment_status == "paid":
            return PaymentOutcome.PAID
        if self.status == "expired":
            return PaymentOutcome.EXPIRED
        if self.status in ("open", "complete"):  # complete + unpaid: a delayed method pending
            return PaymentOutcome.PENDING
        return PaymentOutcome.UNKNOWN

    def gives_value(
        self, expected_amount_minor: int, expected_currency: str, expected_reference: str
    ) -> bool:
        """Goods only when Stripe says paid for exactly this sale, amount and currency."""
        references = [r for r in (self.client_reference_id, self.metadata_reference) if r]
        return (
            self.payment_status == "paid"
            and self.status == "complete"
            and bool(references)
            and all(r == expected_reference for r in references)
            and self.currency is not None
            and self.currency == expected_currency.strip().upper()
            and self.amount_minor == expected_amount_minor
        )


@dataclass(frozen=True, slots=True)
class StripeRefund:
    refund_id: str
    payment_intent: str | None
    amount_minor: int | None
    currency: str | None
    status: str  # pending | requires_action | succeeded | failed | canceled


@dataclass(frozen=True, slots=True)
class StripeEvent:
    event_id: str
    type: str
    livemode: bool | None
    created: datetime | None
    session: StripeSession | None  # for checkout.session.* events
    raw: dict[str, Any] = field(repr=False)

    @property
    def outcome(self) -> PaymentOutcome:
        if self.type == "checkout.session.async_payment_failed":
            return PaymentOutcome.FAILED
        if self.type == "checkout.session.async_payment_succeeded":
            return PaymentOutcome.PAID
        if self.type in SESSION_EVENTS and self.session is not None:
            return self.session.outcome
        return PaymentOutcome.UNKNOWN


# ---------------------------------------------------------------------------------- parsing


def parse_session(obj: Mapping[str, Any]) -> StripeSession:
    """A Checkout Session object (dict); ProviderPayloadError when it is not one."""
    session_id = as_text(obj.get("id"))
    if session_id is None or obj.get("object", "checkout.session") != "checkout.session":
        raise ProviderPayloadError("Stripe: not a Checkout Session")
    currency = currency_code(obj.get("currency"))
    metadata = obj.get("metadata")
    livemode = obj.get("livemode")
    expires = obj.get("expires_at")
    return StripeSession(
        session_id=session_id,
        url=as_text(obj.get("url")),
        status=as_text(obj.get("status")),
        payment_status=as_text(obj.get("payment_status")),
        amount_minor=from_stripe_amount(obj.get("amount_total"), currency),
        currency=currency,
        client_reference_id=as_text(obj.get("client_reference_id")),
        metadata_reference=as_text(metadata.get("reference"))
        if isinstance(metadata, dict)
        else None,
        payment_intent=as_text(obj.get("payment_intent")),
        livemode=livemode if isinstance(livemode, bool) else None,
        expires_at=_unix_time(expires),
    )


def parse_event(raw: bytes | str | Mapping[str, Any]) -> StripeEvent:
    """A webhook Event body, leniently. Check the signature first (verify_signature)."""
    body = load_json_object(raw, "Stripe webhook")
    event_id = as_text(body.get("id"))
    event_type = as_text(body.get("type"))
    data = body.get("data")
    if event_id is None or event_type is None or not isinstance(data, dict):
        raise ProviderPayloadError("Stripe webhook: 'id', 'type' or 'data' missing")
    obj = data.get("object")
    session = None
    if event_type in SESSION_EVENTS:
        if not isinstance(obj, dict):
            raise ProviderPayloadError("Stripe webhook: a session event without its session")
        session = parse_session(obj)
    livemode = body.get("livemode")
    return StripeEvent(
        event_id=event_id,
        type=event_type,
        livemode=livemode if isinstance(livemode, bool) else None,
        created=_unix_time(body.get("created")),
        session=session,
        raw=body,
    )


def verify_signature(
    raw: bytes, signature: str | None, secret: str, tolerance_s: int = WEBHOOK_TOLERANCE_S
) -> bool:
    """The library's check (every v1 compared in constant time, `t` older than the tolerance
    refused); False instead of its exceptions, also for a body that is not UTF-8."""
    if not isinstance(raw, bytes) or not signature or not secret:
        return False
    try:
        stripe.WebhookSignature.verify_header(raw, signature, secret, tolerance_s)
    except (stripe.SignatureVerificationError, UnicodeDecodeError):
        return False
    return True


def _unix_time(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**37:
        return None
    return datetime.fromtimestamp(value, UTC)


# ---------------------------------------------------------------------------------- client


class _HttpxTransport(stripe.HTTPClient):
    """The stripe library's async HTTP over one of our httpx clients (respx can mock it)."""

    name = "duka-httpx"

    def __init__(self, http: httpx.AsyncClient, timeout_s: float) -> None:
        super().__init__()
        self._http = http
        self._timeout_s = timeout_s

    async def request_async(
        self, method: str, url: str, headers: Mapping[str, str], post_data: Any = None
    ) -> tuple[bytes, int, Mapping[str, str]]:
        try:
            response = await self._http.request(
                method, url, headers=headers, content=post_data, timeout=self._timeout_s
            )
        except httpx.TransportError as exc:
            # should_retry: stripe resends only with the request's Idempotency-Key.
            connection_error: Any = stripe.APIConnectionError  # untyped constructor
            raise connection_error(type(exc).__name__, should_retry=True) from exc
        return response.content, response.status_code, response.headers

    async def request_stream_async(
        self, method: str, url: str, headers: Mapping[str, str], post_data: Any = None
    ) -> NoReturn:
        raise NotImplementedError("no streaming calls here")

    def sleep_async(self, secs: float) -> Awaitable[None]:
        return asyncio.sleep(secs)

    async def close_async(self) -> None:
        return None  # the client's owner closes it


class StripeCheckoutClient(PaymentProviderInterface):
    name: ClassVar[str] = "stripe"

    def __init__(self, config: StripeConfig, http: httpx.AsyncClient | None = None) -> None:
        self.config = config
        self._http = http or httpx.AsyncClient(timeout=config.timeout_s)
        self._owns_http = http is None
        self._stripe = stripe.StripeClient(
            config.secret_key,
            base_addresses={"api": config.base_url},
            max_network_retries=config.max_network_retries,
            http_client=_HttpxTransport(self._http, config.timeout_s),
        )

    def __repr__(self) -> str:
        mode = "test" if self.config.is_test else "live"
        return f"StripeCheckoutClient({mode}, url={self.config.base_url!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def create_session(
        self,
        amount_minor: int,
        currency: str,
        reference: str,
        success_url: str,
        *,
        description: str = "",
        email: str | None = None,
        cancel_url: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
        now: datetime | None = None,
    ) -> StripeSession:
        """One Checkout Session for the sale. The Idempotency-Key (default: from the sale's
        reference, amount and currency) makes a resend return the same session."""
        code = _checked_currency(currency)
        _check_reference(reference)
        if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
            raise ProviderError("stripe_bad_amount", "The amount must be a positive number.")
        meta = {str(k): str(v) for k, v in (metadata or {}).items()}
        meta["reference"] = reference
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": code.lower(),
                        "unit_amount": to_stripe_amount(amount_minor, code),
                        "product_data": {"name": description or f"Sale {reference}"},
                    },
                }
            ],
            "success_url": success_url,
            "client_reference_id": reference,
            "metadata": meta,
            "payment_intent_data": {"metadata": {"reference": reference}},
        }
        if cancel_url:
            params["cancel_url"] = cancel_url
        if email:
            params["customer_email"] = email
        if self.config.session_lifetime_s is not None:
            moment = now or datetime.now(UTC)
            params["expires_at"] = int(moment.timestamp()) + self.config.session_lifetime_s
        key = idempotency_key or f"duka-checkout-{reference}-{amount_minor}-{code}"
        session = await self._call(
            self._stripe.v1.checkout.sessions.create_async(
                params,  # type: ignore[arg-type]
                {"idempotency_key": key},
            )
        )
        return parse_session(session.to_dict())

    async def retrieve_session(self, session_id: str) -> StripeSession:
        """What Stripe says of the session now: the check before anything counts as paid."""
        _check_id(session_id, "cs_")
        session = await self._call(self._stripe.v1.checkout.sessions.retrieve_async(session_id))
        return parse_session(session.to_dict())

    async def expire_session(self, session_id: str) -> StripeSession:
        """Close an open session (a cancelled sale). Already paid or expired: Stripe refuses;
        the session is then read back so the caller sees which."""
        _check_id(session_id, "cs_")
        try:
            session = await self._call(
                self._stripe.v1.checkout.sessions.expire_async(
                    session_id, options={"idempotency_key": f"duka-expire-{session_id}"}
                )
            )
        except ProviderError as exc:
            if exc.code != "stripe_refused":
                raise
            return await self.retrieve_session(session_id)
        return parse_session(session.to_dict())

    async def refund(
        self,
        payment_intent: str,
        currency: str,
        amount_minor: int | None = None,
        *,
        idempotency_key: str,
    ) -> StripeRefund:
        """Refund all (amount None) or part of a payment. The Idempotency-Key (e.g. our refund
        request id) makes a resend after a lost reply return the same refund."""
        _check_id(payment_intent, "pi_")
        code = _checked_currency(currency)
        params: dict[str, Any] = {
            "payment_intent": payment_intent,
            "reason": "requested_by_customer",
        }
        if amount_minor is not None:
            if isinstance(amount_minor, bool) or not isinstance(amount_minor, int):
                raise ProviderError("stripe_bad_amount", "The refund amount must be whole units.")
            if amount_minor <= 0:
                raise ProviderError("stripe_bad_amount", "The refund amount must be positive.")
            params["amount"] = to_stripe_amount(amount_minor, code)
        refund = await self._call(
            self._stripe.v1.refunds.create_async(
                params,  # type: ignore[arg-type]
                {"idempotency_key": idempotency_key},
            )
        )
        data = refund.to_dict()
        refund_currency = currency_code(data.get("currency")) or code
        refund_id = as_text(data.get("id"))
        if refund_id is None:
            raise ProviderPayloadError("Stripe refund: no id")
        return StripeRefund(
            refund_id=refund_id,
            payment_intent=as_text(data.get("payment_intent")),
            amount_minor=from_stripe_amount(data.get("amount"), refund_currency),
            currency=refund_currency,
            status=as_text(data.get("status")) or "pending",
        )

    # -------------------------------------------------------------------------- interface

    async def initialize_payment(self, request: PaymentRequest) -> PaymentInitiation:
        if not request.callback_url:
            raise ProviderError(
                "stripe_no_success_url",
                "Stripe needs the address the customer returns to after paying.",
            )
        session = await self.create_session(
            request.amount_minor,
            request.currency,
            request.reference,
            request.callback_url,
            description=request.description,
            email=request.email,
            metadata=request.metadata,
            idempotency_key=request.idempotency_key,
        )
        if session.url is None:  # the key replayed an earlier session that has closed
            raise ProviderError(
                "stripe_session_closed",
                "This sale is already paid through Stripe; do not charge again."
                if session.outcome is PaymentOutcome.PAID
                else "This sale's earlier Stripe checkout has closed. Start a new payment.",
                detail=f"session {session.session_id} is {session.status}",
            )
        return PaymentInitiation(
            provider=self.name,
            reference=request.reference,
            provider_reference=session.session_id,
            checkout_url=session.url,
        )

    async def verify_payment(self, reference: str) -> ProviderStatus:
        """`reference` is the Checkout Session id (cs_...)."""
        session = await self.retrieve_session(reference)
        return ProviderStatus(
            provider=self.name,
            provider_reference=session.session_id,
            outcome=session.outcome,
            message=f"{session.status or '?'} / {session.payment_status or '?'}",
            result_code=session.payment_status,
            amount_minor=session.amount_minor,
            currency=session.currency,
            receipt=session.payment_intent,
            value_check=session.gives_value,
        )

    async def refund_payment(
        self,
        provider_reference: str,
        amount_minor: int | None = None,
        *,
        currency: str | None = None,
        idempotency_key: str | None = None,
    ) -> RefundResult:
        """`provider_reference` is the session (cs_) or its PaymentIntent (pi_). Without an
        idempotency key the refund could be doubled by a resend: one is required."""
        if not idempotency_key:
            raise ProviderError(
                "stripe_no_idempotency_key", "A Stripe refund needs its request id as key."
            )
        intent = provider_reference
        if provider_reference.startswith("cs_") or currency is None:
            session = await self.retrieve_session(provider_reference)
            if (
                session.payment_status != "paid"
                or session.payment_intent is None
                or session.currency is None
            ):
                raise ProviderError("stripe_not_paid", "This Stripe checkout was not paid.")
            intent, currency = session.payment_intent, session.currency
        refund = await self.refund(intent, currency, amount_minor, idempotency_key=idempotency_key)
        return RefundResult(
            provider=self.name,
            provider_reference=provider_reference,
            refund_id=refund.refund_id,
            amount_minor=refund.amount_minor,
            currency=refund.currency,
            status=refund.status,
        )

    def parse_webhook(self, raw: bytes, headers: Mapping[str, str]) -> list[ProviderNotification]:
        """Check Stripe-Signature on the raw bytes, then parse. Raises WebhookSignatureError."""
        signature = header(headers, SIGNATURE_HEADER)
        if not verify_signature(
            raw, signature, self.config.webhook_secret, self.config.webhook_tolerance_s
        ):
            raise WebhookSignatureError()
        event = parse_event(raw)
        session = event.session
        return [
            ProviderNotification(
                provider=self.name,
                kind=event.type,
                dedupe_key=event.event_id,
                outcome=event.outcome,
                provider_reference=session.session_id if session else None,
                result_code=session.payment_status if session else None,
                amount_minor=session.amount_minor if session else None,
                currency=session.currency if session else None,
                receipt=session.payment_intent if session else None,
                account_reference=session.client_reference_id if session else None,
                occurred_at=event.created,
                raw=event.raw,
            )
        ]

    # -------------------------------------------------------------------------- plumbing

    async def _call(self, call: Awaitable[Any]) -> Any:
        """Await one library call; its errors become ProviderErrors without the key."""
        try:
            return await call
        except stripe.StripeError as exc:
            raise _provider_error(exc) from None


def _provider_error(exc: stripe.StripeError) -> ProviderError:
    status = exc.http_status
    message = str(exc.user_message or "")[:200]
    detail = f"HTTP {status} {exc.code or ''} {message}".strip()
    if isinstance(exc, stripe.APIConnectionError):
        return ProviderError(
            "stripe_unreachable",
            "Could not reach Stripe. Check the internet connection and try again.",
            retryable=True,
            detail=detail,
        )
    if isinstance(exc, stripe.AuthenticationError | stripe.PermissionError):
        return ProviderError(
            "stripe_invalid_key",
            "Stripe refused the shop's secret key. Owner: check STRIPE_SECRET_KEY, its "
            "permissions, and that test mode matches the key (sk_test_ / sk_live_).",
            http_status=status,
            detail=detail,
        )
    if isinstance(exc, stripe.RateLimitError):
        return ProviderError(
            "stripe_rate_limited",
            "Stripe is asking us to slow down. Try again in a minute.",
            retryable=True,
            http_status=status,
            detail=detail,
        )
    if isinstance(exc, stripe.IdempotencyError):
        return ProviderError(
            "stripe_idempotency_conflict",
            "Stripe already has a different request under this key; start a new payment.",
            http_status=status,
            detail=detail,
        )
    if exc.code == "resource_missing":
        return ProviderError(
            "stripe_not_found",
            "Stripe has no such checkout or payment.",
            http_status=status,
            detail=detail,
        )
    if status is not None and status >= 500:
        return ProviderError(
            "stripe_unavailable",
            "Stripe is having problems right now. Try again shortly.",
            retryable=True,
            http_status=status,
            detail=detail,
        )
    return ProviderError(
        "stripe_refused",
        f"Stripe did not accept the request: {message or 'no reason given'}.",
        http_status=status,
        detail=detail,
    )


def _checked_currency(currency: str) -> str:
    code = currency_code(currency)
    if code is None:
        raise ProviderError(
            "stripe_bad_currency",
            f"{currency!r} is not a currency we can charge through Stripe "
            f"({', '.join(sorted(ISO_MINOR_DIGITS))}).",
        )
    return code


def _check_reference(reference: str) -> None:
    if (
        not isinstance(reference, str)
        or not reference.strip()
        or len(reference) > MAX_REFERENCE_LENGTH
        or not reference.isprintable()
    ):
        raise ProviderError(
            "stripe_bad_reference", "A Stripe reference is 1 to 200 printable characters."
        )


def _check_id(value: str, prefix: str) -> None:
    if (
        not isinstance(value, str)
        or not value.startswith(prefix)
        or not value.isascii()
        or not value.replace("_", "").isalnum()
        or len(value) > 255
    ):
        raise ProviderError("stripe_bad_id", f"A Stripe id here starts with {prefix}.")


register_provider(StripeCheckoutClient.name, StripeCheckoutClient)
