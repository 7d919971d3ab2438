"""What the app calls once the ledger is open: the sync engine started, in demo mode with a
local relay and the provider sandbox when no real relay is configured.

    sync = start_till_sync(services.ledger, bus, settings, on_status=bridge_to_till_status)
    ctx.gateway = sync.gateway          # the OnlineGateway the cashier's tenders use
    ...
    sync.stop()                         # at exit (stops the engine, then the demo stack)

Demo mode: DUKA_RELAY_URL unset and the till not paired with a relay elsewhere (a till paired
from the settings screen keeps its relay). `on_status` gets a SyncStatus on a worker thread;
`SyncStatus.till_status()` is the keyword arguments of TillStatus.update.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pos_app.config import TillSettings
from pos_app.services.bus import EventBus
from pos_app.services.sync_ledger import Ledger
from sync.engine import credentials
from sync.engine.relay_gateway import RelayGateway
from sync.engine.scheduler import SyncEngine, SyncStatus

if TYPE_CHECKING:
    from sync.demo import DemoStack

log = logging.getLogger(__name__)


@dataclass
class TillSync:
    engine: SyncEngine
    demo: DemoStack | None = None

    @property
    def gateway(self) -> RelayGateway:
        return self.engine.gateway

    def stop(self) -> None:
        self.engine.stop()
        if self.demo is not None:
            self.demo.stop()


def wants_demo(settings: TillSettings, ledger: Ledger) -> bool:
    if settings.relay_url:
        return False
    saved = credentials.load(settings, ledger)
    return saved is None or urlsplit(saved.relay_url).hostname in credentials.LOCAL_HOSTS


def start_till_sync(
    ledger: Ledger,
    bus: EventBus,
    settings: TillSettings,
    on_status: Callable[[SyncStatus], None] | None = None,
) -> TillSync:
    """Blocking for a second or two in demo mode (servers start): call it off the GUI thread."""
    demo = None
    if wants_demo(settings, ledger):
        from sync.demo import start_demo_stack  # the relay and sandbox load only for demos

        demo = start_demo_stack(settings.data_dir, till=(settings, ledger))
        # the paybill the cashier shows comes from the demo relay's terminal settings (the
        # sandbox's shortcode), as it does from a real relay: sync.engine.shop_settings
        log.info("demo mode: relay %s, sandbox %s", demo.relay_url, demo.sandbox_url)
    engine = SyncEngine(ledger, bus, settings, on_status=on_status)
    engine.start()
    return TillSync(engine, demo)
