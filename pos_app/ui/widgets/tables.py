"""The read-only grid of text every list of the till is shown in (products, COD orders, sales,
the supervisor's queues and reports)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)


class ReadOnlyTable(QTableWidget):
    """Columns sized to their contents; `stretch_column` (default: the last) takes the spare
    width and elides, so the grid never needs a side scroll. With `pick_rows` a click picks one
    whole row (the page acts on it); with `empty_hint`, an empty grid says why it is empty."""

    def __init__(
        self,
        headers: Sequence[str],
        object_name: str,
        stretch_column: int = -1,
        *,
        pick_rows: bool = True,
        empty_hint: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(0, len(headers), parent)
        self._empty_hint = empty_hint
        self.setObjectName(object_name)
        self.setHorizontalHeaderLabels(list(headers))
        if pick_rows:
            self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch_column % len(headers), QHeaderView.ResizeMode.Stretch)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setWordWrap(False)

    def show_rows(self, rows: Sequence[Sequence[Any]], keys: Sequence[Any] = ()) -> None:
        """Replace the rows; with `keys`, each row's first cell carries its key (`picked_key`)."""
        self.clearSpans()
        self.setRowCount(0)
        if not rows and self._empty_hint:
            self.setRowCount(1)
            self.setSpan(0, 0, 1, self.columnCount())
            item = QTableWidgetItem(self._empty_hint)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            item.setForeground(QColor("#5f6368"))
            self.setItem(0, 0, item)
            return
        self.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                text = "" if value is None else str(value)
                item = QTableWidgetItem(text)
                if len(text) > 40:  # long cells are elided; the whole text is one hover away
                    item.setToolTip(text)
                if c == 0 and keys:
                    item.setData(Qt.ItemDataRole.UserRole, keys[r])
                self.setItem(r, c, item)

    def picked_row(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def picked_key(self) -> Any:
        """The key of the current row (see `show_rows`), None when there is none."""
        row = self.currentRow()
        item = self.item(row, 0) if row >= 0 else None
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)
