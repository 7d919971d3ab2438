from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.core.errors import InvalidInput, RefundTooLarge
from pos_app.core.money import Money
from pos_app.core.quantities import Quantity, Unit
from pos_app.core.refunds import SoldLine, credit_note
from pos_app.core.rounding import split_vat_inclusive
from pos_app.core.tax import KENYA


def kes(minor: int) -> Money:
    return Money(minor, "KES")


# the worked basket of test_discounts_pricing, as sold (paid = after discounts)
SALE = [
    SoldLine(Quantity.each(2), kes(40198), "C"),
    SoldLine(Quantity.each(1), kes(16749), "B"),
    SoldLine(Quantity(1255, Unit.KG), kes(26425), "A"),
    SoldLine(Quantity.each(1), kes(103367), "E"),
    SoldLine(Quantity.each(1), kes(36370), "B"),
]


def test_worked_refund_of_one_unga_and_half_the_rice() -> None:
    note = credit_note(SALE, {2: Quantity(500, Unit.KG), 0: Quantity.each(1)}, KENYA)
    assert [c.index for c in note.lines] == [0, 2]
    # one of two Unga: 401.98 / 2 = 200.99; 0.5 of 1.255 kg rice: 264.25 x 500/1255 = 105.28
    assert [c.amount.minor for c in note.lines] == [20099, 10528]
    assert note.taxes.band("C").taxable == kes(20099)
    assert note.taxes.band("A").taxable == kes(10528)
    assert note.taxes.tax == kes(0)
    assert note.total == kes(306_27)


def test_refund_of_a_vat_line_splits_per_line() -> None:
    note = credit_note(SALE, {1: Quantity.each(1), 4: Quantity.each(1)}, KENYA)
    band_b = note.taxes.band("B")
    assert (band_b.taxable.minor, band_b.tax.minor) == (14439 + 31353, 2310 + 5017)


def test_never_more_than_what_remains() -> None:
    half_back = SoldLine(Quantity.each(2), kes(40198), "C", refunded_thousandths=1000)
    assert credit_note([half_back], {0: Quantity.each(1)}, KENYA).total == kes(20099)
    with pytest.raises(RefundTooLarge, match="only 1 is left"):
        credit_note([half_back], {0: Quantity.each(2)}, KENYA)
    done = SoldLine(Quantity.each(2), kes(40198), "C", refunded_thousandths=2000)
    with pytest.raises(RefundTooLarge, match="nothing"):
        credit_note([done], {0: Quantity.each(1)}, KENYA)
    with pytest.raises(RefundTooLarge):
        SoldLine(Quantity.each(2), kes(40198), "C", refunded_thousandths=3000)
    with pytest.raises(InvalidInput):
        credit_note(SALE, {5: Quantity.each(1)}, KENYA)
    with pytest.raises(InvalidInput):
        credit_note(SALE, {2: Quantity.each(1)}, KENYA)  # rice was sold by the kg


@given(
    st.integers(1, 50_000),
    st.integers(0, 10**8),
    st.sampled_from("ABCDE"),
    st.lists(st.integers(1, 50_000), min_size=1, max_size=10),
)
def test_partial_refunds_add_up_to_exactly_what_was_paid(
    sold_thousandths: int, paid: int, band: str, pieces: list[int]
) -> None:
    refunded = 0
    credited = 0
    for piece in pieces:
        left = sold_thousandths - refunded
        if left == 0:
            break
        piece = min(piece, left)
        line = SoldLine(Quantity(sold_thousandths, Unit.KG), kes(paid), band, refunded)
        note = credit_note([line], {0: Quantity(piece, Unit.KG)}, KENYA)
        (credit,) = note.lines
        assert 0 <= credit.amount.minor <= paid - credited
        # each credit line obeys KRA's per-line split, as a sale line does
        assert (credit.tax.taxable.minor, credit.tax.tax.minor) == split_vat_inclusive(
            credit.amount.minor, KENYA.get(band).rate_bps
        )
        assert note.total == credit.amount
        refunded += piece
        credited += credit.amount.minor
    if refunded == sold_thousandths:
        assert credited == paid
    else:
        assert credited <= paid
