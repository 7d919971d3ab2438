"""Receipts waiting for the printer, printed in order by one background thread.

The sale is committed before anything prints: printing is a side effect, retried with growing
pauses while the printer is off, out of paper or unplugged, so printer trouble never holds up
the counter. Jobs are kept in memory only: after a restart a lost receipt is reprinted from
the ledger (the receipt dialog's reprint) rather than a heap of stale receipts (and drawer
kicks) spilling out when the till starts.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from escpos.escpos import Escpos
from escpos.exceptions import Error as EscposError

from pos_app.printing.escpos_printer import PrinterNotConfigured, send

log = logging.getLogger(__name__)

BACKOFF_S = (1.0, 2.0, 5.0, 10.0, 30.0)  # then every 30 s until the printer answers


class PrinterState(StrEnum):
    IDLE = "idle"
    PRINTING = "printing"
    WAITING = "waiting for printer"


@dataclass(frozen=True)
class QueueStatus:
    state: PrinterState
    pending: int
    error: str = ""  # the last failure, for the status line ("no paper", "not found")


class PrintQueue:
    """`submit` never blocks and never raises for printer trouble; `on_status` is called on
    the queue's own thread whenever the state changes (a GUI marshals it to its thread)."""

    def __init__(
        self,
        connect: Callable[[], Escpos],
        *,
        on_status: Callable[[QueueStatus], None] | None = None,
        backoff: Sequence[float] = BACKOFF_S,
    ) -> None:
        self._connect = connect
        self._on_status = on_status
        self._backoff = tuple(backoff)
        self._jobs: deque[bytes] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._wake = False
        self._status = QueueStatus(PrinterState.IDLE, 0)
        self._thread = threading.Thread(target=self._run, name="print-queue", daemon=True)
        self._thread.start()

    @property
    def status(self) -> QueueStatus:
        with self._cond:  # the count is live: a job just submitted is pending at once
            return QueueStatus(self._status.state, len(self._jobs), self._status.error)

    def submit(self, job: bytes) -> None:
        with self._cond:
            if self._closed:
                raise RuntimeError("the print queue is closed")
            self._jobs.append(job)
            self._cond.notify_all()

    def retry_now(self) -> None:
        """The cashier fixed the printer: try again without waiting out the pause."""
        with self._cond:
            self._wake = True
            self._cond.notify_all()

    def close(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout)

    def _set(self, state: PrinterState, error: str = "") -> None:
        with self._cond:
            status = QueueStatus(state, len(self._jobs), error)
            changed = status != self._status
            self._status = status
        if changed and self._on_status is not None:
            self._on_status(status)

    def _run(self) -> None:
        failures = 0
        while True:
            with self._cond:
                while not self._jobs and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                job = self._jobs[0]
            self._set(PrinterState.PRINTING)
            try:
                send(self._connect(), job)
            except (EscposError, OSError, PrinterNotConfigured) as error:
                delay = self._backoff[min(failures, len(self._backoff) - 1)]
                failures += 1
                log.warning("receipt printer: %s (retry in %.0f s)", type(error).__name__, delay)
                reason = " ".join(str(error).split()) or type(error).__name__
                self._set(PrinterState.WAITING, reason)
                with self._cond:
                    self._cond.wait_for(lambda: self._wake or self._closed, delay)
                    self._wake = False
                continue
            failures = 0
            with self._cond:
                self._jobs.popleft()
                idle = not self._jobs
            self._set(PrinterState.IDLE if idle else PrinterState.PRINTING)
