"""A headless till for the crash test: sells in a loop while its SyncEngine pushes and pulls.

Each sale's order id is written to the ack file (flushed and fsynced) only after
record_cash_sale returned, i.e. after the ledger committed it: what is in the ack file was
acknowledged to the cashier and must survive a SIGKILL at any moment.

    python crash_till.py DATA_DIR ACK_FILE [--sales N]    (SIGTERM stops it cleanly)
    env: DUKA_DATA_KEY, DUKA_RELAY_URL, DUKA_RELAY_TOKEN, DUKA_KEYRING
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import threading
import time
from pathlib import Path

from pos_app.config import TillSettings
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.services.bus import EventBus
from pos_app.services.orders import OrderService
from pos_app.services.payments import PaymentService
from pos_app.store.db import open_ledger
from sync.engine.scheduler import EngineTimings, SyncEngine

TIMINGS = EngineTimings(
    push_every_s=0.2, pull_wait_s=1.0, pull_budget_s=3.0, reconcile_every_s=5.0,
    status_every_s=5.0, backoff_base_s=0.05, backoff_cap_s=0.3,
)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("ack_file", type=Path)
    parser.add_argument("--sales", type=int, default=-1, help="stop selling after N (-1: never)")
    args = parser.parse_args()
    settings = TillSettings(data_dir=args.data_dir, till_id="crash-till")
    ledger = open_ledger(settings)
    bus = EventBus()
    orders, payments = OrderService(ledger, bus), PaymentService(ledger, bus)
    engine = SyncEngine(ledger, bus, settings, timings=TIMINGS)
    # installed before "ready": a SIGTERM that arrives while the till still sells (a loaded
    # machine) must end it cleanly too, not by the default handler
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    engine.start()
    print("ready", flush=True)
    made = 0
    with args.ack_file.open("a", encoding="utf-8") as ack:
        while (args.sales < 0 or made < args.sales) and not stop.is_set():
            draft = orders.draft([OrderLine("Soda", Money(random.randint(1, 500) * 100, "KES"))])
            sale = payments.record_cash_sale(draft, Money(100_000, "KES"))
            ack.write(sale.order_id + "\n")
            ack.flush()
            os.fsync(ack.fileno())
            made += 1
            time.sleep(random.uniform(0, 0.02))
    # a peaceful end: keep syncing until the test, having seen everything arrive, says stop
    while not stop.wait(0.05):
        pass
    engine.stop()
    ledger.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
