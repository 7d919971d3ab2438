"""The cashier desk on a big ledger: launch to a usable sale screen with 1M past sales, and the
till's resident memory after selling 1,000 items through the sale screen.

    .venv/bin/python bench/ui.py [--dir DIR] [--sales 1000000] [--items 1000]

The ledger is seeded once (bench/ledger.py's bulk seeding: valid audit chain, real ciphertext)
and reused when DIR already holds it. The start-up is timed in a fresh process, from spawn to
the moment the sale screen has its quick keys and the resume check done (everything a cashier
needs to scan the first item; signing in is a person typing and is not counted). The same
process then rings up the items (5 per sale, cash, through the tender dialog) and reports its
RSS. Runs headless (QT_QPA_PLATFORM=offscreen).

The start-up is set against a floor measured in the same run the same way: a fresh process
that imports PySide6, shows an empty QMainWindow and reports READY (best of two; the first
also loads Qt's libraries into the page cache for the till's start). `startup_ratio` = the
till's start / the empty window's start: what the till adds to starting Qt at all (importing
the project, opening and checking the ledger, building the sale screen), comparable between
machines where seconds are not.

Last line: RESULT startup_s=... empty_window_s=... startup_ratio=... rss_mb=...
"""

from __future__ import annotations

import argparse
import base64
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
KEY_FILE = "bench-data-key"  # the bench ledger's key, beside it (bench data only)
ITEMS_PER_SALE = 5


def prepare(directory: Path, sales: int) -> None:
    """Create and seed the ledger unless DIR already holds one of this size."""
    from sqlalchemy import func, select

    from bench.ledger import seed
    from pos_app.config import TillSettings
    from pos_app.core.money import Money
    from pos_app.resources import resource
    from pos_app.services import build_services
    from pos_app.services.grants import Action
    from pos_app.store.db import open_ledger
    from pos_app.store.schema import orders

    key_file = directory / KEY_FILE
    directory.mkdir(parents=True, exist_ok=True)
    if not key_file.exists():
        key_file.write_text(base64.b64encode(os.urandom(32)).decode())
    os.environ["DUKA_DATA_KEY"] = key_file.read_text()
    ledger = open_ledger(TillSettings(data_dir=directory))
    services = build_services(ledger)
    with ledger.read() as conn:
        have = conn.execute(select(func.count()).select_from(orders)).scalar_one()
    if have >= sales:
        print(f"reusing {directory} ({have:,} sales)")
        ledger.close()
        return
    if not services.users.has_users():
        owner = services.users.create_user("Owner", "supervisor", "2468")
        grant = services.users.grant
        services.shop.update(grant(owner.id, "2468", Action.SETTINGS), shop_name="Bench Duka")
        services.users.create_user("Bench", "cashier", "1357",
                                   grant=grant(owner.id, "2468", Action.STAFF))
        services.catalogue.import_csv(resource("demo_catalogue.csv").read_text("utf-8"),
                                      grant=grant(owner.id, "2468", Action.CATALOGUE))
    cashier = next(u for u in services.users.list_users() if u.role == "cashier")
    shift = services.shifts.current_shift() or services.shifts.open_shift(
        cashier.id, Money(0, "KES")
    )
    started = time.perf_counter()
    seed(ledger, have, sales, cashier.id, shift.id)
    print(f"seeded {sales - have:,} sales in {time.perf_counter() - started:.0f} s", flush=True)
    ledger.close()


