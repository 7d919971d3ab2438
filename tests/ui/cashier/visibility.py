"""Whether a widget can be seen without scrolling in the real window's page scroller."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractScrollArea, QWidget


def visible_without_scrolling(widget: QWidget) -> bool:
    """True when `widget` is shown and lies wholly inside every scroll area's viewport (and
    the window) above it, as the scroll areas stand now (scrolled to the top)."""
    if not widget.isVisible():
        return False
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            viewport = parent.viewport()
            top_left = widget.mapTo(viewport, QPoint(0, 0))
            if not viewport.rect().contains(QRect(top_left, widget.size())):
                return False
        parent = parent.parentWidget()
    window = widget.window()
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().contains(QRect(top_left, widget.size()))
