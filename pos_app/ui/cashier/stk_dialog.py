"""M-Pesa: an STK prompt to the customer's phone with live status, or the paybill fallback.

The outcome arrives as a bus event (relay -> sync engine -> ledger -> bus -> this dialog).
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.identifiers import REGION_OF_CURRENCY
from pos_app.core.money import Money
from pos_app.services.gateway import PaybillPayment
from pos_app.ui.cashier.online_status import describe
from pos_app.ui.cashier.stk_outcomes import Offer, StkOutcome, stk_outcome
from pos_app.ui.cashier.tender_base import LiveTenderDialog
from pos_app.ui.context import AppContext
from pos_app.ui.widgets.keypad import Keypad

PROMPT_S = 60  # how long a phone shows the M-Pesa prompt: the progress bar's length
LATE_S = 25  # no callback by then: the till asks Safaricom (through the relay) itself
PAYBILL_PAGE = 2
RECEIVED_EVERY_MS = 3000  # the paybill screen asks what M-Pesa reported this often
WAITING = ("initiating", "pending", "awaiting_customer")


def mask_phone(msisdn: str) -> str:
    """254712345678 -> 0712 ••• 678: enough for the customer to recognise, not to copy."""
    local = "0" + msisdn[3:] if msisdn.startswith("254") else msisdn
    return f"{local[:4]} ••• {local[-3:]}"


def check_phone(text: str, region: str) -> str | None:
    """The number as M-Pesa wants it (2547...), or None when it is not a mobile of `region`."""
    from sync.providers.phones import InvalidPhone, normalise_msisdn

    try:
        return normalise_msisdn(text, region)
    except InvalidPhone:
        return None


class StkDialog(LiveTenderDialog):
    def __init__(
        self,
        ctx: AppContext,
        order_id: str,
        due: Money,
        parent: QWidget | None = None,
        resume: Any = None,
    ) -> None:
        super().__init__(ctx, order_id, due, self.tr("M-Pesa"), parent)
        self.setObjectName("stk-dialog")
        self.region = REGION_OF_CURRENCY.get(due.currency, "KE")
        self.pages = QStackedWidget()
        self.layout_.addWidget(self.pages)

        # page 0: the phone number
        phone_page = QWidget()
        phone_layout = QVBoxLayout(phone_page)
        phone_layout.addWidget(QLabel(self.tr("Customer's M-Pesa phone number")))
        self.phone = QLineEdit()
        self.phone.setObjectName("stk-phone")
        self.phone.setPlaceholderText("07XX XXX XXX")
        self.phone.setStyleSheet("font-size: 22px; min-height: 48px;")
        self.phone.textChanged.connect(self._validate_phone)
        self.phone.returnPressed.connect(self._send)
        phone_layout.addWidget(self.phone)
        self.phone_hint = QLabel()
        self.phone_hint.setObjectName("stk-phone-hint")
        self.phone_hint.setWordWrap(True)
        phone_layout.addWidget(self.phone_hint)
        self.keypad = Keypad(self.phone)
        phone_layout.addWidget(self.keypad)
        self.pages.addWidget(phone_page)

        # page 1: waiting / outcome
        wait_page = QWidget()
        wait_layout = QVBoxLayout(wait_page)
        self.status_label = QLabel()
        self.status_label.setObjectName("stk-status")
        self.status_label.setProperty("role", "heading")
        self.status_label.setWordWrap(True)
        wait_layout.addWidget(self.status_label)
        self.next_label = QLabel()
        self.next_label.setObjectName("stk-next")
        self.next_label.setWordWrap(True)
        wait_layout.addWidget(self.next_label)
        self.progress = QProgressBar()
        self.progress.setObjectName("stk-progress")
        self.progress.setRange(0, PROMPT_S)
        self.progress.setTextVisible(False)
        wait_layout.addWidget(self.progress)
        self.elapsed_label = QLabel()
        self.elapsed_label.setObjectName("stk-elapsed")
        wait_layout.addWidget(self.elapsed_label)
        wait_layout.addStretch(1)
        self.sent_at: float | None = None  # monotonic time the prompt left
        self.masked_phone = ""
        self._late_checked = False
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)
        self.pages.addWidget(wait_page)

        # page 2: paybill / till fallback
        paybill_page = QWidget()
        paybill_layout = QVBoxLayout(paybill_page)
        self.paybill_label = QLabel(self.tr("Loading the paybill details…"))
        self.paybill_label.setObjectName("paybill-details")
        self.paybill_label.setWordWrap(True)
        self.paybill_label.setStyleSheet("font-size: 18px;")
        paybill_layout.addWidget(self.paybill_label)
        self.received_label = QLabel()
        self.received_label.setObjectName("paybill-received")
        self.received_label.setWordWrap(True)
        paybill_layout.addWidget(self.received_label)
        self._asking = False
        self.received_poll = QTimer(self)
        self.received_poll.setInterval(RECEIVED_EVERY_MS)
        self.received_poll.timeout.connect(self._ask_received)
        paybill_layout.addWidget(QLabel(self.tr("M-Pesa receipt code, or paste the SMS:")))
        self.code = QPlainTextEdit()
        self.code.setObjectName("paybill-code")
        self.code.setFixedHeight(90)
        paybill_layout.addWidget(self.code)
        self.pages.addWidget(paybill_page)

        self.add_message_line()
        buttons = QHBoxLayout()
        self.paybill_button = self._button(
            self.tr("Use paybill / till"), "stk-paybill", self._show_paybill
        )
        self.cancel_button = self._button(self.tr("Cancel prompt"), "stk-cancel", self._cancel)
        self.check_button = self._button(self.tr("Check status"), "stk-check", self._check)
        self.retry_button = self._button(self.tr("Try again"), "stk-retry", self._retry)
        self.close_button = self._button(self.tr("Close"), "stk-close", self._close)
        self.send_button = self._button(self.tr("Send prompt"), "stk-send", self._send)
        self.send_button.setProperty("role", "primary")
        self.submit_code_button = self._button(
            self.tr("Record payment"), "paybill-submit", self._submit_code
        )
        self.submit_code_button.setProperty("role", "primary")
        buttons.addWidget(self.paybill_button)
        buttons.addStretch(1)
        for button in (
            self.cancel_button,
            self.check_button,
            self.retry_button,
            self.close_button,
            self.send_button,
            self.submit_code_button,
        ):
            buttons.addWidget(button)
        self.layout_.addLayout(buttons)
        ctx.bus.follow(self, self.on_event)

        if resume is not None:
            self.show_payment(resume)
        elif not ctx.is_online():
            self._show_paybill()
            self.say(self.tr("Offline: the prompt cannot be sent. Use the paybill."), error=True)
        else:
            self._show_phone()

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _only(self, *visible: QPushButton) -> None:
        for button in (
            self.paybill_button,
            self.cancel_button,
            self.check_button,
            self.retry_button,
            self.close_button,
            self.send_button,
            self.submit_code_button,
        ):
            button.setVisible(button in visible)

    # --- phone ------------------------------------------------------------------------------
    def _show_phone(self) -> None:
        self.pages.setCurrentIndex(0)
        self._only(self.paybill_button, self.close_button, self.send_button)
        self.close_button.setText(self.tr("Back"))
        self._validate_phone(self.phone.text())
        self.phone.setFocus()

    def _validate_phone(self, text: str) -> None:
        if not text.strip():
            self.phone_hint.setText(self.tr("Type the number, e.g. 0712 345 678."))
            self.phone_hint.setProperty("role", "")
            self.send_button.setEnabled(False)
        elif check_phone(text, self.region) is None:
            self.phone_hint.setText(self.tr("Not a mobile number of this country yet."))
            self.phone_hint.setProperty("role", "error")
            self.send_button.setEnabled(False)
        else:
            self.phone_hint.setText(self.tr("✓ Valid number"))
            self.phone_hint.setProperty("role", "ok")
            self.send_button.setEnabled(not self._running)
        self.phone_hint.style().polish(self.phone_hint)

    def _send(self) -> None:
        if check_phone(self.phone.text(), self.region) is None:
            return
        self.say("")
        self.masked_phone = mask_phone(check_phone(self.phone.text(), self.region) or "")
        self.sent_at = time.monotonic()
        self._late_checked = False
        self.show_status("initiating")
        self._pay(self.ctx.counter.start_stk, self.phone.text())

    def _pay(self, fn: Any, text: str) -> None:
        """The money call of either page: the prompt to `text` or the code / SMS in `text`."""
        self.run_once(fn, self.order_id, self.due, text, self.key, on_done=self.show_payment)

    def failed(self, error: BaseException) -> None:
        super().failed(error)
        if self.pages.currentIndex() == 1 and self.payment is None:
            # the prompt never left: offer the number again and the paybill
            self.pages.setCurrentIndex(0)
            self._only(self.paybill_button, self.close_button, self.retry_button)

    # --- live status ------------------------------------------------------------------------
    def show_status(self, status: str) -> None:
        self.pages.setCurrentIndex(1)
        what, next_step, final = describe(status)
        if status in ("succeeded", "verified") and self.payment is not None:
            receipt = self.payment.receipt_number
            if receipt:
                what = (
                    self.tr("Paid %1. M-Pesa receipt %2.")
                    .replace("%1", self.payment.amount.format())
                    .replace("%2", receipt)
                )
            else:  # the relay learnt it by asking Safaricom, whose answer has no code
                what = self.tr("Paid %1. M-Pesa receipt code to follow.").replace(
                    "%1", self.payment.amount.format()
                )
        outcome = self._declined_because() if final else None
        if outcome is not None:
            what, next_step = outcome.what, outcome.next_step
        if status in WAITING and self.sent_at is not None and self._late_checked:
            what = self.tr("Checking with Safaricom…")
            next_step = self.tr("The answer is late: the till asks Safaricom directly.")
        self.status_label.setText(what)
        self.status_label.setProperty("status", status)
        self.status_label.setProperty("result-code", outcome.code if outcome else "")
        self.next_label.setText(next_step)
        self.close_button.setText(self.tr("Close"))
        self._primary(None)
        self.due_label.setVisible(status not in ("succeeded", "verified"))  # nothing is due
        waiting = status in WAITING and self.sent_at is not None
        self.progress.setVisible(waiting)
        self.elapsed_label.setVisible(waiting)
        if waiting:
            self.ticker.start()
            self._tick()
        else:
            self.ticker.stop()
        if status in ("succeeded", "verified"):
            self._only(self.close_button)
            self._primary(self.close_button)
        elif outcome is not None:
            self._offer(outcome.offer)
        elif final:
            self._only(self.paybill_button, self.retry_button, self.close_button)
        elif status in ("initiating", "pending"):
            self._only()
        else:
            self._only(self.paybill_button, self.cancel_button, self.check_button)

    def _tick(self) -> None:
        """The waiting screen moves: seconds since the prompt left, to which phone; once the
        callback is late, the till asks Safaricom itself (once)."""
        if self.sent_at is None:
            return
        elapsed = int(time.monotonic() - self.sent_at)
        self.progress.setValue(min(elapsed, PROMPT_S))
        self.elapsed_label.setText(
            self.tr("%1 s since the prompt went to %2").replace("%1", str(elapsed))
            .replace("%2", self.masked_phone)
        )
        if elapsed >= LATE_S and not self._late_checked and self.payment_id is not None:
            self._late_checked = True
            self.call(self.ctx.counter.check_status, self.payment_id, on_done=lambda _: None)
            self.show_status(self.payment.status)

    def _declined_because(self) -> StkOutcome | None:
        if self.payment is None or self.payment.status in ("succeeded", "verified"):
            return None
        return stk_outcome(getattr(self.payment, "result_code", None))

    def _offer(self, offer: Offer) -> None:
        """The buttons after a declined prompt, the advised next action first."""
        if offer is Offer.PAYBILL:
            self._only(self.paybill_button, self.retry_button, self.close_button)
            self._primary(self.paybill_button)
        elif offer is Offer.OTHER_TENDER:
            self._only(self.retry_button, self.close_button)
            self.close_button.setText(self.tr("Choose another tender"))
            self._primary(self.close_button)
        elif offer is Offer.CHECK_FIRST:
            self._only(self.retry_button, self.close_button)
            self._primary(self.close_button)
        else:
            self._only(self.paybill_button, self.retry_button, self.close_button)
            self._primary(self.retry_button)

    def _primary(self, chosen: QPushButton | None) -> None:
        for button in (self.paybill_button, self.retry_button, self.close_button):
            button.setProperty("role", "primary" if button is chosen else "")
            button.style().polish(button)

    def _cancel(self) -> None:
        self.call(
            self.ctx.counter.cancel_payment,
            self.payment_id,
            "cashier cancelled the prompt",
            on_done=self.show_payment,
        )

    def _check(self) -> None:
        self.say(self.tr("Asking the provider…"))
        self.call(self.ctx.counter.check_status, self.payment_id, on_done=lambda _: None)

    def _retry(self) -> None:
        import uuid

        self.key = str(uuid.uuid4())
        self.payment = None
        self.say("")
        self._show_phone()

    def _close(self) -> None:
        if self.payment is not None and self.payment.status in (
            "succeeded",
            "verified",
            "awaiting_verification",
        ):
            self.accept()
        else:
            self.reject()

    # --- paybill fallback -------------------------------------------------------------------
    def _show_paybill(self) -> None:
        import uuid

        if self.payment is not None and self.payment.status in ("awaiting_customer", "unknown"):
            self.say(
                self.tr("Cancel the prompt first, so the customer cannot pay twice."), error=True
            )
            return
        self.key = str(uuid.uuid4())
        self.pages.setCurrentIndex(PAYBILL_PAGE)
        self._only(self.close_button, self.submit_code_button)
        self.close_button.setText(self.tr("Back"))
        self.call(
            self.ctx.counter.paybill_details, self.order_id, on_done=self._show_paybill_details
        )
        self._ask_received()
        self.received_poll.start()
        self.code.setFocus()

    def _show_paybill_details(self, details: Any) -> None:
        lines = []
        if details.paybill:
            lines.append(self.tr("Paybill number: <b>%1</b>").replace("%1", details.paybill))
            lines.append(
                self.tr("Account number: <b>%1</b>").replace("%1", details.account_reference)
            )
        if details.till:
            lines.append(self.tr("or Buy Goods till: <b>%1</b>").replace("%1", details.till))
        if not lines:
            lines.append(self.tr("No paybill or till number is set: ask the supervisor."))
        lines.append(self.tr("Amount: <b>%1</b>").replace("%1", self.due.format()))
        self.paybill_label.setText("<br/>".join(lines))

    def _ask_received(self) -> None:
        """While the customer pays from the SIM menu: what M-Pesa reported for this sale's
        account reference (one question at a time; an answer after closing is dropped)."""
        if self._asking or self.pages.currentIndex() != PAYBILL_PAGE:
            return
        self._asking = True

        def answered(found: list[PaybillPayment]) -> None:
            self._asking = False
            self.received_label.setText("<br/>".join(self._received_line(p) for p in found))

        def lost(_: BaseException) -> None:
            self._asking = False

        self.ctx.tasks.submit(
            self.ctx.counter.paybill_payments, self.order_id, on_done=answered, on_error=lost,
            owner=self,
        )

    def done(self, result: int) -> None:
        self.received_poll.stop()
        super().done(result)

    def _received_line(self, payment: PaybillPayment) -> str:
        # Daraja signs nothing: until M-Pesa confirms, the cashier must not hand over goods
        texts = {
            "confirming": self.tr(
                "M-Pesa reports %1 paid to this account: confirming with Safaricom before it "
                "counts. Do not hand over the goods yet."
            ),
            "confirmed": self.tr("%1 confirmed by M-Pesa."),
            "refused": self.tr(
                "A payment of %1 reported for this account was refused: M-Pesa has no such "
                "payment."
            ),
        }
        line = texts.get(payment.state, texts["confirming"]).replace("%1", payment.amount.format())
        return line + (self.tr(" (test money)") if payment.test_mode else "")

    def _submit_code(self) -> None:
        self._pay(self.ctx.counter.submit_mpesa_code, self.code.toPlainText())

    def set_busy(self, busy: bool) -> None:
        self.submit_code_button.setEnabled(not busy)
        if busy:
            self.send_button.setEnabled(False)
        else:
            self._validate_phone(self.phone.text())
