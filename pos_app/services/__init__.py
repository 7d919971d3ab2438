"""The only way anything changes the ledger. Build them all over one ledger with
`build_services(ledger)`; every service is synchronous and thread-safe (one connection and
one transaction per call), meant to be called from a background thread, not the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.services.audit import AuditService
from pos_app.services.bus import EventBus
from pos_app.services.catalogue import CatalogueService
from pos_app.services.orders import OrderService
from pos_app.services.payments import PaymentService
from pos_app.services.risk import RiskService
from pos_app.services.shifts import ShiftService
from pos_app.services.shop import ShopService
from pos_app.services.users import PinKdf, UserService
from pos_app.store.db import Ledger


@dataclass(frozen=True)
class Services:
    ledger: Ledger
    bus: EventBus
    payments: PaymentService
    orders: OrderService
    users: UserService
    shifts: ShiftService
    catalogue: CatalogueService
    risk: RiskService
    shop: ShopService
    audit: AuditService


def build_services(
    ledger: Ledger, bus: EventBus | None = None, *, pin_kdf: PinKdf | None = None
) -> Services:
    """`pin_kdf` is scrypt's cost for PINs (test fixtures may pass a cheap one)."""
    bus = bus or EventBus()
    return Services(
        ledger=ledger,
        bus=bus,
        payments=PaymentService(ledger, bus),
        orders=OrderService(ledger, bus),
        users=UserService(ledger, bus, pin_kdf),
        shifts=ShiftService(ledger, bus),
        catalogue=CatalogueService(ledger, bus),
        risk=RiskService(ledger, bus),
        shop=ShopService(ledger, bus),
        audit=AuditService(ledger),
    )
