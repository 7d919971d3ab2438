"""The last gaps of the counter: the day starts on the Shift page, "No sale" opens the drawer
on the record, file dialogs start in the user's folders, a lock-out says how long to wait
(never a UTC clock), and supervisor pages show times in the shop's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from escpos.printer import Dummy
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from pos_app.core.errors import UserLocked
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.printing.escpos_printer import drawer_kick_bytes
from pos_app.services.grants import Action
from pos_app.ui.application import Translations
from pos_app.ui.errors import error_message
from pos_app.ui.supervisor.formatting import local_text

from .conftest import SUPERVISOR_PIN, Shop


def kes(minor: int) -> Money:
    return Money(minor, "KES")


def test_with_no_shift_open_the_day_starts_on_shift_and_opening_it_goes_to_sale(
    qtbot: Any, ctx: Any, shop: Shop
) -> None:
    from pos_app.app import Till
    from pos_app.ui.cashier.sale_page import SalePage
    from pos_app.ui.cashier.shift_page import ShiftPage
    from pos_app.ui.main_window import MainWindow

    window = MainWindow(ctx.status)
    qtbot.addWidget(window)
    window.show()
    till = Till(ctx, window)
    till.show_for(shop.supervisor)  # a new supervisor, first thing in the morning
    qtbot.waitUntil(lambda: isinstance(window.current_page(), ShiftPage), timeout=5000)
    page = window.current_page()
    assert isinstance(page, ShiftPage)
    qtbot.waitUntil(lambda: page.open_box.isVisibleTo(page), timeout=5000)
    qtbot.keyClicks(page.float_edit, "1,000")
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.current_page(), SalePage), timeout=5000)
    assert shop.services.shifts.current_shift() is not None
    # the next sign-in, with the shift open, stays on Sale
    till.show_for(shop.cashier)
    qtbot.wait(200)  # the shift lookup has come back by now
    QApplication.processEvents()
    assert isinstance(window.current_page(), SalePage)


def test_no_sale_opens_the_drawer_and_is_on_the_record(
    qtbot: Any, ctx: Any, shop: Shop
) -> None:
    from pos_app.printing.receipt_printer import ReceiptPrinter
    from pos_app.ui.cashier.shift_page import ShiftPage

    without = ShiftPage(ctx)  # no receipt printer: no drawer to open, no button
    qtbot.addWidget(without)
    assert without.no_sale_button.isHidden()

    drawer = Dummy()
    ctx.printer = ReceiptPrinter(shop.settings, connect=lambda: drawer)
    try:
        shop.services.shifts.open_shift(shop.cashier.id, kes(500_00))
        page = ShiftPage(ctx)
        qtbot.addWidget(page)
        page.show()
        qtbot.waitUntil(lambda: page.shift is not None, timeout=5000)
        assert page.no_sale_button.isVisibleTo(page)
        qtbot.mouseClick(page.no_sale_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "no sale" in page.message.text(), timeout=5000)
        qtbot.waitUntil(lambda: drawer.output == drawer_kick_bytes(shop.settings.drawer_pin),
                        timeout=5000)
        [entry] = shop.services.audit.recent(limit=1)
        assert entry.action == "drawer.no_sale"
    finally:
        ctx.printer.close()
        ctx.printer = None


def test_receipt_and_slip_dialogs_start_in_the_users_folders(
    qtbot: Any, ctx: Any, shop: Shop, monkeypatch: Any
) -> None:
    from pos_app.ui.cashier.proof_dialog import ProofDialog
    from pos_app.ui.cashier.receipt_dialog import ReceiptDialog

    asked: list[str] = []

    def fake_dialog(_owner: Any, _title: str, start: str, _filter: str) -> tuple[str, str]:
        asked.append(start)  # the OS dialog itself is not under test
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_dialog))
    shift = shop.services.shifts.open_shift(shop.cashier.id, kes(500_00))
    sale = shop.services.payments.record_cash_sale(
        shop.services.orders.draft([OrderLine("Unga", kes(21000))]), kes(21000),
        cashier_id=shop.cashier.id, shift_id=shift.id,
    )
    receipt = ReceiptDialog(ctx, sale.order_id)
    qtbot.addWidget(receipt)
    qtbot.waitUntil(lambda: receipt.data is not None, timeout=5000)
    receipt._pdf()
    proof = ProofDialog(ctx, sale.order_id, kes(21000))
    qtbot.addWidget(proof)
    proof._choose_image()

    def folder(location: QStandardPaths.StandardLocation) -> Path:
        return Path(QStandardPaths.writableLocation(location))

    documents = folder(QStandardPaths.StandardLocation.DocumentsLocation)
    pictures = folder(QStandardPaths.StandardLocation.PicturesLocation)
    assert asked == [
        str(documents / "receipt-TILL1-000001.pdf"),  # the number on the paper receipt
        str(pictures),
    ]
    assert all(Path(start).is_absolute() for start in asked)  # never the program's folder


def test_a_lock_out_says_how_long_to_wait_never_a_utc_clock(qapp: Any) -> None:
    locked = UserLocked(datetime.now(UTC) + timedelta(minutes=4, seconds=30))
    assert error_message(locked) == "Too many wrong PINs: try again in 5 min."
    almost = UserLocked(datetime.now(UTC) + timedelta(seconds=3))
    assert error_message(almost) == "Too many wrong PINs: try again in 1 min."
    translations = Translations(qapp)
    translations.use("sw")
    try:
        swahili = error_message(locked)
    finally:
        translations.use("en")
    assert "5" in swahili and "UTC" not in swahili and "Too many" not in swahili


def test_supervisor_pages_show_times_in_the_shops_zone(qtbot: Any, ctx: Any, shop: Shop) -> None:
    from pos_app.ui.supervisor import supervisor_pages
    from pos_app.ui.supervisor.audit_page import AuditPage

    # the till's own setting says Nairobi; the shop (set by its supervisor) is in Lagos
    assert ctx.settings.timezone == "Africa/Nairobi"
    ctx.shop_settings = shop.services.shop.update(
        shop.services.users.grant(shop.supervisor.id, SUPERVISOR_PIN, Action.SETTINGS),
        timezone="Africa/Lagos",
    )
    ctx.current_user = shop.supervisor
    pages = supervisor_pages(ctx)
    for page in pages:
        qtbot.addWidget(page.widget)
    audit = next(p.widget for p in pages if isinstance(p.widget, AuditPage))
    qtbot.waitUntil(lambda: bool(audit.rows), timeout=5000)
    shown = audit.table.item(0, 1).text()
    at = audit.rows[0].at
    assert shown == local_text(at, "Africa/Lagos")
    assert shown != local_text(at, "Africa/Nairobi")


def test_a_category_longer_than_the_grid_turns_over_in_pages(
    qtbot: Any, ctx: Any, shop: Shop
) -> None:
    from PySide6.QtWidgets import QPushButton

    from pos_app.ui.cashier.sale_page import QUICK_KEYS, SalePage

    names = [f"Soda flavour {n:02d}" for n in range(1, QUICK_KEYS + 4)]  # 15: two pages
    for name in names:  # each change under its own PIN
        grant = shop.services.users.grant(shop.supervisor.id, SUPERVISOR_PIN, Action.CATALOGUE)
        shop.services.catalogue.add_product(name, kes(6000), category="Sodas", grant=grant)
    page = SalePage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.findChild(QPushButton, "category-Sodas") is not None,
                    timeout=5000)
    assert page.grid_pager.isHidden()  # the quick keys fit on one page
    qtbot.mouseClick(page.findChild(QPushButton, "category-Sodas"), Qt.MouseButton.LeftButton)

    def shown() -> list[str]:
        return [b.text().split("\n")[0] for b in page.quick_buttons if b.isEnabled()]

    assert shown() == names[:QUICK_KEYS]
    assert page.grid_pager.isVisibleTo(page) and page.grid_page_label.text() == "Page 1 of 2"
    assert not page.grid_back.isEnabled()
    qtbot.mouseClick(page.grid_next, Qt.MouseButton.LeftButton)
    assert shown() == names[QUICK_KEYS:]
    assert page.grid_page_label.text() == "Page 2 of 2" and not page.grid_next.isEnabled()
    qtbot.mouseClick(page.quick_buttons[2], Qt.MouseButton.LeftButton)  # the last one, 15
    qtbot.waitUntil(lambda: [line.name for line in page.cart.lines] == [names[-1]])
    qtbot.mouseClick(page.grid_back, Qt.MouseButton.LeftButton)
    assert shown() == names[:QUICK_KEYS]
    qtbot.mouseClick(page.findChild(QPushButton, "category-quick"), Qt.MouseButton.LeftButton)
    assert page.grid_pager.isHidden()


def test_charging_with_no_shift_open_says_so_in_the_cashiers_language(
    qtbot: Any, qapp: Any, ctx: Any, shop: Shop
) -> None:
    from pos_app.ui.cashier.sale_page import SalePage

    translations = Translations(qapp)
    translations.use("sw")
    try:
        page = SalePage(ctx)
        qtbot.addWidget(page)
        page.show()
        qtbot.waitUntil(lambda: page.quick_buttons[0].isEnabled(), timeout=5000)
        qtbot.mouseClick(page.quick_buttons[0], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(page.cart.lines), timeout=5000)
        page.start_tender("cash")
        qtbot.waitUntil(lambda: "zamu" in page.message.text(), timeout=5000)
        assert page.message.text().startswith("Fungua zamu kabla ya kuuza")
        assert page.order_id is None and page.active_dialog is None  # nothing was stored
        assert page.cart.lines  # and nothing lost
    finally:
        translations.use("en")

