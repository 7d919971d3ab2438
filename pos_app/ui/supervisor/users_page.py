"""Staff: add cashiers and supervisors, reset a forgotten PIN, deactivate someone who left."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.admin import AdminService
from pos_app.services.grants import Action, Grant
from pos_app.ui.errors import error_message
from pos_app.ui.tasks import TaskRunner
from pos_app.ui.widgets.page_parts import heading_label, message_label, show_message
from pos_app.ui.widgets.staff_fields import language_combo, pin_edit
from pos_app.ui.widgets.tables import ReadOnlyTable


class UsersPage(QWidget):
    def __init__(
        self,
        service: AdminService,
        tasks: TaskRunner,
        approve: Callable[[str, Action], Grant | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("supervisor-users")
        self._service = service
        self._tasks = tasks
        self._approve = approve
        self.users: list[Any] = []

        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(self.tr("Staff")))
        self.table = ReadOnlyTable(
            [self.tr("Name"), self.tr("Role"), self.tr("Status"), self.tr("Language")],
            "users-table",
        )
        layout.addWidget(self.table, 1)

        row = QHBoxLayout()
        add = QGroupBox(self.tr("Add a person"))
        form = QFormLayout(add)
        self.name = QLineEdit()
        self.name.setObjectName("users-name")
        form.addRow(self.tr("Name"), self.name)
        self.role = QComboBox()
        self.role.setObjectName("users-role")
        self.role.addItem(self.tr("Cashier"), "cashier")
        self.role.addItem(self.tr("Supervisor"), "supervisor")
        form.addRow(self.tr("Role"), self.role)
        self.language = language_combo("users-language")
        form.addRow(self.tr("Language"), self.language)
        self.new_pin = pin_edit("users-new-pin")
        form.addRow(self.tr("PIN (4-8 digits)"), self.new_pin)
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setObjectName("users-add")
        self.add_button.setProperty("role", "primary")
        form.addRow(self.add_button)
        row.addWidget(add)

        chosen = QGroupBox(self.tr("The person picked in the list"))
        form2 = QFormLayout(chosen)
        self.reset_pin = pin_edit("users-reset-pin")
        form2.addRow(self.tr("New PIN"), self.reset_pin)
        self.reset_button = QPushButton(self.tr("Reset PIN"))
        self.reset_button.setObjectName("users-reset")
        form2.addRow(self.reset_button)
        language_row = QHBoxLayout()
        self.user_language = language_combo("users-user-language")
        self.language_button = QPushButton(self.tr("Set language"))
        self.language_button.setObjectName("users-set-language")
        language_row.addWidget(self.user_language, 1)
        language_row.addWidget(self.language_button)
        form2.addRow(self.tr("Language"), language_row)
        self.deactivate_button = QPushButton(self.tr("Deactivate"))
        self.deactivate_button.setObjectName("users-deactivate")
        self.deactivate_button.setProperty("role", "danger")
        self.activate_button = QPushButton(self.tr("Activate again"))
        self.activate_button.setObjectName("users-activate")
        buttons = QHBoxLayout()
        buttons.addWidget(self.deactivate_button)
        buttons.addWidget(self.activate_button)
        form2.addRow(buttons)
        row.addWidget(chosen)
        layout.addLayout(row)
        self.message = message_label("users-message")
        layout.addWidget(self.message)

        self.add_button.clicked.connect(self.add)
        self.reset_button.clicked.connect(self.reset)
        self.language_button.clicked.connect(self.set_language)
        self.deactivate_button.clicked.connect(lambda: self.set_active(False))
        self.activate_button.clicked.connect(lambda: self.set_active(True))
        self.refresh()

    def refresh(self) -> None:
        self._tasks.submit(
            self._service.list_users,
            on_done=self._show,
            on_error=self._failed,
            owner=self,
        )

    def _show(self, users: list[Any]) -> None:
        self.users = users
        roles = {"cashier": self.tr("Cashier"), "supervisor": self.tr("Supervisor")}
        self.table.show_rows(
            [
                [
                    u.name,
                    roles.get(u.role, u.role),
                    self.tr("active") if u.active else self.tr("deactivated"),
                    {"sw": "Kiswahili", "en": "English"}.get(u.language or "", "—"),
                ]
                for u in users
            ],
            [u.id for u in users],
        )

    def _run(self, fn: Callable[..., Any], *args: Any, done: str, **kwargs: Any) -> None:
        grant = self._approve(self.tr("Change the staff list"), Action.STAFF)
        if grant is None:
            return

        def finished(_: Any) -> None:
            show_message(self.message, done, ok=True)
            self.refresh()

        self._tasks.submit(
            fn,
            *args,
            grant=grant,
            on_done=finished,
            on_error=self._failed,
            **kwargs,
            owner=self,
        )

    def add(self) -> None:
        name = self.name.text().strip()
        self._run(
            self._service.add_user,
            name,
            self.role.currentData(),
            self.new_pin.text(),
            language=self.language.currentData(),
            done=self.tr("%1 can now sign in.").replace("%1", name),
        )
        self.new_pin.clear()
        self.name.clear()

    def reset(self) -> None:
        user_id = self._picked()
        if user_id is None:
            return
        self._run(
            self._service.reset_pin,
            user_id,
            self.reset_pin.text(),
            done=self.tr("The PIN was reset."),
        )
        self.reset_pin.clear()

    def set_language(self) -> None:
        user_id = self._picked()
        if user_id is None:
            return
        self._run(
            self._service.set_language,
            user_id,
            self.user_language.currentData(),
            done=self.tr("Language changed: it applies at their next sign-in."),
        )

    def set_active(self, active: bool) -> None:
        user_id = self._picked()
        if user_id is None:
            return
        self._run(
            self._service.set_active,
            user_id,
            active,
            done=self.tr("Activated.")
            if active
            else self.tr("Deactivated: they can no longer sign in."),
        )

    def _picked(self) -> str | None:
        user_id: str | None = self.table.picked_key()
        if user_id is None:
            show_message(self.message, self.tr("Pick a person in the list first."), ok=False)
        return user_id

    def _failed(self, error: BaseException) -> None:
        show_message(self.message, error_message(error), ok=False)
