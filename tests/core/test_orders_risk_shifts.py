from __future__ import annotations

import pytest

from pos_app.core.errors import CurrencyMismatch, InvalidAmount, InvalidInput, InvalidOrder
from pos_app.core.identifiers import normalize_reference
from pos_app.core.money import Money
from pos_app.core.orders import Order, OrderLine
from pos_app.core.payments import PaymentProvider
from pos_app.core.risk import FACTORS, RiskSignals, assess
from pos_app.core.shifts import z_report


def kes(minor: int) -> Money:
    return Money(minor, "KES")


def test_order_totals_are_vat_inclusive() -> None:
    order = Order.of([OrderLine("Milk", kes(6500), 2), OrderLine("Bread", kes(5100))])
    assert order.total == kes(18100)
    assert order.vat + order.net == order.total
    # per line (KRA's rule), not on the total: 13000 -> 1793 and 5100 -> 703; taxing the
    # total once would give 18100 * 16 / 116 = 2496.55 -> 2497
    assert order.vat == kes(2496)
    assert order.taxes.band("B").tax == kes(2496)


def test_lines_in_their_own_classes_are_taxed_per_band() -> None:
    order = Order.of([
        OrderLine("Unga", kes(21000), 1, tax_class="C"),
        OrderLine("Sukari", kes(18500), 1, tax_class="b"),
        OrderLine("Mayai", kes(1500), 2, tax_class="A"),
    ])
    assert order.total == kes(42500)
    assert order.taxes.band("C").tax.is_zero and order.taxes.band("C").taxable == kes(21000)
    assert order.taxes.band("A").taxable == kes(3000)
    assert order.vat == order.taxes.band("B").tax == kes(18500 - 15948)


def test_mixed_currency_order_is_refused() -> None:
    with pytest.raises(CurrencyMismatch):
        Order.of([OrderLine("Milk", kes(6500)), OrderLine("Soap", Money(100, "NGN"))])


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"name": "Milk", "unit_price": kes(0)}, InvalidAmount),
        ({"name": "Milk", "unit_price": kes(-5)}, InvalidAmount),
        ({"name": "Milk", "unit_price": kes(5), "quantity": 0}, InvalidOrder),
        ({"name": "Milk", "unit_price": kes(5), "quantity": 1.5}, InvalidOrder),
        ({"name": " ", "unit_price": kes(5)}, InvalidOrder),
    ],
)
def test_bad_lines_are_refused(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        OrderLine(**kwargs)  # type: ignore[arg-type]


def test_empty_order_is_refused() -> None:
    with pytest.raises(InvalidOrder):
        Order.of([])


def test_risk_factors_are_named_explained_and_capped() -> None:
    calm = assess(RiskSignals(amount=kes(1000), provider=PaymentProvider.MPESA))
    assert calm.score == 0 and calm.reasons == ()
    wild = assess(
        RiskSignals(
            amount=kes(1_000_000),
            provider=PaymentProvider.MANUAL,
            usual_amount=kes(1000),
            recent_attempts=5,
            proof_reference_reused=True,
            amount_mismatch=True,
            new_customer=True,
        )
    )
    assert wild.score == 100
    names = {r.name for r in wild.reasons}
    assert names == {
        "amount_far_above_usual",
        "many_attempts",
        "proof_reference_reused",
        "amount_mismatch",
        "new_customer",
        "unverified_channel",
    }
    assert all(r.explanation == FACTORS[r.name].explanation for r in wild.reasons)


def test_amount_just_at_five_times_usual_is_not_flagged() -> None:
    at = assess(RiskSignals(kes(5000), PaymentProvider.MPESA, usual_amount=kes(1000)))
    above = assess(RiskSignals(kes(5001), PaymentProvider.MPESA, usual_amount=kes(1000)))
    assert at.score == 0
    assert [r.name for r in above.reasons] == ["amount_far_above_usual"]


def test_z_report_expected_vs_counted() -> None:
    report = z_report(
        opening_float=kes(50000),
        cash_in=kes(1000),
        cash_out=kes(2000),
        takings={"cash": kes(10000), "mpesa_stk": kes(7000)},
        counted={"cash": kes(58500), "mpesa_stk": kes(7000)},
    )
    assert report["methods"]["cash"] == {
        "expected_minor": 59000,
        "counted_minor": 58500,
        "difference_minor": -500,
    }
    assert report["total_difference_minor"] == -500


def test_identifiers_normalise() -> None:
    assert normalize_reference(" qkx-12 34abc ") == "QKX1234ABC"
    with pytest.raises(InvalidInput):
        normalize_reference("ab")
