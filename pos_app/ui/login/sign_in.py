"""Sign-in by user and PIN; the same dialog unlocks the till after idle time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.errors import DukaError
from pos_app.services.users import UserView
from pos_app.ui.context import AppContext
from pos_app.ui.errors import error_message
from pos_app.version import app_version


class SignInDialog(QDialog):
    """Pick your name, type your PIN (number pad for touch screens, or the keyboard)."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        locked_user: UserView | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sign-in-dialog")
        self.setWindowTitle(self.tr("Sign in"))
        self.setMinimumSize(640, 480)
        self._ctx = ctx
        self.user: UserView | None = None

        layout = QVBoxLayout(self)
        locked_text = self.tr("Till locked: sign in to carry on")
        heading = QLabel(locked_text if locked_user else self.tr("Who is selling?"))
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        body = QHBoxLayout()
        layout.addLayout(body, 1)
        self.users = QListWidget()
        self.users.setObjectName("sign-in-users")
        self.users.setStyleSheet("QListWidget::item { min-height: 44px; font-size: 18px; }")
        body.addWidget(self.users, 1)

        right = QVBoxLayout()
        self.pin = QLineEdit()
        self.pin.setObjectName("sign-in-pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setPlaceholderText(self.tr("PIN"))
        self.pin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin.setStyleSheet("font-size: 24px;")
        self.pin.returnPressed.connect(self._sign_in)
        right.addWidget(self.pin)
        pad = QGridLayout()
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
        for i, key in enumerate(keys):
            button = QPushButton(key)
            button.setMinimumSize(72, 56)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(False)  # Enter signs in; it must not press a digit key
            button.setObjectName(f"pin-key-{key}" if key.isdigit() else "pin-key-other")
            if key == "OK":
                button.setObjectName("sign-in-ok")
                button.setProperty("role", "primary")
                button.clicked.connect(self._sign_in)
            elif key == "⌫":
                button.clicked.connect(self.pin.backspace)
            else:
                button.clicked.connect(lambda _=False, k=key: self.pin.insert(k))
            pad.addWidget(button, i // 3, i % 3)
        right.addLayout(pad)
        self.message = QLabel()
        self.message.setObjectName("sign-in-message")
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        right.addWidget(self.message)
        right.addStretch(1)
        version = QLabel(f"Duka POS {app_version()}")
        version.setObjectName("sign-in-version")
        version.setStyleSheet("color: #6c757d; font-size: 11px;")
        right.addWidget(version, 0, Qt.AlignmentFlag.AlignRight)
        body.addLayout(right)
        self._locked_user = locked_user
        self.users.itemSelectionChanged.connect(lambda: self.pin.setFocus())
        ctx.tasks.submit(
            ctx.services.users.list_users,
            on_done=self._show_users,
            on_error=self._failed,
            owner=self,
        )

    def _show_users(self, users: list[UserView]) -> None:
        self.users.clear()
        for user in users:
            if not user.active:
                continue
            role = self.tr("supervisor") if user.role == "supervisor" else self.tr("cashier")
            item = QListWidgetItem(f"{user.name}  ({role})")
            item.setData(Qt.ItemDataRole.UserRole, user.id)
            self.users.addItem(item)
            if self._locked_user is not None and user.id == self._locked_user.id:
                self.users.setCurrentItem(item)
        if self.users.currentItem() is None and self.users.count():
            self.users.setCurrentRow(0)
        self.pin.setFocus()

    def _sign_in(self) -> None:
        item = self.users.currentItem()
        if item is None or not self.pin.text():
            self.message.setText(self.tr("Choose your name and type your PIN."))
            return
        self.pin.setEnabled(False)
        self.message.setText("")
        self._ctx.tasks.submit(
            self._ctx.services.users.verify_pin,
            item.data(Qt.ItemDataRole.UserRole),
            self.pin.text(),
            on_done=self._signed_in,
            on_error=self._failed,
            owner=self,
        )

    def _signed_in(self, user: UserView) -> None:
        self.user = user
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.pin.setEnabled(True)
        self.pin.clear()
        self.pin.setFocus()
        if isinstance(error, DukaError):
            self.message.setText(error_message(error))
        else:
            self.message.setText(self.tr("Sign-in failed: %1").replace("%1", type(error).__name__))
