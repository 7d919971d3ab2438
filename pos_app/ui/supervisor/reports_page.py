"""Reports: sales by day (a bar chart says it faster) and by payment method, open COD orders,
proofs waiting, refunds; exported as CSV or as a one-page PDF drawn with QPdfWriter."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, Qt, QTimer
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.events import (
    CashSaleRecorded,
    PaymentProcessed,
    ProofDecided,
    RefundRecorded,
    ShiftClosed,
)
from pos_app.printing.layout import sale_number
from pos_app.services.reports import Report, ReportService
from pos_app.ui.bus_bridge import BusBridge
from pos_app.ui.errors import error_message
from pos_app.ui.provider_names import provider_name
from pos_app.ui.supervisor.approvals_page import method_text
from pos_app.ui.supervisor.chart import BarChart, paint_bars
from pos_app.ui.supervisor.files import ask_save_path, save_text
from pos_app.ui.supervisor.formatting import local_text, shop_today
from pos_app.ui.tasks import TaskRunner
from pos_app.ui.widgets.page_parts import heading_label, message_label, show_message
from pos_app.ui.widgets.tables import ReadOnlyTable


class ReportsPage(QWidget):
    def __init__(
        self,
        service: ReportService,
        tasks: TaskRunner,
        currency: str = "KES",
        shop_name: str = "",
        timezone: str = "Africa/Nairobi",
        unmatched: Callable[[], Sequence[Any]] | None = None,
        parked: Callable[[], Sequence[Any]] | None = None,
        parent: QWidget | None = None,
        bus: BusBridge | None = None,
    ) -> None:
        """`unmatched`: money the relay reported that matches no sale (ProviderEventView);
        `parked`: events the relay refused to take (pos_app.services.sync_ledger.ParkedEvent).
        The report follows the ledger: with `bus`, a sale, refund or closed shift shows at
        once; a changed date range shows without pressing Show."""
        super().__init__(parent)
        self.setObjectName("supervisor-reports")
        self._service = service
        self._tasks = tasks
        self._currency = currency
        self._shop_name = shop_name
        self._zone = timezone
        self._unmatched = unmatched or (lambda: [])
        self._parked = parked or (lambda: [])
        self.report: Report | None = None

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(heading_label(self.tr("Reports")))
        top.addSpacing(16)
        today = shop_today(timezone)
        self.since = QDateEdit(today.addDays(-6))
        self.until = QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        top.addWidget(QLabel(self.tr("From")))
        top.addWidget(self.since)
        top.addWidget(QLabel(self.tr("to")))
        top.addWidget(self.until)
        self.show_button = QPushButton(self.tr("Show"))
        self.show_button.setObjectName("reports-show")
        top.addWidget(self.show_button)
        top.addStretch(1)
        self.csv_button = QPushButton(self.tr("Export CSV…"))
        self.csv_button.setObjectName("reports-csv")
        self.pdf_button = QPushButton(self.tr("Export PDF…"))
        self.pdf_button.setObjectName("reports-pdf")
        top.addWidget(self.csv_button)
        top.addWidget(self.pdf_button)
        layout.addLayout(top)

        self.total_label = QLabel()
        self.total_label.setObjectName("reports-total")
        self.total_label.setProperty("role", "heading")
        layout.addWidget(self.total_label)
        self.test_label = QLabel()  # test money is never live money: shown apart, in no total
        self.test_label.setObjectName("reports-test-money")
        self.test_label.hide()
        layout.addWidget(self.test_label)
        self.chart = BarChart()
        self.chart.setObjectName("reports-chart")
        self.chart.setMinimumHeight(190)
        layout.addWidget(self.chart, 2)

        self.tabs = QTabWidget()
        self.by_method = ReadOnlyTable(
            [self.tr("Method"), self.tr("Sales"), self.tr("Amount")],
            "reports-by-method",
            empty_hint=self.tr("No sales in these days."),
        )
        self.cod = ReadOnlyTable(
            [self.tr("Since"), self.tr("Order"), self.tr("Amount")],
            "reports-cod",
            empty_hint=self.tr("No cash-on-delivery order is waiting for its money."),
        )
        self.proofs = ReadOnlyTable(
            [self.tr("Since"), self.tr("Order"), self.tr("Method"), self.tr("Amount")],
            "reports-proofs",
            empty_hint=self.tr("No proof is waiting for a decision."),
        )
        self.refunds = ReadOnlyTable(
            [self.tr("When"), self.tr("Amount"), self.tr("How"), self.tr("By"), self.tr("Reason")],
            "reports-refunds",
            empty_hint=self.tr("No refunds in these days."),
        )
        self.by_day = ReadOnlyTable(
            [self.tr("Day"), self.tr("Method"), self.tr("Sales"), self.tr("Amount")],
            "reports-by-day",
            empty_hint=self.tr("No sales in these days."),
        )
        self.unmatched = ReadOnlyTable(
            [
                self.tr("Received"),
                self.tr("Provider"),
                self.tr("Receipt"),
                self.tr("Amount"),
                self.tr("Paid by"),
                self.tr("State"),
            ],
            "reports-unmatched",
            empty_hint=self.tr("All money the relay reported belongs to a sale."),
        )
        self.parked = ReadOnlyTable(
            [self.tr("When"), self.tr("Event"), self.tr("Why the relay refused it")],
            "reports-parked",
            empty_hint=self.tr("The relay has taken every event this till sent."),
        )
        self.tabs.addTab(self.by_method, self.tr("By payment method"))
        self.tabs.addTab(self.by_day, self.tr("By day"))
        self.tabs.addTab(self.cod, self.tr("Open cash on delivery"))
        self.tabs.addTab(self.proofs, self.tr("Proofs waiting"))
        self.tabs.addTab(self.refunds, self.tr("Refunds"))
        self.tabs.addTab(self.unmatched, self.tr("Money matching no sale"))
        self.tabs.addTab(self.parked, self.tr("Refused by the relay"))
        layout.addWidget(self.tabs, 3)
        self.message = message_label("reports-message")
        layout.addWidget(self.message)

        self.show_button.clicked.connect(self.refresh)
        settle = QTimer(self)  # typing a date changes it digit by digit: one load per pause
        settle.setSingleShot(True)
        settle.setInterval(300)
        settle.timeout.connect(self.refresh)
        for edit in (self.since, self.until):
            edit.dateChanged.connect(lambda _d: settle.start())
        if bus is not None:
            bus.refresh_on(
                self,
                (PaymentProcessed, CashSaleRecorded, RefundRecorded, ShiftClosed, ProofDecided),
                self.refresh,
            )
        self.csv_button.clicked.connect(self._ask_csv)
        self.pdf_button.clicked.connect(self._ask_pdf)
        self.refresh()

    def refresh(self) -> None:
        self.show_button.setEnabled(False)
        since, until = self.since.date().toPython(), self.until.date().toPython()

        def load() -> tuple[Report, Sequence[Any], Sequence[Any]]:
            report = self._service.build(since, until, self._currency)  # type: ignore[arg-type]
            return report, self._unmatched(), self._parked()

        self._tasks.submit(
            load,
            on_done=self._show,
            on_error=self._failed,
            owner=self,
        )

    def _state_text(self, event: Any) -> str:
        """Another till's payment is shown as taken, never as money this till could accept;
        test money is never live money."""
        text = (
            self.tr("Taken by another till")
            if event.taken
            else self.tr("Matches no sale yet")
        )
        if event.test_mode:
            text += " · " + self.tr("test (not money)")
        return text

    def _show(self, loaded: tuple[Report, Sequence[Any], Sequence[Any]]) -> None:
        self.show_button.setEnabled(True)
        report, unmatched, parked = loaded
        self.report = report
        self.by_day.show_rows(
            [
                [r.day.strftime("%d/%m/%Y"), method_text(r.method), r.count, r.amount.format()]
                for r in reversed(report.sales)
            ],
            [f"{r.day}:{r.method}" for r in reversed(report.sales)],
        )
        self.unmatched.show_rows(
            [
                [
                    local_text(e.received_at, self._zone),
                    provider_name(e.provider),
                    e.receipt or "—",
                    e.amount.format() if e.amount else "—",
                    e.payer or "—",
                    self._state_text(e),
                ]
                for e in unmatched
            ],
            [e.event_id for e in unmatched],
        )
        waiting = [e for e in unmatched if not e.taken]
        self.parked.show_rows(
            [[local_text(p.occurred_at, self._zone), p.type, p.reason] for p in parked],
            [p.event_id for p in parked],
        )
        self.tabs.setTabText(
            5, self.tr("Money matching no sale (%1)").replace("%1", str(len(waiting)))
        )
        self.tabs.setTabText(
            6, self.tr("Refused by the relay (%1)").replace("%1", str(len(parked)))
        )
        self.total_label.setText(
            self.tr("Sales %1 – %2: %3")
            .replace("%1", report.since.strftime("%d/%m"))
            .replace("%2", report.until.strftime("%d/%m"))
            .replace("%3", report.total().format())
        )
        self.test_label.setText(
            self.tr("Test payments (not money): %1 in %2 payments, in no total above.")
            .replace("%1", report.test_total().format())
            .replace("%2", str(report.test_count()))
        )
        self.test_label.setVisible(report.test_count() > 0)
        days = report.total_by_day()
        self.chart.set_bars(
            [(d.strftime("%d/%m"), m.minor) for d, m in days],
            [m.format(with_code=False).split(".")[0] for _, m in days],
            self.tr("No sales in these days."),
        )
        counts: dict[str, int] = {}
        for row in report.sales:
            counts[row.method] = counts.get(row.method, 0) + row.count
        by_method = report.total_by_method()
        self.by_method.show_rows(
            [[method_text(m), counts.get(m, 0), a.format()] for m, a in by_method],
            [m for m, _ in by_method],
        )
        self.cod.show_rows(
            [
                [
                    local_text(o.since, self._zone),
                    sale_number(o.order_id, o.receipt_number),
                    o.amount.format(),
                ]
                for o in report.open_cod
            ],
            [o.payment_id for o in report.open_cod],
        )
        self.proofs.show_rows(
            [
                [
                    local_text(o.since, self._zone),
                    sale_number(o.order_id, o.receipt_number),
                    method_text(o.method),
                    o.amount.format(),
                ]
                for o in report.pending_proofs
            ],
            [o.payment_id for o in report.pending_proofs],
        )
        self.refunds.show_rows(
            [
                [
                    local_text(r.at, self._zone),
                    r.amount.format(),
                    method_text(r.method),
                    r.by,
                    r.reason,
                ]
                for r in report.refunds
            ],
            [r.refund_id for r in report.refunds],
        )
        self.tabs.setTabText(
            2, self.tr("Open cash on delivery (%1)").replace("%1", str(len(report.open_cod)))
        )
        self.tabs.setTabText(
            3, self.tr("Proofs waiting (%1)").replace("%1", str(len(report.pending_proofs)))
        )
        self.tabs.setTabText(4, self.tr("Refunds (%1)").replace("%1", str(len(report.refunds))))

    # --- export -----------------------------------------------------------------------------
    def _ask_csv(self) -> None:
        ask_save_path(
            self,
            self.tr("Export report"),
            "report.csv",
            self.tr("CSV files (*.csv)"),
            self.export_csv,
        )

    def _ask_pdf(self) -> None:
        ask_save_path(
            self,
            self.tr("Export report"),
            "report.pdf",
            self.tr("PDF files (*.pdf)"),
            self.export_pdf,
        )

    def export_csv(self, path: str) -> None:
        report = self.report
        if report is None:
            return
        save_text(
            self._tasks,
            self,
            path,
            lambda: self._service.to_csv(report),
            self.message,
            self.tr("Saved %1"),
            self._failed,
        )

    def export_pdf(self, path: str) -> None:
        """Drawn on the GUI thread (QPainter on a QPdfWriter is GUI-side work); it is one page."""
        report = self.report
        if report is None:
            return
        writer = QPdfWriter(str(Path(path)))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
        writer.setResolution(150)
        writer.setTitle(self.tr("Sales report"))
        painter = QPainter(writer)
        try:
            self._paint_pdf(painter, report, writer.width())
        finally:
            painter.end()
        show_message(self.message, self.tr("Saved %1").replace("%1", path), ok=True)

    def _paint_pdf(self, painter: QPainter, report: Report, width: int) -> None:
        font = QFont(self.font())
        font.setPointSize(16)
        font.setBold(True)
        painter.setFont(font)
        line = painter.fontMetrics().height()
        y = 0
        painter.drawText(0, y + line, self._shop_name or self.tr("Sales report"))
        y += line * 2
        font.setPointSize(10)
        font.setBold(False)
        painter.setFont(font)
        line = painter.fontMetrics().height()
        painter.drawText(0, y, self.total_label.text())
        y += line
        if report.test_count():
            painter.drawText(0, y, self.test_label.text())
            y += line
        days = report.total_by_day()
        paint_bars(
            painter,
            QRectF(0, y, width, 500),
            [(d.strftime("%d/%m"), m.minor) for d, m in days],
            [m.format(with_code=False).split(".")[0] for _, m in days],
            self.tr("No sales in these days."),
        )
        y += 500 + line
        sections: list[tuple[str, list[str]]] = [
            (
                self.tr("By payment method"),
                [f"{method_text(m)}: {a.format()}" for m, a in report.total_by_method()],
            ),
            (
                self.tr("Open cash on delivery"),
                [
                    f"{local_text(o.since, self._zone)}  "
                    f"{sale_number(o.order_id, o.receipt_number)}  {o.amount.format()}"
                    for o in report.open_cod
                ],
            ),
            (
                self.tr("Proofs waiting"),
                [
                    f"{local_text(o.since, self._zone)}  "
                    f"{sale_number(o.order_id, o.receipt_number)}  {method_text(o.method)}  "
                    f"{o.amount.format()}"
                    for o in report.pending_proofs
                ],
            ),
            (
                self.tr("Refunds"),
                [
                    f"{local_text(r.at, self._zone)}  {r.amount.format()}  "
                    f"{method_text(r.method)}  {r.reason}"
                    for r in report.refunds
                ],
            ),
        ]
        bold = QFont(font)
        bold.setBold(True)
        for title, lines in sections:
            painter.setFont(bold)
            y += line
            painter.drawText(0, y, title)
            painter.setFont(font)
            for text in lines or [self.tr("None.")]:
                y += line
                painter.drawText(
                    QRectF(line, y - line + 4, width - line, line),
                    Qt.AlignmentFlag.AlignLeft,
                    text,
                )
            y += line // 2

    def _failed(self, error: BaseException) -> None:
        self.show_button.setEnabled(True)
        show_message(self.message, error_message(error), ok=False)
