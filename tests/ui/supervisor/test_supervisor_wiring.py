"""supervisor_pages(ctx) over an AppContext: six supervisor-only pages sharing the app's bus."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QApplication

from pos_app.app import build_context
from pos_app.config import TillSettings
from pos_app.core.events import RefundRecorded
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.core.payments import ProofType
from pos_app.services import build_services
from pos_app.ui.application import Translations
from pos_app.ui.supervisor import supervisor_pages
from sync.demo_day import DEMO_PINS


def test_pages_for_supervisors_only_and_events_reach_the_gui(qtbot, qapp, desk, ids, tasks):
    app = QApplication.instance()
    services = build_services(desk.ledger, desk.bus)
    settings = TillSettings(data_dir=desk.ledger.settings.data_dir, keyring="memory")
    ctx = build_context(app, settings, services, Translations(app), tasks)
    ctx.current_user = ids.supervisor
    pages = supervisor_pages(ctx)
    for page in pages:
        qtbot.addWidget(page.widget)
    assert [p.key for p in pages] == [
        "approvals",
        "refunds",
        "reports",
        "staff",
        "settings",
        "audit",
    ]
    approvals = pages[0].widget
    qtbot.waitUntil(lambda: len(approvals.items) == 5, timeout=3000)
    order = desk.orders.create_order([OrderLine("Mkate", Money(7_000, "KES"))])
    desk.payments.submit_manual_payment_proof(
        order.id, ProofType.MPESA_RECEIPT, "SHQ4W8E2R6", submitted_by=ids.cashier.id
    )
    qtbot.waitUntil(lambda: len(approvals.items) == 6, timeout=3000)  # no Refresh pressed
    seen: list[object] = []
    ctx.bus.domain_event.connect(seen.append)
    ctx.desk.refunds.refund(
        ids.cash_payments[0],
        Money(100, "KES"),
        "Short change",
        supervisor_id=ids.supervisor.id,
        pin=DEMO_PINS["Amina Wanjiru"],
    )
    qtbot.waitUntil(lambda: any(isinstance(e, RefundRecorded) for e in seen), timeout=3000)
    qtbot.wait(400)  # the pages' own refresh after that refund settles inside this test


def test_late_results_never_touch_a_deleted_page(qtbot, qapp, desk, ids, tasks):
    from PySide6.QtCore import QCoreApplication, QEvent

    from pos_app.ui.supervisor.approvals_page import ApprovalsPage

    gate = threading.Event()

    def slow_queue():
        gate.wait(5)
        return desk.approvals.queue()

    page = ApprovalsPage(desk.approvals, desk.users.list_users, tasks, lambda: None)
    page._service = type("Slow", (), {"queue": staticmethod(slow_queue)})()
    page.refresh()  # still running when the app replaces the page (a new sign-in)
    page.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gate.set()
    tasks.shutdown(wait=True)
    qtbot.wait(50)  # the result is delivered now: pytest-qt fails on any error it raises


def test_bus_events_stop_at_a_deleted_receiver(qtbot):
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QWidget

    from pos_app.ui.bus_bridge import BusBridge

    bridge = BusBridge()
    heard: list[object] = []
    page = QWidget()
    bridge.follow(page, heard.append, (RefundRecorded, str))
    bridge.publish("first")
    bridge.publish(42)  # not a kind the page follows
    assert heard == ["first"]
    page.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    threading.Thread(target=bridge.publish, args=("late",)).start()  # as the services do
    qtbot.wait(100)
    assert heard == ["first"]
