from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.core.errors import (
    CurrencyMismatch,
    FractionOfMinorUnit,
    InvalidAmount,
    InvalidMoneyText,
    UnknownCurrency,
)
from pos_app.core.money import CURRENCIES, Money, parse_minor, total

codes = st.sampled_from(sorted(CURRENCIES))
minor = st.integers(min_value=-(10**15), max_value=10**15)


@st.composite
def money_pair(draw: st.DrawFn) -> tuple[Money, Money]:
    code = draw(codes)
    return Money(draw(minor), code), Money(draw(minor), code)


@given(money_pair())
def test_addition_commutes_and_subtraction_inverts(pair: tuple[Money, Money]) -> None:
    a, b = pair
    assert a + b == b + a
    assert (a + b) - b == a
    assert a - a == Money.zero(a.currency)
    negated = -a
    assert -negated == a


@given(money_pair(), st.integers(min_value=-1000, max_value=1000))
def test_multiplication_distributes(pair: tuple[Money, Money], k: int) -> None:
    a, b = pair
    assert (a + b) * k == a * k + b * k


@given(codes, minor, st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=8))
def test_allocation_loses_nothing(code: str, amount: int, ratios: list[int]) -> None:
    if sum(ratios) == 0:
        ratios = [*ratios[:-1], 1]
    parts = Money(amount, code).allocate(ratios)
    assert total(parts, code) == Money(amount, code)
    exact = [abs(amount) * r / sum(ratios) for r in ratios]
    assert all(abs(abs(p.minor) - e) < 1 for p, e in zip(parts, exact, strict=True))


@given(codes, st.integers(0, 10**13), st.integers(0, 10_000))
def test_vat_split_adds_up_and_is_within_half_a_unit(code: str, gross: int, bps: int) -> None:
    net, vat = Money(gross, code).vat_inclusive(bps)
    assert net + vat == Money(gross, code)
    exact = gross * bps / (10_000 + bps)
    assert abs(vat.minor - exact) <= 0.5


@given(codes, st.integers(min_value=-(10**12), max_value=10**12))
def test_format_parse_round_trip(code: str, amount: int) -> None:
    money = Money(amount, code)
    assert Money.parse(money.format(with_code=False), code) == money
    assert Money.parse(money.format(), code) == money


def test_sixteen_percent_vat_of_116_shillings() -> None:
    net, vat = Money(11600, "KES").vat_inclusive(1600)
    assert (net.minor, vat.minor) == (10000, 1600)


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        ("1,250.50", "KES", 125050),
        ("1250.5", "KES", 125050),
        (" 12 ", "NGN", 1200),
        ("1,000,000", "UGX", 1_000_000),
        ("0.01", "USD", 1),
        ("KES 99", "KES", 9900),
        ("3.10", "GHS", 310),
        ("5.000", "KES", 500),  # trailing zeros are not a fraction of a cent
        ("-2.50", "ZAR", -250),
        (".5", "KES", 50),
    ],
)
def test_parse_cashier_text(text: str, code: str, expected: int) -> None:
    assert parse_minor(text, code) == expected


@pytest.mark.parametrize(("text", "code"), [("1.005", "KES"), ("10.5", "UGX"), ("0.001", "USD")])
def test_fractions_of_a_minor_unit_are_refused(text: str, code: str) -> None:
    with pytest.raises(FractionOfMinorUnit, match="smallest amount"):
        Money.parse(text, code)


@pytest.mark.parametrize("text", ["", "abc", "1,25", "1.2.3", "12,34.5", "--1", "."])
def test_garbage_text_is_refused(text: str) -> None:
    with pytest.raises(InvalidMoneyText):
        Money.parse(text, "KES")


def test_unknown_currency_is_refused() -> None:
    with pytest.raises(UnknownCurrency, match="XYZ"):
        Money(100, "XYZ")
    with pytest.raises(UnknownCurrency):
        Money.parse("1", "kes")


@pytest.mark.parametrize("bad", [1.5, "100", True, None])
def test_non_integer_minor_units_are_refused(bad: object) -> None:
    with pytest.raises(InvalidAmount):
        Money(bad, "KES")  # type: ignore[arg-type]


def test_mixed_currencies_never_combine() -> None:
    with pytest.raises(CurrencyMismatch, match="KES and NGN"):
        Money(1, "KES") + Money(1, "NGN")
    with pytest.raises(CurrencyMismatch):
        _ = Money(1, "KES") < Money(1, "USD")


def test_zero_exponent_currencies_format_without_decimals() -> None:
    assert Money(1500, "UGX").format() == "UGX 1,500"
    assert Money(-123456, "KES").format() == "KES -1,234.56"
    assert Money(5, "XOF").format() == "XOF 5"
    assert Money(5, "RWF").format(with_code=False) == "5"


def test_require_positive() -> None:
    with pytest.raises(InvalidAmount, match="more than zero"):
        Money(0, "KES").require_positive()
    with pytest.raises(InvalidAmount):
        Money(-1, "KES").require_positive()
    assert Money(1, "KES").require_positive() == Money(1, "KES")
