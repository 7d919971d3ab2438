"""Weighed goods: quantities in thousandths through the ledger, scale labels at the scanner."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from ledger_helpers import Till, kes
from sqlalchemy import select

from pos_app.core.errors import CatalogueError, InvalidBarcode, InvalidOrder
from pos_app.core.orders import OrderLine
from pos_app.core.quantities import Quantity, Unit
from pos_app.core.scale_barcode import ean13_check_digit
from pos_app.services.counter import Counter
from pos_app.services.grants import Action
from pos_app.store.schema import order_lines


def label(prefix: str, item: str, value: int) -> str:
    first12 = f"{prefix}{item}{value:05d}"
    return first12 + str(ean13_check_digit(first12))


@pytest.fixture
def counter(till: Till) -> Counter:
    catalogue = till.services.catalogue
    catalogue.add_product(
        "Nyama ya ng'ombe",
        kes(65000),
        sku="00042",
        tax_class="A",
        unit="kg",
        grant=till.grant(Action.CATALOGUE),
    )
    catalogue.add_product(
        "Mafuta ya taa", kes(18000), sku="00043", unit="l", grant=till.grant(Action.CATALOGUE)
    )
    catalogue.add_product(
        "Sabuni",
        kes(12000),
        sku="00044",
        barcode="6161100400999",
        grant=till.grant(Action.CATALOGUE),
    )
    till.services.shifts.open_shift(till.cashier.id, kes(500_00))
    return Counter(till.services)


def test_a_weight_label_rings_up_the_product_by_the_kilo(till: Till, counter: Counter) -> None:
    found = counter.scan(label("21", "00042", 1250))
    assert found is not None and found.product.sku == "00042"
    assert found.quantity == Quantity(1250, Unit.KG)
    line = OrderLine(found.product.name, found.product.price, found.quantity, found.product.id)
    order = till.services.orders.get_order(counter.create_order([line]))
    # 650.00 a kilo x 1.25 kg, exempt (A)
    assert order.total == kes(81250) and order.vat.is_zero
    assert order.lines[0].quantity == Quantity(1250, Unit.KG)
    with till.ledger.read() as conn:
        row = conn.execute(select(order_lines)).one()
    assert (row.quantity_thousandths, row.unit, row.tax_class) == (1250, "kg", "A")


def test_the_shop_sets_its_scale_prefixes(till: Till, counter: Counter) -> None:
    assert counter.scan(label("22", "00043", 9000)) is None  # not a layout of this shop yet
    till.services.shop.update(till.grant(Action.SETTINGS), scale_layouts="22=price, 23=weight")
    found = counter.scan(label("22", "00043", 9000))  # 90.00 of paraffin at 180.00 a litre
    assert found is not None and found.quantity == Quantity(500, Unit.LITRE)
    found = counter.scan(label("23", "00042", 500))
    assert found is not None and found.quantity == Quantity(500, Unit.KG)
    assert counter.scan(label("21", "00042", 500)) is None


def test_a_scale_label_with_a_wrong_check_digit_or_for_a_piece_is_refused(
    counter: Counter,
) -> None:
    good = label("21", "00042", 1250)
    with pytest.raises(InvalidBarcode):
        counter.scan(good[:-1] + str((int(good[-1]) + 1) % 10))
    with pytest.raises(CatalogueError, match="Sabuni is sold by the piece"):
        counter.scan(label("21", "00044", 1000))


def test_a_scale_label_for_an_unknown_or_withdrawn_item_says_so(
    till: Till, counter: Counter
) -> None:
    with pytest.raises(CatalogueError, match="no product has item code 99999"):
        counter.scan(label("21", "99999", 1000))
    meat = counter.scan(label("21", "00042", 1000))
    assert meat is not None
    till.services.catalogue.update_product(
        meat.product.id, grant=till.grant(Action.CATALOGUE), active=False
    )
    with pytest.raises(CatalogueError, match="item code 00042"):
        counter.find_for_enter(label("21", "00042", 1000))


def test_enter_reads_a_scale_label_and_rings_up_its_printed_price(
    till: Till, counter: Counter
) -> None:
    till.services.shop.update(till.grant(Action.SETTINGS), scale_layouts="21=weight,22=price")
    weighed = counter.find_for_enter(label("21", "00042", 750))
    assert weighed is not None and weighed.quantity == Quantity(750, Unit.KG)
    # a scale at 650.00 a kilo printed 100.10 for 154 g
    priced = counter.find_for_enter(label("22", "00042", 10010))
    assert priced is not None and priced.quantity == Quantity(154, Unit.KG)
    lines = [
        OrderLine(found.product.name, found.product.price, found.quantity, found.product.id)
        for found in (weighed, priced)
    ]
    order = till.services.orders.get_order(counter.create_order(lines))
    assert [line.total for line in order.lines] == [kes(48750), kes(10010)]
    assert order.total == kes(58760)
    by_hand = counter.find_for_enter("Sabuni")
    assert by_hand is not None and by_hand.quantity is None and by_hand.product.sku == "00044"


def test_an_ordinary_barcode_still_finds_its_product(counter: Counter) -> None:
    found = counter.scan("6161100400999")
    assert found is not None and found.product.name == "Sabuni" and found.quantity is None


@examples(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(1, 99_999), st.integers(1, 1_000_000))
def test_a_weighed_line_is_price_times_weight_rounded_once(
    till: Till, grams: int, price: int
) -> None:
    line = OrderLine("Nyama", kes(price), Quantity(grams, Unit.KG), tax_class="B")
    if price * grams < 500:  # rounds to nothing
        with pytest.raises(InvalidOrder):
            till.services.orders.create_order([line])
        return
    order = till.services.orders.create_order([line])
    exact_twice = price * grams * 2
    assert abs(order.total.minor * 2000 - exact_twice) <= 1000  # within half a minor unit
    assert order.stored_lines[0].line.quantity == Quantity(grams, Unit.KG)
    assert order.taxes.gross == order.total


def test_the_receipt_of_a_weighed_sale_prints_weight_unit_and_price_per_kilo(
    till: Till, counter: Counter
) -> None:
    from pos_app.printing.layout import lay_out
    from pos_app.ui.receipts.render import receipt_labels

    found = counter.scan(label("21", "00042", 750))
    assert found is not None and found.quantity is not None
    soap = counter.scan("6161100400999")
    assert soap is not None
    order_id = counter.create_order([
        OrderLine(found.product.name, found.product.price, found.quantity, found.product.id),
        OrderLine(soap.product.name, soap.product.price, 2, soap.product.id),
    ])
    receipt = counter.receipt(order_id)
    assert [line.quantity for line in receipt.lines] == [Quantity(750, Unit.KG), 2]
    assert receipt.total == kes(48750 + 24000)  # 650.00 x 0.75 kg + 2 x 120.00
    lines = lay_out(receipt, receipt_labels(), 32).lines
    assert any(line.startswith("  0.75 kg x 650.00") and line.endswith("487.50 A")
               for line in lines)
    assert any(line.startswith("  2 x 120.00") and line.endswith("240.00 B") for line in lines)
