"""The receipt dialog's Print goes to the till's ESC/POS printer and shows its queue state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fake_printer import FakePrinter, free_port
from PySide6.QtCore import Qt
from receipt_samples import kes

from pos_app.config import TillSettings
from pos_app.core.orders import OrderLine
from pos_app.printing.escpos_printer import drawer_kick_bytes
from pos_app.services import build_services
from pos_app.store.db import open_ledger


def test_print_waits_for_a_missing_printer_then_prints_and_opens_the_drawer(
    qtbot: Any, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QApplication

    from pos_app.app import build_context
    from pos_app.ui.application import Translations
    from pos_app.ui.cashier.receipt_dialog import ReceiptDialog
    from pos_app.ui.tasks import TaskRunner

    port = free_port()
    settings = TillSettings(data_dir=tmp_path, keyring="memory", printer="network",
                            printer_address=f"127.0.0.1:{port}", printer_columns=32)
    ledger = open_ledger(settings)
    services = build_services(ledger)
    boss = services.users.create_user("Amina", "supervisor", "2468")
    services.shifts.open_shift(boss.id, kes(500_00))
    draft = services.orders.draft([OrderLine("Unga wa mahindi Jogoo 2kg", kes(21000))])
    sale = services.payments.record_cash_sale(draft, kes(500_00), cashier_id=boss.id)
    app: Any = QApplication.instance()
    tasks = TaskRunner()
    ctx = build_context(app, settings, services, Translations(app), tasks)
    printer = ctx.printer
    assert printer is not None
    fake: FakePrinter | None = None
    try:
        dialog = ReceiptDialog(ctx, sale.order_id)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.print_button.isEnabled())
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
        assert dialog.message.text() == "Printing…"  # queued at once, whatever the printer
        qtbot.waitUntil(lambda: dialog.message.text().startswith("Waiting for printer"))
        assert "127.0.0.1" in dialog.message.text()
        fake = FakePrinter(port)
        printer.queue.retry_now()
        qtbot.waitUntil(lambda: dialog.message.text() == "Sent to the printer.", timeout=5000)
        assert len(fake.jobs) == 1
        job = fake.jobs[0]
        assert b"Jogoo 2kg" in job and job.endswith(drawer_kick_bytes(settings.drawer_pin))
        assert not dialog.printer_watch.isActive()
    finally:
        printer.close()
        tasks.shutdown(wait=True)
        if fake is not None:
            fake.shutdown()
            fake.server_close()
        ledger.close()
