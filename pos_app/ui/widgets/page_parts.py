"""The rows most pages are built of: the heading, and a row of buttons pushed apart.

Callers pass their own translated texts, so each string keeps its page's translation context.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget


def heading_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "heading")  # the style sheet sizes headings by this role
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
