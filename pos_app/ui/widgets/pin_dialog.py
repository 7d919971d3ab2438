"""Asking for a supervisor's PIN at the counter (discounts, overrides, unsynced close, ...).

The check runs on a worker (PIN hashing is deliberately slow); the dialog stays open on a
wrong PIN and shows the service's message (tries left, lock-out).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.errors import DukaError
from pos_app.services.grants import Action, Grant
from pos_app.services.users import UserView
from pos_app.ui.context import AppContext
from pos_app.ui.errors import error_message


class PinDialog(QDialog):
    """Pick a supervisor, type their PIN; `user` holds the supervisor's Grant for `action`
    on accept (its `user_id` / `id` is who approved)."""

    def __init__(
        self, ctx: AppContext, reason: str, action: Action, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("supervisor-pin-dialog")
        self.setWindowTitle(self.tr("Supervisor PIN"))
        self.setMinimumWidth(420)
        self._ctx = ctx
        self._action = action
        self.user: Grant | None = None

        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("A supervisor must approve this:"))
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        self.reason_label = QLabel(reason)
        self.reason_label.setWordWrap(True)
        layout.addWidget(self.reason_label)

        form = QFormLayout()
        self.supervisor = QComboBox()
        self.supervisor.setObjectName("pin-supervisor")
        form.addRow(self.tr("Supervisor"), self.supervisor)
        self.pin = QLineEdit()
        self.pin.setObjectName("pin-input")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(12)
        self.pin.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        form.addRow(self.tr("PIN"), self.pin)
        layout.addLayout(form)

        self.message = QLabel()
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Approve"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self._verify)
        self.buttons.rejected.connect(self.reject)
        for button in self.buttons.buttons():
            # Enter in the PIN field must approve, never fall through to Cancel
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        layout.addWidget(self.buttons)

        self._set_busy(True)
        ctx.tasks.submit(
            ctx.services.users.list_users,
            on_done=self._show_supervisors,
            on_error=self._show_error,
            owner=self,
        )

    def _show_supervisors(self, users: list[UserView]) -> None:
        self.supervisor.clear()
        for user in users:
            if user.role == "supervisor" and user.active:
                self.supervisor.addItem(user.name, user.id)
        if self.supervisor.count() == 0:
            self.message.setText(self.tr("There is no active supervisor on this till."))
        self._set_busy(False)
        self.pin.setFocus()

    def _verify(self) -> None:
        user_id = self.supervisor.currentData()
        if user_id is None or not self.pin.text():
            self.message.setText(self.tr("Choose a supervisor and type their PIN."))
            return
        self._set_busy(True)
        self.message.setText(self.tr("Checking…"))
        self._ctx.tasks.submit(
            self._ctx.services.users.grant,
            user_id,
            self.pin.text(),
            self._action,
            on_done=self._verified,
            on_error=self._show_error,
            owner=self,
        )

    def _verified(self, user: Grant) -> None:
        self.user = user
        self.accept()

    def _show_error(self, error: BaseException) -> None:
        self._set_busy(False)
        self.pin.clear()
        self.pin.setFocus()
        if isinstance(error, DukaError):
            self.message.setText(error_message(error))
        else:
            self.message.setText(self.tr("The PIN could not be checked."))

    def _set_busy(self, busy: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)
        self.pin.setEnabled(not busy)


def ask_supervisor_pin(
    parent: QWidget | None, ctx: AppContext, reason: str, action: Action = Action.OVERRIDE
) -> Grant | None:
    """The approving supervisor's Grant for `action`, or None when the cashier cancelled."""
    dialog = PinDialog(ctx, reason, action, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        return dialog.user
    return None
