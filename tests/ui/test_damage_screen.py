"""A damaged ledger shows a screen that says why and restores from the last backup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel

from pos_app.config import TillSettings
from pos_app.core.errors import LedgerDamaged
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.services import build_services
from pos_app.services.backups import back_up
from pos_app.services.recovery import restore_and_catch_up
from pos_app.store.db import open_ledger
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
        damaged.value.message,
        damaged.value.findings,
        lambda: restore_and_catch_up(settings, None, lambda ledger: None),
        tasks,
    )
    qtbot.addWidget(screen)
    screen.show()
    message = screen.findChild(QLabel, "damage-message")
    assert message is not None and "will not sell" in message.text()
    qtbot.mouseClick(screen.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    assert "Restored the ledger" in screen.report.toPlainText()
    open_ledger(settings).close()  # sound again


def test_an_incomplete_restore_keeps_the_screen_and_lists_what_is_missing(
    qtbot: Any, tasks: TaskRunner
) -> None:
    said = ["Restored the ledger from b.dukabak.", "  #12 payment.created"]
    screen = DamageScreen("The ledger is damaged.", (), lambda: (False, said), tasks)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.mouseClick(screen.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "#12 payment.created" in screen.report.toPlainText())
    assert screen.isVisible() and screen.restore_button.isEnabled()
