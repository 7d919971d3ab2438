"""A supervisor restores the running till from Settings: their PIN for RESTORE, a yes, the
till stops selling while it runs on a worker, then asks to start again. A ledger too large
to check before the window showed is checked afterwards, and sales the relay holds that the
ledger lost are noticed while running: both stop selling and show the damage screen. Real
widgets over a real ledger file."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from pos_app import app as till_app
from pos_app.app import session_restore, watch_the_books
from pos_app.core.errors import DamageKind, LedgerDamaged
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.services import build_services
from pos_app.services.backups import back_up
from pos_app.services.counter import Counter
from pos_app.services.grants import Action, Grant
from pos_app.services.recovery import RestoreProblem
from pos_app.services.sync_ledger import SyncLedger
from pos_app.store import integrity
from pos_app.store.db import open_ledger
from pos_app.store.schema import payments
from pos_app.ui.main_window import MainWindow
from pos_app.ui.supervisor import supervisor_pages
from pos_app.ui.supervisor.settings_page import SettingsPage
from pos_app.ui.widgets import damage_screen

from .conftest import SUPERVISOR_PIN, Shop


def _sell(shop: Shop, price: int) -> None:
    draft = shop.services.orders.draft([OrderLine("Unga", Money(price, "KES"))])
    shop.services.payments.record_cash_sale(draft, draft.total)


def _payments(shop: Shop) -> int:
    ledger = open_ledger(shop.settings)
    try:
        with ledger.read() as conn:
            return int(conn.execute(select(func.count()).select_from(payments)).scalar_one())
    finally:
        ledger.close()


@pytest.fixture
def pin_and_yes(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> list[Action]:
    """The supervisor types their PIN (for the action asked) and answers Yes."""
    asked: list[Action] = []

    def types_pin(_parent: Any, _ctx: Any, _reason: str, action: Action) -> Grant:
        asked.append(action)
        return shop.services.users.grant(shop.supervisor.id, SUPERVISOR_PIN, action)

    monkeypatch.setattr(damage_screen, "ask_supervisor_pin", types_pin)
    monkeypatch.setattr(
        damage_screen.QMessageBox, "question", lambda *_: QMessageBox.StandardButton.Yes
    )
    return asked


def test_a_supervisor_restores_the_running_till_from_settings(
    qtbot: Any, ctx: Any, shop: Shop, pin_and_yes: list[Action], monkeypatch: pytest.MonkeyPatch
) -> None:
    _sell(shop, 21000)
    back_up(shop.services.ledger)
    _sell(shop, 9000)  # after the backup, and no relay: this one cannot come back
    stopped: list[str] = []
    ctx.restore = session_restore(shop.services, shop.settings, [lambda: stopped.append("sync")])
    ctx.current_user = shop.supervisor
    seen: list[tuple[Any, str, str]] = []

    def runs_until_done(screen: damage_screen.DamageScreen) -> None:  # exec() without a loop
        qtbot.waitUntil(lambda: screen.outcome_value is not None, timeout=15_000)
        seen.append((screen.outcome_value, screen.outcome.text(), screen.quit_button.text()))

    monkeypatch.setattr(damage_screen.DamageScreen, "exec", runs_until_done)
    quit_asked: list[bool] = []
    monkeypatch.setattr(damage_screen.QCoreApplication, "quit", lambda: quit_asked.append(True))

    pages = supervisor_pages(ctx)
    for page in pages:  # widgets die on the GUI thread, with the test
        qtbot.addWidget(page.widget)
    [settings_page] = [p.widget for p in pages if p.key == "settings"]
    assert isinstance(settings_page, SettingsPage)
    assert settings_page.restore_button.isVisibleTo(settings_page)
    qtbot.mouseClick(settings_page.restore_button, Qt.MouseButton.LeftButton)

    assert pin_and_yes == [Action.RESTORE]
    [(outcome, said, button)] = seen
    assert outcome.ok and "Close Duka POS and start it again" in said
    assert button == "Close Duka POS"
    assert stopped == ["sync"] and quit_asked == [True]
    # the running till stopped selling before its ledger was let go
    with pytest.raises(LedgerDamaged) as refused:
        _sell(shop, 5000)
    assert refused.value.kind is DamageKind.RESTORING
    assert _payments(shop) == 1  # the backup's sale; the later one is lost (no relay)


def test_a_grant_for_another_action_restores_nothing(
    qtbot: Any, ctx: Any, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sell(shop, 21000)
    back_up(shop.services.ledger)
    _sell(shop, 9000)
    ctx.restore = session_restore(shop.services, shop.settings, [])

    def wrong_grant(_parent: Any, _ctx: Any, _reason: str, _action: Action) -> Grant:
        return shop.services.users.grant(shop.supervisor.id, SUPERVISOR_PIN, Action.SETTINGS)

    monkeypatch.setattr(damage_screen, "ask_supervisor_pin", wrong_grant)
    monkeypatch.setattr(
        damage_screen.QMessageBox, "question", lambda *_: QMessageBox.StandardButton.Yes
    )
    screen = damage_screen.session_damage_screen(
        None, ctx, damage_screen.restoring_now(), ctx.restore
    )
    qtbot.addWidget(screen)
    assert screen.start()
    qtbot.waitUntil(lambda: screen.restore_button.isEnabled(), timeout=10_000)
    assert "given for something else" in screen.outcome.text()
    assert shop.services.ledger.damage is None  # still selling, nothing replaced
    _sell(shop, 5000)
    assert _payments(shop) == 3


def test_with_no_backup_the_running_till_keeps_its_ledger_and_sells_on(
    qtbot: Any, ctx: Any, shop: Shop, pin_and_yes: list[Action], monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx.restore = session_restore(shop.services, shop.settings, [])
    quit_asked: list[bool] = []
    monkeypatch.setattr(damage_screen.QCoreApplication, "quit", lambda: quit_asked.append(True))
    screen = damage_screen.session_damage_screen(
        None, ctx, damage_screen.restoring_now(), ctx.restore
    )
    qtbot.addWidget(screen)
    assert screen.start()
    qtbot.waitUntil(lambda: screen.outcome_value is not None, timeout=10_000)
    assert screen.outcome_value is not None
    assert screen.outcome_value.problem is RestoreProblem.NO_BACKUP
    assert "No backup was found" in screen.report.toPlainText()
    assert screen.quit_button.text() == "Not now" and screen.restore_button.isEnabled()
    assert shop.services.ledger.damage is None
    _sell(shop, 5000)  # the ledger was never let go
    assert quit_asked == []


def test_the_supervisor_can_step_back_before_anything_stops(
    qtbot: Any, ctx: Any, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx.restore = session_restore(shop.services, shop.settings, [])
    monkeypatch.setattr(damage_screen, "ask_supervisor_pin", lambda *_: None)
    screen = damage_screen.session_damage_screen(
        None, ctx, damage_screen.restoring_now(), ctx.restore
    )
    qtbot.addWidget(screen)
    assert not screen.start()
    assert shop.services.ledger.damage is None
    _sell(shop, 5000)


def test_a_large_ledger_is_checked_after_the_window_shows(
    qtbot: Any, ctx: Any, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = shop.settings
    _sell(shop, 21000)
    shop.services.ledger.close()
    with sqlite3.connect(settings.database) as raw:  # what a flipped byte leaves behind
        raw.execute("UPDATE payments SET method = '9ash' WHERE rowid = 1")
    monkeypatch.setattr(integrity, "QUICK_MAX_BYTES", 1024)
    ledger = open_ledger(settings)  # start-up did not wait for the check
    shop.services = build_services(ledger)
    ctx.counter = Counter(shop.services)
    shown: list[LedgerDamaged | None] = []
    monkeypatch.setattr(
        damage_screen, "stopped_selling", lambda _parent, _ctx, damage: shown.append(damage)
    )
    window = MainWindow(ctx.status, settings.timezone, till_app.test_instructions)
    qtbot.addWidget(window)
    window.show()
    watch_the_books(ctx, window)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    [damage] = shown
    assert damage is not None and damage.kind is DamageKind.FILE
    with pytest.raises(LedgerDamaged):
        _sell(shop, 5000)
    ctx.status.update(online=True)  # more news: the screen is not shown twice
    assert len(shown) == 1


def test_sales_the_relay_holds_and_the_ledger_lost_show_the_damage_screen(
    qtbot: Any, ctx: Any, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[LedgerDamaged | None] = []
    monkeypatch.setattr(
        damage_screen, "stopped_selling", lambda _parent, _ctx, damage: shown.append(damage)
    )
    window = MainWindow(ctx.status, shop.settings.timezone, till_app.test_instructions)
    qtbot.addWidget(window)
    watch_the_books(ctx, window)
    ctx.status.update(online=True)
    assert shown == []  # sound books: nothing shown
    SyncLedger(shop.services.ledger).check_against_relay(relay_next_till_seq=10_000, offset=0)
    ctx.status.update(unsynced=0)  # as the sync engine reports after that check
    [damage] = shown
    assert damage is not None and damage.kind is DamageKind.LOST_EVENTS and damage.missing > 0
