"""People see a sale by the receipt number printed on it ("TILL1-000002"), never by the first
characters of its id: the cash-on-delivery list and settle dialog, the sale page's messages.
(The receipt PDF's suggested name: test_counter_gaps.) Real widgets, services and SQLite."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from pos_app.core.money import Money
from pos_app.core.orders import OrderLine

from .conftest import Shop
from .helpers import child
from .test_whole_day import open_tender, scan

DUE = Money(1_450_00, "KES")


def number_of(ctx: Any, order_id: str) -> str:
    number = ctx.counter.orders.get_order(order_id).receipt_number
    assert number is not None
    return str(number)


def short_ids(order_id: str) -> tuple[str, str]:
    """The two ways the screens used to show an order's id."""
    return order_id[:8], order_id[:8].upper()


def test_cod_list_and_settle_dialog_name_the_sale_by_its_receipt_number(
    qtbot: Any, ctx: Any, shop: Shop
) -> None:
    from pos_app.ui.cashier.cod_page import CodPage
    from pos_app.ui.cashier.cod_settle_dialog import CodSettleDialog

    shop.services.shifts.open_shift(shop.cashier.id, Money(0, "KES"))
    ctx.counter.create_order([OrderLine("Chai", Money(100_00, "KES"))])  # takes TILL1-000001
    order = ctx.counter.create_order([OrderLine("Mafuta 5L", DUE)])
    ctx.counter.start_cod(order, DUE, "Wanjiku", "0712 345 678", "Kilimani, Nairobi", "k-cod")
    number = number_of(ctx, order)
    assert number == "TILL1-000002"

    page = CodPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    sale_cell = page.table.item(0, 0).text()
    assert sale_cell.startswith(number)
    assert not any(short in sale_cell for short in short_ids(order))

    [cod] = page.orders
    dialog = CodSettleDialog(ctx, cod)
    qtbot.addWidget(dialog)
    intro = dialog.findChildren(QLabel)[0].text()
    assert intro == "Sale TILL1-000002 for Wanjiku, expected KES 1,450.00."


def test_sale_page_offers_the_receipt_by_its_number(qtbot: Any, ctx: Any, page: Any) -> None:
    scan(qtbot, page, "6161100400012")  # 210.00
    cash = open_tender(qtbot, page, "cash")
    qtbot.mouseClick(child(cash, QPushButton, "note-50000"), Qt.MouseButton.LeftButton)
    done: list[str] = []
    page.sale_completed.connect(done.append)
    qtbot.mouseClick(cash.pay, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    number = number_of(ctx, done[0])
    assert page.receipt_label.text() == f"Receipt for sale {number}?"
    assert not any(short in page.receipt_label.text() for short in short_ids(done[0]))

