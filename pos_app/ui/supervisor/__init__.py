"""The supervisor desk: approvals, refunds and voids, staff, settings, reports, audit trail.

`supervisor_pages(ctx)` builds the pages over the app's desk (`ctx.desk`, wired in
pos_app.app); each page takes only what it needs in its constructor, so tests build them over
a real ledger without the app.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPushButton, QWidget

from pos_app.services.grants import Action, Grant
from pos_app.services.shop import ShopSettings
from pos_app.services.sync_ledger import ParkedEvent, SyncLedger
from pos_app.services.users import UserView
from pos_app.ui.context import AppContext
from pos_app.ui.main_window import Page
from pos_app.ui.supervisor.approvals_page import ApprovalsPage
from pos_app.ui.supervisor.audit_page import AuditPage
from pos_app.ui.supervisor.refunds_page import RefundsPage
from pos_app.ui.supervisor.reports_page import ReportsPage
from pos_app.ui.supervisor.settings_page import SettingsPage
from pos_app.ui.supervisor.users_page import UsersPage
from pos_app.ui.widgets.pin_dialog import ask_supervisor_pin


def _parked(ctx: AppContext) -> list[ParkedEvent]:
    return SyncLedger(ctx.services.ledger).parked_events()


def approvals_title(waiting: int) -> str:
    title = QCoreApplication.translate("Supervisor", "Approvals")
    if not waiting:
        return title
    return QCoreApplication.translate("Supervisor", "%1 (%2)").replace("%1", title).replace(
        "%2", str(waiting))


def show_waiting(page: QWidget, waiting: int) -> None:
    """The approvals page's navigation button says how many wait: "Approvals (3)"."""
    button = page.window().findChild(QPushButton, "nav-approvals")
    if button is not None:
        button.setText(approvals_title(waiting))


def supervisor_pages(ctx: AppContext) -> list[Page]:
    desk = ctx.desk
    zone = ctx.shop_settings.timezone  # the shop's, which a supervisor may change

    def me() -> str | None:
        return None if ctx.current_user is None else str(ctx.current_user.id)

    def approve(reason: str, action: Action) -> Grant | None:
        """A grant from a supervisor's PIN typed now (services refuse a bare user id)."""
        return ask_supervisor_pin(None, ctx, reason, action)

    def list_users() -> list[UserView]:
        return desk.users.list_users()

    def saved(settings: ShopSettings) -> None:
        ctx.shop_settings = settings

    def restore_till(page: QWidget) -> None:
        # imported here: the damage screen names recovered records through audit_names
        from pos_app.ui.widgets.damage_screen import stopped_selling

        stopped_selling(page, ctx, ctx.counter.ledger_status().damage)

    shop_name = ctx.shop_settings.shop_name if ctx.shop_settings is not None else ""
    approvals = ApprovalsPage(desk.approvals, list_users, ctx.tasks, me, zone, ctx.bus)
    approvals.count_changed.connect(lambda n: show_waiting(approvals, n))
    return [
        Page("approvals", approvals_title(0), approvals),
        Page(
            "refunds",
            QCoreApplication.translate("Supervisor", "Refunds"),
            RefundsPage(desk.refunds, list_users, ctx.tasks, me, ctx.currency, zone, ctx.bus),
        ),
        Page(
            "reports",
            QCoreApplication.translate("Supervisor", "Reports"),
            ReportsPage(
                desk.reports,
                ctx.tasks,
                ctx.currency,
                shop_name,
                zone,
                desk.provider_events.unmatched,
                lambda: _parked(ctx),
                bus=ctx.bus,
            ),
        ),
        Page(
            "staff",
            QCoreApplication.translate("Supervisor", "Staff"),
            UsersPage(desk.admin, ctx.tasks, approve),
        ),
        Page(
            "settings",
            QCoreApplication.translate("Supervisor", "Settings"),
            SettingsPage(
                desk.admin,
                ctx.tasks,
                approve,
                saved,
                lambda: ctx.status.test_mode_providers,
                lambda: ctx.counter.check_ledger(),  # looked up when clicked: may be set later
                restore_till if ctx.restore is not None else None,
            ),
        ),
        Page(
            "audit",
            QCoreApplication.translate("Supervisor", "Audit trail"),
            AuditPage(desk.audit, ctx.tasks, zone),
        ),
    ]


__all__ = ["supervisor_pages"]
