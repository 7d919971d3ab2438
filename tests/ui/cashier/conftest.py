"""A real till for GUI tests: SQLite file in tmp_path, real services, a fake online gateway."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pos_app.config import TillSettings
from pos_app.core.money import Money
from pos_app.resources import resource
from pos_app.services import Services, build_services
from pos_app.services.gateway import (
    GatewayUnavailable,
    LinkStarted,
    PaybillPayment,
    StkStarted,
)
from pos_app.services.grants import Action
from pos_app.store.db import Ledger, open_ledger

SUPERVISOR_PIN = "2468"
CASHIER_PIN = "1357"


@dataclass
class FakeGateway:
    """OnlineGateway at the service boundary: records calls; can be offline or hang."""

    online: bool = True
    hang: threading.Event | None = None
    stk_calls: list[tuple[str, str, Money, str]] = field(default_factory=list)
    link_calls: list[tuple[str, str, Money, str, str | None]] = field(default_factory=list)
    status_checks: list[str] = field(default_factory=list)
    paybill: list[PaybillPayment] = field(default_factory=list)  # what M-Pesa "reported"

    def is_online(self) -> bool:
        return self.online

    def start_stk_push(
        self, payment_id: str, phone: str, amount: Money, account_reference: str
    ) -> StkStarted:
        if self.hang is not None:
            self.hang.wait(10)
        if not self.online:
            raise GatewayUnavailable("relay unreachable")
        self.stk_calls.append((payment_id, phone, amount, account_reference))
        return StkStarted(payment_id, f"ws_CO_{len(self.stk_calls)}", "Prompt sent")

    def start_payment_link(
        self, payment_id: str, provider: str, amount: Money, reference: str, email: str | None
    ) -> LinkStarted:
        self.link_calls.append((payment_id, provider, amount, reference, email))
        return LinkStarted(payment_id, reference, f"https://checkout.{provider}.test/{reference[:8]}")

    def request_status_check(self, payment_id: str) -> None:
        self.status_checks.append(payment_id)

    def paybill_payments(self, reference: str) -> list[PaybillPayment]:
        return list(self.paybill)

    def refund_payment(
        self, payment_id: str, amount: Money, reason: str, *, refund_id: str
    ) -> None:
        raise NotImplementedError


@dataclass
class Shop:
    settings: TillSettings
    services: Services
    supervisor: Any
    cashier: Any


def make_shop(
    data_dir: Path,
    *,
    demo_catalogue: bool = True,
    open_ledger: Callable[[TillSettings], Ledger] = open_ledger,
) -> Shop:
    settings = TillSettings(data_dir=data_dir, keyring="memory")
    ledger = open_ledger(settings)
    services = build_services(ledger)
    supervisor = services.users.create_user("Amina Supervisor", "supervisor", SUPERVISOR_PIN)
    def grant(action: Action) -> Any:
        return services.users.grant(supervisor.id, SUPERVISOR_PIN, action)

    services.shop.update(grant(Action.SETTINGS), shop_name="Duka la Mama Amina", currency="KES",
                         vat_bps=1600, timezone="Africa/Nairobi",
                         offline_proof_policy="cashier_may_accept_below_threshold")
    cashier = services.users.create_user(
        "Juma Cashier", "cashier", CASHIER_PIN, grant=grant(Action.STAFF)
    )
    if demo_catalogue:
        report = services.catalogue.import_csv(
            resource("demo_catalogue.csv").read_text(encoding="utf-8"),
            grant=grant(Action.CATALOGUE),
        )
        assert not report.errors
    with ledger.write() as conn:
        from pos_app.store import state

        state.put(conn, "mpesa_paybill", "174379")
        state.put(conn, "mpesa_till", "5566778")
    return Shop(settings, services, supervisor, cashier)


@pytest.fixture
def shop(tmp_path: Path, open_test_ledger: Callable[[TillSettings], Ledger]) -> Iterator[Shop]:
    made = make_shop(tmp_path, open_ledger=open_test_ledger)
    yield made
    made.services.ledger.close()


@pytest.fixture
def gateway() -> FakeGateway:
    return FakeGateway()


@pytest.fixture
def ctx(qtbot: Any, shop: Shop, gateway: FakeGateway) -> Iterator[Any]:
    from PySide6.QtWidgets import QApplication

    from pos_app.app import build_context
    from pos_app.ui.application import Translations
    from pos_app.ui.tasks import TaskRunner

    app: Any = QApplication.instance()
    tasks = TaskRunner()
    context = build_context(app, shop.settings, shop.services, Translations(app), tasks,
                            gateway=gateway)
    context.status.update(online=True)
    context.current_user = shop.cashier
    context.counter.user_id = shop.cashier.id
    yield context
    tasks.shutdown(wait=True)


@pytest.fixture
def page(qtbot: Any, ctx: Any) -> Any:
    """The sale page over an open shift, its quick keys loaded."""
    from pos_app.ui.cashier.sale_page import SalePage

    ctx.services.shifts.open_shift(ctx.current_user.id, Money(0, "KES"))
    sale = SalePage(ctx)
    qtbot.addWidget(sale)
    sale.show()
    qtbot.waitUntil(lambda: sale.quick_buttons[0].isEnabled())
    return sale
