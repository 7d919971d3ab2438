from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.core.errors import CurrencyMismatch, InvalidQuantity
from pos_app.core.money import Money
from pos_app.core.quantities import (
    MAX_THOUSANDTHS,
    Quantity,
    Unit,
    line_gross,
    quantity_for_price,
)


@pytest.mark.parametrize(
    ("text", "unit", "thousandths"),
    [
        ("1.25", Unit.KG, 1250),
        ("0,5", Unit.KG, 500),
        (" 0.001 ", Unit.KG, 1),
        (".75", Unit.LITRE, 750),
        ("2", Unit.LITRE, 2000),
        ("1.2500", Unit.KG, 1250),
        ("3", Unit.EACH, 3000),
        ("3.0", Unit.EACH, 3000),
    ],
)
def test_parse_reads_what_a_cashier_types(text: str, unit: Unit, thousandths: int) -> None:
    assert Quantity.parse(text, unit) == Quantity(thousandths, unit)


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("", Unit.KG, "not a quantity"),
        ("abc", Unit.KG, "not a quantity"),
        ("1.2.3", Unit.KG, "not a quantity"),
        ("1,250.5", Unit.KG, "not a quantity"),
        ("-1", Unit.KG, "not a quantity"),
        ("1e3", Unit.KG, "not a quantity"),
        ("0.0004", Unit.KG, "more than three decimals"),
        ("1.2345", Unit.LITRE, "0.001 l"),
        ("1.5", Unit.EACH, "whole numbers"),
        ("0", Unit.KG, "more than zero"),
        ("0,000", Unit.KG, "more than zero"),
        ("100001", Unit.EACH, "more than the till sells"),
    ],
)
def test_parse_refuses_with_a_clear_message(text: str, unit: Unit, message: str) -> None:
    with pytest.raises(InvalidQuantity, match=message):
        Quantity.parse(text, unit)


@given(st.integers(1, MAX_THOUSANDTHS), st.sampled_from([Unit.KG, Unit.LITRE]))
def test_format_parses_back(thousandths: int, unit: Unit) -> None:
    quantity = Quantity(thousandths, unit)
    number, shown_unit = quantity.format().split(" ")
    assert shown_unit == unit
    assert Quantity.parse(number, unit) == quantity
    assert Quantity.parse(number.replace(".", ","), unit) == quantity


def test_pieces_are_whole() -> None:
    assert Quantity.each(3).format() == "3"
    assert Quantity(1250, Unit.KG).format() == "1.25 kg"
    with pytest.raises(InvalidQuantity):
        Quantity(1500, Unit.EACH)
    with pytest.raises(InvalidQuantity):
        Quantity(0, Unit.KG)


def test_weighed_line_is_rounded_once_half_up() -> None:
    # 219.99 a kilo, 1.255 kg: 276.08745 -> 276.09
    assert line_gross(Money(21_999, "KES"), Quantity(1255, Unit.KG)) == Money(27_609, "KES")
    # 0.5 of a shilling cent rounds up
    assert line_gross(Money(1, "KES"), Quantity(500, Unit.KG)) == Money(1, "KES")
    assert line_gross(Money(65_00, "KES"), Quantity.each(3)) == Money(195_00, "KES")


@given(st.integers(1, 10**7), st.integers(1, MAX_THOUSANDTHS))
def test_line_gross_is_within_half_a_minor_unit(price: int, thousandths: int) -> None:
    gross = line_gross(Money(price, "KES"), Quantity(thousandths, Unit.KG))
    assert isinstance(gross.minor, int)
    assert abs(gross.minor - Fraction(price * thousandths, 1000)) <= Fraction(1, 2)


@given(st.integers(1, 99_999), st.integers(1, 10_000_000))
def test_a_scale_price_label_rings_up_exactly_its_printed_price(grams: int, price: int) -> None:
    """A scale with the till's price per kilo prints round(weight x price); read back, the
    label's quantity costs exactly that, whatever the weight and price."""
    printed = line_gross(Money(price, "KES"), Quantity(grams, Unit.KG))
    if not 1 <= printed.minor <= 99_999:  # five digits on the label
        return
    bought = quantity_for_price(printed, Money(price, "KES"), Unit.KG)
    assert line_gross(Money(price, "KES"), bought) == printed
    assert abs(bought.thousandths * price - printed.minor * 1000) * 2 <= price  # nearest


def test_a_price_buys_nothing_by_the_piece_nor_in_another_currency() -> None:
    with pytest.raises(InvalidQuantity):
        quantity_for_price(Money(100, "KES"), Money(100, "KES"), Unit.EACH)
    with pytest.raises(CurrencyMismatch):
        quantity_for_price(Money(100, "KES"), Money(100, "UGX"), Unit.KG)
    assert quantity_for_price(Money(1, "KES"), Money(9_999_99, "KES"), Unit.KG) == Quantity(
        1, Unit.KG
    )  # a price too small to weigh still rings up the smallest step
