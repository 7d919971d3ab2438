"""The base of the pages where a supervisor decides with their PIN (approvals, refunds)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QWidget

from pos_app.services.users import UserView
from pos_app.ui.tasks import TaskRunner
from pos_app.ui.widgets.staff_fields import fill_deciders


class DecisionPage(QWidget):
    """`approver` offers the staff who may decide, the signed-in one first."""

    approver: QComboBox

    def __init__(
        self,
        list_users: Callable[[], list[UserView]],
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
        self._tasks.submit(self._list_users, on_done=self._show_users, on_error=self._failed)

    def _show_users(self, users: list[UserView]) -> None:
        fill_deciders(self.approver, users, self._current_user_id())

    def _failed(self, error: BaseException) -> None:
        raise NotImplementedError