def child(directory: Path, items: int) -> None:
    """The till process: start, report READY when the sale screen is usable, then sell."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from pos_app.app import build_context, wait_for
    from pos_app.config import TillSettings
    from pos_app.core.money import Money
    from pos_app.services import build_services
    from pos_app.store.db import open_ledger
    from pos_app.ui.application import Translations, create_application
    from pos_app.ui.cashier.cash_dialog import CashDialog
    from pos_app.ui.cashier.pages import cashier_pages
    from pos_app.ui.cashier.sale_page import SalePage
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.tasks import TaskRunner

    def until(check: object, timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        while not check():  # type: ignore[operator]
            if time.monotonic() > end:
                raise TimeoutError("the sale screen did not get ready")
            QCoreApplication.processEvents()
            # what the real event loop does between events: closed dialogs are deleted
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            time.sleep(0.001)

    os.environ["DUKA_DATA_KEY"] = (directory / KEY_FILE).read_text()
    app = create_application([sys.argv[0]])
    translations = Translations(app)
    tasks = TaskRunner(parent=app)
    settings = TillSettings(data_dir=directory)
    ledger = wait_for(tasks, open_ledger, settings)
    services = build_services(ledger)
    ctx = build_context(app, settings, services, translations, tasks)
    cashier = next(u for u in services.users.list_users() if u.role == "cashier")
    ctx.current_user = cashier
    ctx.counter.user_id = cashier.id
    window = MainWindow(ctx.status, settings.timezone)
    pages = cashier_pages(ctx, "cashier")
    window.set_pages(pages)
    window.show()
    sale = pages[0].widget
    assert isinstance(sale, SalePage)
    resumed: list[object] = []
    ctx.tasks.submit(ctx.counter.resumable_payments, on_done=resumed.append)
    until(lambda: sale.quick_buttons[0].isEnabled() and resumed)
    print("READY", flush=True)

    sold = 0
    done: list[str] = []
    sale.sale_completed.connect(done.append)
    while sold < items:
        for i in range(ITEMS_PER_SALE):
            sale.quick_buttons[(sold + i) % 12].click()
        sold += ITEMS_PER_SALE
        done.clear()
        sale.start_tender("cash")
        until(lambda: isinstance(sale.active_dialog, CashDialog))
        dialog = sale.active_dialog
        assert isinstance(dialog, CashDialog)
        dialog.tendered.set_money(Money(1_000_000, "KES"))
        dialog.pay.click()
        until(lambda: bool(done))
        if sale.receipt_dialog is not None:
            sale.receipt_dialog.close()
            sale.receipt_dialog.deleteLater()
            sale.receipt_dialog = None
    QCoreApplication.processEvents()
    rss_kb = next(
        int(line.split()[1])
        for line in Path("/proc/self/status").read_text().splitlines()
        if line.startswith("VmRSS:")
    )
    print(f"SOLD {sold} RSS_MB {rss_kb / 1024:.1f}", flush=True)
    tasks.shutdown(wait=True)
    ledger.close()


def empty_window() -> None:
    """The floor's process: Qt alone, up to a shown window."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.show()
    QCoreApplication.processEvents()
    print("READY", flush=True)
    window.close()
    app.quit()


def spawn(*args: str) -> Iterator[tuple[float, str]]:
    """Start this script with `args` in a fresh process; yield (seconds since spawn, line) for
    each line it prints."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DUKA_DATA_KEY", None)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE,
                               text=True, env=env, cwd=ROOT)  # fmt: skip
    assert process.stdout is not None
    for line in process.stdout:
        yield time.perf_counter() - started, line
    if process.wait() != 0:
        raise RuntimeError(f"the process {' '.join(args)} failed")


def empty_window_start() -> float:
    starts = [
        t for _ in range(2) for t, line in spawn("--empty-window") if line.startswith("READY")
    ]
    assert len(starts) == 2, "the empty window never reported READY"
    tries = ", ".join(f"{t:.2f}" for t in starts)
    print(f"empty Qt window shown after {min(starts):.2f} s (best of {tries} s)", flush=True)
    return min(starts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=ROOT / "bench" / "out" / "ui")
    parser.add_argument("--sales", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=1_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--empty-window", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.dir, args.items)
        return 0
    if args.empty_window:
        empty_window()
        return 0
    prepare(args.dir, args.sales)
    floor_s = empty_window_start()
    startup_s = rss_mb = selling = float("nan")
    for at, line in spawn("--child", "--dir", str(args.dir), "--items", str(args.items)):
        if line.startswith("READY"):
            startup_s = selling = at
            print(
                f"sale screen usable after {startup_s:.2f} s with {args.sales:,} sales", flush=True
            )
        elif line.startswith("SOLD"):
            rss_mb = float(line.split()[3])
            print(
                f"sold {line.split()[1]} items in {at - selling:.1f} s; RSS {rss_mb:.1f} MB",
                flush=True,
            )
    print(
        f"RESULT startup_s={startup_s:.2f} empty_window_s={floor_s:.2f} "
        f"startup_ratio={startup_s / floor_s:.2f} rss_mb={rss_mb:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
