"""Starting the till: settings, the ledger (opened off the GUI thread), first-run set-up,
sign-in, and the main window with the pages of the signed-in user's role and language.

`python main.py [--smoke] [--data-dir DIR] [--language sw] [--version]`. Exit codes: 0 fine,
2 no data key (the till never runs unencrypted), 1 anything else that stopped it.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox

from pos_app.config import TillSettings
from pos_app.core.errors import DukaError, KeyUnavailable, StoreError
from pos_app.services import Services, build_services
from pos_app.services.counter import Counter
from pos_app.services.gateway import OnlineGateway
from pos_app.services.grants import Action, Grant
from pos_app.services.guard import GuardStatus
from pos_app.services.shifts import ShiftView
from pos_app.services.supervisor_desk import SupervisorDesk
from pos_app.services.users import UserView
from pos_app.store.db import Ledger
from pos_app.ui.application import LANGUAGES, Translations, create_application
from pos_app.ui.bus_bridge import BusBridge
from pos_app.ui.cashier.shift_page import ShiftPage
from pos_app.ui.context import AppContext
from pos_app.ui.login.setup_dialog import SetupDetails, SetupDialog
from pos_app.ui.login.sign_in import SignInDialog
from pos_app.ui.main_window import MainWindow, Page
from pos_app.ui.status import TillStatus
from pos_app.ui.tasks import TaskRunner
from pos_app.version import app_version

if TYPE_CHECKING:
    from pos_app.services.recovery import RestoreOutcome
    from sync.engine.pairing import PairingResult
    from sync.engine.runtime import TillSync
    from sync.engine.scheduler import SyncStatus

log = logging.getLogger(__name__)
T = TypeVar("T")
EXIT_NO_KEY = 2
SMOKE_SYNC_S = 30  # the demo relay and sandbox start in a second or two; pairing is one call


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="duka-till", description="Duka POS till")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="start, open the database, show the window, quit with code 0; in demo mode "
        f"first wait (at most {SMOKE_SYNC_S} s) until the till is paired and online and print "
        "its sync state",
    )
    parser.add_argument("--data-dir", type=Path, help="where the till keeps its database")
    parser.add_argument("--language", choices=sorted(LANGUAGES), help="language before sign-in")
    parser.add_argument(
        "--restore",
        nargs="?",
        const="",
        metavar="BACKUP",
        help="replace the ledger with BACKUP (default: the newest backup), then quit",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {app_version()}")
    return parser.parse_args(list(argv) if argv is not None else sys.argv[1:])


def wait_for(tasks: TaskRunner, fn: Callable[..., T], *args: Any) -> T:
    """Run `fn` on a worker while the GUI keeps painting; re-raise its error here."""
    box: dict[str, Any] = {}

    def done(value: Any) -> None:
        box["value"] = value

    def failed(error: BaseException) -> None:
        box["error"] = error

    tasks.submit(fn, *args, on_done=done, on_error=failed)
    # a plain polling loop: QEventLoop.exec() returns at once once the app has quit before
    # (tests start the till twice), and processEvents(WaitForMoreEvents, ms) crashed
    # PySide6 6.12 at interpreter exit here
    while not box:
        QCoreApplication.processEvents()
        time.sleep(0.005)
    if "error" in box:
        raise box["error"]
    value: T = box["value"]
    return value


def _pairing(ledger: Ledger) -> Callable[[TillSettings, str, str], PairingResult]:
    """The settings screen's pairing: the token goes into this ledger."""

    def pair_till(settings: TillSettings, relay_url: str, code: str) -> PairingResult:
        from sync.engine.pairing import pair  # the network side loads only when pairing

        return pair(settings, ledger, relay_url, code)

    return pair_till


