"""Hosted payment links from every link provider (Paystack, Flutterwave, Stripe): the counter
asks the gateway for the provider's page, and the outcome the relay streams settles it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from ledger_helpers import Till, kes

from pos_app.core.errors import InvalidInput
from pos_app.core.money import Money
from pos_app.core.payments import PaymentProvider
from pos_app.services.counter import Counter
from pos_app.services.gateway import GatewayRejected, LinkStarted, StkStarted
from pos_app.services.payment_events import PaymentEvents, ProviderOutcome


@dataclass
class LinkGateway:
    """The relay as the counter sees it: makes a page per provider, or refuses one."""

    links: list[tuple[str, str, Money]] = field(default_factory=list)
    refuse: str | None = None

    def is_online(self) -> bool:
        return True

    def start_stk_push(
        self, payment_id: str, phone: str, amount: Money, account_reference: str
    ) -> StkStarted:
        raise NotImplementedError

    def start_payment_link(
        self, payment_id: str, provider: str, amount: Money, reference: str, email: str | None
    ) -> LinkStarted:
        if self.refuse == provider:
            raise GatewayRejected(f"the shop has no {provider} test credentials on the relay")
        self.links.append((payment_id, provider, amount))
        return LinkStarted(payment_id, f"ref-{provider}", f"https://pay.{provider}.test/{reference}")

    def request_status_check(self, payment_id: str) -> None:
        raise NotImplementedError

    def refund_payment(
        self, payment_id: str, amount: Money, reason: str, *, refund_id: str
    ) -> None:
        raise NotImplementedError

    def claim_c2b(self, receipt: str, supervisor: str) -> None:
        raise NotImplementedError


def _counter(till: Till, gateway: LinkGateway) -> Counter:
    counter = Counter(till.services, gateway)
    counter.user_id = till.cashier.id
    till.services.shifts.open_shift(till.cashier.id, kes(0))
    return counter


def _relay_says(till: Till, provider: str, payment_id: str, status: str, minor: int) -> str:
    """An outcome as sync.engine.pull hands it over: the channel is the provider's name."""
    now = datetime.now(UTC)
    event = ProviderOutcome(
        event_id=str(uuid.uuid4()), seq=1, provider=provider, channel=provider, status=status,
        payment_id=payment_id, amount_minor=minor, currency="KES", reference=f"ref-{provider}",
        receipt=None, payer=None, result_code=None, message=None, test_mode=True,
        occurred_at=now, received_at=now,
    )  # fmt: skip
    events = PaymentEvents(till.ledger, till.services.bus)
    with events.batch() as batch:
        return events.apply(batch, event)


@pytest.mark.parametrize(
    ("provider", "method"),
    [(PaymentProvider.PAYSTACK, "paystack_link"),
     (PaymentProvider.FLUTTERWAVE, "flutterwave_link"),
     (PaymentProvider.STRIPE, "stripe_checkout")],
)  # fmt: skip
def test_each_provider_makes_its_own_page_and_its_paid_event_settles_it(
    till: Till, provider: PaymentProvider, method: str
) -> None:
    gateway = LinkGateway()
    counter = _counter(till, gateway)
    counter.test_mode_providers = frozenset({provider.value})
    order_id = till.order(1_250_00)
    view, url = counter.start_link(order_id, provider, kes(1_250_00), None, "k-1")
    assert url == f"https://pay.{provider.value}.test/{view.id}"
    assert gateway.links == [(view.id, provider.value, kes(1_250_00))]
    assert (view.method, view.provider, view.status) == (method, provider.value,
                                                         "awaiting_customer")  # fmt: skip
    assert _relay_says(till, provider.value, view.id, "paid", 1_250_00) == "applied"
    paid = till.services.payments.get_payment(view.id)
    assert paid.status == "succeeded" and paid.test_mode is True
    assert counter.order_balance(order_id).remaining.is_zero


@pytest.mark.parametrize("provider", [PaymentProvider.FLUTTERWAVE, PaymentProvider.STRIPE])
def test_a_declined_card_fails_the_payment_and_the_sale_still_owes(
    till: Till, provider: PaymentProvider
) -> None:
    counter = _counter(till, LinkGateway())
    order_id = till.order(800_00)
    view, _ = counter.start_link(order_id, provider, kes(800_00), None, "k-2")
    _relay_says(till, provider.value, view.id, "failed", 800_00)
    assert till.services.payments.get_payment(view.id).status == "failed"
    assert counter.order_balance(order_id).remaining == kes(800_00)


def test_a_provider_the_relay_refuses_fails_the_payment_with_its_reason(till: Till) -> None:
    counter = _counter(till, LinkGateway(refuse="stripe"))
    order_id = till.order(500_00)
    with pytest.raises(GatewayRejected, match="no stripe test credentials"):
        counter.start_link(order_id, PaymentProvider.STRIPE, kes(500_00), None, "k-3")
    [payment] = till.services.payments.payments_for_order(order_id)
    assert (payment.method, payment.status) == ("stripe_checkout", "failed")


def test_mpesa_is_no_link_provider(till: Till) -> None:
    gateway = LinkGateway()
    counter = _counter(till, gateway)
    order_id = till.order(500_00)
    with pytest.raises(InvalidInput, match="no payment link"):
        counter.start_link(order_id, PaymentProvider.MPESA, kes(500_00), None, "k-4")
    assert gateway.links == [] and till.services.payments.payments_for_order(order_id) == []
