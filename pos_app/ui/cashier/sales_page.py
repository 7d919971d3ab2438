"""Today's sales, newest first: reprint a receipt."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.errors import DukaError
from pos_app.ui.cashier.receipt_dialog import ReceiptDialog
from pos_app.ui.context import AppContext


class SalesPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sales-page")
        self.ctx = ctx
        self.orders: list[Any] = []
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Recent sales"))
        title.setProperty("role", "heading")
        layout.addWidget(title)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("sales-table")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Sale"), self.tr("Status"), self.tr("Total")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.reprint())
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        refresh = QPushButton(self.tr("Refresh"))
        refresh.setObjectName("sales-refresh")
        refresh.clicked.connect(self.refresh)
        row.addWidget(refresh)
        row.addStretch(1)
        self.reprint_button = QPushButton(self.tr("Reprint receipt"))
        self.reprint_button.setObjectName("sales-reprint")
        self.reprint_button.setProperty("role", "primary")
        self.reprint_button.clicked.connect(self.reprint)
        row.addWidget(self.reprint_button)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setObjectName("sales-message")
        layout.addWidget(self.message)
        self.last_dialog: ReceiptDialog | None = None

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        self.ctx.tasks.submit(self.ctx.counter.recent_sales, on_done=self._show,
                              on_error=self._failed)

    def _show(self, orders: list[Any]) -> None:
        self.orders = orders
        zone = ZoneInfo(self.ctx.shop_settings.timezone if self.ctx.shop_settings else "UTC")
        statuses = {"open": self.tr("open"), "paid": self.tr("paid"),
                    "cancelled": self.tr("cancelled"), "refunded": self.tr("refunded")}
        self.table.setRowCount(len(orders))
        for i, order in enumerate(orders):
            values = [
                order.created_at.astimezone(zone).strftime("%d/%m %H:%M"),
                order.id[:8].upper() + "  " + ", ".join(line.name for line in order.lines)[:60],
                statuses.get(order.status, order.status),
                order.total.format(),
            ]
            for column, value in enumerate(values):
                self.table.setItem(i, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    def reprint(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.setText(self.tr("Choose a sale first."))
            return
        order = self.orders[rows[0].row()]
        dialog = ReceiptDialog(self.ctx, order.id, self, reprint=True)
        self.last_dialog = dialog
        dialog.destroyed.connect(lambda _o=None: self._receipt_gone(dialog))
        dialog.open()

    def _receipt_gone(self, dialog: ReceiptDialog) -> None:
        if self.last_dialog is dialog:
            self.last_dialog = None

    def _failed(self, error: BaseException) -> None:
        self.message.setText(error.message if isinstance(error, DukaError) else str(error))
