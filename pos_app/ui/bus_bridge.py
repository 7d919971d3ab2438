"""Domain events from the ledger's in-process bus, re-emitted as a Qt signal on the GUI thread.

The services publish after commit on whatever thread did the work (a TaskRunner worker, the
sync engine's scheduler). Screens connect to `BusBridge.domain_event` and always run on the GUI
thread: the bridge lives there, so Qt queues cross-thread emissions to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal


class SubscribableBus(Protocol):
    def subscribe(self, handler: Callable[[Any], None]) -> Any: ...


class BusBridge(QObject):
    domain_event = Signal(object)

    def attach(self, bus: SubscribableBus) -> None:
        bus.subscribe(self.publish)

    def publish(self, event: object) -> None:
        """Safe from any thread: the signal is delivered to GUI-thread slots by Qt's queue."""
        self.domain_event.emit(event)
