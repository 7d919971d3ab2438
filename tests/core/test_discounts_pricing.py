from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.core.discounts import Discount, allocate_cart_discount, needs_supervisor_grant
from pos_app.core.errors import CurrencyMismatch, InvalidDiscount
from pos_app.core.money import Money
from pos_app.core.pricing import CartLine, price_cart
from pos_app.core.quantities import Quantity, Unit
from pos_app.core.tax import KENYA


def kes(minor: int) -> Money:
    return Money(minor, "KES")


# --- allocation -------------------------------------------------------------------------------
bases_st = st.lists(st.integers(0, 10**8), min_size=1, max_size=20)


@given(bases_st, st.data())
def test_cart_discount_allocation_is_exact_and_capped(
    bases: list[int], data: st.DataObject
) -> None:
    discount = data.draw(st.integers(0, sum(bases)))
    shares = allocate_cart_discount(kes(discount), [kes(b) for b in bases])
    assert sum(s.minor for s in shares) == discount
    assert all(0 <= s.minor <= b for s, b in zip(shares, bases, strict=True))


def test_allocation_goes_to_the_largest_remainders() -> None:
    # 10 over 100/200/300: exact 1.67, 3.33, 5.00 -> floors 1, 3, 5; the last cent to .67
    shares = allocate_cart_discount(kes(10), [kes(100), kes(200), kes(300)])
    assert [s.minor for s in shares] == [2, 3, 5]
    shares = allocate_cart_discount(kes(2), [kes(100), kes(100), kes(100)])
    assert [s.minor for s in shares] == [1, 1, 0]


def test_allocation_refuses_more_than_the_cart() -> None:
    with pytest.raises(InvalidDiscount):
        allocate_cart_discount(kes(301), [kes(100), kes(200)])
    with pytest.raises(InvalidDiscount):
        allocate_cart_discount(kes(-1), [kes(100)])
    with pytest.raises(CurrencyMismatch):
        allocate_cart_discount(kes(1), [Money(100, "UGX")])


# --- discounts and grants ----------------------------------------------------------------------
def test_discount_needs_a_reason_and_is_not_negative() -> None:
    assert Discount(kes(0), "").amount == kes(0)
    with pytest.raises(InvalidDiscount):
        Discount(kes(100), "  ")
    with pytest.raises(InvalidDiscount):
        Discount(kes(-1), "oops")
    assert Discount.percent(kes(18_500), 1000, "promo").amount == kes(1850)
    assert Discount.percent(kes(5), 1000, "promo").amount == kes(1)  # 0.5 rounds up


@pytest.mark.parametrize(
    ("discount", "gross", "threshold", "expected"),
    [
        (1000, 10_000, 1000, False),  # exactly 10 % of 10 % allowed: no grant
        (1001, 10_000, 1000, True),
        (0, 0, 0, False),
        (1, 0, 1000, True),
        (1, 10_000, 0, True),  # threshold 0: every discount needs a supervisor
    ],
)
def test_supervisor_grant_above_the_shops_threshold(
    discount: int, gross: int, threshold: int, expected: bool
) -> None:
    assert needs_supervisor_grant(kes(discount), kes(gross), threshold) is expected


# --- the cart ----------------------------------------------------------------------------------
def worked_basket() -> list[CartLine]:
    return [
        CartLine("Unga wa Ugali 2kg", kes(210_00), Quantity.each(2), "C"),
        CartLine(
            "Sukari 1kg", kes(185_00), Quantity.each(1), "B", Discount(kes(10_00), "Torn packet")
        ),
        CartLine("Mchele Pishori (loose)", kes(219_99), Quantity.parse("1,255", Unit.KG), "A"),
        CartLine("Reduced-rate item", kes(1080_00), Quantity.each(1), "E"),
        CartLine("Mafuta ya Kupikia 1L", kes(380_00), Quantity.each(1), "B"),
    ]


