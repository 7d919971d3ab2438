"""The supervisor desk in the real window at a shop laptop's 1366x768: the Approvals title
counts what waits (live), and Approve / Reject are within reach without scrolling."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from pos_app.app import build_context
from pos_app.config import TillSettings
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.core.payments import ProofType
from pos_app.services import build_services
from pos_app.ui.application import Translations
from pos_app.ui.main_window import MainWindow
from pos_app.ui.supervisor import supervisor_pages
from pos_app.ui.supervisor.approvals_page import ApprovalsPage
from pos_app.ui.supervisor.reports_page import ReportsPage
from tests.ui.cashier.visibility import visible_without_scrolling


@pytest.mark.parametrize("language", ["en", "sw"])
def test_approvals_count_and_decision_in_reach(qtbot, qapp, desk, ids, tasks, language):
    app = QApplication.instance()
    services = build_services(desk.ledger, desk.bus)
    settings = TillSettings(data_dir=desk.ledger.settings.data_dir, keyring="memory")
    translations = Translations(app)
    translations.use(language)
    try:
        ctx = build_context(app, settings, services, translations, tasks)
        ctx.current_user = ids.supervisor
        window = MainWindow(ctx.status)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        pages = supervisor_pages(ctx)
        window.set_pages(pages)
        window.show()
        approvals = pages[0].widget
        assert isinstance(approvals, ApprovalsPage)
        nav = window.findChild(QPushButton, "nav-approvals")
        qtbot.waitUntil(lambda: len(approvals.items) == 5, timeout=3000)
        title = "Approvals" if language == "en" else nav.text().split(" (")[0]
        assert nav.text() == f"{title} (5)"
        order = desk.orders.create_order([OrderLine("Mkate", Money(7_000, "KES"))])
        desk.payments.submit_manual_payment_proof(
            order.id, ProofType.MPESA_RECEIPT, "SHQ4W8E2R6", submitted_by=ids.cashier.id
        )
        qtbot.waitUntil(lambda: nav.text() == f"{title} (6)", timeout=3000)  # live
        for row in range(len(approvals.items)):  # whatever is picked, the decision is in reach
            approvals.table.selectRow(row)
            qtbot.wait(50)
            assert visible_without_scrolling(approvals.approve_button), row
            assert visible_without_scrolling(approvals.reject_button), row
    finally:
        translations.use("en")


def test_reports_follow_the_ledger_without_show(qtbot, qapp, desk, ids, tasks):
    app = QApplication.instance()
    services = build_services(desk.ledger, desk.bus)
    settings = TillSettings(data_dir=desk.ledger.settings.data_dir, keyring="memory")
    ctx = build_context(app, settings, services, Translations(app), tasks)
    ctx.current_user = ids.supervisor
    pages = {p.key: p.widget for p in supervisor_pages(ctx)}
    for page in pages.values():
        qtbot.addWidget(page)
    reports = pages["reports"]
    assert isinstance(reports, ReportsPage)
    qtbot.waitUntil(lambda: reports.report is not None, timeout=3000)
    def sold() -> int:
        return sum(row.count for row in reports.report.sales)

    before = sold()
    desk.payments.record_cash_sale(
        desk.orders.draft([OrderLine("Mkate", Money(7_000, "KES"))]), Money(7_000, "KES"),
        cashier_id=ids.cashier.id)
    qtbot.waitUntil(lambda: sold() == before + 1, timeout=3000)
    shown = reports.report
    reports.since.setDate(reports.since.date().addDays(-30))  # no Show pressed
    qtbot.waitUntil(lambda: reports.report is not shown, timeout=3000)
