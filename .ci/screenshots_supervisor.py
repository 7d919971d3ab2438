"""Screenshots of the supervisor desk in English and Swahili, over seeded demo ledgers.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python .ci/screenshots_supervisor.py \
        [--size 1024x768]

Writes docs/screenshots/supervisor-<page>-<en|sw>[-WxH].png (no suffix at 1366x768). The
broken-chain audit picture uses a separate throw-away ledger whose audit log is tampered with,
as an attacker would.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("DUKA_KEYRING", "memory")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from screen_size import screen_size, size_suffix  # noqa: E402

from pos_app.config import TillSettings  # noqa: E402
from pos_app.services.bus import EventBus  # noqa: E402
from pos_app.services.grants import Action, Grant  # noqa: E402
from pos_app.services.supervisor_desk import SupervisorDesk  # noqa: E402
from pos_app.services.sync_ledger import SyncLedger  # noqa: E402
from pos_app.store.db import open_ledger  # noqa: E402
from pos_app.ui.application import Translations, create_application  # noqa: E402
from pos_app.ui.main_window import MainWindow, Page  # noqa: E402
from pos_app.ui.status import TillStatus  # noqa: E402
from pos_app.ui.supervisor.approvals_page import ApprovalsPage  # noqa: E402
from pos_app.ui.supervisor.audit_page import AuditPage  # noqa: E402
from pos_app.ui.supervisor.refunds_page import RefundsPage  # noqa: E402
from pos_app.ui.supervisor.reports_page import ReportsPage  # noqa: E402
from pos_app.ui.supervisor.settings_page import SettingsPage  # noqa: E402
from pos_app.ui.supervisor.users_page import UsersPage  # noqa: E402
from pos_app.ui.tasks import TaskRunner  # noqa: E402
from sync.demo_day import DEMO_PINS, DemoIds, seed_demo  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZE = screen_size()


def receipt_photo() -> bytes:
    """A phone photo of an M-Pesa confirmation SMS, drawn (no customer data is real)."""
    image = QImage(300, 380, QImage.Format.Format_RGB32)
    image.fill(QColor("#eef3ee"))
    painter = QPainter(image)
    painter.fillRect(QRect(20, 20, 260, 340), QColor("white"))
    painter.setPen(QColor("#146c43"))
    font = QFont("DejaVu Sans", 13, QFont.Weight.Bold)
    painter.setFont(font)
    painter.drawText(QRect(30, 30, 240, 30), Qt.AlignmentFlag.AlignLeft, "M-PESA")
    font.setPointSize(10)
    font.setBold(False)
    painter.setFont(font)
    painter.setPen(QColor("#1f1f1f"))
    painter.drawText(
        QRect(30, 70, 240, 270),
        Qt.TextFlag.TextWordWrap,
        "SGK7H2XQ4P Confirmed. Ksh4,200.00 paid to MAMA NJERI GENERAL STORE. "
        "on 28/11/26 at 9:14 AM. New M-PESA balance is Ksh1,034.50. "
        "Transaction cost, Ksh0.00.",
    )
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stub wants bytes, the binding a str
    return bytes(data.data())


def wait(app: QApplication, done: Callable[[], bool], timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if done():
            break
        time.sleep(0.02)
    for _ in range(5):
        app.processEvents()
        time.sleep(0.02)


def open_desk(directory: Path) -> tuple[SupervisorDesk, DemoIds]:
    ledger = open_ledger(TillSettings(data_dir=directory, keyring="memory"))
    desk = SupervisorDesk.over(ledger, EventBus())
    return desk, seed_demo(desk, receipt_photo())


def shoot(app: QApplication, window: MainWindow, key: str, name: str, lang: str) -> None:
    window.show_page(key)
    wait(app, lambda: False, 0.3)
    path = OUT / f"supervisor-{name}-{lang}{size_suffix(SIZE)}.png"
    window.grab().save(str(path))
    print(path.relative_to(ROOT))


def run(app: QApplication, lang: str, tasks: TaskRunner) -> None:
    Translations(app).use(lang)
    with tempfile.TemporaryDirectory() as tmp:
        desk, ids = open_desk(Path(tmp))
        me = ids.supervisor.id
        status = TillStatus()
        status.update(online=True, unsynced=3, offline_reason="")
        window = MainWindow(status)
        window.resize(*SIZE)
        approvals = ApprovalsPage(desk.approvals, desk.users.list_users, tasks, lambda: me)
        refunds = RefundsPage(desk.refunds, desk.users.list_users, tasks, lambda: me)
        reports = ReportsPage(
            desk.reports,
            tasks,
            "KES",
            "Mama Njeri General Store",
            unmatched=desk.provider_events.unmatched,
            parked=SyncLedger(desk.ledger).parked_events,
        )

        def approve(_reason: str, action: Action) -> Grant | None:
            """What the PIN dialog gives: the supervisor's grant once the PIN is typed."""
            return desk.users.grant(me, DEMO_PINS["Amina Wanjiru"], action)

        users = UsersPage(desk.admin, tasks, approve)
        settings = SettingsPage(desk.admin, tasks, approve)
        audit = AuditPage(desk.audit, tasks)
        tr = app.translate
        pages: list[tuple[str, str, QWidget]] = [
            ("approvals", tr("Supervisor", "Approvals"), approvals),
            ("refunds", tr("Supervisor", "Refunds"), refunds),
            ("reports", tr("Supervisor", "Reports"), reports),
            ("staff", tr("Supervisor", "Staff"), users),
            ("settings", tr("Supervisor", "Settings"), settings),
            ("audit", tr("Supervisor", "Audit trail"), audit),
        ]
        window.set_pages([Page(k, t, w) for k, t, w in pages])
        window.set_user("Amina Wanjiru · " + tr("UsersPage", "Supervisor"))
        window.show()
        wait(
            app,
            lambda: (
                len(approvals.items) > 0
                and bool(audit.rows)
                and reports.report is not None
                and bool(refunds.sales)
                and bool(users.users)
            ),
        )
        approvals.table.selectRow(0)  # the riskiest: a receipt code used twice
        wait(app, lambda: False, 0.3)
        shoot(app, window, "approvals", "approvals", lang)
        photo = next(n for n, i in enumerate(approvals.items) if i.reuses and i.has_image)
        approvals.table.selectRow(photo)
        wait(app, lambda: approvals.image_shown)
        shoot(app, window, "approvals", "approvals-photo", lang)
        match = next(n for n, i in enumerate(approvals.items) if i.matches)
        approvals.table.selectRow(match)
        wait(app, lambda: False, 0.3)
        shoot(app, window, "approvals", "approvals-c2b", lang)
        refund_row = refunds.row_of(ids.cash_payments[3])
        assert refund_row is not None
        refunds.table.selectRow(refund_row)
        shoot(app, window, "refunds", "refunds", lang)
        shoot(app, window, "reports", "reports", lang)
        reports.tabs.setCurrentWidget(reports.unmatched)
        shoot(app, window, "reports", "reports-unmatched", lang)
        shoot(app, window, "staff", "staff", lang)
        shoot(app, window, "settings", "settings", lang)
        audit.verify()
        wait(app, lambda: audit.last_check is not None)
        shoot(app, window, "audit", "audit", lang)
        window.close()
        desk.ledger.close()

    with tempfile.TemporaryDirectory() as tmp:  # the broken chain lives in its own ledger
        desk, _ = open_desk(Path(tmp))
        db = sqlite3.connect(Path(tmp) / "till.db")
        db.execute("DROP TRIGGER audit_log_no_update")
        db.execute(
            'UPDATE audit_log SET details = \'{"amount_minor":100,"currency":"KES"}\' '
            "WHERE action = 'payment.refunded'"
        )
        db.commit()
        db.close()
        status = TillStatus()
        window = MainWindow(status)
        window.resize(*SIZE)
        audit = AuditPage(desk.audit, tasks)
        window.set_pages([Page("audit", app.translate("Supervisor", "Audit trail"), audit)])
        window.show()
        wait(app, lambda: bool(audit.rows))
        audit.verify()
        wait(app, lambda: audit.last_check is not None)
        shoot(app, window, "audit", "audit-broken", lang)
        window.close()
        desk.ledger.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = create_application(sys.argv[:1])
    tasks = TaskRunner(max_workers=2)
    for lang in ("en", "sw"):
        run(app, lang, tasks)
    tasks.shutdown(wait=True)


if __name__ == "__main__":
    main()
