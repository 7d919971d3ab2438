"""The shift: open with a float, cash in / out with a reason, close with a blind count of the
drawer's cash (confirmed; a shortage needs a reason) and the Z report (expected vs counted per
method, the variance, the refunds and voids), printed and saved as PDF."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.money import Money
from pos_app.services.counter import UnsyncedEvents
from pos_app.services.grants import Grant
from pos_app.services.shifts import ShiftView, ShortageNeedsReason
from pos_app.ui.context import AppContext
from pos_app.ui.errors import error_message
from pos_app.ui.receipts.render import method_label
from pos_app.ui.receipts.z_report import z_report_html
from pos_app.ui.widgets.money_edit import MoneyEdit
from pos_app.ui.widgets.page_parts import message_label
from pos_app.ui.widgets.pin_dialog import ask_supervisor_pin


class ShiftPage(QWidget):
    signed_out = Signal()
    close_fields_ready = Signal()
    shift_opened = Signal()  # the till goes back to selling
    lock_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shift-page")
        self.ctx = ctx
        self.shift: ShiftView | None = None
        self.report: dict[str, Any] | None = None
        code = ctx.currency
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("shift-heading")
        self.heading.setProperty("role", "heading")
        layout.addWidget(self.heading)

        self.open_box = QGroupBox(self.tr("Open a shift"))
        open_form = QFormLayout(self.open_box)
        self.float_edit = MoneyEdit(code)
        self.float_edit.setObjectName("shift-float")
        open_form.addRow(self.tr("Cash float in the drawer"), self.float_edit)
        self.open_button = QPushButton(self.tr("Open shift"))
        self.open_button.setObjectName("shift-open")
        self.open_button.setProperty("role", "primary")
        self.open_button.clicked.connect(self._open)
        open_form.addRow(self.open_button)
        layout.addWidget(self.open_box)

        self.move_box = QGroupBox(self.tr("Cash in / cash out"))
        move_form = QFormLayout(self.move_box)
        self.move_amount = MoneyEdit(code)
        self.move_amount.setObjectName("move-amount")
        move_form.addRow(self.tr("Amount"), self.move_amount)
        self.move_reason = QLineEdit()
        self.move_reason.setObjectName("move-reason")
        self.move_reason.setPlaceholderText(self.tr("e.g. change from the bank, paid the supplier"))
        move_form.addRow(self.tr("Reason"), self.move_reason)
        move_buttons = QHBoxLayout()
        self.cash_in = QPushButton(self.tr("Cash in"))
        self.cash_in.setObjectName("move-in")
        self.cash_in.clicked.connect(lambda: self._move("in"))
        self.cash_out = QPushButton(self.tr("Cash out"))
        self.cash_out.setObjectName("move-out")
        self.cash_out.clicked.connect(lambda: self._move("out"))
        move_buttons.addWidget(self.cash_in)
        move_buttons.addWidget(self.cash_out)
        # "No sale": the drawer opens without a sale (change for a note), always on the record;
        # only a till with a receipt printer has a drawer to kick
        self.no_sale_button = QPushButton(self.tr("Open drawer (no sale)"))
        self.no_sale_button.setObjectName("drawer-no-sale")
        self.no_sale_button.clicked.connect(self._no_sale)
        self.no_sale_button.setVisible(ctx.printer is not None)
        move_buttons.addWidget(self.no_sale_button)
        move_form.addRow(move_buttons)
        layout.addWidget(self.move_box)

        # The count is blind: the drawer's expected cash appears only in the Z report, after
        # the count is submitted. Only the drawer is counted; M-Pesa, Paystack and COD come
        # from the ledger and are shown as totals.
        self.close_box = QGroupBox(self.tr("Close the shift"))
        close_layout = QVBoxLayout(self.close_box)
        close_form = QFormLayout()
        self.counted_cash = MoneyEdit(code)
        self.counted_cash.setObjectName("counted-cash")
        close_form.addRow(self.tr("Cash counted in the drawer"), self.counted_cash)
        self.shortage_reason = QLineEdit()
        self.shortage_reason.setObjectName("shortage-reason")
        self.shortage_reason.setPlaceholderText(self.tr("e.g. gave too much change"))
        self.shortage_label = QLabel(self.tr("Why is the drawer short?"))
        close_form.addRow(self.shortage_label, self.shortage_reason)
        close_layout.addLayout(close_form)
        self.ledger_totals = QLabel()
        self.ledger_totals.setObjectName("ledger-totals")
        self.ledger_totals.setWordWrap(True)
        close_layout.addWidget(self.ledger_totals)
        close_buttons = QHBoxLayout()
        self.close_button = QPushButton(self.tr("Close shift…"))
        self.close_button.setObjectName("shift-close")
        self.close_button.setProperty("role", "danger")
        self.close_button.clicked.connect(self._ask_confirmation)
        close_buttons.addWidget(self.close_button)
        self.confirm_label = QLabel()
        self.confirm_label.setObjectName("shift-close-question")
        self.confirm_label.setWordWrap(True)
        close_buttons.addWidget(self.confirm_label, 1)
        self.confirm_button = QPushButton(self.tr("Yes, close and print Z report"))
        self.confirm_button.setObjectName("shift-close-confirm")
        self.confirm_button.setProperty("role", "danger")
        self.confirm_button.clicked.connect(lambda: self._close(None))
        close_buttons.addWidget(self.confirm_button)
        self.back_button = QPushButton(self.tr("Go back"))
        self.back_button.setObjectName("shift-close-back")
        self.back_button.clicked.connect(self._step_back)
        close_buttons.addWidget(self.back_button)
        close_buttons.addStretch(0)
        close_layout.addLayout(close_buttons)
        self._reset_close()
        layout.addWidget(self.close_box)

        self.report_view = QTextBrowser()
        self.report_view.setObjectName("z-report")
        # the report's tables are 100% wide plus their border: no side scroll for two pixels
        self.report_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.report_view.hide()
        layout.addWidget(self.report_view, 1)
        self.pdf_path: Path | None = None

        self.message = message_label("shift-message")
        layout.addWidget(self.message)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.lock_button = QPushButton(self.tr("Lock till"))
        self.lock_button.setObjectName("shift-lock")
        self.lock_button.clicked.connect(self.lock_requested.emit)
        bottom.addWidget(self.lock_button)
        self.sign_out_button = QPushButton(self.tr("Sign out"))
        self.sign_out_button.setObjectName("shift-sign-out")
        self.sign_out_button.clicked.connect(lambda: self._sign_out(None))
        bottom.addWidget(self.sign_out_button)
        layout.addLayout(bottom)
        layout.addStretch(0)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh()  # on show, not at start-up: the expected takings scan the whole shift

    def _labels(self) -> dict[str, str]:
        return {
            "float": self.tr("Opening float"), "in": self.tr("Cash in"),
            "out": self.tr("Cash out"), "method": self.tr("Method"),
            "expected": self.tr("Expected"), "counted": self.tr("Counted"),
            "variance": self.tr("Variance"), "total": self.tr("Total variance"),
            "net_note": self.tr("Expected amounts are net of the refunds and voids below."),
            "given_back": self.tr("Refunds and voids"),
            "none_given_back": self.tr("No refunds or voids in this shift."),
            "refunds": self.tr("Refunds"), "refunded": self.tr("Refunded"),
            "voids": self.tr("Voids"), "voided": self.tr("Voided"),
            "shortage_reason": self.tr("Reason for the shortage"),
            "test_payments": self.tr("Test payments (not money)"),
            "test_note": self.tr("Made while a provider was in test mode: in no total above."),
            "opened_by": self.tr("Opened %1 by %2"), "opened": self.tr("Opened %1"),
            "closed_by": self.tr("Closed %1 by %2"), "closed": self.tr("Closed %1"),
        }

    def refresh(self) -> None:
        self.ctx.tasks.submit(self.ctx.services.shifts.current_shift, on_done=self._show,
                              on_error=self._failed, owner=self)

    def _show(self, shift: ShiftView | None) -> None:
        self.shift = shift
        self.open_box.setVisible(shift is None)
        self.move_box.setVisible(shift is not None)
        self.close_box.setVisible(shift is not None)
        if shift is None:
            self.heading.setText(self.tr("No shift is open: count the float and open one."))
            return
        self.heading.setText(self.tr("Shift open since %1, float %2").replace(
            "%1", shift.opened_at.astimezone(self.ctx.shop_zone).strftime("%d/%m %H:%M")).replace(
            "%2", shift.opening_float.format()))
        self.ctx.tasks.submit(self.ctx.counter.shift_preview, shift.id,
                              on_done=self._show_close_fields, on_error=self._failed, owner=self)

    def _show_close_fields(self, preview: dict[str, Any]) -> None:
        code = preview["currency"]
        lines = [
            f"{method_label(method)}: {Money(row['expected_minor'], code).format()}"
            for method, row in preview["methods"].items()
            if method != "cash"
        ]
        self.ledger_totals.setText(
            self.tr("Not in the drawer (from the ledger, nothing to count):") + "\n"
            + "\n".join(lines)
            if lines else self.tr("No M-Pesa, Paystack or delivery takings in this shift.")
        )
        tests = preview.get("test_payments") or {}
        if tests:  # shown apart: test money is in no total
            self.ledger_totals.setText(
                self.ledger_totals.text() + "\n" + self.tr("Test payments (not money)") + ": "
                + ", ".join(f"{method_label(m)} {Money(v, code).format()}"
                            for m, v in tests.items())
            )
        self.close_fields_ready.emit()

    def _reset_close(self) -> None:
        self.counted_cash.clear()
        self.counted_cash.setReadOnly(False)
        self.shortage_reason.clear()
        self.shortage_reason.hide()
        self.shortage_label.hide()
        self._confirming(False)

    def _confirming(self, asking: bool) -> None:
        self.close_button.setVisible(not asking)
        for widget in (self.confirm_label, self.confirm_button, self.back_button):
            widget.setVisible(asking)

    def _ask_confirmation(self) -> None:
        amount = self.counted_cash.money()
        if amount is None:
            self.say(self.tr("Count the cash in the drawer first (type 0 if it is empty)."),
                     error=True)
            return
        self.counted_cash.setReadOnly(True)
        self.confirm_label.setText(
            self.tr("Close the shift with %1 counted? This cannot be undone.").replace(
                "%1", amount.format()))
        self._confirming(True)
        self.confirm_button.setFocus()

    def _step_back(self) -> None:
        # a recount is allowed until the count is submitted; after a refused shortage it is not
        if not self.shortage_reason.isVisible():
            self.counted_cash.setReadOnly(False)
        self._confirming(False)

    def _open(self) -> None:
        amount = self.float_edit.money()
        if amount is None:
            self.say(self.tr("Type the float (0 if the drawer is empty)."), error=True)
            return
        self.open_button.setEnabled(False)
        self.ctx.tasks.submit(self.ctx.services.shifts.open_shift, self.ctx.user_id(), amount,
                              on_done=lambda _s: self._opened(), on_error=self._failed, owner=self)

    def _opened(self) -> None:
        self.open_button.setEnabled(True)
        self.say(self.tr("Shift opened."))
        self.report_view.hide()
        self.refresh()
        self.shift_opened.emit()

    def _move(self, direction: str) -> None:
        if self.shift is None:
            return
        amount = self.move_amount.money()
        reason = self.move_reason.text().strip()
        if amount is None or not amount.is_positive:
            self.say(self.tr("Type an amount above zero."), error=True)
            return
        if not reason:
            self.say(self.tr("Say why the cash goes in or out."), error=True)
            return
        self.ctx.tasks.submit(
            self.ctx.services.shifts.cash_movement, self.shift.id, direction, amount, reason,
            user_id=self.ctx.user_id(), on_done=lambda _r: self._moved(direction, amount),
            on_error=self._failed,
            owner=self,
        )

    def _moved(self, direction: str, amount: Money) -> None:
        self.move_amount.clear()
        self.move_reason.clear()
        text = self.tr("Cash in: %1") if direction == "in" else self.tr("Cash out: %1")
        self.say(text.replace("%1", amount.format()))
        self.refresh()

    def _no_sale(self) -> None:
        printer = self.ctx.printer
        if printer is None or self.shift is None:
            return
        services = self.ctx.services
        self.ctx.tasks.submit(
            printer.no_sale, services.ledger, services.bus, self.ctx.user_id(),
            on_done=lambda _r: self.say(self.tr("Drawer opened (no sale): it is on the record.")),
            on_error=self._failed, owner=self,
        )

    def _close(self, override_by: Grant | None) -> None:
        amount = self.counted_cash.money()
        if self.shift is None or amount is None:
            return
        self.confirm_button.setEnabled(False)
        self.ctx.tasks.submit(
            self.ctx.counter.close_shift, self.shift.id, {"cash": amount}, override_by,
            self.shortage_reason.text(), self.ctx.settings.shortage_tolerance_minor,
            on_done=self._closed,
            on_error=lambda e: self._unsynced(e, lambda who: self._close(who)),
            owner=self,
        )

    def _short(self) -> None:
        """The count stays as submitted (no recount once the shortage is known)."""
        self.shortage_label.show()
        self.shortage_reason.show()
        self.shortage_reason.setFocus()
        self.say(self.tr("The drawer is short: say why, then close."), error=True)

    def _unsynced(self, error: BaseException, retry: Any) -> None:
        self.confirm_button.setEnabled(True)
        if isinstance(error, ShortageNeedsReason):
            self._short()
            return
        if not isinstance(error, UnsyncedEvents):
            self._failed(error)
            return
        self.say(error_message(error), error=True)
        supervisor = ask_supervisor_pin(self, self.ctx, error_message(error))
        if supervisor is not None:
            retry(supervisor)

    def _closed(self, report: dict[str, Any]) -> None:
        self.report = report
        self.report_view.setHtml(self._report_html(report))
        self.report_view.show()
        reports = Path(self.ctx.settings.data_dir) / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        self.pdf_path = self.save_report_pdf(reports / self.report_file_name(report))
        variance = Money(report["total_difference_minor"], report["currency"])
        self.say(self.tr("Shift closed. Variance %1. Z report saved to %2").replace(
            "%1", variance.format()).replace("%2", str(self.pdf_path)))
        self._reset_close()
        ledger = self.ctx.counter.ledger_status()  # in memory: the check ran on the worker
        if ledger.damage is not None:
            self.say(error_message(ledger.damage), error=True)
        self.refresh()

    def save_report_pdf(self, path: Path) -> Path:
        assert self.report is not None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        document = QTextDocument()
        document.setHtml(self._report_html(self.report))
        document.print_(printer)
        return path

    def _report_html(self, report: dict[str, Any]) -> str:
        shop = self.ctx.shop_settings.shop_name if self.ctx.shop_settings else ""
        return z_report_html(report, shop, self.tr("Z report"), self._labels(), self.ctx.shop_zone)

    def report_file_name(self, report: dict[str, Any]) -> str:
        """Named by when the shift opened and closed, in shop time: "z-20261203-0800-1715.pdf"
        (a shift id is no name for people)."""
        opened, closed = (
            datetime.fromisoformat(report[key]).astimezone(self.ctx.shop_zone)
            for key in ("opened_at", "closed_at")
        )
        return f"z-{opened:%Y%m%d-%H%M}-{closed:%H%M}.pdf"

    def _sign_out(self, override_by: Any) -> None:
        self.ctx.tasks.submit(
            self.ctx.counter.require_synced, "sign_out", override_by,
            on_done=lambda _r: self.signed_out.emit(),
            on_error=lambda e: self._unsynced(e, lambda who: self._sign_out(who)),
            owner=self,
        )

    def say(self, text: str, error: bool = False) -> None:
        self.message.setProperty("role", "error" if error else "ok")
        self.message.style().polish(self.message)
        self.message.setText(text)

    def _failed(self, error: BaseException) -> None:
        self.open_button.setEnabled(True)
        self.confirm_button.setEnabled(True)
        self.say(error_message(error), error=True)
