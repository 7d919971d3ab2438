"""Settling a cash-on-delivery order: the cash received and, optionally, who brought it (the
rider). The signed-in cashier is recorded as the one who received it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.errors import DukaError
from pos_app.core.money import Money
from pos_app.printing.layout import sale_number
from pos_app.services.payments import COLLECTOR_LENGTH
from pos_app.ui.context import AppContext
from pos_app.ui.errors import error_message
from pos_app.ui.widgets.page_parts import dialog_buttons, message_label


class CodSettleDialog(QDialog):
    """Takes a `CodOrder` (pos_app.services.counter); accepted once the ledger has the cash."""

    def __init__(self, ctx: AppContext, cod: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cod-settle-dialog")
        self.setWindowTitle(self.tr("Cash received"))
        self.setMinimumWidth(480)
        self.ctx = ctx
        self.cod = cod
        self.payment: Any = None
        layout = QVBoxLayout(self)
        sale = sale_number(cod.order_id, cod.receipt_number)
        words = (  # the customer's name last: a name is never read as a placeholder
            self.tr("Sale %1 for %2, expected %3.")
            if cod.name
            else self.tr("Sale %1, expected %3.")
        )
        intro = QLabel(
            words.replace("%1", sale).replace("%3", cod.amount.format()).replace("%2", cod.name)
        )
        intro.setProperty("role", "heading")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.amount = QLineEdit(cod.amount.format(with_code=False).replace(",", ""))
        self.amount.setObjectName("cod-settle-amount")
        form.addRow(self.tr("Cash received"), self.amount)
        self.collected_by = QLineEdit()
        self.collected_by.setObjectName("cod-settle-by")
        self.collected_by.setMaxLength(COLLECTOR_LENGTH)
        self.collected_by.setPlaceholderText(self.tr("e.g. the rider's name (optional)"))
        form.addRow(self.tr("Collected by"), self.collected_by)
        layout.addLayout(form)
        self.message = message_label("cod-settle-message")
        layout.addWidget(self.message)
        buttons, _, self.save = dialog_buttons(
            self, self.tr("Back"), self.tr("Record the cash"), "cod-settle-save", self._save
        )
        layout.addLayout(buttons)
        self.amount.returnPressed.connect(self.collected_by.setFocus)
        self.collected_by.returnPressed.connect(self._save)
        self.amount.setFocus()
        self.amount.selectAll()

    def _save(self) -> None:
        if not self.save.isEnabled():
            return  # the first click is still being recorded: never settle twice
        try:
            collected = Money.parse(self.amount.text(), self.cod.amount.currency)
        except DukaError as error:
            self.message.setText(error_message(error))
            return
        self.save.setEnabled(False)
        self.message.setText("")
        self.ctx.tasks.submit(
            self.ctx.counter.settle_cod,
            self.cod.payment_id,
            collected,
            self.collected_by.text().strip() or None,
            on_done=self._settled,
            on_error=self._failed,
            owner=self,
        )

    def _settled(self, payment: Any) -> None:
        self.payment = payment
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.save.setEnabled(True)
        self.message.setText(error_message(error))
