"""The sandbox's configuration and its in-memory world: tokens, payments, registrations, and
the outgoing callbacks it has delivered."""

from __future__ import annotations

import asyncio
import logging
import secrets
import string
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import parse_qsl

import httpx
from pydantic import BaseModel, Field

from sync.providers.daraja import SANDBOX_PASSKEY
from sync.providers.testmode import MPESA_SANDBOX_SHORTCODE
from sync.sandbox.scripts import Script, ScriptedOutcome, ScriptRule

log = logging.getLogger(__name__)


class SandboxConfig(BaseModel):
    """Everything configurable; the defaults are the values printed by `python -m sync.sandbox`.
    The credentials are sandbox-only stand-ins, never real ones."""

    daraja_consumer_key: str = "sandbox-consumer-key"
    daraja_consumer_secret: str = "sandbox-consumer-secret"
    daraja_shortcode: str = MPESA_SANDBOX_SHORTCODE
    daraja_passkey: str = SANDBOX_PASSKEY
    daraja_initiator: str = "sandbox-initiator"  # Transaction Status API operator
    daraja_security_credential: str = "sandbox-security-credential"
    token_lifetime_s: int = 3599
    paystack_secret_key: str = "sk_test_sandbox"
    paystack_webhook_url: str | None = None
    paystack_currencies: tuple[str, ...] = ("KES", "NGN", "GHS", "ZAR", "USD")
    paystack_default_currency: str = "KES"
    flutterwave_secret_key: str = "FLWSECK_TEST-sandbox-X"
    flutterwave_secret_hash: str = "sandbox-secret-hash"
    flutterwave_webhook_url: str | None = None
    # How webhooks are signed: the newer HMAC header or the v3 verif-hash (accounts differ).
    flutterwave_signature: Literal["hmac", "verif-hash"] = "hmac"
    flutterwave_currencies: tuple[str, ...] = ("KES", "NGN", "GHS", "UGX", "RWF", "TZS", "USD")
    stripe_secret_key: str = "sk_test_sandbox"
    stripe_webhook_secret: str = "whsec_sandbox"
    stripe_webhook_url: str | None = None
    callback_delay_s: float = Field(default=1.0, ge=0)
    late_callback_delay_s: float = Field(default=10.0, ge=0)
    duplicate_gap_s: float = Field(default=0.2, ge=0)
    c2b_validation: bool = True  # call the ValidationURL before the confirmation
    rules: list[ScriptRule] = Field(default_factory=list)
    use_default_script: bool = True

    def daraja_credentials(self, *, initiator: bool = True) -> dict[str, str]:
        """What a relay stores to call this sandbox's Daraja (`duka-relay` credentials'
        fields); without the initiator the Transaction Status API cannot confirm C2B."""
        fields = {
            "consumer_key": self.daraja_consumer_key,
            "consumer_secret": self.daraja_consumer_secret,
            "shortcode": self.daraja_shortcode,
            "passkey": self.daraja_passkey,
        }
        if initiator:
            fields |= {
                "initiator": self.daraja_initiator,
                "security_credential": self.daraja_security_credential,
            }
        return fields


@dataclass
class StkPayment:
    merchant_request_id: str
    checkout_request_id: str
    phone: str
    amount: int  # whole shillings
    account_reference: str
    callback_url: str
    outcome: ScriptedOutcome
    final_at: float  # monotonic time when the result is known
    receipt: str
    completed_at: datetime | None = None


@dataclass
class PaystackTransaction:
    id: int
    reference: str
    access_code: str
    amount: int
    currency: str
    email: str
    callback_url: str | None
    metadata: Any
    channels: list[str] | None
    created_at: datetime
    status: str = "abandoned"
    gateway_response: str = "The transaction was not completed"
    paid_at: datetime | None = None
    refunded: int = 0


@dataclass
class FlutterwaveLink:
    """One hosted Standard page; every attempt on it is a FlutterwaveCharge."""

    token: str
    tx_ref: str
    amount: Decimal  # major units, as Flutterwave keeps them
    currency: str
    email: str
    redirect_url: str | None
    payment_options: str
    created_at: datetime
    settled: bool = False  # a successful charge closes the page


