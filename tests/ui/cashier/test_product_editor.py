"""A supervisor adds and edits products in the app (name, barcode, price, category, the grid
key's colour and quick-key place): each change goes through the catalogue service, audited
with the supervisor as its actor."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from pos_app.core.money import Money
from pos_app.services.grants import Action, Grant
from pos_app.store.schema import audit_log
from pos_app.ui.cashier import catalogue_page
from pos_app.ui.cashier.catalogue_page import CataloguePage

from .conftest import SUPERVISOR_PIN, Shop


def audited(shop: Shop, action: str) -> list[Any]:
    with shop.services.ledger.read() as conn:
        return list(conn.execute(
            select(audit_log.c.actor, audit_log.c.entity_id).where(audit_log.c.action == action)
        ))


def test_add_then_edit_a_product(
    qtbot: Any, ctx: Any, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx.current_user = shop.supervisor
    asked: list[Action] = []

    def supervisor_types_pin(_parent: Any, _ctx: Any, _reason: str, action: Action) -> Grant:
        asked.append(action)
        return shop.services.users.grant(shop.supervisor.id, SUPERVISOR_PIN, action)

    monkeypatch.setattr(catalogue_page, "ask_supervisor_pin", supervisor_types_pin)
    page = CataloguePage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: len(page.products) == 21, timeout=5000)

    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)  # nothing typed
    assert "name and a price" in page.message.text()
    qtbot.keyClicks(page.name_edit, "Maharagwe 1kg")
    qtbot.keyClicks(page.barcode_edit, "6161100400999")
    qtbot.keyClicks(page.price_edit, "180")
    qtbot.keyClicks(page.category_edit, "Grains")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(page.products) == 22, timeout=5000)
    found = shop.services.catalogue.find_by_barcode("6161100400999")
    assert found is not None and found.category == "Grains"
    assert found.price == Money(18_000, "KES")
    assert audited(shop, "product.added")[-1] == (shop.supervisor.id, found.id)

    row = next(n for n, p in enumerate(page.products) if p.id == found.id)
    page.table.selectRow(row)
    assert page.name_edit.text() == "Maharagwe 1kg" and page.save_button.isEnabled()
    page.price_edit.clear()
    qtbot.keyClicks(page.price_edit, "175")
    page.category_edit.setText("Pulses")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved" in page.message.text(), timeout=5000)
    changed = shop.services.catalogue.get_product(found.id)
    assert (changed.price, changed.category) == (Money(17_500, "KES"), "Pulses")
    assert audited(shop, "product.updated")[-1] == (shop.supervisor.id, found.id)
    assert asked == [Action.CATALOGUE, Action.CATALOGUE]  # each change under a fresh PIN
    # the list is read again on a worker after "Saved": the row shows the change once it lands
    qtbot.waitUntil(lambda: page.table.item(
        next(n for n, p in enumerate(page.products) if p.id == found.id), 2).text() == "Pulses",
        timeout=5000)

    page.table.selectRow(0)  # a barcode already on another product is refused, nothing saved
    page.barcode_edit.setText("6161100400999")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "already on another product" in page.message.text(), timeout=5000)


def test_colour_and_quick_key_set_in_the_app_reach_the_sale_grid(
    qtbot: Any, ctx: Any, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QPushButton

    from pos_app.ui.cashier.sale_page import SalePage

    ctx.current_user = shop.supervisor

    def supervisor_types_pin(_parent: Any, _ctx: Any, _reason: str, action: Action) -> Grant:
        return shop.services.users.grant(shop.supervisor.id, SUPERVISOR_PIN, action)

    monkeypatch.setattr(catalogue_page, "ask_supervisor_pin", supervisor_types_pin)
    page = CataloguePage(ctx)
    qtbot.addWidget(page)
    page.show()
    demo = len(shop.services.catalogue.list_products())
    qtbot.waitUntil(lambda: len(page.products) == demo, timeout=5000)
    qtbot.keyClicks(page.name_edit, "Maandazi")
    qtbot.keyClicks(page.price_edit, "20")
    qtbot.keyClicks(page.category_edit, "Bakery")
    page.colour_box.setCurrentIndex(page.colour_box.findText("Orange"))
    page.quick_key.setValue(12)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)  # 12 holds the eggs
    qtbot.waitUntil(lambda: "already Mayai (tray 30)" in page.message.text(), timeout=5000)
    assert len(shop.services.catalogue.list_products()) == demo  # nothing added
    eggs = next(p for p in page.products if p.quick_key == 12)
    shop.services.catalogue.update_product(
        eggs.id, quick_key=None,
        grant=shop.services.users.grant(shop.supervisor.id, SUPERVISOR_PIN, Action.CATALOGUE))
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(page.products) == demo + 1, timeout=5000)
    [added] = [p for p in page.products if p.name == "Maandazi"]
    assert (added.colour, added.quick_key) == ("#FB8C00", 12)

    page.table.selectRow(page.products.index(added))  # the form shows what is stored
    assert page.colour_box.currentText() == "Orange" and page.quick_key.value() == 12
    page.colour_box.setCurrentIndex(page.colour_box.findText("Teal"))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved" in page.message.text(), timeout=5000)
    assert shop.services.catalogue.get_product(added.id).colour == "#00897B"

    sale = SalePage(ctx)
    qtbot.addWidget(sale)
    sale.show()
    qtbot.waitUntil(lambda: sale.quick_buttons[11].isEnabled(), timeout=5000)
    assert sale.quick_buttons[11].text().startswith("Maandazi")
    assert "#00897B" in sale.quick_buttons[11].styleSheet()
    qtbot.mouseClick(sale.findChild(QPushButton, "category-Bakery"), Qt.MouseButton.LeftButton)
    assert "#00897B" in sale.quick_buttons[0].styleSheet()

    page.table.selectRow(next(n for n, p in enumerate(page.products) if p.id == added.id))
    # "No colour" and no quick key take them off again
    page.colour_box.setCurrentIndex(0)
    page.quick_key.setValue(0)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shop.services.catalogue.get_product(added.id).colour is None,
                    timeout=5000)
    assert shop.services.catalogue.get_product(added.id).quick_key is None

