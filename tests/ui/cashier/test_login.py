"""Signing in by PIN, and the screens following the signed-in user's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_sign_in_by_pin_and_wrong_pin_message(qtbot, tmp_path: Path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QPushButton

    from pos_app.app import build_context
    from pos_app.ui.application import Translations
    from pos_app.ui.login.sign_in import SignInDialog
    from pos_app.ui.tasks import TaskRunner

    from .conftest import CASHIER_PIN, make_shop

    shop = make_shop(tmp_path, demo_catalogue=False)
    app: Any = QApplication.instance()
    tasks = TaskRunner()
    ctx = build_context(app, shop.settings, shop.services, Translations(app), tasks)
    dialog = SignInDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.users.count() == 2)
    cashier_row = next(i for i in range(2) if "Juma" in dialog.users.item(i).text())
    dialog.users.setCurrentRow(cashier_row)
    qtbot.keyClicks(dialog.pin, "0000")
    qtbot.keyPress(dialog.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Wrong PIN" in dialog.message.text(), timeout=5000)
    qtbot.waitUntil(dialog.pin.isEnabled)
    for digit in CASHIER_PIN:  # the on-screen pad, as on a touch screen
        qtbot.mouseClick(dialog.findChild(QPushButton, f"pin-key-{digit}"),
                         Qt.MouseButton.LeftButton)
    assert dialog.pin.text() == CASHIER_PIN
    qtbot.mouseClick(dialog.findChild(QPushButton, "sign-in-ok"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.user is not None, timeout=5000)
    assert dialog.user.name == "Juma Cashier"
    tasks.shutdown(wait=True)
    shop.services.ledger.close()


def test_pages_follow_the_signed_in_users_language(qtbot, tmp_path: Path):
    from PySide6.QtWidgets import QApplication, QPushButton

    from pos_app.app import Till, build_context
    from pos_app.services.grants import Action
    from pos_app.ui.application import Translations
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.tasks import TaskRunner

    from .conftest import SUPERVISOR_PIN, make_shop

    def nav_titles(window: MainWindow) -> list[str]:
        return [b.text() for b in window.findChildren(QPushButton) if b.objectName() == "nav-sale"]

    shop = make_shop(tmp_path, demo_catalogue=False)
    swahili = shop.services.users.create_user(
        "Neema", "cashier", "9753", language="sw",
        grant=shop.services.users.grant(shop.supervisor.id, SUPERVISOR_PIN, Action.STAFF),
    )
    app: Any = QApplication.instance()
    tasks = TaskRunner()
    translations = Translations(app)
    ctx = build_context(app, shop.settings, shop.services, translations, tasks)
    window = MainWindow(ctx.status)
    qtbot.addWidget(window)
    till = Till(ctx, window)
    try:
        till.show_for(swahili)
        assert nav_titles(window) == ["Mauzo"]
        till.show_for(shop.cashier)  # no language of their own: the shop's (English)
        assert "Sale" in nav_titles(window)
    finally:
        translations.use("en")
        tasks.shutdown(wait=True)
        shop.services.ledger.close()


def test_a_refusal_at_the_counter_speaks_swahili(qtbot, tmp_path: Path):
    """The cashier screens show the services' refusals through ui.errors, translated."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from pos_app.app import build_context
    from pos_app.ui.application import Translations
    from pos_app.ui.login.sign_in import SignInDialog
    from pos_app.ui.tasks import TaskRunner

    from .conftest import make_shop

    shop = make_shop(tmp_path, demo_catalogue=False)
    app: Any = QApplication.instance()
    tasks = TaskRunner()
    translations = Translations(app)
    ctx = build_context(app, shop.settings, shop.services, translations, tasks)
    translations.use("sw")
    try:
        dialog = SignInDialog(ctx)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.users.count() == 2)
        dialog.users.setCurrentRow(0)
        qtbot.keyClicks(dialog.pin, "0000")
        qtbot.keyPress(dialog.pin, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.message.text().startswith("PIN si sahihi."), timeout=5000)
        assert "majaribio" in dialog.message.text()  # the tries left, in Swahili too
    finally:
        translations.use("en")
        tasks.shutdown(wait=True)
        shop.services.ledger.close()