def build_context(
    app: QApplication,
    settings: TillSettings,
    services: Services,
    translations: Translations,
    tasks: TaskRunner,
    gateway: OnlineGateway | None = None,
    status: TillStatus | None = None,
) -> AppContext:
    """Wires every screen's handles over `services` (pos_app.services.build_services): the one
    place the cashier's counter, the supervisor's desk and the GUI-thread bus meet."""
    bridge = BusBridge(app)
    bridge.attach(services.bus)
    status = status or TillStatus(app)
    ctx = AppContext(
        settings=settings,
        services=services,
        counter=Counter(services, gateway),
        desk=SupervisorDesk.over(
            services.ledger,
            services.bus,
            users=services.users,
            shop=services.shop,
            payments_service=services.payments,
            orders_service=services.orders,
            shifts=services.shifts,
            gateway=lambda: ctx.gateway,
            pair=_pairing(services.ledger),
            timezone=settings.timezone,
        ),
        tasks=tasks,
        status=status,
        translations=translations,
        bus=bridge,
        shop_settings=services.shop.get(),
        gateway=gateway,
    )
    if settings.printer != "none":
        from pos_app.printing.receipt_printer import ReceiptPrinter

        ctx.printer = ReceiptPrinter(settings)
        app.aboutToQuit.connect(ctx.printer.close)

    def follow_test_mode() -> None:
        ctx.counter.test_mode_providers = frozenset(status.test_mode_providers)

    status.changed.connect(follow_test_mode)
    follow_test_mode()
    return ctx


def test_instructions() -> dict[str, str]:
    """The banner's per-provider hint (test card / phone) in the current language: the words
    are translated here, the numbers come from their one home, sync.providers.testmode."""
    from sync.providers import testmode

    def fill(text: str, *values: str) -> str:
        for number, value in enumerate(values, start=1):
            text = text.replace(f"%{number}", value)
        return text

    translate = QCoreApplication.translate
    return {
        "mpesa": fill(
            translate(
                "TestMode",
                "M-Pesa sandbox: shortcode %1. Safaricom's test number %2 is never prompted "
                "(result 1037, unreachable); in the local sandbox any other Kenyan number pays.",
            ),
            testmode.MPESA_SANDBOX_SHORTCODE,
            testmode.MPESA_SANDBOX_TEST_MSISDN,
        ),
        "paystack": fill(
            translate(
                "TestMode",
                "Paystack test keys: card %1, any future expiry, CVV %4 (%2 is declined). "
                "Test M-Pesa via Paystack: %3.",
            ),
            testmode.PAYSTACK_TEST_CARD,
            testmode.PAYSTACK_DECLINED_CARD,
            testmode.PAYSTACK_TEST_MPESA,
            testmode.PAYSTACK_TEST_CVV,
        ),
        "flutterwave": fill(
            translate(
                "TestMode",
                "Flutterwave test keys: card %1, expiry %2, CVV %3, PIN %4 (older guides say "
                "%5), OTP %6; %7 is declined.",
            ),
            testmode.FLUTTERWAVE_TEST_CARD,
            testmode.FLUTTERWAVE_TEST_EXPIRY,
            testmode.FLUTTERWAVE_TEST_CVV,
            testmode.FLUTTERWAVE_TEST_PIN,
            testmode.FLUTTERWAVE_OLD_TEST_PIN,
            testmode.FLUTTERWAVE_TEST_OTP,
            testmode.FLUTTERWAVE_DECLINED_CARDS[0],
        ),
        "stripe": fill(
            translate(
                "TestMode", "Stripe test keys: card %1, any future date, any CVC (%2 is declined)."
            ),
            testmode.STRIPE_TEST_CARD,
            testmode.STRIPE_DECLINED_CARDS[0],
        ),
    }


