"""A payment with no outcome in time becomes "unknown" for a supervisor, never paid or failed
by guess; the provider's late "paid" is still the truth when it comes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from e2e_support import Till, link_sale, make_till, wait_for

from pos_app.config import TillSettings
from pos_app.core.money import Money
from pos_app.services.late_payments import ReconcileTimings, Timing
from sync.demo import DemoStack

IMPATIENT = ReconcileTimings(
    stk=Timing(timedelta(seconds=1), timedelta(seconds=3)),
    link=Timing(timedelta(seconds=1), timedelta(seconds=3)),
    recheck_every_s=1.0,
)


@pytest.fixture
def impatient_till(stack: DemoStack, till_settings: TillSettings) -> Iterator[Till]:
    made = make_till(till_settings, reconcile=IMPATIENT)
    yield made
    made.close()


def test_an_unpaid_link_goes_unknown_and_a_late_payment_still_counts(
    impatient_till: Till,
) -> None:
    till = impatient_till
    payment, link = link_sale(till, "Redio", Money(3_000_00, "KES"), "LATE-1")

    wait_for(lambda: till.payments.get_payment(payment.id).status == "unknown", 15, "unknown")
    view = till.payments.get_payment(payment.id)
    assert view.needs_supervisor and not view.is_paid

    assert httpx.post(f"{link.url}/pay").status_code == 200  # the customer, late
    wait_for(lambda: till.payments.get_payment(payment.id).status == "succeeded", 15, "late pay")
