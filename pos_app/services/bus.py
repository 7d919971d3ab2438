"""A tiny in-process event bus. Services publish after commit; a failing subscriber is logged
and never undoes the commit or stops the other subscribers."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from pos_app.core.events import DomainEvent

log = logging.getLogger(__name__)

Handler = Callable[[Any], None]


class EventBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[tuple[type[DomainEvent] | None, Handler]] = []

    def subscribe(
        self, handler: Handler, event_type: type[DomainEvent] | None = None
    ) -> Callable[[], None]:
        """Call `handler` for every event (or only those of `event_type`); returns unsubscribe."""
        entry = (event_type, handler)
        with self._lock:
            self._subscribers.append(entry)

        def unsubscribe() -> None:
            with self._lock:
                if entry in self._subscribers:
                    self._subscribers.remove(entry)

        return unsubscribe

    def publish(self, event: DomainEvent) -> None:
        with self._lock:
            targets = [h for t, h in self._subscribers if t is None or isinstance(event, t)]
        for handler in targets:
            try:
                handler(event)
            except Exception:
                log.exception("subscriber %r failed on %s", handler, type(event).__name__)

    def publish_all(self, events: Iterable[DomainEvent]) -> None:
        for event in events:
            self.publish(event)