def apply_setup(services: Services, details: SetupDetails) -> UserView:
    """First run: the supervisor, then the shop's settings (with grants from the PIN the
    supervisor just chose)."""
    supervisor = services.users.create_user(
        details.supervisor_name, "supervisor", details.supervisor_pin, language=details.language
    )
    demo = not details.relay_url and not services.ledger.settings.relay_url
    services.shop.update(
        services.users.grant(supervisor.id, details.supervisor_pin, Action.SETTINGS),
        shop_name=details.shop_name,
        currency=details.currency,
        vat_bps=details.vat_bps,
        timezone=details.timezone,
        language=details.language,
        country=details.country,
        receipt_prefix=details.receipt_prefix,
        # the Kenyan demo shop signs its sales with the sandbox's KRA stand-in (sync.demo)
        etims_enabled=demo and details.demo_catalogue and details.country == "KE",
    )
    if details.demo_catalogue:
        from pos_app.resources import resource

        services.catalogue.import_csv(
            resource("demo_catalogue.csv").read_text(encoding="utf-8"),
            grant=services.users.grant(supervisor.id, details.supervisor_pin, Action.CATALOGUE),
        )
    if details.relay_url and details.pairing_code:
        from sync.engine.pairing import pair

        pair(services.ledger.settings, services.ledger, details.relay_url, details.pairing_code)
    return supervisor


def pages_for(ctx: AppContext, role: str) -> list[Page]:
    """The screens `role` may use; the others are never built."""
    from pos_app.ui.cashier.pages import cashier_pages

    pages = cashier_pages(ctx, role)
    if role == "supervisor":
        from pos_app.ui.supervisor import supervisor_pages

        pages += supervisor_pages(ctx)
    return pages