@dataclass
class FlutterwaveCharge:
    id: int
    tx_ref: str
    flw_ref: str
    amount: Decimal
    currency: str
    email: str
    status: str  # successful | failed
    processor_response: str
    created_at: datetime
    refunded: Decimal = Decimal(0)


@dataclass
class StripeCheckoutSession:
    id: str
    amount_total: int  # Stripe's units
    currency: str  # lower case, as Stripe writes it
    client_reference_id: str | None
    metadata: dict[str, str]
    success_url: str
    cancel_url: str | None
    customer_email: str | None
    created: int
    expires_at: int
    status: str = "open"
    payment_status: str = "unpaid"
    payment_intent: str | None = None
    refunded: int = 0


@dataclass(frozen=True)
class Delivery:
    kind: str
    url: str
    body: bytes
    status_code: int | None
    error: str | None
    at: datetime


@dataclass
class SandboxState:
    config: SandboxConfig
    script: Script
    tokens: dict[str, str] = field(default_factory=dict)  # consumer key -> the one valid token
    stk: dict[str, StkPayment] = field(default_factory=dict)
    c2b_urls: dict[str, dict[str, str]] = field(default_factory=dict)  # shortcode -> URLs
    c2b: dict[str, dict[str, str]] = field(default_factory=dict)  # TransID -> the notice
    c2b_payers: dict[str, str] = field(default_factory=dict)  # TransID -> the full MSISDN
    pull_registered: set[str] = field(default_factory=set)  # shortcodes registered for Pull
    paystack: dict[str, PaystackTransaction] = field(default_factory=dict)  # by reference
    flutterwave_links: dict[str, FlutterwaveLink] = field(default_factory=dict)  # by token
    flutterwave_charges: dict[int, FlutterwaveCharge] = field(default_factory=dict)
    stripe_sessions: dict[str, StripeCheckoutSession] = field(default_factory=dict)
    # (Idempotency-Key) -> (request fingerprint, HTTP status, reply body)
    stripe_idempotency: dict[str, tuple[str, int, dict[str, Any]]] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _http: httpx.AsyncClient | None = None
    _next_id: int = 5_000_000

    @classmethod
    def from_config(cls, config: SandboxConfig) -> SandboxState:
        return cls(config=config, script=Script(config.rules, config.use_default_script))

    def next_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def by_access_code(self, access_code: str) -> PaystackTransaction | None:
        return next((t for t in self.paystack.values() if t.access_code == access_code), None)

    # ------------------------------------------------------------------------- background

    def later(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` in the background, keeping a reference so it is not collected early."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._http is not None:
            await self._http.aclose()

    async def post(
        self, kind: str, url: str, body: bytes, headers: dict[str, str] | None = None
    ) -> httpx.Response | None:
        """POST one callback/webhook once (Daraja does not retry) and record what happened."""
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=10.0, trust_env=False)
        sent_headers = {"Content-Type": "application/json", **(headers or {})}
        try:
            response = await self._http.post(url, content=body, headers=sent_headers)
        except httpx.HTTPError as exc:
            log.warning("sandbox %s delivery to %s failed: %s", kind, url, type(exc).__name__)
            self.deliveries.append(Delivery(kind, url, body, None, type(exc).__name__, now()))
            return None
        self.deliveries.append(Delivery(kind, url, body, response.status_code, None, now()))
        return response


def now() -> datetime:
    return datetime.now(UTC)


def monotonic() -> float:
    return time.monotonic()


def form_fields(raw: bytes) -> dict[str, str]:
    """An application/x-www-form-urlencoded body (pages' forms, Stripe's API) as a flat dict;
    Stripe's bracket keys stay as they are ("metadata[reference]")."""
    return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))


def card_digits(text: str) -> str:
    """A card number as typed ("4242 4242 ...") reduced to its digits, for comparisons."""
    return "".join(ch for ch in text if ch.isdigit())


def random_code(length: int, alphabet: str = string.ascii_uppercase + string.digits) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))
