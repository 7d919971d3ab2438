from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.core.errors import InvalidBarcode, InvalidReceiptNumber
from pos_app.core.money import Money
from pos_app.core.quantities import Quantity, Unit
from pos_app.core.receipt_numbers import ReceiptNumber
from pos_app.core.scale_barcode import (
    Embedded,
    ScaleBarcodeRules,
    ScaleLayout,
    ean13_check_digit,
    is_valid_ean13,
)

RULES = ScaleBarcodeRules(
    (ScaleLayout("21", Embedded.WEIGHT_GRAMS), ScaleLayout("22", Embedded.PRICE_MINOR)), "KES"
)


def test_ean13_check_digit_of_a_published_example() -> None:
    assert ean13_check_digit("400638133393") == 1
    assert is_valid_ean13("4006381333931")
    assert not is_valid_ean13("4006381333932")
    assert not is_valid_ean13("400638133393")
    assert not is_valid_ean13("40063813339３1")  # a full-width digit is not a digit here


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(0, 11), st.data())
def test_a_single_wrong_digit_is_always_caught(
    first12: str, position: int, data: st.DataObject
) -> None:
    code = first12 + str(ean13_check_digit(first12))
    assert is_valid_ean13(code)
    other = data.draw(st.sampled_from([d for d in "0123456789" if d != code[position]]))
    assert not is_valid_ean13(code[:position] + other + code[position + 1 :])


def test_weight_label() -> None:
    # 21 | item 12345 | 1255 g | check 1 (weighted sum 59)
    reading = RULES.parse("2112345012551")
    assert reading is not None
    assert reading.item_code == "12345"
    assert reading.weight == Quantity(1255, Unit.KG)
    assert reading.price is None


def test_price_label() -> None:
    # 22 | item 00042 | KES 276.09 | check 0 (weighted sum 80)
    reading = RULES.parse(" 2200042276090 ")
    assert reading is not None
    assert (reading.item_code, reading.price, reading.weight) == (
        "00042",
        Money(27609, "KES"),
        None,
    )


def test_not_a_scale_label_is_left_to_the_catalogue() -> None:
    assert RULES.parse("4006381333931") is None  # an ordinary product EAN
    assert RULES.parse("2312345012558") is None  # prefix 23 is not configured here
    assert RULES.parse("21123") is None


def test_broken_scale_labels_are_refused() -> None:
    with pytest.raises(InvalidBarcode, match="check digit"):
        RULES.parse("2112345012552")
    zero = "211234500000"
    with pytest.raises(InvalidBarcode, match="no weight"):
        RULES.parse(zero + str(ean13_check_digit(zero)))
    with pytest.raises(InvalidBarcode):
        ScaleLayout("30", Embedded.WEIGHT_GRAMS)
    with pytest.raises(InvalidBarcode):
        ScaleBarcodeRules(
            (ScaleLayout("21", Embedded.WEIGHT_GRAMS), ScaleLayout("21", Embedded.PRICE_MINOR)),
            "KES",
        )


@given(
    st.sampled_from(["21", "22"]),
    st.text("0123456789", min_size=5, max_size=5),
    st.integers(1, 99_999),
)
def test_scale_labels_round_trip(prefix: str, item: str, value: int) -> None:
    first12 = f"{prefix}{item}{value:05d}"
    reading = RULES.parse(first12 + str(ean13_check_digit(first12)))
    assert reading is not None and reading.item_code == item
    if prefix == "21":
        assert reading.weight == Quantity(value, Unit.KG)
    else:
        assert reading.price == Money(value, "KES")


# --- receipt numbers ----------------------------------------------------------------------------
def test_receipt_number_format_and_forgiving_parse() -> None:
    number = ReceiptNumber("TILL1", 123)
    assert str(number) == "TILL1-000123"
    assert str(number.next()) == "TILL1-000124"
    assert str(ReceiptNumber.first("B2")) == "B2-000001"
    assert str(ReceiptNumber("T", 1_234_567)) == "T-1234567"
    for spoken in ("till1-123", " TILL1 - 000123 ", "TILL1 000123", "TILL1\u2013000123"):
        assert ReceiptNumber.parse(spoken) == number


@pytest.mark.parametrize("text", ["", "TILL1", "TILL1-", "-000123", "TILL 1-12", "T-0", "T-1.5"])
def test_receipt_number_parse_refuses(text: str) -> None:
    with pytest.raises(InvalidReceiptNumber):
        ReceiptNumber.parse(text)


def test_receipt_prefix_rules() -> None:
    with pytest.raises(InvalidReceiptNumber):
        ReceiptNumber("till1", 1)  # stored upper-case; parse() normalises what people type
    with pytest.raises(InvalidReceiptNumber):
        ReceiptNumber("TILL-1", 1)
    with pytest.raises(InvalidReceiptNumber):
        ReceiptNumber("T", 0)
    with pytest.raises(InvalidReceiptNumber, match="1 to"):
        ReceiptNumber("T", 10**12 - 1).next()


@given(st.from_regex(r"[A-Z0-9]{1,12}", fullmatch=True), st.integers(1, 10**12 - 2))
def test_receipt_numbers_round_trip_and_sort_by_sequence(prefix: str, sequence: int) -> None:
    number = ReceiptNumber(prefix, sequence)
    assert ReceiptNumber.parse(str(number)) == number
    assert number < number.next()