class Till:
    """The running till: the window, who is signed in, and the idle lock."""

    def __init__(self, ctx: AppContext, window: MainWindow) -> None:
        self.ctx = ctx
        self.window = window

    def show_for(self, user: UserView) -> None:
        """The screens of `user`'s role in their language; the window lets the previous
        user's screens go (it alone owns pages)."""
        self.ctx.current_user = user
        self.ctx.counter.user_id = user.id
        language = user.language or self.ctx.shop_settings.language or "en"
        if language in LANGUAGES:
            self.ctx.translations.use(language)
        pages = pages_for(self.ctx, user.role)
        self.window.set_pages(pages)
        for page in pages:
            if isinstance(page.widget, ShiftPage):
                page.widget.signed_out.connect(self.sign_out)
                page.widget.lock_requested.connect(self.lock)
                page.widget.shift_opened.connect(lambda: self.window.show_page("sale"))
        # no shift open, no sale: the day starts on the Shift page, not on an empty Sale
        self.ctx.tasks.submit(self.ctx.services.shifts.current_shift, on_done=self._land,
                              owner=self.window)
        role = (
            QCoreApplication.translate("App", "supervisor")
            if user.role == "supervisor"
            else QCoreApplication.translate("App", "cashier")
        )
        self.window.set_user(f"{user.name} ({role})")

    def _land(self, shift: ShiftView | None) -> None:
        if shift is None:
            self.window.show_page("shift")

    def sign_in(self, locked_user: UserView | None = None) -> bool:
        dialog = SignInDialog(
            self.ctx, self.window if self.window.isVisible() else None, locked_user=locked_user
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.user is None:
            return False
        if locked_user is None or dialog.user.id != locked_user.id:
            self.show_for(dialog.user)
        return True

    def lock(self) -> None:
        central = self.window.centralWidget()
        assert central is not None
        central.setEnabled(False)
        while not self.sign_in(locked_user=self.ctx.current_user):
            pass
        central.setEnabled(True)

    def sign_out(self) -> None:
        self.ctx.current_user = None
        self.ctx.counter.user_id = None
        self.window.hide()
        if self.sign_in():
            self.window.showMaximized()
        else:
            self.window.close()


class SyncHandle:
    """The sync engine (and, in demo mode, the local relay + sandbox), started off the GUI
    thread; the online tenders wake up when its gateway arrives."""

    def __init__(self) -> None:
        self.sync: TillSync | None = None
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True
        if self.sync is not None:
            self.sync.stop()
            self.sync = None


def start_sync(ctx: AppContext, services: Services) -> SyncHandle:
    from sync.engine.runtime import start_till_sync

    handle = SyncHandle()

    def on_status(status: SyncStatus) -> None:  # on an engine thread: TillStatus queues to the GUI
        ctx.status.update(**status.till_status())

    def started(sync: TillSync) -> None:
        if handle.stopped:
            sync.stop()
            return
        handle.sync = sync
        ctx.gateway = sync.gateway
        ctx.counter.gateway = sync.gateway
        ctx.status.changed.emit()

    def failed(error: BaseException) -> None:
        log.warning("sync engine did not start: %s", error)
        ctx.status.update(online=False, offline_reason=str(error))

    ctx.tasks.submit(
        start_till_sync,
        services.ledger,
        services.bus,
        ctx.settings,
        on_status,
        on_done=started,
        on_error=failed,
    )
    return handle


def smoke_sync(ctx: AppContext, services: Services) -> bool:
    """--smoke in demo mode: start the sync engine (and the demo relay), wait until it is
    paired and online or SMOKE_SYNC_S pass, print the sync state. True when online."""
    handle = start_sync(ctx, services)
    deadline = time.monotonic() + SMOKE_SYNC_S
    while time.monotonic() < deadline and not (
        handle.sync is not None and handle.sync.gateway.is_online()
    ):
        QCoreApplication.processEvents()
        time.sleep(0.02)
    sync = handle.sync
    if sync is None:
        print(f"sync: not started ({ctx.status.offline_reason})", flush=True)
        handle.stop()
        return False
    status = sync.engine.status()
    paired = sync.engine.link.credentials is not None
    relay = f", relay {sync.demo.relay_url}" if sync.demo is not None else ""
    print(
        f"sync: {'paired' if paired else 'not paired'}, "
        f"{'online' if status.online else 'offline (' + str(status.offline_reason) + ')'}, "
        f"{status.unsynced} unsynced{relay}",
        flush=True,
    )
    handle.stop()
    return status.online


def show_fatal(message: str, smoke: bool) -> None:
    print(message, file=sys.stderr)
    if not smoke and QApplication.instance() is not None:
        QMessageBox.critical(
            None, QCoreApplication.translate("App", "Duka POS cannot start"), message
        )


def open_or_restore(settings: TillSettings, tasks: TaskRunner, *, smoke: bool) -> Any:
    """The ledger; or, when its file is damaged, the damage screen and its restore (None when
    the supervisor quits there). A damaged ledger is never opened for selling."""
    from pos_app.core.errors import LedgerDamaged
    from pos_app.services.recovery import restore_and_catch_up
    from pos_app.store.db import open_ledger
    from pos_app.ui.widgets.damage_screen import DamageScreen
    from sync.engine.recovery import relay_source

    while True:
        try:
            return wait_for(tasks, open_ledger, settings)
        except LedgerDamaged as error:
            log.error("ledger damaged: %s", "; ".join(error.findings))
            if smoke:
                print(error.message, file=sys.stderr)
                return None
            screen = DamageScreen(
                error,
                lambda: restore_and_catch_up(
                    settings, None, lambda ledger: relay_source(settings, ledger)
                ),
                tasks,
            )
            if screen.exec() != QDialog.DialogCode.Accepted:
                return None


def session_restore(
    services: Services, settings: TillSettings, stop: Sequence[Callable[[], None]]
) -> Callable[[Grant], RestoreOutcome]:
    """The supervisor's in-session restore, run on a worker: spend the RESTORE grant and stop
    selling, stop what writes in the background (`stop`: syncing, hourly backups), let the
    ledger go, then restore as at start-up. Duka POS starts again afterwards."""

    def restore(grant: Grant) -> RestoreOutcome:
        from pos_app.services.recovery import (
            RestoreOutcome,
            begin_restore,
            restore_and_catch_up,
            restore_problem,
        )
        from sync.engine.recovery import relay_source

        problem = restore_problem(settings)
        if problem is not None:  # nothing to restore from: the till keeps what it has
            return RestoreOutcome(problem=problem, let_go=False)
        begin_restore(services.ledger, services.bus, grant)
        for step in stop:
            step()
        services.ledger.close()
        return restore_and_catch_up(settings, None, lambda ledger: relay_source(settings, ledger))

    return restore


def watch_the_books(ctx: AppContext, window: MainWindow) -> None:
    """Damage found while the till runs shows the damage screen, once: a ledger too large
    for the bounded start-up check is checked whole now, on a worker; the sync engine finds
    sales the relay holds and the ledger lost (its status change brings the news here)."""
    from pos_app.ui.widgets.damage_screen import stopped_selling

    shown = False

    def show(status: GuardStatus) -> None:
        nonlocal shown
        if status.damage is None or shown:
            return
        shown = True
        log.error("selling stopped: %s", status.damage.message)
        stopped_selling(window, ctx, status.damage)

    def failed(error: BaseException) -> None:
        log.warning("the background ledger check did not run: %s", error)

    ctx.status.changed.connect(lambda: show(ctx.counter.ledger_status()))
    if not ctx.counter.start_check_done():
        ctx.tasks.submit(ctx.counter.finish_start_check, on_done=show, on_error=failed)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # one line per job run is noise
    # httpx logs every URL at INFO; in demo mode those include the shop's secret callback token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = TillSettings(data_dir=args.data_dir) if args.data_dir else TillSettings()
    if args.restore is not None:
        from pos_app.services.recovery import restore_command
        from sync.engine.recovery import relay_source

        backup = Path(args.restore) if args.restore else None
        return restore_command(settings, backup, lambda ledger: relay_source(settings, ledger))
    app = create_application([sys.argv[0]])
    translations = Translations(app)
    translations.use(args.language or "en")
    tasks = TaskRunner(parent=app)
    app.aboutToQuit.connect(tasks.shutdown)

    splash = QLabel(QCoreApplication.translate("App", "Opening the till's ledger…"))
    splash.setMinimumSize(360, 80)
    if not args.smoke:
        splash.show()
    try:
        ledger = open_or_restore(settings, tasks, smoke=args.smoke)
        if ledger is None:
            splash.close()
            return 1
        services = build_services(ledger)
    except KeyUnavailable as error:
        splash.close()
        show_fatal(error.message, args.smoke)
        return EXIT_NO_KEY
    except (StoreError, DukaError) as error:
        splash.close()
        show_fatal(error.message, args.smoke)
        return 1
    splash.close()
    from pos_app.services.backups import HourlyBackups

    hourly = HourlyBackups(ledger)
    hourly.start()
    app.aboutToQuit.connect(hourly.stop)

    ctx = build_context(app, settings, services, translations, tasks)
    from pos_app.ui.login.idle_lock import IdleWatcher

    window = MainWindow(ctx.status, ctx.shop_settings.timezone, test_instructions)
    till = Till(ctx, window)
    if args.smoke:
        from pos_app.ui.cashier.pages import cashier_pages

        window.set_pages(cashier_pages(ctx, "cashier"))
        window.show()
        from sync.engine.runtime import wants_demo

        online = not wants_demo(settings, ledger) or smoke_sync(ctx, services)
        QTimer.singleShot(300, app.quit)
        code = finish(app.exec(), tasks, window, ledger)
        return code if online else 1

    syncing = start_sync(ctx, services)
    app.aboutToQuit.connect(syncing.stop)
    ctx.restore = session_restore(services, settings, [syncing.stop, hourly.stop])
    if not services.users.has_users():
        setup = SetupDialog(
            tasks,
            lambda details: apply_setup(services, details),
            demo=not ctx.settings.relay_url,
        )
        if setup.exec() != QDialog.DialogCode.Accepted or setup.result_value is None:
            return 0
        ctx.shop_settings = services.shop.get()
        till.show_for(setup.result_value)
        window.show_page("shift")  # nothing can be sold before the first shift is open
    elif not till.sign_in():
        return 0
    watcher = IdleWatcher(parent=app)
    app.installEventFilter(watcher)

    def lock_after_idle() -> None:
        till.lock()
        watcher.start()

    watcher.idle.connect(lock_after_idle)
    watcher.start()
    window.showMaximized()
    watch_the_books(ctx, window)
    return finish(app.exec(), tasks, window, ledger)


def finish(code: int, tasks: TaskRunner, window: MainWindow, ledger: Ledger) -> int:
    """Let running work finish and deliver while the screens still exist, then let go."""
    tasks.shutdown(wait=True)
    QCoreApplication.processEvents()
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, 0)
    ledger.close()
    return code
