"""Everything a screen needs, in one object handed to every page and dialog.

Built once by pos_app.app after the ledger is open; `current_user` changes at each sign-in.
Screens reach the services through these handles but call them only via `tasks.submit`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pos_app.config import TillSettings
from pos_app.services.gateway import OnlineGateway
from pos_app.ui.application import Translations
from pos_app.ui.bus_bridge import BusBridge
from pos_app.ui.status import TillStatus
from pos_app.ui.tasks import TaskRunner


@dataclass
class AppContext:
    settings: TillSettings
    ledger: Any
    tasks: TaskRunner
    status: TillStatus
    translations: Translations
    bus: BusBridge
    gateway: OnlineGateway | None = None
    # the ledger's services (pos_app.services.*), built over `ledger`
    payments: Any = None
    orders: Any = None
    users: Any = None
    shifts: Any = None
    catalogue: Any = None
    # pos_app.services.counter.Counter: the cashier's flows over the services above
    counter: Any = None
    shop: Any = None  # ShopService
    shop_settings: Any = None  # ShopSettings, re-read after the supervisor changes them
    current_user: Any = None
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def currency(self) -> str:
        return str(self.shop_settings.currency) if self.shop_settings is not None else "KES"

    def is_online(self) -> bool:
        """Online tenders need a gateway that says it can reach the relay right now."""
        if self.gateway is None:
            return False
        try:
            return bool(self.gateway.is_online())
        except Exception:  # a broken gateway means offline, never a crash at the counter
            return False