def test_worked_example_mixed_bands_discounts_and_a_weighed_item() -> None:
    cart = price_cart(worked_basket(), KENYA, Discount(kes(100_00), "Loyal customer"))
    # gross before discounts: 420.00 + 185.00 + 276.09 (219.99 x 1.255 kg) + 1080.00 + 380.00
    assert [p.gross.minor for p in cart.lines] == [42000, 18500, 27609, 108000, 38000]
    assert cart.gross == kes(2341_09)
    # the 100.00 cart discount over what each line still costs (233,109 cents), largest
    # remainders first: floors 1801, 750, 1184, 4633, 1630 leave 2 cents, for C (.73) and B (.72)
    assert [p.cart_discount.minor for p in cart.lines] == [1802, 751, 1184, 4633, 1630]
    assert [p.discount.minor for p in cart.lines] == [1802, 1751, 1184, 4633, 1630]
    assert [p.net.minor for p in cart.lines] == [40198, 16749, 26425, 103367, 36370]
    # per line: taxable = round-half-up(net / (1 + rate)), tax = net - taxable
    assert [(p.tax.taxable.minor, p.tax.tax.minor) for p in cart.lines] == [
        (40198, 0),  # C zero-rated
        (14439, 2310),  # B: 16749 / 1.16 = 14438.79
        (26425, 0),  # A exempt
        (95710, 7657),  # E: 103367 / 1.08 = 95710.19
        (31353, 5017),  # B: 36370 / 1.16 = 31353.45
    ]
    bands = {b.tax_class.code: (b.taxable.minor, b.tax.minor) for b in cart.taxes.bands}
    assert bands == {
        "A": (26425, 0),
        "B": (45792, 7327),
        "C": (40198, 0),
        "D": (0, 0),
        "E": (95710, 7657),
    }
    assert cart.discount == kes(110_00)
    assert cart.total == kes(2231_09) == cart.gross - cart.discount
    assert cart.taxes.tax == kes(149_84)
    # Sukari's 10.00 off 185.00 is 5.4 %: over a 5 % threshold, within 6 %
    assert cart.needs_supervisor_grant(500)
    assert not cart.needs_supervisor_grant(600)
    # the original price stays on the line beside its discount and reason
    sukari = cart.lines[1].line
    assert (sukari.unit_price, sukari.line_discount, sukari.discount) == (
        kes(185_00),
        kes(10_00),
        Discount(kes(10_00), "Torn packet"),
    )


def test_cart_discount_alone_can_need_a_grant() -> None:
    lines = [CartLine("Soda 500ml", kes(80_00), Quantity.each(2), "B")]
    cart = price_cart(lines, KENYA, Discount(kes(16_01), "Manager's friend"))
    assert cart.needs_supervisor_grant(1000)
    assert not price_cart(lines, KENYA, Discount(kes(16_00), "Promo")).needs_supervisor_grant(1000)


def test_refuses_discounts_larger_than_what_they_discount() -> None:
    with pytest.raises(InvalidDiscount):
        CartLine("Chumvi", kes(30_00), Quantity.each(1), "B", Discount(kes(30_01), "x"))
    lines = [CartLine("Chumvi", kes(30_00), Quantity.each(1), "B", Discount(kes(10_00), "x"))]
    with pytest.raises(InvalidDiscount):
        price_cart(lines, KENYA, Discount(kes(20_01), "too much"))
    assert price_cart(lines, KENYA, Discount(kes(20_00), "all of it")).total == kes(0)


@st.composite
def carts(draw: st.DrawFn) -> tuple[list[CartLine], Discount | None]:
    lines = []
    for i in range(draw(st.integers(1, 12))):
        unit = draw(st.sampled_from(list(Unit)))
        count = draw(st.integers(1, 50))
        thousandths = count * 1000 if unit is Unit.EACH else draw(st.integers(1, 50_000))
        price = kes(draw(st.integers(1, 10**6)))
        line = CartLine(
            f"item {i}", price, Quantity(thousandths, unit), draw(st.sampled_from("ABCDE"))
        )
        off = draw(st.integers(0, line.gross.minor))
        if off:
            line = CartLine(
                line.name, price, line.quantity, line.tax_class, Discount(kes(off), "r")
            )
        lines.append(line)
    room = sum(line.gross.minor - line.line_discount.minor for line in lines)
    cart_off = draw(st.integers(0, room))
    return lines, Discount(kes(cart_off), "cart") if cart_off else None


@given(carts(), st.randoms(use_true_random=False))
def test_cart_totals_are_consistent_and_order_free(
    cart_and_discount: tuple[list[CartLine], Discount | None], rnd: random.Random
) -> None:
    lines, discount = cart_and_discount
    cart = price_cart(lines, KENYA, discount)
    cart_off = discount.amount.minor if discount else 0
    assert sum(p.cart_discount.minor for p in cart.lines) == cart_off
    for p in cart.lines:
        assert p.net.minor >= 0
        assert p.net == p.gross - p.discount
        assert p.tax.taxable + p.tax.tax == p.net
    assert cart.total == cart.gross - cart.discount
    assert cart.total.minor == sum(b.taxable.minor + b.tax.minor for b in cart.taxes.bands)
    for code in "ACD":
        assert cart.taxes.band(code).tax.minor == 0
    shuffled = list(lines)
    rnd.shuffle(shuffled)
    assert price_cart(shuffled, KENYA, discount).taxes == cart.taxes


def test_one_currency_per_cart() -> None:
    with pytest.raises(CurrencyMismatch):
        price_cart(
            [
                CartLine("a", kes(100), Quantity.each(1), "B"),
                CartLine("b", Money(100, "UGX"), Quantity.each(1), "B"),
            ],
            KENYA,
        )
