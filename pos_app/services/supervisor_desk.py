"""The supervisor desk's services over one ledger: `SupervisorDesk.over(...)` wires the desk
from the ledger's own services (demo data for it: sync.demo_day)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pos_app.services.admin import AdminService
from pos_app.services.approvals import ApprovalService
from pos_app.services.audit_trail import AuditTrailService
from pos_app.services.bus import EventBus
from pos_app.services.gateway import OnlineGateway
from pos_app.services.orders import OrderService
from pos_app.services.payments import PaymentService
from pos_app.services.provider_events import ProviderEventService
from pos_app.services.refunds import RefundService
from pos_app.services.reports import ReportService
from pos_app.services.shifts import ShiftService
from pos_app.services.shop import ShopService
from pos_app.services.users import UserService
from pos_app.store.db import Ledger


@dataclass
class SupervisorDesk:
    ledger: Ledger
    bus: EventBus
    users: UserService
    shop: ShopService
    payments: PaymentService
    orders: OrderService
    shifts: ShiftService
    approvals: ApprovalService
    refunds: RefundService
    admin: AdminService
    reports: ReportService
    audit: AuditTrailService
    provider_events: ProviderEventService

    @classmethod
    def over(
        cls,
        ledger: Ledger,
        bus: EventBus,
        *,
        users: UserService | None = None,
        shop: ShopService | None = None,
        payments_service: PaymentService | None = None,
        orders_service: OrderService | None = None,
        shifts: ShiftService | None = None,
        gateway: Callable[[], OnlineGateway | None] | None = None,
        pair: Callable[[Any, str, str], Any] | None = None,
        timezone: str = "Africa/Nairobi",
    ) -> SupervisorDesk:
        users = users or UserService(ledger, bus)
        shop = shop or ShopService(ledger, bus)
        pay = payments_service or PaymentService(ledger, bus)
        events = ProviderEventService(ledger)
        return cls(
            ledger=ledger,
            bus=bus,
            users=users,
            shop=shop,
            payments=pay,
            orders=orders_service or OrderService(ledger, bus),
            shifts=shifts or ShiftService(ledger, bus),
            approvals=ApprovalService(ledger, bus, pay, users, events, gateway),
            refunds=RefundService(ledger, bus, pay, users, gateway),
            admin=AdminService(ledger, bus, users, shop, gateway, pair),
            reports=ReportService(ledger, timezone),
            audit=AuditTrailService(ledger, timezone),
            provider_events=events,
        )
