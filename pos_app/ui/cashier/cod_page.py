"""Open cash-on-delivery orders: settle when the rider brings the cash, or cancel with a reason."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QInputDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.printing.layout import sale_number
from pos_app.ui.cashier.cod_settle_dialog import CodSettleDialog
from pos_app.ui.context import AppContext
from pos_app.ui.errors import error_message
from pos_app.ui.widgets.page_parts import button_row, heading_label, message_label
from pos_app.ui.widgets.tables import ReadOnlyTable


class CodPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cod-page")
        self.ctx = ctx
        self.orders: list[Any] = []
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(self.tr("Orders awaiting cash on delivery")))
        self.table = ReadOnlyTable(
            [self.tr("Sale"), self.tr("Customer"), self.tr("Phone"), self.tr("Address"),
             self.tr("Amount")],
            "cod-table", stretch_column=3,
        )
        layout.addWidget(self.table, 1)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("cod-refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.cancel_button = QPushButton(self.tr("Cancel order…"))
        self.cancel_button.setObjectName("cod-cancel")
        self.cancel_button.setProperty("role", "danger")
        self.cancel_button.clicked.connect(self._cancel)
        self.settle_button = QPushButton(self.tr("Cash received"))
        self.settle_button.setObjectName("cod-settle")
        self.settle_button.setProperty("role", "primary")
        self.settle_button.clicked.connect(self._settle)
        layout.addLayout(
            button_row([self.refresh_button], [self.cancel_button, self.settle_button])
        )
        self._last_action = ""
        self.message = message_label("cod-message")
        layout.addWidget(self.message)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        self.ctx.tasks.submit(self.ctx.counter.open_cod_orders, on_done=self._show,
                              on_error=self._failed, owner=self)

    def _show(self, orders: list[Any]) -> None:
        self.orders = orders
        zone = self.ctx.shop_zone
        self.table.show_rows([
            [f"{sale_number(cod.order_id, cod.receipt_number)}  "
             f"{cod.created_at.astimezone(zone):%d/%m %H:%M}",
             cod.name, cod.phone, cod.address, cod.amount.format()]
            for cod in orders
        ])
        # What the cashier just did stays in view; the empty-list hint comes after it.
        notes = [self._last_action] if self._last_action else []
        if not orders:
            notes.append(self.tr("No order is waiting for cash on delivery."))
        self.message.setText(" ".join(notes))
        self._last_action = ""

    def _selected(self) -> Any:
        row = self.table.picked_row()
        if row is None:
            self.message.setText(self.tr("Choose an order first."))
            return None
        return self.orders[row]

    def _settle(self) -> None:
        cod = self._selected()
        if cod is None:
            return
        if CodSettleDialog(self.ctx, cod, self).exec() == QDialog.DialogCode.Accepted:
            self._done(self.tr("Settled."))

    def _cancel(self) -> None:
        cod = self._selected()
        if cod is None:
            return
        reason, ok = QInputDialog.getText(self, self.tr("Cancel order"),
                                          self.tr("Why is this order cancelled?"))
        if not ok:
            return
        if not reason.strip():
            self.message.setText(self.tr("A cancelled order needs a reason."))
            return
        self.ctx.tasks.submit(self.ctx.counter.cancel_cod, cod.payment_id, reason.strip(),
                              on_done=lambda _: self._done(self.tr("Cancelled.")),
                              on_error=self._failed, owner=self)

    def _done(self, text: str) -> None:
        self._last_action = text
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        self.message.setText(error_message(error))
