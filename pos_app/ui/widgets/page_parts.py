"""The rows most pages and dialogs are built of: the heading, a row of buttons pushed apart,
a dialog's "back" and action buttons.

Callers pass their own translated texts, so each string keeps its page's translation context.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QWidget


def heading_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "heading")  # the style sheet sizes headings by this role
    return label


def message_label(object_name: str) -> QLabel:
    """The line where a page or dialog says how its last action went."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    return label


def button_row(left: Sequence[QWidget], right: Sequence[QWidget] = ()) -> QHBoxLayout:
    """`left` at the left edge, `right` at the right edge, the spare room between them."""
    row = QHBoxLayout()
    for widget in left:
        row.addWidget(widget)
    row.addStretch(1)
    for widget in right:
        row.addWidget(widget)
    return row


def dialog_buttons(
    dialog: QDialog,
    back_text: str,
    action_text: str,
    action_name: str,
    action: Callable[[], object],
) -> tuple[QHBoxLayout, QPushButton, QPushButton]:
    """A dialog's foot, at the right: "back" closes it with nothing done, the primary action
    does its work. Returns the row and both buttons (the dialog disables its action while
    the work runs)."""
    back = QPushButton(back_text)
    back.clicked.connect(dialog.reject)
    button = QPushButton(action_text)
    button.setObjectName(action_name)
    button.setProperty("role", "primary")
    button.clicked.connect(action)
    return button_row([], [back, button]), back, button


def show_message(label: QLabel, text: str, ok: bool) -> None:
    """Say how the last action went in a `message_label`, green or red."""
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
