"""A read-only grid of text for the cashier's lists (products, COD orders, recent sales)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)


class ReadOnlyTable(QTableWidget):
    """Columns sized to their contents, `stretch_column` takes the spare width; with
    `pick_rows` a click picks one whole row (the page acts on it)."""

    def __init__(
        self,
        headers: Sequence[str],
        object_name: str,
        stretch_column: int,
        pick_rows: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(0, len(headers), parent)
        self._stretch_column = stretch_column
        self.setObjectName(object_name)
        self.setHorizontalHeaderLabels(list(headers))
        if pick_rows:
            self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self._stretch()

    def show_rows(self, rows: Sequence[Sequence[str]]) -> None:
        self.setRowCount(len(rows))
        for i, values in enumerate(rows):
            for column, value in enumerate(values):
                self.setItem(i, column, QTableWidgetItem(value))
        self.resizeColumnsToContents()
        self._stretch()  # resizing to contents takes the stretch away

    def picked_row(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _stretch(self) -> None:
        self.horizontalHeader().setSectionResizeMode(
            self._stretch_column, QHeaderView.ResizeMode.Stretch
        )
