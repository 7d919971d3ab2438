"""Today's sales, newest first: reprint a receipt."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from pos_app.printing.layout import sale_number
from pos_app.ui.cashier.receipt_dialog import ReceiptDialog
from pos_app.ui.context import AppContext
from pos_app.ui.errors import error_message
from pos_app.ui.widgets.page_parts import button_row, heading_label
from pos_app.ui.widgets.tables import ReadOnlyTable


class SalesPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sales-page")
        self.ctx = ctx
        self.orders: list[Any] = []
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(self.tr("Recent sales")))
        self.table = ReadOnlyTable(
            [self.tr("Time"), self.tr("Sale"), self.tr("Status"), self.tr("Total")],
            "sales-table", stretch_column=1,
        )
        self.table.doubleClicked.connect(lambda _i: self.reprint())
        layout.addWidget(self.table, 1)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.setObjectName("sales-refresh")
        refresh.clicked.connect(self.refresh)
        self.reprint_button = QPushButton(self.tr("Reprint receipt"))
        self.reprint_button.setObjectName("sales-reprint")
        self.reprint_button.setProperty("role", "primary")
        self.reprint_button.clicked.connect(self.reprint)
        layout.addLayout(button_row([refresh], [self.reprint_button]))
        self.message = QLabel()
        self.message.setObjectName("sales-message")
        layout.addWidget(self.message)
        self.last_dialog: ReceiptDialog | None = None

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        self.ctx.tasks.submit(self.ctx.counter.recent_sales, on_done=self._show,
                              on_error=self._failed, owner=self)

    def _show(self, orders: list[Any]) -> None:
        self.orders = orders
        zone = self.ctx.shop_zone
        statuses = {"open": self.tr("open"), "paid": self.tr("paid"),
                    "cancelled": self.tr("cancelled"), "refunded": self.tr("refunded")}
        self.table.show_rows([
            [
                order.created_at.astimezone(zone).strftime("%d/%m %H:%M"),
                sale_number(order.id, str(order.receipt_number or "")) + "  "
                + ", ".join(line.name for line in order.lines)[:60],
                statuses.get(order.status, order.status),
                order.total.format(),
            ]
            for order in orders
        ])

    def reprint(self) -> None:
        row = self.table.picked_row()
        if row is None:
            self.message.setText(self.tr("Choose a sale first."))
            return
        order = self.orders[row]
        dialog = ReceiptDialog(self.ctx, order.id, self, reprint=True)
        self.last_dialog = dialog
        dialog.destroyed.connect(lambda _o=None: self._receipt_gone(dialog))
        dialog.open()

    def _receipt_gone(self, dialog: ReceiptDialog) -> None:
        if self.last_dialog is dialog:
            self.last_dialog = None

    def _failed(self, error: BaseException) -> None:
        self.message.setText(error_message(error))
