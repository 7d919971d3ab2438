"""SyncEngine: the till's background sync, as APScheduler 3 jobs on worker threads.

Jobs: push (drain the outbox; woken at once when the ledger commits something), pull (long-
polls back to back), reconcile (late payments). Each backs off exponentially with jitter
while the relay is unreachable. `on_status` receives a SyncStatus after every job run, on the
job's thread: the UI hands it to TillStatus through its bus bridge / a queued signal.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from pos_app.config import TillSettings
from pos_app.services.bus import EventBus
from pos_app.services.late_payments import ReconcileTimings
from pos_app.services.payment_events import PaymentEvents
from pos_app.services.refund_requests import RelayRefunds
from pos_app.services.sync_ledger import Ledger, SyncLedger
from sync.engine import credentials, pairing
from sync.engine.client import RelayError, RelayRefused, RelayUnauthorized, RelayUnavailable
from sync.engine.link import NOT_PAIRED, NotPaired, RelayLink
from sync.engine.pull import Puller, run_pull_loop
from sync.engine.push import PushBlocked, Pusher
from sync.engine.reconcile import Reconciler
from sync.engine.relay_gateway import RelayGateway
from sync.engine.shop_settings import remember_mpesa_number

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncStatus:
    online: bool
    unsynced: int
    parked: int
    last_sync: datetime | None
    offline_reason: str | None
    test_mode_providers: tuple[str, ...] = ()
    providers: tuple[str, ...] | None = None  # None: the relay has not said yet
    unsigned: int = 0  # eTIMS invoices waiting for KRA's signature

    def till_status(self) -> dict[str, Any]:
        """Keyword arguments for pos_app.ui.status.TillStatus.update."""
        return {
            "online": self.online,
            "unsynced": self.unsynced,
            "last_sync": self.last_sync,
            "offline_reason": self.offline_reason,
            "test_mode_providers": self.test_mode_providers,
            "providers": self.providers,
            "unsigned": self.unsigned,
        }


@dataclass(frozen=True)
class EngineTimings:
    push_every_s: float = 2.0
    pull_wait_s: float = 10.0
    pull_budget_s: float = 60.0
    reconcile_every_s: float = 10.0
    status_every_s: float = 5.0
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 60.0


class Backoff:
    """Exponential back-off with full jitter; a Retry-After from the relay wins."""

    def __init__(self, base_s: float, cap_s: float) -> None:
        self.base_s, self.cap_s = base_s, cap_s
        self.failures = 0
        self.not_before = 0.0

    def ready(self) -> bool:
        return time.monotonic() >= self.not_before

    def failed(self, retry_after_s: float | None = None) -> float:
        self.failures += 1
        ceiling = min(self.cap_s, self.base_s * 2 ** (self.failures - 1))
        delay = retry_after_s if retry_after_s is not None else random.uniform(0.1, 1.0) * ceiling
        self.not_before = time.monotonic() + delay
        return delay

    def succeeded(self) -> None:
        self.failures = 0
        self.not_before = 0.0


class SyncEngine:
    def __init__(
        self,
        ledger: Ledger,
        bus: EventBus,
        settings: TillSettings,
        *,
        on_status: Callable[[SyncStatus], None] | None = None,
        timings: EngineTimings | None = None,
        reconcile_timings: ReconcileTimings | None = None,
        link: RelayLink | None = None,
    ) -> None:
        self.ledger = ledger
        self.bus = bus
        self.settings = settings
        self.timings = timings or EngineTimings()
        self.link = link or RelayLink(credentials.load(settings, ledger))
        self.gateway = RelayGateway(self.link)
        self.sync_ledger = SyncLedger(ledger)
        self.pusher = Pusher(self.sync_ledger, self.link)
        self.puller = Puller(PaymentEvents(ledger, bus), self.link)
        self.reconciler = Reconciler(
            ledger, bus, self.gateway, reconcile_timings or ReconcileTimings()
        )
        self._on_status = on_status
        self._stop = threading.Event()
        self._scheduler: BackgroundScheduler | None = None
        self._unsubscribe: Callable[[], None] | None = None
        t = self.timings
        self._push_backoff = Backoff(t.backoff_base_s, t.backoff_cap_s)
        self._pull_backoff = Backoff(t.backoff_base_s, t.backoff_cap_s)
        self._last_sync: datetime | None = None
        self._idle = threading.Condition()
        self._running = 0
        # our own guards instead of APScheduler's max_instances, which logs a warning for
        # every tick (and every wake-up) that finds the previous run still going
        self._push_lock = threading.Lock()
        self._pull_thread: threading.Thread | None = None
        self._reconcile_lock = threading.Lock()
        self._push_again = False

    # ---- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        if self._scheduler is not None:
            return
        self._stop.clear()
        t = self.timings
        scheduler = BackgroundScheduler(timezone=UTC)
        options: dict[str, Any] = {"max_instances": 4, "coalesce": True, "misfire_grace_time": 30}
        now = datetime.now(UTC)
        scheduler.add_job(
            self._push_job, IntervalTrigger(seconds=t.push_every_s), id="push",
            next_run_time=now, **options,
        )  # fmt: skip
        scheduler.add_job(
            self._pull_job, IntervalTrigger(seconds=1), id="pull", next_run_time=now, **options
        )
        scheduler.add_job(
            self._reconcile_job, IntervalTrigger(seconds=t.reconcile_every_s), id="reconcile",
            **options,
        )  # fmt: skip
        scheduler.add_job(  # relay refunds asked for but not answered (lost reply, restart)
            RelayRefunds(self.ledger, self.bus, lambda: self.gateway).retry_pending,
            IntervalTrigger(seconds=t.reconcile_every_s), id="refunds", **options,
        )  # fmt: skip
        scheduler.add_job(
            self._report, IntervalTrigger(seconds=t.status_every_s), id="status",
            next_run_time=now, **options,
        )  # fmt: skip
        scheduler.start()
        self._scheduler = scheduler
        # whatever the ledger commits may have written an outbox event: push it now
        self._unsubscribe = self.bus.subscribe(lambda _event: self.push_now())

    def stop(self) -> None:
        """Stops the jobs and waits for the ones writing to the ledger; a long poll in flight
        is left to end by itself (see _pull_job)."""
        self._stop.set()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        self.link.close()
        # running jobs notice the stop flag or the closed pool within a moment
        with self._idle:
            self._idle.wait_for(lambda: self._running == 0, timeout=10)

    @contextmanager
    def _job(self) -> Iterator[None]:
        with self._idle:
            self._running += 1
        try:
            yield
        finally:
            with self._idle:
                self._running -= 1
                self._idle.notify_all()

    def push_now(self) -> None:
        scheduler = self._scheduler
        if scheduler is not None and not self._stop.is_set():
            try:
                scheduler.modify_job("push", next_run_time=datetime.now(UTC))
            except Exception:  # shutting down
                log.debug("push wake-up skipped", exc_info=True)

    def pair(self, relay_url: str, pairing_code: str) -> pairing.PairingResult:
        """Pair (blocking: call it through the TaskRunner) and switch the engine over."""
        result = pairing.pair(self.settings, self.ledger, relay_url, pairing_code)
        self.link.use(credentials.load(self.settings, self.ledger))
        self._push_backoff.succeeded()
        self._pull_backoff.succeeded()
        self.push_now()
        return result

    # ---- jobs ------------------------------------------------------------------------------

    def _adopt_new_pairing(self) -> None:
        """The settings screen pairs through sync.engine.pairing.pair: pick up its token."""
        try:
            saved = credentials.load(self.settings, self.ledger)
        except Exception:
            log.warning("cannot read the relay token", exc_info=True)
            return
        if saved is not None and saved != self.link.credentials:
            self.link.use(saved)
            self._push_backoff.succeeded()
            self._pull_backoff.succeeded()

    def _push_job(self) -> None:
        if self.link.credentials is None or self.link.state.offline_reason == NOT_PAIRED:
            self._adopt_new_pairing()
        if not self._push_lock.acquire(blocking=False):
            self._push_again = True  # the running drain goes round once more
            return
        try:
            with self._job():
                while not self._stop.is_set() and self._push_backoff.ready():
                    self._push_again = False
                    self._push_once()
                    if not self._push_again:
                        break
        finally:
            self._push_lock.release()
        self._report()

    def _push_once(self) -> None:
        try:
            report = self.pusher.drain()
        except (RelayError, NotPaired, PushBlocked) as exc:
            self._failed(self._push_backoff, exc)
        else:
            self._push_backoff.succeeded()
            if report.batches:
                self._last_sync = datetime.now(UTC)

    def _pull_job(self) -> None:
        """Keeps the long-poll thread running. The long poll lives on its own daemon thread,
        not in the job pool: a blocked socket read cannot be interrupted, and stopping the
        till must not wait for the relay's next reply (a poll cut short changes nothing: its
        events are applied, with the cursor, only after the reply, in one transaction)."""
        if self._stop.is_set() or not self._pull_backoff.ready():
            return
        thread = self._pull_thread
        if thread is not None and thread.is_alive():
            return
        self._pull_thread = threading.Thread(target=self._pull_loop, name="sync-pull", daemon=True)
        self._pull_thread.start()

    def _pull_loop(self) -> None:
        t = self.timings
        try:
            with contextlib.suppress(RelayRefused):  # an older relay without the endpoint
                # cheap; the owner may have switched a mode (and with it the M-Pesa number)
                remember_mpesa_number(self.sync_ledger, self.gateway.refresh_test_modes())
            applied = run_pull_loop(self.puller, self._stop, t.pull_wait_s, t.pull_budget_s)
        except (RelayError, NotPaired) as exc:
            if not self._stop.is_set():
                self._failed(self._pull_backoff, exc)
        except Exception:
            log.exception("pull loop failed")
            self._failed(self._pull_backoff, RuntimeError("pull failed"))
        else:
            self._pull_backoff.succeeded()
            if applied:
                self._last_sync = datetime.now(UTC)

    def _reconcile_job(self) -> None:
        if self._stop.is_set() or self.link.credentials is None:
            return
        if not self._reconcile_lock.acquire(blocking=False):
            return
        try:
            with self._job():
                report = self.reconciler.run_once()
        finally:
            self._reconcile_lock.release()
        if report.unknown or report.c2b_matched:
            log.info("reconcile: %s", report)

    def _failed(self, backoff: Backoff, exc: Exception) -> None:
        retry_after = exc.retry_after_s if isinstance(exc, RelayUnavailable) else None
        delay = backoff.failed(retry_after)
        if isinstance(exc, NotPaired | RelayUnauthorized):
            reason = NOT_PAIRED
        else:
            reason = "relay unreachable" if isinstance(exc, RelayUnavailable) else str(exc)[:200]
        self.link.lost(reason)
        log.info("sync paused %.1f s: %s", delay, exc)

    # ---- status ----------------------------------------------------------------------------

    def status(self) -> SyncStatus:
        counts = self.sync_ledger.queue_counts()
        state = self.link.state
        return SyncStatus(
            online=state.online,
            unsynced=counts.unsynced,
            parked=counts.parked,
            last_sync=self._last_sync,
            offline_reason=state.offline_reason,
            test_mode_providers=state.test_mode_providers,
            providers=state.providers,
            unsigned=counts.unsigned,
        )

    def _report(self) -> None:
        if self._on_status is None or self._stop.is_set():
            return
        try:
            self._on_status(self.status())
        except Exception:
            log.exception("status callback failed")
