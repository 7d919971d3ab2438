"""Domain events from the ledger's in-process bus, re-emitted as a Qt signal on the GUI thread.

The services publish after commit on whatever thread did the work (a TaskRunner worker, the
sync engine's scheduler). The bridge lives on the GUI thread, so Qt queues cross-thread
emissions to it. Screens listen with `follow` (or `refresh_on`), never by connecting a plain
callable to `domain_event`: the listener is a Qt child of the screen, so when the screen is
deleted Qt drops the connection with it and no event reaches a dead widget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot


class SubscribableBus(Protocol):
    def subscribe(self, handler: Callable[[Any], None]) -> Any: ...


class _Listener(QObject):
    """One screen's ear on the bridge; dies with the screen (its Qt parent)."""

    def __init__(
        self, receiver: QObject, kinds: tuple[type, ...], handler: Callable[[Any], None]
    ) -> None:
        super().__init__(receiver)
        self._kinds = kinds
        self._handler = handler

    @Slot(object)
    def heard(self, event: object) -> None:
        if isinstance(event, self._kinds):
            self._handler(event)


class BusBridge(QObject):
    domain_event = Signal(object)

    def attach(self, bus: SubscribableBus) -> None:
        bus.subscribe(self.publish)

    def publish(self, event: object) -> None:
        """Safe from any thread: the signal is delivered to GUI-thread slots by Qt's queue."""
        self.domain_event.emit(event)

    def follow(
        self,
        receiver: QObject,
        handler: Callable[[Any], None],
        kinds: tuple[type, ...] = (object,),
    ) -> None:
        """`handler(event)` on the GUI thread for each event of `kinds`, while `receiver`
        lives."""
        self.domain_event.connect(_Listener(receiver, kinds, handler).heard)

    def refresh_on(
        self,
        receiver: QObject,
        kinds: tuple[type, ...],
        refresh: Callable[[], None],
        settle_ms: int = 250,
    ) -> None:
        """`refresh()` once per burst of `kinds` events (a sale publishes several)."""
        timer = QTimer(receiver)
        timer.setSingleShot(True)
        timer.setInterval(settle_ms)
        timer.timeout.connect(refresh)
        self.follow(receiver, lambda _event: timer.start(), kinds)
