"""The supervisor's administration: staff (add, reset PIN, deactivate), the shop's settings,
per-provider test mode on the relay, and pairing the till with a relay.

The till never loses its last active supervisor: the check runs inside the same write
transaction as the change, so two supervisors deactivating each other cannot both succeed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import func, select, update

from pos_app.core.errors import DukaError, InvalidInput, NotFound
from pos_app.services.bus import EventBus
from pos_app.services.gateway import GatewayUnavailable, OnlineGateway
from pos_app.services.grants import Action, Grant, actor
from pos_app.services.shop import ShopService, ShopSettings
from pos_app.services.unit import ledger_change
from pos_app.services.users import UserService, UserView, authorise
from pos_app.store.db import Ledger
from pos_app.store.schema import users

PROVIDERS: Final = ("mpesa", "paystack", "flutterwave", "stripe")
LANGUAGES: Final = ("en", "sw")


class RelayNotPaired(GatewayUnavailable):
    """The step needs the relay (refund by card, test mode, provider check) and there is none."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} This till is not paired with a relay: pair it in Settings.")


class LastSupervisor(DukaError):
    def __init__(self) -> None:
        super().__init__(
            "This is the last active supervisor: add another supervisor before deactivating "
            "this one."
        )


@dataclass(frozen=True, slots=True)
class PairingOutcome:
    relay_url: str
    detail: str


class AdminService:
    def __init__(
        self,
        ledger: Ledger,
        bus: EventBus,
        users_service: UserService,
        shop: ShopService,
        gateway: Callable[[], OnlineGateway | None] | None = None,
        pair: Callable[[Any, str, str], Any] | None = None,
    ) -> None:
        self._ledger = ledger
        self._bus = bus
        self._users = users_service
        self._shop = shop
        self._gateway = gateway or (lambda: None)
        self._pair = pair

    # --- staff ----------------------------------------------------------------------------
    def list_users(self) -> list[UserView]:
        return self._users.list_users(include_inactive=True)

    def add_user(
        self, name: str, role: str, pin: str, *, grant: Grant, language: str | None = None
    ) -> UserView:
        if language is not None and language not in LANGUAGES:
            raise InvalidInput("Choose English or Kiswahili.")
        return self._users.create_user(name, role, pin, grant=grant, language=language)

    def reset_pin(self, user_id: str, new_pin: str, *, grant: Grant) -> None:
        """A supervisor sets a new PIN (the user forgot theirs); clears any lock-out."""
        self._users.set_pin(user_id, new_pin, grant)

    def set_active(self, user_id: str, active: bool, *, grant: Grant) -> None:
        with ledger_change(self._ledger, self._bus, actor(grant)) as change:
            conn = change.conn
            authorise(conn, grant, Action.STAFF)
            row = conn.execute(select(users.c.role).where(users.c.id == user_id)).first()
            if row is None:
                raise NotFound("user", user_id)
            if not active and row.role == "supervisor":
                others = conn.execute(
                    select(func.count())
                    .select_from(users)
                    .where(
                        users.c.role == "supervisor",
                        users.c.active.is_(True),
                        users.c.id != user_id,
                    )
                ).scalar_one()
                if others == 0:
                    raise LastSupervisor()
            conn.execute(update(users).where(users.c.id == user_id).values(active=active))
            change.record(
                "user.activated" if active else "user.deactivated",
                entity="user",
                entity_id=user_id,
                details={},
                payload={"user_id": user_id, "active": active},
            )

    def set_language(self, user_id: str, language: str, *, grant: Grant) -> None:
        if language not in LANGUAGES:
            raise InvalidInput("Choose English or Kiswahili.")
        with ledger_change(self._ledger, self._bus, actor(grant)) as change:
            authorise(change.conn, grant, Action.STAFF)
            change.conn.execute(
                update(users).where(users.c.id == user_id).values(language=language)
            )
            change.record(
                "user.language", entity="user", entity_id=user_id, details={"language": language}
            )

    # --- settings -------------------------------------------------------------------------
    def settings(self) -> ShopSettings:
        return self._shop.get()

    def update_settings(self, grant: Grant, **changes: Any) -> ShopSettings:
        current = self._shop.get()
        changed = {k: v for k, v in changes.items() if getattr(current, k, object()) != v}
        if not changed:
            return current
        return self._shop.update(grant, **changed)

    def pair(self, relay_url: str, code: str, *, grant: Grant) -> PairingOutcome:
        if self._pair is None:
            raise InvalidInput("Relay pairing is not available in this build.")
        if not relay_url.strip() or not code.strip():
            raise InvalidInput("Type the relay's address and the pairing code.")
        with self._ledger.read() as conn:
            supervisor_id = authorise(conn, grant, Action.SETTINGS).id
        try:
            result = self._pair(self._ledger.settings, relay_url.strip(), code.strip())
        except DukaError as exc:
            self._audit(
                supervisor_id, "relay.pairing_failed", "relay", {"error": type(exc).__name__}
            )
            raise
        self._audit(supervisor_id, "relay.paired", "relay", {"relay_url": relay_url.strip()})
        return PairingOutcome(relay_url.strip(), str(getattr(result, "shop_name", "")))

    def _audit(self, actor: str, action: str, entity_id: str, details: dict[str, Any]) -> None:
        with ledger_change(self._ledger, self._bus, actor) as change:
            change.record(
                action,
                entity="settings",
                entity_id=entity_id,
                details=details,
                payload={"action": action, "subject": entity_id, **details},
            )
