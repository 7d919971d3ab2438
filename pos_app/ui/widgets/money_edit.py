"""An amount field for the counter: digits only, read straight into Money (never a float)."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QWidget

from pos_app.core.errors import MoneyError
from pos_app.core.money import Money, currency


class MoneyEdit(QLineEdit):
    """Accepts "1250", "1,250.50"; letters never get in. `money()` is None while unreadable."""

    amount_changed = Signal()

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._code = code
        exponent = currency(code).exponent
        fraction = rf"(\.\d{{0,{exponent}}})?" if exponent else ""
        self.setValidator(
            QRegularExpressionValidator(QRegularExpression(rf"^[\d,]{{0,15}}{fraction}$"), self)
        )
        self.setPlaceholderText("0" if not exponent else "0." + "0" * exponent)
        self.textChanged.connect(lambda _t: self.amount_changed.emit())

    @property
    def code(self) -> str:
        return self._code

    def money(self) -> Money | None:
        text = self.text().strip()
        if not text:
            return None
        try:
            return Money.parse(text, self._code)
        except MoneyError:
            return None

    def set_money(self, amount: Money) -> None:
        self.setText(amount.format(with_code=False).replace(",", ""))
