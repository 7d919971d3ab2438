"""Weighed goods at the counter: scale labels, decimal quantities, units in the cart."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from pos_app.core.money import Money
from pos_app.core.quantities import Quantity, Unit
from pos_app.core.scale_barcode import ean13_check_digit
from pos_app.services.grants import Action

from .conftest import SUPERVISOR_PIN, Shop
from .helpers import child
from .test_whole_day import UNGA, open_tender, scan, wait_sale_done

LOOSE_SUGAR = "00101"  # the demo catalogue's Sukari ya Kupima, 170.00 a kilo


def label(prefix: str, item: str, value: int) -> str:
    first12 = f"{prefix}{item}{value:05d}"
    return first12 + str(ean13_check_digit(first12))


def shown_quantities(page: Any) -> list[str]:
    model = page.cart
    return [model.data(model.index(row, 1), Qt.ItemDataRole.DisplayRole)
            for row in range(model.rowCount())]


def type_quantity(qtbot: Any, page: Any, text: str) -> None:
    page.qty_edit.clear()
    qtbot.keyClicks(page.qty_edit, text)
    qtbot.keyPress(page.qty_edit, Qt.Key.Key_Return)


def test_each_scale_label_is_one_line_with_its_weight_and_is_sold_so(
    qtbot: Any, page: Any, shop: Shop
) -> None:
    scan(qtbot, page, label("21", LOOSE_SUGAR, 1250))
    scan(qtbot, page, label("21", LOOSE_SUGAR, 1250))  # a second bag: a line of its own
    scan(qtbot, page, UNGA)
    assert shown_quantities(page) == ["1.25 kg", "1.25 kg", "1"]
    assert page.cart.item_count == 3
    # 170.00 x 1.25 kg twice, and a 210.00 bag of flour
    assert page.total_label.text() == "Total KES 635.00"
    assert page.vat_label.text().startswith("3 item(s)")
    # the sugar is in band B (16%), the flour in C (0%): the preview prices them as the order
    shown_vat = page.vat_label.text()
    assert shown_vat.endswith("KES 58.62")
    cash = open_tender(qtbot, page, "cash")
    qtbot.mouseClick(child(cash, QPushButton, "note-100000"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(cash.pay, Qt.MouseButton.LeftButton)
    order = shop.services.orders.get_order(wait_sale_done(qtbot, page))
    assert [line.quantity for line in order.lines] == [Quantity(1250, Unit.KG)] * 2 + [1]
    assert order.total == Money(63500, "KES")
    assert [line.tax_class for line in order.lines] == ["B", "B", "C"]
    assert shown_vat.endswith(order.vat.format())


def test_a_price_label_rings_up_its_price_once_the_shop_sets_the_prefix(
    qtbot: Any, page: Any, shop: Shop
) -> None:
    price_label = label("22", LOOSE_SUGAR, 8500)  # 85.00 of sugar
    qtbot.keyClicks(page.search, price_label)
    qtbot.keyPress(page.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Unknown barcode" in page.message.text())  # not a layout yet
    assert page.cart.lines == []
    supervisor = shop.services.users.grant(shop.supervisor.id, SUPERVISOR_PIN, Action.SETTINGS)
    shop.services.shop.update(supervisor, scale_layouts="21=weight,22=price")
    page.search.clear()
    scan(qtbot, page, price_label)
    assert shown_quantities(page) == ["0.5 kg"]
    assert page.total_label.text() == "Total KES 85.00"


def test_a_label_for_an_unknown_item_adds_nothing_and_says_why(qtbot: Any, page: Any) -> None:
    qtbot.keyClicks(page.search, label("21", "99999", 500))
    qtbot.keyPress(page.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "item code 99999" in page.message.text())
    assert page.cart.lines == [] and page.message.property("role") == "error"


def test_the_quantity_takes_decimals_by_the_kilo_and_whole_numbers_by_the_piece(
    qtbot: Any, page: Any
) -> None:
    qtbot.keyClicks(page.search, "Sukari ya Kupima")
    qtbot.keyPress(page.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(page.cart.lines))
    assert shown_quantities(page) == ["1 kg"]  # picked by hand: a kilo, to correct
    assert "Qty" in page.message.text()
    qtbot.mouseClick(page.qty_button, Qt.MouseButton.LeftButton)
    type_quantity(qtbot, page, "0,75")  # a comma as typed in the region
    assert page.cart.lines[0].quantity == Quantity(750, Unit.KG)
    assert page.total_label.text() == "Total KES 127.50"
    for key in ("key-0", "key-.", "key-5", "key-action"):  # the keypad's decimal point
        qtbot.mouseClick(child(page.keypad, QPushButton, key), Qt.MouseButton.LeftButton)
    assert shown_quantities(page) == ["0.5 kg"]
    qtbot.keyClicks(page.qty_edit, "1.23456")
    assert page.qty_edit.text() == "1.234"  # three decimals at most: grams, millilitres
    page.qty_edit.clear()
    qtbot.mouseClick(page.plus, Qt.MouseButton.LeftButton)
    assert "count pieces" in page.message.text() and shown_quantities(page) == ["0.5 kg"]

    scan(qtbot, page, UNGA)
    page.table.selectRow(1)
    type_quantity(qtbot, page, "1.5")
    assert "sold by the piece" in page.message.text()
    assert page.message.property("role") == "error"
    assert page.cart.lines[1].quantity == 1  # nothing changed
    page.table.selectRow(1)
    type_quantity(qtbot, page, "3")
    assert shown_quantities(page) == ["0.5 kg", "3"]
    assert page.total_label.text() == "Total KES 715.00"  # 85.00 + 3 x 210.00
    page.table.selectRow(0)
    type_quantity(qtbot, page, "0.")
    assert "sold by kg" in page.message.text() and shown_quantities(page)[0] == "0.5 kg"
