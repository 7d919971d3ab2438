"""Closing a shift: a blind count of the drawer's cash only, confirmed in place, a reason
required for a shortage beyond the shop's tolerance, and Close within reach at 1366x768 in
Swahili. Real widgets over a real ledger file."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from sqlalchemy import select, update

from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.store.schema import audit_log, outbox
from pos_app.ui.application import Translations
from pos_app.ui.cashier.pages import cashier_pages
from pos_app.ui.cashier.shift_page import ShiftPage
from pos_app.ui.main_window import MainWindow

from .conftest import Shop
from .visibility import visible_without_scrolling


def kes(minor: int) -> Money:
    return Money(minor, "KES")


def day_of_takings(shop: Shop) -> str:
    """Float 1,000; a cash sale of 250 and a COD order of 400 (collected later)."""
    services = shop.services
    shift = services.shifts.open_shift(shop.cashier.id, kes(100_000))
    services.payments.record_cash_sale(
        services.orders.draft([OrderLine("Unga", kes(25_000))]), kes(25_000),
        cashier_id=shop.cashier.id, shift_id=shift.id)
    order = services.orders.create_order([OrderLine("Mchele", kes(40_000))],
                                         cashier_id=shop.cashier.id, shift_id=shift.id)
    cod = services.payments.create_cod(order.id, created_by=shop.cashier.id)
    services.payments.settle_cod(cod.id, kes(40_000), actor_id=shop.cashier.id)
    with services.ledger.write() as conn:  # the relay has them all: no override asked
        conn.execute(update(outbox).values(pushed_at=datetime.now(UTC)))
    return shift.id


def shift_page(qtbot: Any, ctx: Any) -> ShiftPage:
    page = ShiftPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.close_fields_ready, timeout=5000):
        page.show()
    return page


def page_text(page: ShiftPage) -> str:
    return "\n".join(
        label.text() for label in page.findChildren(QLabel) if label.isVisible()
    ) + "\n".join(e.placeholderText() + e.text() for e in [page.counted_cash])


def test_the_count_is_blind_and_only_the_drawer_is_counted(qtbot: Any, ctx: Any,
                                                           shop: Shop) -> None:
    day_of_takings(shop)
    page = shift_page(qtbot, ctx)
    shown = page_text(page)
    assert "1,250.00" not in shown  # the drawer's expected cash is not shown before the count
    assert page.counted_cash.placeholderText() == "0.00"  # the MoneyEdit default, no hint
    assert "Cash on delivery: KES 400.00" in page.ledger_totals.text()  # a total, not a field
    assert not page.shortage_reason.isVisible()


def test_close_is_confirmed_and_a_shortage_needs_a_reason(qtbot: Any, ctx: Any,
                                                          shop: Shop) -> None:
    shift_id = day_of_takings(shop)
    page = shift_page(qtbot, ctx)
    qtbot.keyClicks(page.counted_cash, "1200")  # 50 short
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    assert page.confirm_button.isVisible() and "KES 1,200.00" in page.confirm_label.text()
    assert page.counted_cash.isReadOnly()
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)  # a recount is still allowed
    assert page.close_button.isVisible() and not page.counted_cash.isReadOnly()
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.shortage_reason.isVisible, timeout=5000)
    assert page.report is None and "short" in page.message.text()
    assert "1,250.00" not in page.message.text()
    assert shop.services.shifts.current_shift() is not None  # nothing closed yet
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    assert page.counted_cash.isReadOnly()  # no recount once the shortage is known
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.shortage_reason, "Gave too much change")
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.report is not None, timeout=5000)
    report: Any = page.report
    assert report["methods"]["cash"]["difference_minor"] == -5_000
    assert report["methods"]["cash_on_delivery"]["difference_minor"] == 0
    assert "Reason for the shortage: Gave too much change" in page.report_view.toPlainText()
    shown = page.report_view.toPlainText()
    assert "1,250.00" in shown  # the expected, after the count
    assert "Cash on delivery\n400.00\n—\n—" in shown  # a ledger total: nothing counted
    with shop.services.ledger.read() as conn:
        details = conn.execute(
            select(audit_log.c.details).where(audit_log.c.action == "shift.closed",
                                              audit_log.c.entity_id == shift_id)
        ).scalar_one()
    assert "Gave too much change" in str(details)


def test_a_shortage_within_the_tolerance_needs_no_reason(qtbot: Any, ctx: Any,
                                                         shop: Shop) -> None:
    day_of_takings(shop)
    ctx.settings.shortage_tolerance_minor = 5_000
    page = shift_page(qtbot, ctx)
    qtbot.keyClicks(page.counted_cash, "1200")
    qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.report is not None, timeout=5000)
    assert not page.shortage_reason.isVisible()


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768)])
def test_close_is_in_reach_in_swahili(qtbot: Any, ctx: Any, shop: Shop,
                                      size: tuple[int, int]) -> None:
    day_of_takings(shop)
    translations = Translations(QApplication.instance())  # type: ignore[arg-type]
    translations.use("sw")
    try:
        window = MainWindow(ctx.status)
        qtbot.addWidget(window)
        window.resize(*size)
        pages = cashier_pages(ctx, "cashier")
        window.set_pages(pages)
        window.show()
        page = next(p.widget for p in pages if p.key == "shift")
        assert isinstance(page, ShiftPage)
        with qtbot.waitSignal(page.close_fields_ready, timeout=5000):
            window.show_page("shift")
        qtbot.keyClicks(page.counted_cash, "1200")
        assert visible_without_scrolling(page.close_button)
        qtbot.mouseClick(page.close_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: visible_without_scrolling(page.confirm_button), timeout=2000)
        qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(page.shortage_reason.isVisible, timeout=5000)
        qtbot.waitUntil(lambda: visible_without_scrolling(page.confirm_button), timeout=2000)
        assert visible_without_scrolling(page.shortage_reason)
    finally:
        translations.use("en")
