"""A line with a typed amount (an item without a barcode, a service)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.cashier.cart import CartLine
from pos_app.ui.widgets.money_edit import MoneyEdit


class CustomLineDialog(QDialog):
    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("custom-line-dialog")
        self.setWindowTitle(self.tr("Custom amount"))
        self.line: CartLine | None = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(self.tr("Other item"))
        self.name.setObjectName("custom-name")
        self.name.setMaxLength(200)
        form.addRow(self.tr("Description"), self.name)
        self.amount = MoneyEdit(code)
        self.amount.setObjectName("custom-amount")
        form.addRow(self.tr("Amount (%1)").replace("%1", code), self.amount)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setProperty("role", "error")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Add"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self._add)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.amount.setFocus()

    def _add(self) -> None:
        amount = self.amount.money()
        if amount is None or not amount.is_positive:
            self.message.setText(self.tr("Type an amount above zero."))
            return
        if not self.name.text().strip():
            self.message.setText(self.tr("Type a description."))
            return
        self.line = CartLine(self.name.text().strip(), amount, 1, None)
        self.accept()
