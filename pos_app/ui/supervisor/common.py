"""Small pieces every supervisor page shares: money and time display, tables, messages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from pos_app.core.errors import (
    DecryptionError,
    DiskFull,
    DukaError,
    InactiveUser,
    NotASupervisor,
    SelfApprovalNotAllowed,
    UserLocked,
    WrongPin,
)
from pos_app.core.money import Money
from pos_app.services.admin import LastSupervisor, RelayNotPaired
from pos_app.services.approvals import NotesRequired
from pos_app.services.gateway import GatewayUnavailable
from pos_app.services.refunds import (
    AlreadyRefunded,
    RefundAlreadyRequested,
    RefundPending,
    RefundTooLarge,
    ReversalCodeMissing,
)
from pos_app.ui.tasks import TaskRunner
from pos_app.ui.widgets.staff_fields import fill_deciders


def money_text(minor: int | None, code: str | None) -> str:
    if minor is None or not code:
        return "—"
    return Money(minor, code).format()


def local_text(at: datetime | None, zone: str) -> str:
    if at is None:
        return "—"
    return at.astimezone(ZoneInfo(zone)).strftime("%d/%m/%Y %H:%M")


def shop_today(zone: str) -> QDate:
    """Today in the shop (the till's clock may run in another zone)."""
    day = datetime.now(ZoneInfo(zone)).date()
    return QDate(day.year, day.month, day.day)


def short_time(at: datetime, zone: str) -> str:
    """Day/month and time: enough in a queue where everything is recent."""
    return at.astimezone(ZoneInfo(zone)).strftime("%d/%m %H:%M")


def error_text(error: BaseException) -> str:
    """What to show a supervisor, in their language where the refusal is a known one; the
    service's own message otherwise. Never a traceback or a secret."""
    if isinstance(error, WrongPin):
        if error.attempts_left is None:
            return QCoreApplication.translate("Supervisor", "Wrong PIN.")
        return QCoreApplication.translate(
            "Supervisor", "Wrong PIN. %1 tries left before lock-out."
        ).replace("%1", str(error.attempts_left))
    if isinstance(error, UserLocked):
        return QCoreApplication.translate(
            "Supervisor", "Too many wrong PINs: locked until %1 UTC."
        ).replace("%1", f"{error.until:%H:%M}")
    if isinstance(error, RefundTooLarge):
        return (
            QCoreApplication.translate(
                "Supervisor", "%1 is more than was paid and not yet refunded (%2)."
            )
            .replace("%1", error.asked.format())
            .replace("%2", error.remaining.format())
        )
    known: list[tuple[type[BaseException], str]] = [
        (
            NotASupervisor,
            QCoreApplication.translate("Supervisor", "This needs a supervisor's PIN."),
        ),
        (InactiveUser, QCoreApplication.translate("Supervisor", "This user is deactivated.")),
        (
            SelfApprovalNotAllowed,
            QCoreApplication.translate(
                "Supervisor", "You submitted this proof: another supervisor must approve it."
            ),
        ),
        (
            LastSupervisor,
            QCoreApplication.translate(
                "Supervisor",
                "This is the last active supervisor: add another supervisor before deactivating "
                "this one.",
            ),
        ),
        (
            AlreadyRefunded,
            QCoreApplication.translate("Supervisor", "This payment was already refunded in full."),
        ),
        (
            RefundPending,
            QCoreApplication.translate(
                "Supervisor",
                "The refund is recorded as requested, but the relay did not answer. The till "
                "asks again by itself with the same request (it can never refund twice).",
            ),
        ),
        (
            RefundAlreadyRequested,
            QCoreApplication.translate(
                "Supervisor",
                "A refund of this payment is already waiting for Paystack: it is sent again "
                "automatically until Paystack answers.",
            ),
        ),
        (
            ReversalCodeMissing,
            QCoreApplication.translate(
                "Supervisor",
                "Type the M-Pesa reversal's transaction code from the confirmation SMS.",
            ),
        ),
        (
            NotesRequired,
            QCoreApplication.translate(
                "Supervisor", "Say why you reject it (the cashier will read this)."
            ),
        ),
        (
            RelayNotPaired,
            QCoreApplication.translate(
                "Supervisor",
                "This needs the relay, and this till is not paired with one: pair it in Settings.",
            ),
        ),
        (
            GatewayUnavailable,
            QCoreApplication.translate(
                "Supervisor",
                "The relay cannot be reached right now: nothing was changed. Try again when "
                "the till is online.",
            ),
        ),
        (
            DecryptionError,
            QCoreApplication.translate(
                "Supervisor", "This stored item cannot be decrypted: it was damaged or altered."
            ),
        ),
        (
            DiskFull,
            QCoreApplication.translate(
                "Supervisor",
                "The disk is full: nothing was saved. Free some space, then try again.",
            ),
        ),
    ]
    for kind, text in known:
        if isinstance(error, kind):
            return text
    if isinstance(error, DukaError):
        return error.message
    return QCoreApplication.translate(
        "Supervisor", "Something went wrong; nothing was changed. Try again."
    )


EMPTY_HINT = "empty_hint"


def make_table(
    headers: Sequence[str], object_name: str, empty_hint: str | None = None
) -> QTableWidget:
    """A read-only, row-selecting grid; with `empty_hint`, an empty grid says why it is empty."""
    table = QTableWidget(0, len(headers))
    if empty_hint:
        table.setProperty(EMPTY_HINT, empty_hint)
    table.setObjectName(object_name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # the last column takes what is left and elides, so the grid never needs a side scroll
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setWordWrap(False)
    return table


def fill_table(table: QTableWidget, rows: Sequence[Sequence[Any]], keys: Sequence[Any]) -> None:
    """Replace the rows; each row's first cell carries its key in Qt.UserRole."""
    table.clearSpans()
    table.setRowCount(0)
    hint = table.property(EMPTY_HINT)
    if not rows and hint:
        table.setRowCount(1)
        table.setSpan(0, 0, 1, table.columnCount())
        item = QTableWidgetItem(str(hint))
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        item.setForeground(QColor("#5f6368"))
        table.setItem(0, 0, item)
        return
    table.setRowCount(len(rows))
    for r, (cells, key) in enumerate(zip(rows, keys, strict=True)):
        for c, value in enumerate(cells):
            text = "" if value is None else str(value)
            item = QTableWidgetItem(text)
            if len(text) > 40:  # long cells are elided; the whole text is one hover away
                item.setToolTip(text)
            if c == 0:
                item.setData(Qt.ItemDataRole.UserRole, key)
            table.setItem(r, c, item)


def selected_key(table: QTableWidget) -> Any:
    row = table.currentRow()
    item = table.item(row, 0) if row >= 0 else None
    return None if item is None else item.data(Qt.ItemDataRole.UserRole)


def show_message(label: QLabel, text: str, ok: bool) -> None:
    label.setText(text)
    label.setProperty("role", "ok" if ok else "error")
    label.style().polish(label)


def hint_label(text: str, object_name: str) -> QLabel:
    """The grey line that says why a table is empty (an empty grid alone says nothing)."""
    label = QLabel(text)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setStyleSheet("color: #5f6368; font-style: italic; padding: 8px;")
    return label


def ask_save_path(
    owner: QWidget, title: str, file_name: str, file_filter: str, then: Callable[[str], None]
) -> None:
    """Ask where to save; `then(path)` unless the supervisor cancels."""
    path, _ = QFileDialog.getSaveFileName(owner, title, file_name, file_filter)
    if path:
        then(path)


def save_text(
    tasks: TaskRunner,
    owner: QWidget,
    path: str,
    make_text: Callable[[], str],
    label: QLabel,
    saved: str,
    on_error: Callable[[BaseException], None],
) -> None:
    """Build the text and write it to `path` on a worker, then say `saved` (its %1 is the
    path) in `label`."""
    submit(
        tasks,
        owner,
        lambda: Path(path).write_text(make_text(), encoding="utf-8", newline=""),
        on_done=lambda _r: show_message(label, saved.replace("%1", path), ok=True),
        on_error=on_error,
    )


class _Refresher(QObject):
    """Receives domain events for one page. A child of the page: when the page is deleted,
    Qt drops the connection with it, so no event reaches a dead widget."""

    def __init__(
        self, parent: QWidget, kinds: tuple[type, ...], refresh: Callable[[], None]
    ) -> None:
        super().__init__(parent)
        self._kinds = kinds
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(refresh)

    @Slot(object)
    def seen(self, event: object) -> None:
        if isinstance(event, self._kinds):
            self._timer.start()


def refresh_on_events(
    widget: QWidget, events: Any, kinds: tuple[type, ...], refresh: Callable[[], None]
) -> None:
    """Refresh `widget` (once per burst) when the ledger publishes one of `kinds`.

    `events` is a Qt signal carrying domain events on the GUI thread (BusBridge.domain_event).
    """
    if events is not None:
        events.connect(_Refresher(widget, kinds, refresh).seen)


def submit(
    tasks: TaskRunner,
    owner: QWidget,
    fn: Callable[..., Any],
    *args: Any,
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    **kwargs: Any,
) -> None:
    """tasks.submit, but a late result never reaches `owner` once it is deleted (the app
    replaces the pages at every sign-in while work may still be running)."""

    def alive(callback: Callable[[Any], None] | None) -> Callable[[Any], None] | None:
        if callback is None:
            return None

        def deliver(value: Any) -> None:
            if shiboken6.isValid(owner):
                callback(value)

        return deliver

    tasks.submit(fn, *args, on_done=alive(on_done), on_error=alive(on_error), **kwargs)


def set_busy(widgets: Sequence[QWidget], busy: bool) -> None:
    for widget in widgets:
        widget.setEnabled(not busy)


class DecisionPage(QWidget):
    """A page where a supervisor decides with their PIN: `approver` offers the staff who may
    decide, the signed-in one first."""

    approver: QComboBox

    def __init__(
        self,
        list_users: Callable[[], list[Any]],
        tasks: TaskRunner,
        current_user_id: Callable[[], str | None],
        timezone: str,
        parent: QWidget | None,
    ) -> None:
        super().__init__(parent)
        self._list_users = list_users
        self._tasks = tasks
        self._current_user_id = current_user_id
        self._zone = timezone

    def load_deciders(self) -> None:
        submit(self._tasks, self, self._list_users, on_done=self._show_users, on_error=self._failed)

    def _show_users(self, users: list[Any]) -> None:
        fill_deciders(self.approver, users, self._current_user_id())

    def _failed(self, error: BaseException) -> None:
        raise NotImplementedError
