"""Everything a screen needs, in one typed object handed to every page and dialog.

Built once by `pos_app.app.build_context` after the ledger is open; `current_user` changes at
each sign-in, `gateway` when the sync engine is up, `shop_settings` when a supervisor saves
them. Screens reach the services through these handles but call them only via `tasks.submit`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pos_app.config import TillSettings
from pos_app.services import Services
from pos_app.services.counter import Counter
from pos_app.services.gateway import OnlineGateway
from pos_app.services.grants import Grant
from pos_app.services.shop import ShopSettings
from pos_app.services.supervisor_desk import SupervisorDesk
from pos_app.services.users import UserView
from pos_app.ui.application import Translations
from pos_app.ui.bus_bridge import BusBridge
from pos_app.ui.status import TillStatus
from pos_app.ui.tasks import TaskRunner

if TYPE_CHECKING:  # python-escpos takes 0.4 s to import: only a till with a printer pays it
    from pos_app.printing.receipt_printer import ReceiptPrinter
    from pos_app.services.recovery import RestoreOutcome


@dataclass
class AppContext:
    settings: TillSettings
    services: Services  # the ledger's services (pos_app.services.build_services)
    counter: Counter  # the cashier's flows over `services`
    desk: SupervisorDesk  # the supervisor's services, sharing `services` and their bus
    tasks: TaskRunner
    status: TillStatus
    translations: Translations
    bus: BusBridge  # `services.bus`, delivered on the GUI thread
    shop_settings: ShopSettings
    gateway: OnlineGateway | None = None
    current_user: UserView | None = None
    printer: ReceiptPrinter | None = None  # the ESC/POS receipt printer, when one is set
    # the in-session restore (on a worker): stops selling and syncing, lets the ledger go,
    # restores the backup and the relay's copy; wired by pos_app.app once syncing runs
    restore: Callable[[Grant], RestoreOutcome] | None = None

    @property
    def currency(self) -> str:
        return self.shop_settings.currency

    @property
    def shop_zone(self) -> ZoneInfo:
        """The shop's time zone: times are stored in UTC and shown in it."""
        return ZoneInfo(self.shop_settings.timezone)

    def user_id(self) -> str:
        """The signed-in user's id; screens that act in someone's name exist only then."""
        if self.current_user is None:
            raise RuntimeError("no user is signed in")
        return self.current_user.id

    def is_online(self) -> bool:
        """Online tenders need a gateway that says it can reach the relay right now."""
        if self.gateway is None:
            return False
        try:
            return bool(self.gateway.is_online())
        except Exception:  # a broken gateway means offline, never a crash at the counter
            return False
