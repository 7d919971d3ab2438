"""Driving modal Qt dialogs from a test: answer them from a timer inside their event loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


def answer_next_modal(
    action: Callable[[QWidget], None],
    ready: Callable[[QWidget], bool] = lambda _w: True,
    attempts: int = 1500,
) -> None:
    """Runs `action` on the next modal dialog once it shows and is `ready` (polls every 20 ms
    for up to 30 s, never blocking: the dialog's own event loop keeps running). A system
    dialog (printing) can take seconds to show on a loaded machine; one that shows after the
    poll gave up would wait for a hand that never comes, and the test would hang."""

    def poll(left: int = attempts) -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None and widget.isVisible() and ready(widget):
            action(widget)
        elif left > 0:
            QTimer.singleShot(20, lambda: poll(left - 1))

    QTimer.singleShot(20, poll)


def child(widget: QWidget, cls: type[Any], name: str) -> Any:
    found = widget.findChild(cls, name)
    assert found is not None, f"no {cls.__name__} named {name!r}"
    return found
