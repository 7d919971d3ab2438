"""eTIMS request bodies built from the tax core: golden files, the reference samples rebuilt,
and the invariants KRA checks on every body."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from etims_cases import ITEMS, SHOP, basket, etims_sample, golden, mixed_sale, returned_sugar
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pos_app.core.discounts import Discount
from pos_app.core.money import Money
from pos_app.core.pricing import CartLine, PricedCart, price_cart
from pos_app.core.quantities import Quantity, Unit
from pos_app.core.refunds import SoldLine, credit_note
from pos_app.core.tax import KENYA
from sync.providers.etims import SaleRequest
from sync.providers.etims_sale import (
    EtimsBodyError,
    EtimsItem,
    InvoiceHeader,
    ReceiptTexts,
    credit_note_request,
    sale_request,
)


def test_mixed_basket_matches_its_golden_body() -> None:
    assert mixed_sale().wire() == golden("sale_mixed_basket.json")


def test_mixed_basket_worked_by_hand() -> None:
    body = mixed_sale().wire()
    sugar, rice, milk, kerosene = body["itemList"]
    # 3 x 165.00 = 495.00 less 15.00: 480.00 gross, 480 / 1.16 = 413.793 -> 413.79 + 66.21
    assert (sugar["splyAmt"], sugar["dcAmt"], sugar["dcRt"]) == (495, 15, 3.03)
    assert (sugar["taxblAmt"], sugar["taxAmt"], sugar["totAmt"]) == (413.79, 66.21, 480)
    # 1.255 kg at 180.00 = 225.90 exactly; KRA's qty has two decimals: 1.26 (half up)
    assert (rice["qty"], rice["pkg"], rice["splyAmt"], rice["taxTyCd"]) == (1.26, 1.26, 225.9, "A")
    assert (milk["taxblAmt"], milk["taxAmt"], milk["taxTyCd"]) == (120, 0, "C")
    # 158 / 1.08 = 146.296 -> 146.30 + 11.70
    assert (kerosene["taxblAmt"], kerosene["taxAmt"], kerosene["taxTyCd"]) == (146.3, 11.7, "E")
    assert (body["totAmt"], body["totTaxAmt"], body["totItemCnt"]) == (983.9, 77.91, 4)
    assert (body["cfmDt"], body["salesDt"]) == ("20260115143005", "20260115")  # EAT


def test_credit_note_matches_its_golden_body() -> None:
    body = returned_sugar().wire()
    assert body == golden("credit_note_one_sugar.json")
    # one of three sugars that cost 480.00 together: 160.00 back, 5.00 of it the discount
    (line,) = body["itemList"]
    assert (line["qty"], line["prc"], line["splyAmt"], line["dcAmt"], line["totAmt"]) == (
        1,
        165,
        165,
        5,
        160,
    )
    assert (body["rcptTyCd"], body["orgInvcNo"], body["rfdRsnCd"]) == ("R", 1042, "06")
    assert body["rfdDt"] == body["cfmDt"] == "20260116101500"


def _reference_header(receipt: str, invoice: int, moment: datetime) -> InvoiceHeader:
    return InvoiceHeader(
        trader_invoice_number=receipt,
        invoice_number=invoice,
        confirmed_at=moment,
        payment_type="06",
        cashier_id="till01",
        cashier_name="Till 1",
        receipt=SHOP,
        buyer_tin="P000000002B",
        buyer_name="Example Buyer Ltd",
    )


REFERENCE_ITEMS = (
    EtimsItem("KE2NTNO0000001", "5000000000", "NO"),
    EtimsItem("KE2NTNO0000002", "5000000001", "NO"),
)


def _reference_sale() -> PricedCart:
    return price_cart(
        [
            CartLine("Drinking water 500ml", Money(5000, "KES"), Quantity.each(3), "B"),
            CartLine("Maize flour 2kg", Money(18000, "KES"), Quantity.each(1), "A"),
        ],
        KENYA,
    )


def test_the_reference_sale_sample_is_rebuilt_exactly() -> None:
    header = _reference_header("POS1-000872", 1042, datetime(2026, 1, 15, 11, 30, 5, tzinfo=UTC))
    body = sale_request(_reference_sale(), REFERENCE_ITEMS, header).wire()
    assert body == etims_sample("save_sales_request.json")


def test_the_reference_credit_note_sample_is_rebuilt_exactly() -> None:
    cart = _reference_sale()
    sold = [SoldLine(p.line.quantity, p.net, p.line.tax_class) for p in cart.lines]
    note = credit_note(sold, {0: Quantity.each(1)}, KENYA)
    header = replace(
        _reference_header("POS1-CN-000031", 1043, datetime(2026, 1, 16, 7, 15, tzinfo=UTC)),
        remark="Customer returned 1 unit",
    )
    body = credit_note_request(
        note,
        cart,
        REFERENCE_ITEMS,
        header,
        original_invoice_number=1042,
        reason_code="06",
    ).wire()
    assert body == etims_sample("credit_note_request.json")


def test_every_body_is_a_valid_request_again() -> None:
    for body in (golden("sale_mixed_basket.json"), golden("credit_note_one_sugar.json")):
        assert SaleRequest.model_validate(body).wire() == body


def test_bodies_refuse_what_kra_refuses() -> None:
    good = golden("sale_mixed_basket.json")
    with pytest.raises(ValidationError, match="totItemCnt"):
        SaleRequest.model_validate({**good, "totItemCnt": 3})
    with pytest.raises(ValidationError, match="credit note"):
        SaleRequest.model_validate({**good, "rcptTyCd": "R"})
    with pytest.raises(ValidationError):
        SaleRequest.model_validate({**good, "cfmDt": "2026-01-15"})
    with pytest.raises(ValidationError):
        SaleRequest.model_validate({**good, "itemList": []})


def test_builder_refusals() -> None:
    with pytest.raises(EtimsBodyError, match="eTIMS item"):
        sale_request(basket(), ITEMS[:3], _reference_header("T-1", 1, datetime.now(UTC)))
    with pytest.raises(EtimsBodyError, match="time zone"):
        _reference_header("T-1", 1, datetime(2026, 1, 1, 12, 0))
    usd = price_cart([CartLine("Thing", Money(100, "USD"), Quantity.each(1), "B")], KENYA)
    with pytest.raises(EtimsBodyError, match="KES"):
        sale_request(usd, ITEMS[:1], _reference_header("T-1", 1, datetime.now(UTC)))
    tiny = price_cart(
        [CartLine("Saffron", Money(900_000, "KES"), Quantity.parse("0.004", Unit.KG), "B")], KENYA
    )
    with pytest.raises(EtimsBodyError, match=r"0\.01"):
        sale_request(tiny, ITEMS[:1], _reference_header("T-1", 1, datetime.now(UTC)))


BAND = st.sampled_from(["A", "B", "C", "D", "E"])


@st.composite
def cart_lines(draw: st.DrawFn) -> CartLine:
    price = Money(draw(st.integers(1, 500_000)), "KES")
    if draw(st.booleans()):
        quantity = Quantity(draw(st.integers(10, 20_000)), Unit.KG)
    else:
        quantity = Quantity.each(draw(st.integers(1, 50)))
    gross = CartLine("Item", price, quantity, "A").gross.minor
    off = draw(st.integers(0, gross))
    discount = Discount(Money(off, "KES"), "promo") if off else None
    return CartLine("Item", price, quantity, draw(BAND), discount)


@settings(max_examples=150, deadline=None)
@given(st.lists(cart_lines(), min_size=1, max_size=8), st.integers(0, 10_000))
def test_any_cart_gives_a_body_whose_parts_add_up(lines: list[CartLine], off: int) -> None:
    left = sum(line.gross.minor - line.line_discount.minor for line in lines)
    assume(off <= left and (off == 0 or left > 0))
    cart = price_cart(lines, KENYA, Discount(Money(off, "KES"), "cart") if off else None)
    items = [EtimsItem(f"KE2NTNO{i:07d}", "5000000000", "NO") for i in range(len(lines))]
    body = sale_request(cart, items, _reference_header("T-1", 7, datetime(2026, 3, 1, tzinfo=UTC)))
    wire = body.wire()
    assert SaleRequest.model_validate(wire) == body
    cents = Decimal("0.01")
    for band in "ABCDE":
        mine = [i for i in body.item_list if i.tax_ty_cd == band]
        assert getattr(body, f"taxbl_amt_{band.lower()}") == sum(
            (i.taxbl_amt for i in mine), Decimal(0)
        )
        assert getattr(body, f"tax_amt_{band.lower()}") == sum(
            (i.tax_amt for i in mine), Decimal(0)
        )
    for item in body.item_list:
        assert item.taxbl_amt + item.tax_amt == item.tot_amt == item.sply_amt - item.dc_amt
        assert item.qty.quantize(cents) == item.qty > 0
    assert body.tot_taxbl_amt + body.tot_tax_amt == body.tot_amt
    assert body.tot_amt == Decimal(cart.total.minor) / 100
    assert body.receipt.trde_nm == ReceiptTexts("EXAMPLE MART").trade_name
