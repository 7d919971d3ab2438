"""Cash on delivery: who gets the goods and where; the order then waits in the COD list."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from pos_app.core.money import Money
from pos_app.ui.cashier.tender_base import TenderDialog
from pos_app.ui.context import AppContext
from pos_app.ui.widgets.page_parts import dialog_buttons


class CodDialog(TenderDialog):
    def __init__(
        self, ctx: AppContext, order_id: str, due: Money, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, order_id, due, self.tr("Cash on delivery"), parent)
        self.setObjectName("cod-dialog")
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setObjectName("cod-name")
        self.name.setMaxLength(120)
        form.addRow(self.tr("Customer name"), self.name)
        self.phone = QLineEdit()
        self.phone.setObjectName("cod-phone")
        self.phone.setPlaceholderText(self.tr("e.g. 0712 345 678"))
        form.addRow(self.tr("Phone"), self.phone)
        self.address = QPlainTextEdit()
        self.address.setObjectName("cod-address")
        self.address.setFixedHeight(80)
        form.addRow(self.tr("Delivery address"), self.address)
        self.layout_.addLayout(form)
        self.add_message_line()
        buttons, _, self.save = dialog_buttons(
            self, self.tr("Back"), self.tr("Send for delivery"), "cod-save", self._save
        )
        self.layout_.addLayout(buttons)
        self.name.setFocus()

    def _save(self) -> None:
        name = self.name.text().strip()
        phone = self.phone.text().strip()
        address = self.address.toPlainText().strip()
        if not name or not phone or not address:
            self.say(self.tr("Fill in the customer's name, phone and address."), error=True)
            return
        self.run_once(self.ctx.counter.start_cod, self.order_id, self.due, name, phone, address,
                      self.key, on_done=self._saved)

    def _saved(self, payment: Any) -> None:
        self.payment = payment
        self.accept()

    def set_busy(self, busy: bool) -> None:
        self.save.setEnabled(not busy)
