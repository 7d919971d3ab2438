"""Shared helpers of the ledger service tests (a module name no other test folder uses)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from pos_app.core.money import Money
from pos_app.core.orders import Order, OrderLine
from pos_app.services import Services
from pos_app.services.grants import Action, Grant
from pos_app.services.users import UserView
from pos_app.store.db import Ledger
from pos_app.store.schema import metadata

SUPERVISOR_PIN = "2468"
SECOND_SUPERVISOR_PIN = "9753"
CASHIER_PIN = "1357"


def kes(minor: int) -> Money:
    return Money(minor, "KES")


@dataclass
class Till:
    ledger: Ledger
    services: Services
    supervisor: UserView
    cashier: UserView
    second_supervisor: UserView

    def grant(self, action: Action, user: UserView | None = None) -> Grant:
        """A grant from `user`'s (default: the supervisor's) PIN, as the screens obtain it."""
        user = user or self.supervisor
        pin = {
            self.supervisor.id: SUPERVISOR_PIN,
            self.second_supervisor.id: SECOND_SUPERVISOR_PIN,
            self.cashier.id: CASHIER_PIN,
        }[user.id]
        return self.services.users.grant(user.id, pin, action)

    def draft(self, *prices: int) -> Order:
        return self.services.orders.draft(
            [OrderLine(f"Item {i}", kes(p)) for i, p in enumerate(prices)]
        )

    def order(self, *prices: int) -> str:
        return self.services.orders.create_order(self.draft(*prices), cashier_id=self.cashier.id).id

    def counts(self) -> dict[str, int]:
        with self.ledger.read() as conn:
            return {
                name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in metadata.tables.items()
            }
