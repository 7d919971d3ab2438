"""A supervisor adds and edits products in the app (name, barcode, price, category): each
change goes through the catalogue service, audited with the supervisor as its actor."""

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
    assert page.table.item(row, 2).text() == "Pulses"

    page.table.selectRow(0)  # a barcode already on another product is refused, nothing saved
    page.barcode_edit.setText("6161100400999")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "already on another product" in page.message.text(), timeout=5000)
