"""Cash: tendered amount with quick note buttons, change due, part-payment for split tender."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QGridLayout, QLabel, QPushButton, QWidget

from pos_app.core.money import Money, currency
from pos_app.ui.cashier.tender_base import TenderDialog
from pos_app.ui.context import AppContext
from pos_app.ui.widgets.keypad import Keypad
from pos_app.ui.widgets.money_edit import MoneyEdit
from pos_app.ui.widgets.page_parts import dialog_buttons

# common notes, in whole currency units
NOTES = {
    "KES": (50, 100, 200, 500, 1000),
    "NGN": (200, 500, 1000, 2000, 5000),
    "GHS": (5, 10, 20, 50, 100, 200),
    "ZAR": (10, 20, 50, 100, 200),
    "UGX": (1000, 2000, 5000, 10000, 20000, 50000),
    "TZS": (1000, 2000, 5000, 10000),
}
DEFAULT_NOTES = (5, 10, 20, 50, 100)


def note_values(code: str) -> list[Money]:
    scale = 10 ** currency(code).exponent
    return [Money(n * scale, code) for n in NOTES.get(code, DEFAULT_NOTES)]


class CashDialog(TenderDialog):
    def __init__(
        self, ctx: AppContext, order_id: str, due: Money, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, order_id, due, self.tr("Cash"), parent)
        self.setObjectName("cash-dialog")
        code = due.currency
        form = QFormLayout()
        self.amount = MoneyEdit(code)
        self.amount.setObjectName("cash-amount")
        self.amount.set_money(due)
        form.addRow(self.tr("Pay in cash (less for a split tender)"), self.amount)
        self.tendered = MoneyEdit(code)
        self.tendered.setObjectName("cash-tendered")
        self.tendered.setStyleSheet("font-size: 22px; min-height: 48px;")
        form.addRow(self.tr("Cash received"), self.tendered)
        self.layout_.addLayout(form)
        self.keypad = Keypad(self.tendered, decimal=True)
        self.layout_.addWidget(self.keypad)

        notes = QGridLayout()
        exact = QPushButton(self.tr("Exact"))
        exact.setObjectName("note-exact")
        exact.clicked.connect(self._exact)
        notes.addWidget(exact, 0, 0)
        for i, note in enumerate(note_values(code), start=1):
            button = QPushButton(note.format(with_code=False).removesuffix(".00"))
            button.setObjectName(f"note-{note.minor}")
            button.setMinimumHeight(52)
            button.clicked.connect(lambda _=False, n=note: self._add_note(n))
            notes.addWidget(button, i // 4, i % 4)
        self.layout_.addLayout(notes)

        self.change_label = QLabel()
        self.change_label.setObjectName("cash-change")
        self.change_label.setProperty("role", "total")
        self.layout_.addWidget(self.change_label)
        self.add_message_line()
        buttons, cancel, self.pay = dialog_buttons(
            self, self.tr("Back"), self.tr("Take cash"), "cash-pay", self._pay
        )
        cancel.setObjectName("cash-cancel")
        self.pay.setDefault(True)
        self.layout_.addLayout(buttons)
        self.amount.amount_changed.connect(self._update)
        self.tendered.amount_changed.connect(self._update)
        self.tendered.returnPressed.connect(self._pay)
        self._update()
        self.tendered.setFocus()

    def _exact(self) -> None:
        amount = self.amount.money()
        if amount is not None:
            self.tendered.set_money(amount)

    def _add_note(self, note: Money) -> None:
        current = self.tendered.money() or Money.zero(note.currency)
        self.tendered.set_money(current + note)

    def _check(self) -> tuple[Money, Money] | str:
        """(amount, tendered) when they make a payment; otherwise what the cashier must fix."""
        amount = self.amount.money()
        tendered = self.tendered.money()
        if amount is None or not amount.is_positive:
            return self.tr("Type the amount to pay in cash.")
        if amount > self.due:
            return self.tr("That is more than is due (%1).").replace("%1", self.due.format())
        if tendered is None:
            return self.tr("Type the cash received, or press a note.")
        if tendered < amount:
            return self.tr("Cash received is %1 short.").replace(
                "%1", (amount - tendered).format())
        return amount, tendered

    def _update(self) -> None:
        checked = self._check()
        if isinstance(checked, str):
            self.change_label.setText(self.tr("Change: —"))
            self.say(checked, error=bool(self.tendered.text()))
            self.pay.setEnabled(False)
            return
        amount, tendered = checked
        self.change_label.setText(self.tr("Change: %1").replace(
            "%1", (tendered - amount).format()))
        rest = self.due - amount
        self.say(self.tr("Still due after this: %1 (choose another tender next).").replace(
            "%1", rest.format()) if rest.is_positive else "")
        self.pay.setEnabled(not self._running)

    def _pay(self) -> None:
        checked = self._check()
        if isinstance(checked, str):
            self.say(checked, error=True)
            return
        amount, tendered = checked
        self.run_once(self.ctx.counter.pay_cash, self.order_id, amount, tendered,
                      self.key, on_done=self._paid)

    def _paid(self, payment: Any) -> None:
        self.payment = payment
        self.accept()

    def set_busy(self, busy: bool) -> None:
        self.pay.setEnabled(not busy)
