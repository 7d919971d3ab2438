"""No text is cut or wrapped mid-word at a shop laptop's 1366x768 or a small 1024x768, in
English or Swahili: every page of a supervisor's window (the cashier's pages and the
supervisor's), each label, button, check box and table header measured against its widget."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QWidget,
)
from sqlalchemy import update

from pos_app.app import pages_for
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.store.schema import outbox
from pos_app.ui.application import Translations, create_application
from pos_app.ui.main_window import MainWindow

from .conftest import Shop

BUTTON_PADDING = 8  # the style's frame and margin on both sides, at the least
CHECK_INDICATOR = 22  # the box and its gap before the text
# a section sized to its contents keeps a little less than both margins (Qt rounds the text's
# advance); text wider than this is elided
HEADER_PADDING = 6
SIZES = [(1366, 768), (1024, 768)]


def words(text: str) -> list[str]:
    return [w for w in re.split(r"\s+", text.replace("&&", "&").replace("&", "")) if w]


def lines(text: str) -> list[str]:
    return [line for line in text.replace("&&", "&").replace("&", "").split("\n") if line]


def where(widget: QWidget) -> str:
    names = []
    while widget is not None and len(names) < 3:
        names.append(widget.objectName() or type(widget).__name__)
        widget = widget.parentWidget()
    return "/".join(names)


def offenders(root: QWidget) -> Iterator[str]:
    for label in root.findChildren(QLabel):
        text = label.text()
        if not label.isVisible() or not text or (label.pixmap() is not None and (
                not label.pixmap().isNull())):
            continue
        if label.textFormat() == Qt.TextFormat.RichText or ("<" in text and ">" in text):
            continue  # rich text is laid out as a document that wraps where it can
        metrics = QFontMetrics(label.font())
        room = label.contentsRect().width() - 2 * label.margin()
        pieces = words(text) if label.wordWrap() else lines(text)
        for piece in pieces:
            if metrics.horizontalAdvance(piece) > room:
                yield f"label {where(label)}: {piece!r} needs {metrics.horizontalAdvance(piece)}" \
                      f" px, has {room}"
                break
    for button in root.findChildren(QAbstractButton):
        if not button.isVisible() or not button.text():
            continue
        if not isinstance(button, QPushButton | QCheckBox):
            continue
        metrics = QFontMetrics(button.font())
        needed = max(metrics.horizontalAdvance(line) for line in lines(button.text()))
        needed += CHECK_INDICATOR if isinstance(button, QCheckBox) else BUTTON_PADDING
        if not button.icon().isNull():
            needed += button.iconSize().width()
        if needed > button.width():
            yield f"button {where(button)}: {button.text()!r} needs {needed} px, has " \
                  f"{button.width()}"
    for header in root.findChildren(QHeaderView):
        if not header.isVisible() or header.orientation() != Qt.Orientation.Horizontal:
            continue
        model = header.model()
        metrics = QFontMetrics(header.font())
        for section in range(header.count()):
            if header.isSectionHidden(section):
                continue
            text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
            if not text:
                continue
            needed = metrics.horizontalAdvance(text) + HEADER_PADDING
            if needed > header.sectionSize(section):
                yield f"header {where(header)} column {text!r} needs {needed} px, has " \
                      f"{header.sectionSize(section)}"


def sideways(page: QWidget) -> Iterator[str]:
    """A page wider than the window scrolls sideways: the cashier cannot see its right side
    (the cart and Charge, on the sale page) without scrolling."""
    scroller = page.parentWidget().parentWidget()  # page <- viewport <- its scroll area
    assert isinstance(scroller, QScrollArea)
    if scroller.horizontalScrollBar().maximum() > 0:
        yield f"page needs {page.minimumSizeHint().width()} px wide, has " \
              f"{scroller.viewport().width()}: it scrolls sideways"


def busy_day(shop: Shop) -> None:
    """An open shift with a few sales, so lists and reports have rows."""
    services = shop.services
    shift = services.shifts.open_shift(shop.cashier.id, Money(100_000, "KES"))
    for name, minor in (("Unga wa Ugali 2kg", 21_000), ("Sukari 1kg", 18_000)):
        services.payments.record_cash_sale(
            services.orders.draft([OrderLine(name, Money(minor, "KES"))]), Money(minor, "KES"),
            cashier_id=shop.cashier.id, shift_id=shift.id)
    waiting = services.orders.create_order([OrderLine("Mkate", Money(7_000, "KES"))],
                                           cashier_id=shop.cashier.id, shift_id=shift.id)
    services.payments.submit_manual_payment_proof(  # the Approvals title counts it: "(1)"
        waiting.id, "mpesa_receipt", "SHQ4W8E2R6", submitted_by=shop.cashier.id)
    with services.ledger.write() as conn:
        conn.execute(update(outbox).values(pushed_at=datetime.now(UTC)))


def test_the_check_finds_a_cut_button_label_and_header(qtbot: Any) -> None:
    from PySide6.QtWidgets import QTableWidget, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    button = QPushButton("Close shift and print the Z report")
    button.setFixedWidth(60)
    label = QLabel("Pesa taslimu iliyohesabiwa")
    label.setWordWrap(True)
    label.setFixedWidth(40)
    table = QTableWidget(1, 1)
    table.setHorizontalHeaderLabels(["Kilichorejeshwa"])
    table.horizontalHeader().resizeSection(0, 30)
    for widget in (button, label, table):
        layout.addWidget(widget)
    root.show()
    found = list(offenders(root))
    assert len(found) == 3, found


@pytest.mark.parametrize("language", ["en", "sw"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_text_is_cut(qtbot: Any, ctx: Any, shop: Shop, language: str,
                        size: tuple[int, int]) -> None:
    busy_day(shop)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font, style = app.font(), app.styleSheet()
    create_application()  # the till's own fonts and style sheet: what a cashier sees
    translations = Translations(app)
    translations.use(language)
    try:
        ctx.current_user = shop.supervisor
        ctx.counter.user_id = shop.supervisor.id
        window = MainWindow(ctx.status)
        qtbot.addWidget(window)
        window.resize(*size)
        pages = pages_for(ctx, "supervisor")
        window.set_pages(pages)
        window.show()
        qtbot.waitExposed(window)
        assert (window.width(), window.height()) == size  # the window fits the screen at all
        found: list[str] = []
        for page in pages:
            window.show_page(page.key)
            qtbot.wait(400)  # the page's first load lands
            found += [f"[{page.key}] {o}" for o in offenders(window)]
            found += [f"[{page.key}] {o}" for o in sideways(page.widget)]
            if page.key == "sale":  # the category buttons stand whole in their strip
                strip = page.widget.category_scroll
                found += [f"[sale] category {b.text()!r} is {b.height()} px tall in a "
                          f"{strip.viewport().height()} px strip"
                          for b in page.widget.category_group.buttons()
                          if b.height() > strip.viewport().height()]
                # after a sale: the receipt question with the SMS phone row open, in sight
                sale = page.widget
                sale.offer_receipt("0" * 36, "TILL1-000123")
                sale.sms_receipt.click()
                qtbot.wait(100)
                found += [f"[sale, receipt choice] {o}" for o in offenders(window)]
                found += [f"[sale, receipt choice] {o}" for o in sideways(sale)]
                if sale.sms_phone.visibleRegion().boundingRect().height() < sale.sms_phone.height():
                    found.append("[sale, receipt choice] the SMS phone row is out of sight")
                sale._receipt_chosen(False)
        assert not found, "\n".join(sorted(set(found)))
    finally:
        translations.use("en")
        app.setStyleSheet(style)
        app.setFont(font)
