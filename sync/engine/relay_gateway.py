"""RelayGateway: pos_app.services.gateway.OnlineGateway over the relay's terminal API.

The payment id is the idempotency key: a request whose reply was lost is sent again with the
same key, and the relay answers with the first reply instead of prompting the customer twice.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from pydantic import ValidationError

from pos_app.core.money import Money
from pos_app.services.gateway import (
    C2BNotConfirmed,
    C2BTaken,
    GatewayInProgress,
    GatewayRejected,
    GatewayUnavailable,
    LinkStarted,
    PaybillPayment,
    StkStarted,
)
from sync.engine.client import C2BTaken as RelayC2BTaken
from sync.engine.client import RelayRefused, RelayUnauthorized, RelayUnavailable
from sync.engine.link import NOT_PAIRED, NotPaired, RelayLink
from sync.protocol import (
    C2BClaimRequest,
    ErrorCode,
    PaymentLinkRequest,
    PaymentState,
    PaystackLinkRequest,
    Provider,
    RelayPaymentView,
    RelayRefundRequest,
    StkPushRequest,
    TerminalSettings,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

KES_EXPONENT_UNIT = 100  # M-Pesa takes whole shillings only
PROVIDER_NAMES = {"paystack": "Paystack", "flutterwave": "Flutterwave", "stripe": "Stripe"}


class RelayGateway:
    def __init__(self, link: RelayLink, *, attempts: int = 3, backoff_s: float = 0.5) -> None:
        self._link = link
        self._attempts = attempts
        self._backoff_s = backoff_s

    def is_online(self) -> bool:
        return self._link.credentials is not None and self._link.state.online

    def start_stk_push(
        self, payment_id: str, phone: str, amount: Money, account_reference: str
    ) -> StkStarted:
        if amount.currency != "KES":
            raise GatewayRejected("M-Pesa takes Kenyan shillings (KES) only.")
        if amount.minor % KES_EXPONENT_UNIT:
            raise GatewayRejected("M-Pesa takes whole shillings only: round the amount.")
        try:
            request = StkPushRequest(
                payment_id=payment_id,  # type: ignore[arg-type]  # pydantic parses the UUID
                phone=phone,
                amount_minor=amount.minor,
                account_reference=account_reference[:12],
                description="Payment",
            )
        except ValidationError:
            raise GatewayRejected(
                "Check the phone number (e.g. 0712 345 678) and the amount, then try again."
            ) from None
        view = self._send(lambda: self._link.client().start_stk_push(request))
        self._raise_if_refused(view)
        return StkStarted(
            payment_id=payment_id,
            checkout_request_id=view.checkout_request_id or "",
            customer_message=view.customer_message or "Ask the customer to enter their M-Pesa PIN.",
        )

    def start_payment_link(
        self, payment_id: str, provider: str, amount: Money, reference: str, email: str | None
    ) -> LinkStarted:
        name = PROVIDER_NAMES.get(provider, provider)
        try:
            request = PaymentLinkRequest(
                payment_id=payment_id,  # type: ignore[arg-type]
                provider=Provider(provider),
                amount_minor=amount.minor,
                currency=amount.currency,
                email=email,
                reference=reference,
            )
        except (ValidationError, ValueError):
            raise GatewayRejected(
                f"The amount or the sale reference cannot go to {name}."
            ) from None
        view = self._send(lambda: self._start_link(request))
        self._raise_if_refused(view)
        if not view.authorization_url:
            raise GatewayRejected(f"{name} did not return a payment link; try again.")
        return LinkStarted(payment_id=payment_id, reference=view.reference,
                           url=view.authorization_url)  # fmt: skip

    def _start_link(self, request: PaymentLinkRequest) -> RelayPaymentView:
        """POST /payments/link; a relay from before it (404) still makes Paystack links on
        /paystack-link, and only those."""
        client = self._link.client()
        try:
            return client.start_payment_link(request)
        except RelayRefused as exc:
            if exc.status != 404:
                raise
            if request.provider is not Provider.PAYSTACK:
                raise RelayRefused(
                    404, f"this relay makes no {request.provider.value} links: update the relay"
                ) from None
        return client.start_paystack_link(
            PaystackLinkRequest(**request.model_dump(exclude={"provider"}))
        )

    def request_status_check(self, payment_id: str) -> None:
        self.payment_status(payment_id)

    def payment_status(self, payment_id: str) -> RelayPaymentView:
        """What the relay knows now; it asks the provider first when the outcome is late."""
        return self._send(lambda: self._link.client().payment(payment_id))

    def refund_payment(
        self, payment_id: str, amount: Money, reason: str, *, refund_id: str | None = None
    ) -> None:
        """Refund a paid link payment (Paystack, Flutterwave, Stripe) through the relay. Pass the
        ledger's refund id as `refund_id` so that asking again after a lost reply can never
        refund twice (Paystack and Flutterwave refunds are not idempotent themselves)."""
        request = RelayRefundRequest(
            refund_id=uuid.UUID(refund_id) if refund_id else uuid.uuid4(),
            amount_minor=amount.minor,
            currency=amount.currency,
            reason=reason[:200] or None,
        )
        self._send(lambda: self._link.client().refund(payment_id, request))

    def paybill_payments(self, reference: str) -> list[PaybillPayment]:
        reply = self._send(lambda: self._link.client().c2b_received(reference))
        return [
            PaybillPayment(Money(r.amount_minor, r.currency), r.state, r.test_mode)
            for r in reply.received
        ]

    def claim_c2b(self, receipt: str, supervisor: str) -> None:
        try:
            request = C2BClaimRequest(receipt=receipt.strip().upper(), supervisor=supervisor[:80])
        except ValidationError:
            raise C2BNotConfirmed(receipt) from None
        try:
            self._send(lambda: self._link.client().claim_c2b(request))
        except C2BTaken:
            raise
        except GatewayRejected:
            # 404: the relay holds no M-Pesa-confirmed payment with this receipt (a claim it
            # is still confirming, or nothing at all)
            raise C2BNotConfirmed(request.receipt) from None

    def refresh_test_modes(self) -> TerminalSettings:
        """Ask the relay which providers are in test mode (for the till's banner); the reply
        also carries the shop's M-Pesa number (see sync.engine.shop_settings)."""
        settings = self._link.client().settings()
        self._link.set_test_modes({p.value: on for p, on in settings.test_mode.items()})
        return settings

    # ---- plumbing ----------------------------------------------------------------------------

    def _send(self, call: Callable[[], T]) -> T:
        """Run `call`, retrying what a retry can fix; map failures to the gateway's errors."""
        for attempt in range(1, self._attempts + 1):
            try:
                result = call()
            except NotPaired as exc:
                raise GatewayUnavailable(exc.message) from None
            except RelayUnauthorized:
                self._link.lost(NOT_PAIRED)
                raise GatewayUnavailable(
                    "The relay no longer knows this till: pair it again in Settings."
                ) from None
            except RelayC2BTaken as exc:
                raise C2BTaken(exc.holder.receipt, exc.holder.till_name) from None
            except RelayRefused as exc:
                if exc.code == ErrorCode.IN_PROGRESS:
                    raise GatewayInProgress(
                        "The first request is still being handled; its outcome is not known yet."
                    ) from None
                raise GatewayRejected(_refusal_message(exc)) from None
            except RelayUnavailable as exc:
                log.info("relay call failed (attempt %d/%d): %s", attempt, self._attempts, exc)
                if attempt == self._attempts:
                    self._link.lost(str(exc))
                    raise GatewayUnavailable(
                        "The payment service cannot be reached right now. Offer cash, or the "
                        "paybill number with a receipt code."
                    ) from None
                delay = exc.retry_after_s or self._backoff_s * 2 ** (attempt - 1)
                time.sleep(random.uniform(0.5, 1.0) * delay)
            else:
                self._link.reached()
                return result
        raise AssertionError("unreachable")

    @staticmethod
    def _raise_if_refused(view: RelayPaymentView) -> None:
        if view.state is PaymentState.ERROR:
            message = view.error.cashier_message if view.error else "The provider refused it."
            raise GatewayRejected(message)


def _refusal_message(exc: RelayRefused) -> str:
    if exc.status == 422:
        return f"The payment details were refused: {exc.detail}. Check the phone number and amount."
    if exc.status == 409:
        return f"The relay refused this request: {exc.detail}"
    return f"The relay refused the request ({exc.status}): {exc.detail}"
