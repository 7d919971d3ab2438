"""The till's door to online payments (M-Pesa STK push, hosted payment links: Paystack,
Flutterwave, Stripe).

The services and screens depend on this protocol only; the sync engine implements it over the
relay's terminal API (sync/engine), tests use a fake. Every call is idempotent on the payment
id: a retried request after a lost reply never prompts the customer twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pos_app.core.errors import DukaError
from pos_app.core.money import Money


class GatewayUnavailable(DukaError):
    """The relay cannot be reached: offer the offline fallbacks (paybill, manual proof)."""


class GatewayRejected(DukaError):
    """The relay or the provider refused the request; the message says what to do."""


class GatewayInProgress(GatewayRejected):
    """The relay is still handling the first request with this idempotency key: its outcome is
    unknown. Ask again later with the same key. (A GatewayRejected to callers that only know
    "not done by this call".)"""


class C2BTaken(GatewayRejected):
    """The relay gave this C2B payment to another till of the shop: this till must not count
    it. `till_name` says which till has it, when the relay said."""

    def __init__(self, receipt: str, till_name: str | None) -> None:
        holder = f"till {till_name!r}" if till_name else "another till"
        super().__init__(f"M-Pesa payment {receipt} belongs to {holder}, not this one.")
        self.receipt = receipt
        self.till_name = till_name


class C2BNotConfirmed(GatewayRejected):
    """The relay has no payment with this receipt that M-Pesa confirmed (it may be claimed,
    not yet confirmed): it cannot pay a sale yet."""

    def __init__(self, receipt: str) -> None:
        super().__init__(f"M-Pesa has not confirmed payment {receipt} (yet).")
        self.receipt = receipt


@dataclass(frozen=True)
class StkStarted:
    payment_id: str
    checkout_request_id: str
    customer_message: str


@dataclass(frozen=True)
class LinkStarted:
    """A hosted checkout page the provider made: `url` is what the customer opens (link, QR)."""

    payment_id: str
    reference: str
    url: str


@dataclass(frozen=True)
class PaybillPayment:
    """A SIM-menu payment M-Pesa reported for a sale's account reference. Daraja signs nothing:
    "confirming" is a claim the relay is checking with M-Pesa and never pays the sale (the
    paid event follows once confirmed); "refused": M-Pesa has no such payment."""

    amount: Money
    state: str  # confirming | confirmed | refused
    test_mode: bool


class OnlineGateway(Protocol):
    def is_online(self) -> bool: ...

    def start_stk_push(
        self, payment_id: str, phone: str, amount: Money, account_reference: str
    ) -> StkStarted: ...

    def start_payment_link(
        self, payment_id: str, provider: str, amount: Money, reference: str, email: str | None
    ) -> LinkStarted:
        """A hosted checkout page from `provider` (paystack, flutterwave, stripe)."""

    def request_status_check(self, payment_id: str) -> None:
        """Asks the relay to re-query the provider; the outcome arrives as a pulled event."""

    def refund_payment(
        self, payment_id: str, amount: Money, reason: str, *, refund_id: str
    ) -> None:
        """Asks the provider (through the relay) to refund `amount` of a paid link payment;
        `refund_id` is the idempotency key: the same id again never refunds twice."""

    def paybill_payments(self, reference: str) -> list[PaybillPayment]:
        """What M-Pesa reported today for this account reference, confirmed or not."""

    def claim_c2b(self, receipt: str, supervisor: str) -> None:
        """Asks the relay for a C2B payment (by its M-Pesa receipt) before this till counts
        it; the relay grants each payment to one till of the shop. Raises C2BTaken (another
        till has it), C2BNotConfirmed, or GatewayUnavailable (offline: no grant without the
        relay). Asking again for a payment this till has is harmless."""
