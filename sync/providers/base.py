"""What every payment provider offers the relay, the errors they raise, and the registry.

A new provider is one module that subclasses PaymentProviderInterface (over HTTP:
sync.providers.http.HttpProviderClient) plus one
`register_provider(...)` line at its bottom (and its import in sync/providers/__init__.py).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from sync.providers.testmode import TestInstructions


class ProviderError(Exception):
    """A provider call that did not do what was asked.

    `code` is stable for programs, `cashier_message` says what the cashier or owner should do,
    `retryable` says whether asking again later can help. The text never carries secrets: only
    our own words and the provider's error code/message.
    """

    def __init__(
        self,
        code: str,
        cashier_message: str,
        *,
        retryable: bool = False,
        http_status: int | None = None,
        detail: str | None = None,
    ) -> None:
        self.code = code
        self.cashier_message = cashier_message
        self.retryable = retryable
        self.http_status = http_status
        self.detail = detail
        super().__init__(f"[{code}] {detail or cashier_message}")


class ProviderPayloadError(ProviderError):
    """A provider body (callback, webhook, reply) that cannot be understood."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            "payload_invalid",
            "The payment provider sent a message we could not read. Check the payment in the "
            "provider's portal before giving goods.",
            detail=detail,
        )


class WebhookSignatureError(ProviderError):
    """A webhook whose signature does not match: not from the provider, or altered."""

    def __init__(self) -> None:
        super().__init__(
            "bad_signature",
            "A payment notification failed its signature check and was ignored.",
            http_status=None,
        )


class PaymentOutcome(StrEnum):
    PAID = "paid"
    PENDING = "pending"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    """What the relay asks a provider to collect. `reference` is the sale's own reference."""

    reference: str
    amount_minor: int
    currency: str
    callback_url: str | None = None
    phone: str | None = None
    email: str | None = None
    description: str = ""
    # Daraja prints at most 12 characters of it in the payer's SMS; defaults to `reference`.
    account_reference: str | None = None
    metadata: Mapping[str, Any] | None = None
    # Makes a resent request safe where the provider honours keys (Stripe); e.g. the payment id.
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class PaymentInitiation:
    """A payment the provider accepted for processing (not paid yet)."""

    provider: str
    reference: str
    provider_reference: str  # CheckoutRequestID for STK, the transaction reference for Paystack
    checkout_url: str | None = None  # where the customer pays (Paystack link)
    customer_message: str | None = None


def _gives_nothing(_amount_minor: int, _currency: str, _reference: str) -> bool:
    return False


@dataclass(frozen=True, slots=True)
class ProviderStatus:
    """What the provider's API says now about one payment."""

    provider: str
    provider_reference: str
    outcome: PaymentOutcome
    message: str
    result_code: str | None = None
    amount_minor: int | None = None
    currency: str | None = None
    receipt: str | None = None
    paid_at: datetime | None = None
    # The provider's own rule for handing over goods (exact amount, currency, sale reference,
    # its own idea of "paid"): (amount_minor, currency, reference) -> bool.
    value_check: Callable[[int, str, str], bool] = field(
        default=_gives_nothing, repr=False, compare=False
    )

    def gives_value(self, amount_minor: int, currency: str, reference: str) -> bool:
        """Goods may go: paid, for exactly this sale's amount, currency and reference."""
        return self.outcome is PaymentOutcome.PAID and self.value_check(
            amount_minor, currency, reference
        )


@dataclass(frozen=True, slots=True)
class RefundResult:
    """What the provider said to a refund request (usually still pending on its side)."""

    provider: str
    provider_reference: str  # the payment that is refunded
    refund_id: str | None
    amount_minor: int | None
    currency: str | None
    status: str


@dataclass(frozen=True, slots=True)
class ProviderNotification:
    """One parsed callback/webhook, provider-neutral. Not trusted until verified via the API."""

    provider: str
    kind: str  # "stk_callback", "c2b_confirmation", "charge.success", ...
    dedupe_key: str
    outcome: PaymentOutcome
    provider_reference: str | None
    result_code: str | None = None
    amount_minor: int | None = None
    currency: str | None = None
    receipt: str | None = None
    account_reference: str | None = None
    payer: str | None = None  # masked phone or e-mail; never a full number
    occurred_at: datetime | None = None
    message: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)


class PaymentProviderInterface(ABC):
    """The provider-neutral face the relay uses; provider modules add their own richer calls."""

    name: ClassVar[str]

    def unpaid_page_lifetime_s(self) -> float | None:
        """How long a hosted page stays payable when the provider never says it expired (None:
        the provider reports expiry itself, or there is no page)."""
        return None

    @abstractmethod
    async def initialize_payment(self, request: PaymentRequest) -> PaymentInitiation:
        """Ask the provider to collect; never resent automatically if that could charge twice."""

    @abstractmethod
    async def verify_payment(self, reference: str) -> ProviderStatus:
        """Ask the provider what happened to `reference` (its provider_reference)."""

    @abstractmethod
    def parse_webhook(self, raw: bytes, headers: Mapping[str, str]) -> list[ProviderNotification]:
        """Check (where the provider signs) and parse one callback body."""

    @abstractmethod
    async def aclose(self) -> None:
        """Release the HTTP client if this object created it."""

    async def refund_payment(
        self,
        provider_reference: str,
        amount_minor: int | None = None,
        *,
        currency: str | None = None,
        idempotency_key: str | None = None,
    ) -> RefundResult:
        """Refund all (amount None) or part of a paid payment; sent once unless the provider
        honours `idempotency_key`. Providers without a refund API say so."""
        raise ProviderError(
            "refund_not_supported",
            f"Refunds through {self.name} are made in the provider's own portal.",
        )

    def test_instructions(self) -> TestInstructions | None:
        """The provider's test cards/phones for the test-mode banner (None: nothing to show)."""
        # Imported here: testmode names values of the provider modules, which import this one.
        from sync.providers.testmode import TEST_INSTRUCTIONS

        return TEST_INSTRUCTIONS.get(self.name)


ProviderFactory = Callable[..., PaymentProviderInterface]
_REGISTRY: dict[str, ProviderFactory] = {}


def register_provider(name: str, factory: ProviderFactory) -> None:
    if name in _REGISTRY and _REGISTRY[name] is not factory:
        raise ValueError(f"provider {name!r} is already registered")
    _REGISTRY[name] = factory


def provider_names() -> list[str]:
    return sorted(_REGISTRY)


def create_provider(name: str, config: Any, **kwargs: Any) -> PaymentProviderInterface:
    """Build the client registered under `name` (e.g. "mpesa", "paystack") from its config."""
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown payment provider {name!r}; known: {provider_names()}") from None
    return factory(config, **kwargs)


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive header lookup that works for plain dicts too."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None
