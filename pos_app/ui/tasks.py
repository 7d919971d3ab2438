"""The one way the GUI runs slow work: on a worker thread, with the result handed back to
the GUI thread through a Qt signal. Widgets never call the network or the database directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

DoneCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class TaskRunner(QObject):
    """Runs callables on a small thread pool; callbacks run on the thread that owns the runner.

    `failed` carries every error that had no `on_error` of its own, so the main window can
    show it instead of it vanishing into a log.
    """

    failed = Signal(object)
    _settled = Signal(object, object, object)  # callback, value, is_error

    def __init__(self, max_workers: int = 4, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="duka-task")
        self._settled.connect(self._deliver)

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        **kwargs: Any,
    ) -> Future[Any]:
        future = self._pool.submit(fn, *args, **kwargs)

        def settle(done: Future[Any]) -> None:
            error = done.exception()
            if error is not None:
                self._settled.emit(on_error, error, True)
            else:
                self._settled.emit(on_done, done.result(), False)

        future.add_done_callback(settle)
        return future

    def _deliver(self, callback: Callable[[Any], None] | None, value: Any, is_error: bool) -> None:
        if is_error and callback is None:
            log.warning("background task failed: %s", type(value).__name__, exc_info=value)
            self.failed.emit(value)
            return
        if callback is not None:
            callback(value)

    def shutdown(self, wait: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=True)
