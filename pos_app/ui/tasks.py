"""The one way the GUI runs slow work: on a worker thread, with the result handed back to
the GUI thread through a Qt signal. Widgets never call the network or the database directly.

Two rules keep a widget from dying on the wrong thread or hearing from beyond the grave:
- the worker never holds the last reference to anything of the GUI's: the job (its callable,
  arguments, callbacks and outcome) stays in a table on the GUI thread, the worker gets only its
  number, and the entry is let go on the GUI thread. Otherwise a page the app has let go could
  be freed by a worker (a QWidget destroyed off the GUI thread crashes the process);
- a result whose receiver (`owner`, or the object a bound-method callback belongs to) was
  deleted meanwhile is dropped: pages are replaced at every sign-in while work still runs.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

log = logging.getLogger(__name__)

T = TypeVar("T")
DoneCallback = Callable[[Any], object]
ErrorCallback = Callable[[BaseException], None]


@dataclass
class _Job:
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    on_done: DoneCallback | None
    on_error: ErrorCallback | None
    owner: QObject | None
    started: bool = False
    outcome: tuple[Any, bool] | None = None  # (value or error, is_error), set by the worker


def _call(
    fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Any, bool]:
    try:
        return fn(*args, **kwargs), False
    except BaseException as error:  # handed to the GUI thread, which decides what to show
        return error, True


def receiver_of(
    callback: Callable[..., Any] | None, owner: QObject | None = None
) -> QObject | None:
    """Whose death makes `callback` pointless: `owner`, else the QObject it is a method of."""
    if owner is not None:
        return owner
    bound_to = getattr(callback, "__self__", None)
    return bound_to if isinstance(bound_to, QObject) else None


def is_gone(receiver: QObject | None) -> bool:
    return receiver is not None and not isValid(receiver)


class _Courier(QObject):
    """Tells the GUI thread a job is done. A Qt child of the runner, so a worker letting go of
    it never destroys it; the workers reach nothing else of Qt."""

    settled = Signal(int)  # a job number: its outcome waits in the table


class _JobTable:
    """The jobs in flight, shared by the GUI thread (adds, delivers) and the workers (run)."""

    def __init__(self, courier: _Courier) -> None:
        self._courier = courier
        self._jobs: dict[int, _Job] = {}
        self._lock = threading.Lock()
        self._numbers = itertools.count()

    def add(self, job: _Job) -> int:
        number = next(self._numbers)
        with self._lock:
            self._jobs[number] = job
        return number

    def run(self, number: int) -> None:  # on a worker thread
        with self._lock:
            job = self._jobs.get(number)
            if job is None:  # dropped by shutdown before it started
                return
            job.started = True
        fn, args, kwargs = job.fn, job.args, job.kwargs
        del job
        outcome = _call(fn, args, kwargs)
        del fn, args, kwargs  # the table's copy is the last: let go on the GUI thread
        with self._lock:
            self._jobs[number].outcome = outcome
        del outcome
        self._courier.settled.emit(number)

    def take(self, number: int) -> _Job:
        with self._lock:
            return self._jobs.pop(number)

    def drop_unstarted(self) -> None:
        """Let go (on the GUI thread) of the jobs a shutdown cancelled."""
        with self._lock:
            unstarted = [n for n, job in self._jobs.items() if not job.started]
            dropped = [self._jobs.pop(n) for n in unstarted]
        del dropped


class TaskRunner(QObject):
    """Runs callables on a small thread pool; callbacks run on the thread that owns the runner.

    `failed` carries every error that had no `on_error` of its own, so the main window can
    show it instead of it vanishing into a log.
    """

    failed = Signal(object)

    def __init__(self, max_workers: int = 4, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="duka-task")
        courier = _Courier(self)
        courier.settled.connect(self._deliver)
        self._jobs = _JobTable(courier)
        self._closed = False

    def submit(
        self,
        fn: Callable[..., T],
        *args: Any,
        on_done: Callable[[T], object] | None = None,
        on_error: ErrorCallback | None = None,
        owner: QObject | None = None,
        **kwargs: Any,
    ) -> None:
        """Run `fn(*args, **kwargs)` on a worker, then `on_done(value)` or `on_error(error)`
        here; nothing is called once `owner` (default: the object `on_done` is a method of)
        is deleted."""
        if self._closed:  # the till is closing: a timer's late refresh asks for nothing
            log.debug("not started after shutdown: %r", fn)
            return
        job = _Job(fn, args, kwargs, on_done, on_error, receiver_of(on_done or on_error, owner))
        self._pool.submit(self._jobs.run, self._jobs.add(job))

    def _deliver(self, number: int) -> None:
        job = self._jobs.take(number)
        assert job.outcome is not None
        value, is_error = job.outcome
        if is_gone(job.owner):
            log.debug("dropped the result of %r: its receiver was deleted", job.fn)
            return
        if is_error and job.on_error is None:
            log.warning("background task failed: %s", type(value).__name__, exc_info=value)
            self.failed.emit(value)
        elif is_error and job.on_error is not None:
            job.on_error(value)
        elif job.on_done is not None:
            job.on_done(value)

    def shutdown(self, wait: bool = False) -> None:
        """Cancel what has not started; later submits do nothing."""
        self._closed = True
        self._pool.shutdown(wait=wait, cancel_futures=True)
        self._jobs.drop_unstarted()
