"""What every tender dialog shares: the amount due, a message line, one click = one payment.

Each dialog makes its payment id when it opens; the service treats a repeated call with the
same id as the same payment, so a double click or a retried call never pays twice.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from pos_app.core.errors import DukaError
from pos_app.core.events import PaymentProcessed
from pos_app.core.money import Money
from pos_app.ui.context import AppContext
from pos_app.ui.errors import error_message
from pos_app.ui.widgets.page_parts import message_label


class TenderDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        order_id: str,
        due: Money,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.order_id = order_id
        self.due = due
        # the idempotency key of this dialog's money call (a new one for "try again")
        self.key = str(uuid.uuid4())
        self.payment: Any = None
        self._running = False
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.layout_ = QVBoxLayout(self)
        self.due_label = QLabel(self.tr("Due: %1").replace("%1", due.format()))
        self.due_label.setObjectName("tender-due")
        self.due_label.setProperty("role", "total")
        self.layout_.addWidget(self.due_label)

    @property
    def payment_id(self) -> str | None:
        return self.payment.id if self.payment is not None else None

    def add_message_line(self) -> QLabel:
        self.message = message_label("tender-message")
        self.layout_.addWidget(self.message)
        return self.message

    def say(self, text: str, error: bool = False) -> None:
        self.message.setProperty("role", "error" if error else "ok")
        self.message.style().polish(self.message)
        self.message.setText(text)

    def run_once(self, fn: Any, *args: Any, on_done: Any) -> bool:
        """Submit the money call unless one is already running (the double-click guard)."""
        if self._running:
            return False
        self._running = True
        self.set_busy(True)

        def done(value: Any) -> None:
            self._running = False
            self.set_busy(False)
            on_done(value)

        self.ctx.tasks.submit(fn, *args, on_done=done, on_error=self.failed,
                              owner=self)
        return True

    def call(self, fn: Any, *args: Any, on_done: Any) -> None:
        """A background call whose answer is dropped if the dialog is gone by then."""
        self.ctx.tasks.submit(fn, *args, on_done=on_done, on_error=self.failed,
                              owner=self)

    def failed(self, error: BaseException) -> None:
        self._running = False
        self.set_busy(False)
        if isinstance(error, DukaError):
            self.say(error_message(error), error=True)
        else:
            self.say(self.tr("Could not record the payment: %1").replace(
                "%1", type(error).__name__), error=True)

    def set_busy(self, busy: bool) -> None:
        """Subclasses disable their action buttons while a call runs."""


class LiveTenderDialog(TenderDialog):
    """A tender paid on the customer's phone: the outcome arrives later (relay -> sync engine
    -> ledger -> bus), so the dialog follows its payment's status; `resume` reopens a payment
    left open when the till stopped. Subclasses connect `on_event` to the bus once built."""

    def on_event(self, event: object) -> None:
        if isinstance(event, PaymentProcessed) and event.payment_id == self.payment_id:
            self.call(self.ctx.counter.payment, self.payment_id, on_done=self.show_payment)

    def show_payment(self, payment: Any) -> None:
        self.payment = payment
        self.show_status(payment.status)

    def show_status(self, status: str) -> None:
        raise NotImplementedError
