"""A hosted payment page (Paystack, Flutterwave, Stripe Checkout): its link and QR code for the
customer's phone, with live status. One dialog for every link provider: only the title and the
provider the relay is asked for differ."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from pos_app.core.money import Money
from pos_app.core.payments import PaymentProvider
from pos_app.ui.cashier.online_status import describe
from pos_app.ui.cashier.tender_base import LiveTenderDialog
from pos_app.ui.context import AppContext
from pos_app.ui.widgets.qr import qr_pixmap


def link_tender_name(provider: str) -> str:
    """The tender's name on its button and the dialog's title."""
    return {
        "paystack": QCoreApplication.translate("LinkDialog", "Paystack link"),
        "flutterwave": QCoreApplication.translate("LinkDialog", "Flutterwave link"),
        "stripe": QCoreApplication.translate("LinkDialog", "Stripe Checkout"),
    }.get(provider, provider)


class LinkDialog(LiveTenderDialog):
    def __init__(
        self,
        ctx: AppContext,
        provider: PaymentProvider,
        order_id: str,
        due: Money,
        parent: QWidget | None = None,
        resume: Any = None,
    ) -> None:
        super().__init__(ctx, order_id, due, link_tender_name(provider.value), parent)
        self.setObjectName("link-dialog")
        self.provider = provider
        self.url = ""
        form = QFormLayout()
        self.email = QLineEdit()
        self.email.setObjectName("link-email")
        self.email.setPlaceholderText(self.tr("optional: for the customer's receipt"))
        form.addRow(self.tr("Customer email"), self.email)
        self.layout_.addLayout(form)
        self.qr = QLabel()
        self.qr.setObjectName("link-qr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.layout_.addWidget(self.qr)
        self.link = QLineEdit()
        self.link.setObjectName("link-link")
        self.link.setReadOnly(True)
        self.link.hide()
        self.layout_.addWidget(self.link)
        self.status_label = QLabel()
        self.status_label.setObjectName("link-status")
        self.status_label.setProperty("role", "heading")
        self.status_label.setWordWrap(True)
        self.layout_.addWidget(self.status_label)
        self.add_message_line()
        buttons = QHBoxLayout()
        self.copy_button = QPushButton(self.tr("Copy link"))
        self.copy_button.setObjectName("link-copy")
        self.copy_button.clicked.connect(self._copy)
        self.copy_button.hide()
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancel link"))
        self.cancel_button.setObjectName("link-cancel")
        self.cancel_button.clicked.connect(self._cancel)
        self.cancel_button.hide()
        buttons.addWidget(self.cancel_button)
        self.close_button = QPushButton(self.tr("Back"))
        self.close_button.setObjectName("link-close")
        self.close_button.clicked.connect(self._close)
        buttons.addWidget(self.close_button)
        self.create_button = QPushButton(self.tr("Make link"))
        self.create_button.setObjectName("link-create")
        self.create_button.setProperty("role", "primary")
        self.create_button.clicked.connect(self._create)
        buttons.addWidget(self.create_button)
        self.layout_.addLayout(buttons)
        ctx.bus.follow(self, self.on_event)
        if resume is not None:
            self.email.setEnabled(False)
            self.create_button.hide()
            self.show_payment(resume)

    def _create(self) -> None:
        self.run_once(self.ctx.counter.start_link, self.order_id, self.provider,
                      self.due, self.email.text().strip() or None, self.key, on_done=self._created)

    def _created(self, result: tuple[Any, str]) -> None:
        self.payment, self.url = result
        self.qr.setPixmap(qr_pixmap(self.url, scale=6))
        self.link.setText(self.url)
        self.link.show()
        self.copy_button.show()
        self.create_button.hide()
        self.email.setEnabled(False)
        self.show_status(self.payment.status)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.url)
        self.say(self.tr("Link copied."))

    def show_status(self, status: str) -> None:
        what, next_step, final = describe(status)
        if status == "awaiting_customer":
            what = self.tr("Link ready: the customer scans the code and pays by card or bank.")
            next_step = ""
        paid = status in ("succeeded", "verified")
        if paid and self.payment is not None:  # one big word; the code is of no use now
            what = self.tr("Paid %1").replace("%1", self.payment.amount.format())
        self.status_label.setText(what if not next_step else f"{what}\n{next_step}")
        self.status_label.setProperty("role", "total" if paid else "heading")
        self.status_label.style().polish(self.status_label)
        self.due_label.setVisible(not paid)  # nothing is due any more
        for part in (self.qr, self.link, self.copy_button):
            part.setVisible(not paid and bool(self.url))
        self.cancel_button.setVisible(status in ("awaiting_customer", "unknown"))
        self.close_button.setText(self.tr("Close") if paid or final else self.tr("Back"))
        if paid:
            self.close_button.setProperty("role", "primary")
            self.close_button.style().polish(self.close_button)

    def _cancel(self) -> None:
        self.call(self.ctx.counter.cancel_payment, self.payment_id,
                              "cashier cancelled the link", on_done=self.show_payment)

    def _close(self) -> None:
        if self.payment is not None and self.payment.status in ("succeeded", "verified"):
            self.accept()
        else:
            self.reject()

    def set_busy(self, busy: bool) -> None:
        self.create_button.setEnabled(not busy)
