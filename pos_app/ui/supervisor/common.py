"""Small pieces every supervisor page shares: money and time display, tables, messages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from pos_app.core.errors import DukaError
from pos_app.core.money import Money


def money_text(minor: int | None, code: str | None) -> str:
    if minor is None or not code:
        return "—"
    return Money(minor, code).format()


def local_text(at: datetime | None, zone: str) -> str:
    if at is None:
        return "—"
    return at.astimezone(ZoneInfo(zone)).strftime("%d/%m/%Y %H:%M")


def error_text(error: BaseException) -> str:
    """What to show a supervisor: the till's own message, never a traceback or a secret."""
    if isinstance(error, DukaError):
        return error.message
    return QCoreApplication.translate(
        "Supervisor", "Something went wrong; nothing was changed. Try again."
    )


def make_table(headers: Sequence[str], object_name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(object_name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[Any]], keys: Sequence[Any]) -> None:
    """Replace the rows; each row's first cell carries its key in Qt.UserRole."""
    table.setRowCount(0)
    table.setRowCount(len(rows))
    for r, (cells, key) in enumerate(zip(rows, keys, strict=True)):
        for c, value in enumerate(cells):
            item = QTableWidgetItem("" if value is None else str(value))
            if c == 0:
                item.setData(Qt.ItemDataRole.UserRole, key)
            table.setItem(r, c, item)


def selected_key(table: QTableWidget) -> Any:
    row = table.currentRow()
    item = table.item(row, 0) if row >= 0 else None
    return None if item is None else item.data(Qt.ItemDataRole.UserRole)


def message_label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    return label


def show_message(label: QLabel, text: str, ok: bool) -> None:
    label.setText(text)
    label.setProperty("role", "ok" if ok else "error")
    label.style().polish(label)


def hint_label(text: str, object_name: str) -> QLabel:
    """The grey line that says why a table is empty (an empty grid alone says nothing)."""
    label = QLabel(text)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setStyleSheet("color: #5f6368; font-style: italic; padding: 8px;")
    return label


def write_text(path: str | Path, text: str) -> None:
    Path(path).write_text(text, encoding="utf-8", newline="")


def set_busy(widgets: Sequence[QWidget], busy: bool) -> None:
    for widget in widgets:
        widget.setEnabled(not busy)
