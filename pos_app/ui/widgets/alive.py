"""Results of background work can arrive after the widget that asked for them was closed and
deleted; `if_alive` drops them instead of touching a deleted C++ object."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from shiboken6 import isValid


def if_alive(owner: QObject, callback: Callable[[Any], None]) -> Callable[[Any], None]:
    def deliver(value: Any) -> None:
        if isValid(owner):
            callback(value)

    return deliver
