"""A damaged ledger shows a screen that says why and restores from the last backup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from pos_app.config import TillSettings
from pos_app.core.errors import DamageKind, LedgerDamaged
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.services import build_services
from pos_app.services.backups import back_up
from pos_app.services.recovery import (
    EventNote,
    NotRecoveredWhy,
    RestoreOutcome,
    restore_and_catch_up,
)
from pos_app.store.db import open_ledger
from pos_app.ui.application import Translations
from pos_app.ui.errors import error_message
from pos_app.ui.tasks import TaskRunner
from pos_app.ui.widgets.damage_screen import DamageScreen


@pytest.fixture
def tasks() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown(wait=True)


def test_the_screen_restores_a_damaged_till(qtbot: Any, tmp_path: Path, tasks: TaskRunner):
    settings = TillSettings(data_dir=tmp_path)
    ledger = open_ledger(settings)
    services = build_services(ledger)
    draft = services.orders.draft([OrderLine("Unga", Money(21000, "KES"))])
    services.payments.record_cash_sale(draft, draft.total)
    back_up(ledger)
    ledger.close()
    data = bytearray(settings.database.read_bytes())
    data[:100] = bytes(100)
    settings.database.write_bytes(bytes(data))
    with pytest.raises(LedgerDamaged) as damaged:
        open_ledger(settings)

    screen = DamageScreen(
        damaged.value,
        lambda: restore_and_catch_up(settings, None, lambda ledger: None),
        tasks,
    )
    qtbot.addWidget(screen)
    screen.show()
    message = screen.findChild(QLabel, "damage-message")
    assert message is not None and "will not sell" in message.text()
    qtbot.mouseClick(screen.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    assert "Restored the ledger from the backup till-" in screen.report.toPlainText()
    open_ledger(settings).close()  # sound again


PARTLY = RestoreOutcome(
    backup=Path("till-20261202T101500000000Z.dukabak"),
    paired=True,
    recovered=[EventNote(12, "sale.cash", Money(21000, "KES"))],
    not_recovered=[
        EventNote(13, "user.created", None, NotRecoveredWhy.NOT_REBUILT),
        EventNote(14, "payment.created", None, NotRecoveredWhy.UNKNOWN_ORDER),
        EventNote(15, "some.future_kind", None, NotRecoveredWhy.NOT_REBUILT),
    ],
)


def test_an_incomplete_restore_keeps_the_screen_and_lists_what_is_missing(
    qtbot: Any, tasks: TaskRunner
) -> None:
    screen = DamageScreen(LedgerDamaged(DamageKind.FILE), lambda: PARTLY, tasks)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.mouseClick(screen.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "No. 14" in screen.report.toPlainText())
    report = screen.report.toPlainText()
    assert "No. 12: Cash sale, KES 210.00" in report
    assert "No. 13: User added — the relay's copy does not hold enough to rebuild it" in report
    assert "No. 15: Another till record" in report
    assert "." not in "".join(n.type for n in PARTLY.not_recovered if n.type in report)
    assert screen.isVisible() and screen.restore_button.isEnabled()


@pytest.fixture
def swahili(qapp: Any) -> Iterator[None]:
    translations = Translations(qapp)
    translations.use("sw")
    yield
    translations.use("en")


def test_in_swahili_the_damage_and_restore_screens_hold_no_english(
    qtbot: Any, tasks: TaskRunner, swahili: None
) -> None:
    for damage in (
        LedgerDamaged(DamageKind.FILE, ("row 3 missing from index",)),
        LedgerDamaged(DamageKind.LOST_EVENTS, missing=33),
    ):
        screen = DamageScreen(damage, lambda: PARTLY, tasks)
        qtbot.addWidget(screen)
        why = screen.findChild(QLabel, "damage-message")
        assert why is not None and why.text() != damage.message
        assert "`" not in why.text() and "till" not in why.text().split()
    assert "33" in error_message(LedgerDamaged(DamageKind.LOST_EVENTS, missing=33))
    screen.show()
    qtbot.mouseClick(screen.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "14" in screen.report.toPlainText())
    report = screen.report.toPlainText() + screen.outcome.text()
    for english in ("Restored", "Recovered", "Not recovered", "Cash sale", "user.created",
                    "payment.created", "some.future_kind", "relay's copy", "`"):
        assert english not in report, english
    assert screen.restore_button.text() != "Restore from backup / relay"
