"""Refunds and voids: pick a paid sale, say why, type the supervisor's PIN.

Cash goes back from the drawer, an M-Pesa reversal is recorded with its code, a Paystack
payment is refunded through the relay; a sale of the open shift can be voided whole.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.events import PaymentProcessed, RefundRecorded
from pos_app.services.refund_requests import DONE, FAILED, PENDING, RefundPending
from pos_app.services.refunds import RefundablePayment, RefundMethod, RefundRow, RefundService
from pos_app.ui.bus_bridge import BusBridge
from pos_app.ui.errors import error_message
from pos_app.ui.supervisor.approvals_page import method_text
from pos_app.ui.supervisor.decision_page import DecisionPage
from pos_app.ui.supervisor.formatting import local_text
from pos_app.ui.tasks import TaskRunner
from pos_app.ui.widgets.money_edit import MoneyEdit
from pos_app.ui.widgets.page_parts import (
    button_row,
    heading_label,
    hint_label,
    message_label,
    show_message,
)
from pos_app.ui.widgets.staff_fields import pin_edit
from pos_app.ui.widgets.tables import ReadOnlyTable


class RefundsPage(DecisionPage):
    def __init__(
        self,
        service: RefundService,
        list_users: Callable[[], list[Any]],
        tasks: TaskRunner,
        current_user_id: Callable[[], str | None],
        currency: str = "KES",
        timezone: str = "Africa/Nairobi",
        bus: BusBridge | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(list_users, tasks, current_user_id, timezone, parent)
        self.setObjectName("supervisor-refunds")
        self._service = service
        self.payments: list[RefundablePayment] = []
        # one id per (payment, amount) until it succeeds: a retry is the same request
        self._request_ids: dict[tuple[str, int], str] = {}
        self.selected: RefundablePayment | None = None

        layout = QVBoxLayout(self)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        heading = heading_label(self.tr("Refunds and voids"))
        layout.addLayout(button_row([heading], [self.refresh_button]))

        self.table = ReadOnlyTable(
            [
                self.tr("When"),
                self.tr("Method"),
                self.tr("Paid"),
                self.tr("Refunded"),
                self.tr("Can still refund"),
                self.tr("Shift"),
            ],
            "refunds-payments",
        )
        self.table.setMinimumHeight(200)
        layout.addWidget(self.table, 1)
        self.empty_hint = hint_label(self.tr("No paid sales yet."), "refunds-empty")
        self.empty_hint.hide()
        layout.addWidget(self.empty_hint)

        box = QGroupBox(self.tr("Give money back"))
        grid = QGridLayout(box)  # two fields a row: the sales list keeps its room
        self.how_label = QLabel()
        self.how_label.setObjectName("refunds-how")
        self.how_label.setWordWrap(True)
        grid.addWidget(QLabel(self.tr("How")), 0, 0)
        grid.addWidget(self.how_label, 0, 1, 1, 3)
        self.amount = MoneyEdit(currency)
        self.amount.setObjectName("refunds-amount")
        grid.addWidget(QLabel(self.tr("Amount")), 1, 0)
        grid.addWidget(self.amount, 1, 1)
        self.reversal = QLineEdit()
        self.reversal.setObjectName("refunds-reversal")
        self.reversal.setPlaceholderText(self.tr("e.g. SGR4T7YU2P"))
        self.reversal_label = QLabel(self.tr("M-Pesa reversal code"))
        grid.addWidget(self.reversal_label, 1, 2)
        grid.addWidget(self.reversal, 1, 3)
        self.reason = QLineEdit()
        self.reason.setObjectName("refunds-reason")
        self.reason.setPlaceholderText(self.tr("Why is the money given back?"))
        grid.addWidget(QLabel(self.tr("Reason")), 2, 0)
        grid.addWidget(self.reason, 2, 1, 1, 3)
        self.approver = QComboBox()
        self.approver.setObjectName("refunds-approver")
        grid.addWidget(QLabel(self.tr("Supervisor")), 3, 0)
        grid.addWidget(self.approver, 3, 1)
        self.pin = pin_edit("refunds-pin")
        grid.addWidget(QLabel(self.tr("PIN")), 3, 2)
        grid.addWidget(self.pin, 3, 3)
        buttons = QHBoxLayout()
        self.refund_button = QPushButton(self.tr("Refund"))
        self.refund_button.setObjectName("refunds-refund")
        self.refund_button.setProperty("role", "primary")
        self.void_button = QPushButton(self.tr("Void the whole sale"))
        self.void_button.setObjectName("refunds-void")
        self.void_button.setProperty("role", "danger")
        buttons.addWidget(self.refund_button)
        buttons.addWidget(self.void_button)
        self.message = message_label("refunds-message")
        buttons.addWidget(self.message, 1)
        grid.addLayout(buttons, 4, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout.addWidget(box)

        layout.addWidget(heading_label(self.tr("Recent refunds")))
        self.refund_table = ReadOnlyTable(
            [
                self.tr("When"),
                self.tr("Amount"),
                self.tr("How"),
                self.tr("Status"),
                self.tr("Reason"),
            ],
            "refunds-recent",
            empty_hint=self.tr("No refunds given."),
        )
        self.refund_table.setMaximumHeight(112)  # the page fits a 1280x800 window unscrolled
        layout.addWidget(self.refund_table)

        self.refresh_button.clicked.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._selected)
        self.refund_button.clicked.connect(self.refund)
        self.void_button.clicked.connect(self.void)
        self._show_selected(None)
        self.load_deciders()
        if bus is not None:
            bus.refresh_on(self, (PaymentProcessed, RefundRecorded), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        self._tasks.submit(
            lambda: (self._service.recent_paid(), self._service.refunds(limit=50)),
            on_done=self._show,
            on_error=self._failed,
            owner=self,
        )

    def _show(self, loaded: tuple[list[RefundablePayment], list[RefundRow]]) -> None:
        self.refresh_button.setEnabled(True)
        payments, refunds = loaded
        keep = self.selected.payment.id if self.selected else None
        self.payments = payments
        self.table.show_rows(
            [
                [
                    local_text(p.payment.created_at, self._zone),
                    method_text(p.payment.method),
                    p.payment.amount.format(),
                    p.payment.refunded.format(),
                    p.remaining.format(),
                    self.tr("open") if p.shift_open else self.tr("closed"),
                ]
                for p in payments
            ],
            [p.payment.id for p in payments],
        )
        self.empty_hint.setVisible(not payments)
        self.refund_table.show_rows(
            [
                [
                    local_text(r.at, self._zone),
                    r.amount.format(),
                    method_text(r.method),
                    self._status_text(r.status),
                    r.reason,
                ]
                for r in refunds
            ],
            [r.id for r in refunds],
        )
        row = next((n for n, p in enumerate(payments) if p.payment.id == keep), -1)
        if row >= 0:
            self.table.selectRow(row)
        else:
            self._show_selected(None)

    def _status_text(self, status: str) -> str:
        """A Paystack refund waits for Paystack's answer; every other kind is done at once."""
        return {
            PENDING: self.tr("Waiting for Paystack"),
            DONE: self.tr("Done"),
            FAILED: self.tr("Failed"),
        }.get(status, status)

    def _selected(self) -> None:
        row = self.table.currentRow()
        self._show_selected(self.payments[row] if 0 <= row < len(self.payments) else None)

    def _show_selected(self, target: RefundablePayment | None) -> None:
        self.selected = target
        self.refund_button.setEnabled(target is not None)
        self.void_button.setEnabled(target is not None and target.shift_open)
        is_mpesa = target is not None and target.refund_method is RefundMethod.MPESA_REVERSAL
        self.reversal.setVisible(is_mpesa)
        self.reversal_label.setVisible(is_mpesa)
        if target is None:
            self.how_label.setText(self.tr("Pick a paid sale above."))
            return
        self.how_label.setText(
            {
                RefundMethod.CASH_DRAWER: self.tr("Hand the cash back from the drawer."),
                RefundMethod.MPESA_REVERSAL: self.tr(
                    "Reverse it on the M-Pesa business phone first, then type the code here."
                ),
                RefundMethod.PAYSTACK: self.tr("Paystack refunds the card through the relay."),
                RefundMethod.BANK_TRANSFER: self.tr(
                    "Send the transfer back from the bank, then record it here."
                ),
            }[target.refund_method]
        )
        self.amount.set_money(target.remaining)

    def refund(self) -> None:
        target = self.selected
        amount = self.amount.money()
        if target is None:
            return
        if amount is None:
            show_message(self.message, self.tr("Type the amount to give back."), ok=False)
            return
        key = (target.payment.id, amount.minor)
        request_id = self._request_ids.setdefault(key, str(uuid.uuid4()))
        self._submit(
            self._service.refund,
            target.payment.id,
            amount,
            self.reason.text(),
            supervisor_id=self.approver.currentData(),
            pin=self.pin.text(),
            reversal_code=self.reversal.text() or None,
            request_id=request_id,
            done=self.tr("Refund recorded: %1.").replace("%1", amount.format()),
            succeeded=lambda: self._request_ids.pop(key, None),
        )

    def void(self) -> None:
        target = self.selected
        if target is None:
            return
        self._submit(
            self._service.void_sale,
            target.payment.order_id,
            self.reason.text(),
            supervisor_id=self.approver.currentData(),
            pin=self.pin.text(),
            done=self.tr("The sale was voided."),
        )

    def _submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: str,
        succeeded: Callable[[], object] | None = None,
        **kwargs: Any,
    ) -> None:
        if not self.pin.text():
            show_message(self.message, self.tr("Type the supervisor's PIN."), ok=False)
            return
        self.refund_button.setEnabled(False)
        self.void_button.setEnabled(False)
        show_message(self.message, self.tr("Checking…"), ok=True)

        def finished(_: Any) -> None:
            if succeeded is not None:
                succeeded()
            self.pin.clear()
            self.reason.clear()
            self.reversal.clear()
            show_message(self.message, done, ok=True)
            self.refresh()

        self._tasks.submit(
            fn,
            *args,
            on_done=finished,
            on_error=self._failed,
            **kwargs,
            owner=self,
        )

    def _failed(self, error: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.pin.clear()
        self._show_selected(self.selected)
        show_message(self.message, error_message(error), ok=False)
        if isinstance(error, RefundPending):
            self.refresh()  # it is recorded: the recent refunds show it waiting
