"""Fields about the staff: who decides, their PIN, their language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit

PIN_MAX = 8


def pin_edit(object_name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(object_name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(PIN_MAX)
    return edit


def language_combo(object_name: str) -> QComboBox:
    """The languages the till speaks, each named in itself (a reader finds their own)."""
    combo = QComboBox()
    combo.setObjectName(object_name)
    combo.addItem("English", "en")
    combo.addItem("Kiswahili", "sw")
    return combo


def fill_deciders(combo: QComboBox, users: Sequence[Any], current_user_id: str | None) -> None:
    """The active users, the signed-in one picked (they usually decide themselves)."""
    combo.clear()
    for user in users:
        if user.active:
            combo.addItem(user.name, user.id)
    index = combo.findData(current_user_id)
    if index >= 0:
        combo.setCurrentIndex(index)
