"""The approvals queue: proofs, unknown outcomes and flagged payments, riskiest first.

Picking a row shows expected against claimed, the risk reasons, reuse warnings, matching
relay confirmations and the receipt photo (decrypted into memory, never onto disk). A decision
needs notes (for a rejection) and the deciding supervisor's PIN.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.events import PaymentFlagged, PaymentProcessed, ProofDecided, ProofSubmitted
from pos_app.printing.layout import sale_number
from pos_app.services.approvals import ApprovalItem, ApprovalService, ItemKind
from pos_app.services.provider_events import Claim
from pos_app.ui.bus_bridge import BusBridge
from pos_app.ui.errors import error_message
from pos_app.ui.provider_names import provider_name
from pos_app.ui.supervisor.decision_page import DecisionPage
from pos_app.ui.supervisor.formatting import local_text, short_time
from pos_app.ui.tasks import TaskRunner
from pos_app.ui.widgets.page_parts import (
    button_row,
    heading_label,
    hint_label,
    message_label,
    show_message,
)
from pos_app.ui.widgets.staff_fields import pin_edit
from pos_app.ui.widgets.tables import ReadOnlyTable

IMAGE_MAX = 240
MPESA_PROOFS = frozenset({"mpesa_receipt", "sms_text"})  # an M-Pesa receipt code, typed or pasted


def reason_text(name: str, fallback: str) -> str:
    texts = {
        "amount_far_above_usual": QCoreApplication.translate(
            "Supervisor", "Far above this shop's usual sale."
        ),
        "many_attempts": QCoreApplication.translate(
            "Supervisor", "Many payment attempts in a few minutes."
        ),
        "proof_reference_reused": QCoreApplication.translate(
            "Supervisor", "This receipt / reference code was already used."
        ),
        "amount_mismatch": QCoreApplication.translate(
            "Supervisor", "The amount or currency paid differs from the amount asked."
        ),
        "new_customer": QCoreApplication.translate(
            "Supervisor", "First payment from this customer."
        ),
        "unverified_channel": QCoreApplication.translate(
            "Supervisor", "Manual proof: nobody but the cashier has seen this money."
        ),
        "late_payment": QCoreApplication.translate(
            "Supervisor", "Paid after the till had given up waiting."
        ),
    }
    return texts.get(name, fallback)


def kind_text(kind: ItemKind) -> str:
    return {
        ItemKind.PROOF: QCoreApplication.translate("Supervisor", "Proof"),
        ItemKind.UNKNOWN: QCoreApplication.translate("Supervisor", "Unclear outcome"),
        ItemKind.FLAGGED: QCoreApplication.translate("Supervisor", "High risk"),
    }[kind]


def method_text(method: str) -> str:
    return {
        "cash": QCoreApplication.translate("Supervisor", "Cash"),
        "cash_on_delivery": QCoreApplication.translate("Supervisor", "Cash on delivery"),
        "mpesa_stk": QCoreApplication.translate("Supervisor", "M-Pesa prompt"),
        "mpesa_paybill": QCoreApplication.translate("Supervisor", "M-Pesa paybill"),
        "paystack_link": QCoreApplication.translate("Supervisor", "Paystack link"),
        "flutterwave_link": QCoreApplication.translate("Supervisor", "Flutterwave link"),
        "stripe_checkout": QCoreApplication.translate("Supervisor", "Stripe Checkout"),
        "bank_transfer": QCoreApplication.translate("Supervisor", "Bank transfer"),
        "manual_mobile_money": QCoreApplication.translate("Supervisor", "Mobile money (manual)"),
        "cash_drawer": QCoreApplication.translate("Supervisor", "Cash from the drawer"),
        "mpesa_reversal": QCoreApplication.translate("Supervisor", "M-Pesa reversal"),
        "paystack_refund": QCoreApplication.translate("Supervisor", "Paystack refund"),
        "flutterwave_refund": QCoreApplication.translate("Supervisor", "Flutterwave refund"),
        "stripe_refund": QCoreApplication.translate("Supervisor", "Stripe refund"),
    }.get(method, method)


class ApprovalsPage(DecisionPage):
    count_changed = Signal(int)

    def __init__(
        self,
        service: ApprovalService,
        list_users: Callable[[], list[Any]],
        tasks: TaskRunner,
        current_user_id: Callable[[], str | None],
        timezone: str = "Africa/Nairobi",
        bus: BusBridge | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """With `bus`, new proofs and flags show at once; `count_changed` carries how many
        wait (the page's title shows it)."""
        super().__init__(list_users, tasks, current_user_id, timezone, parent)
        self.setObjectName("supervisor-approvals")
        self._service = service
        self.items: list[ApprovalItem] = []
        self.item: ApprovalItem | None = None
        self.image_shown = False

        layout = QVBoxLayout(self)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("approvals-refresh")
        heading = heading_label(self.tr("Waiting for a decision"))
        layout.addLayout(button_row([heading], [self.refresh_button]))

        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.table = ReadOnlyTable(
            [
                self.tr("Risk"),
                self.tr("Kind"),
                self.tr("Expected"),
                self.tr("Claimed"),
                self.tr("When"),
                self.tr("Method"),
            ],
            "approvals-table",
        )
        left_layout.addWidget(self.table, 1)
        self.empty_hint = hint_label(
            self.tr("Nothing is waiting: every proof and flagged payment has been decided."),
            "approvals-empty",
        )
        self.empty_hint.hide()
        left_layout.addWidget(self.empty_hint)
        splitter.addWidget(left)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        detail = QWidget()
        self.detail_layout = QVBoxLayout(detail)
        self.summary = QLabel()
        self.summary.setObjectName("approvals-summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.detail_layout.addWidget(self.summary)
        self.reuse_label = QLabel()
        self.reuse_label.setObjectName("approvals-reuse")
        self.reuse_label.setProperty("role", "error")
        self.reuse_label.setWordWrap(True)
        self.detail_layout.addWidget(self.reuse_label)
        self.claim_label = QLabel()  # one shop, one claim: whose M-Pesa payment this is
        self.claim_label.setObjectName("approvals-claim")
        self.claim_label.setWordWrap(True)
        self.detail_layout.addWidget(self.claim_label)

        self.check_button = QPushButton(self.tr("Ask the provider again"))
        self.check_button.setObjectName("approvals-check")
        self.detail_layout.addWidget(self.check_button)
        self.match_box = QGroupBox(self.tr("The relay saw this payment"))
        match_layout = QVBoxLayout(self.match_box)
        self.match_label = QLabel()
        self.match_label.setWordWrap(True)
        match_layout.addWidget(self.match_label)
        self.accept_match_button = QPushButton(self.tr("Accept: it matches"))
        self.accept_match_button.setObjectName("approvals-accept-match")
        self.accept_match_button.setProperty("role", "primary")
        match_layout.addWidget(self.accept_match_button)
        self.detail_layout.addWidget(self.match_box)

        decision = QGroupBox(self.tr("Decision"))
        form = QGridLayout(decision)  # who and PIN share a row: the buttons stay in reach
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("approvals-notes")
        self.notes.setPlaceholderText(self.tr("Notes (required to reject)"))
        self.notes.setFixedHeight(48)
        form.addWidget(QLabel(self.tr("Notes")), 0, 0)
        form.addWidget(self.notes, 0, 1, 1, 3)
        self.approver = QComboBox()
        self.approver.setObjectName("approvals-approver")
        form.addWidget(QLabel(self.tr("Decided by")), 1, 0)
        form.addWidget(self.approver, 1, 1)
        self.pin = pin_edit("approvals-pin")
        form.addWidget(QLabel(self.tr("PIN")), 1, 2)
        form.addWidget(self.pin, 1, 3)
        form.setColumnStretch(1, 2)
        form.setColumnStretch(3, 1)
        buttons = QHBoxLayout()
        self.approve_button = QPushButton(self.tr("Approve"))
        self.approve_button.setObjectName("approvals-approve")
        self.approve_button.setProperty("role", "primary")
        self.reject_button = QPushButton(self.tr("Reject"))
        self.reject_button.setObjectName("approvals-reject")
        self.reject_button.setProperty("role", "danger")
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        form.addLayout(buttons, 2, 0, 1, 4)
        self.detail_layout.addWidget(decision)
        self.message = message_label("approvals-message")
        self.detail_layout.addWidget(self.message)
        # the photo last: Approve / Reject stay within reach at 1366x768, above it
        self.image_label = QLabel()
        self.image_label.setObjectName("approvals-image")
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_label.setWordWrap(True)
        self.image_label.setMinimumHeight(120)
        self.image_label.setStyleSheet("border: 1px solid #c4c7cc; background: #fafafa;")
        self.detail_layout.addWidget(self.image_label)

        self.detail_layout.addStretch(1)
        scroll.setWidget(detail)
        splitter.addWidget(scroll)
        splitter.setSizes([780, 470])
        layout.addWidget(splitter, 1)

        self.refresh_button.clicked.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._selected)
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.reject_button.clicked.connect(lambda: self.decide(False))
        self.accept_match_button.clicked.connect(self.accept_match)
        self.check_button.clicked.connect(self.check_with_provider)
        self._show_item(None)
        self.load_deciders()
        if bus is not None:
            bus.refresh_on(
                self, (ProofSubmitted, ProofDecided, PaymentFlagged, PaymentProcessed), self.refresh
            )
        self.refresh()

    # --- loading ----------------------------------------------------------------------------
    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        self._tasks.submit(
            self._service.queue,
            on_done=self._show_queue,
            on_error=self._failed,
            owner=self,
        )

    def _show_queue(self, items: list[ApprovalItem]) -> None:
        self.refresh_button.setEnabled(True)
        keep = self.item.payment_id if self.item else None
        self.items = items
        self.count_changed.emit(len(items))
        self.table.show_rows(
            [
                [
                    i.risk_score,
                    kind_text(i.kind),
                    i.expected.format(),
                    i.claimed.format() if i.claimed else "—",
                    short_time(i.created_at, self._zone),
                    method_text(i.method),
                ]
                for i in items
            ],
            [i.payment_id for i in items],
        )
        for row, item in enumerate(items):
            cell = self.table.item(row, 3)
            if item.mismatch and cell is not None:  # paid differs from asked: look here
                cell.setForeground(QColor("#b02a37"))
                font = cell.font()
                font.setBold(True)
                cell.setFont(font)
        self.empty_hint.setVisible(not items)
        row = next((n for n, i in enumerate(items) if i.payment_id == keep), 0 if items else -1)
        if row >= 0:
            self.table.selectRow(row)
        else:
            self._show_item(None)

    def _selected(self) -> None:
        row = self.table.currentRow()
        self._show_item(self.items[row] if 0 <= row < len(self.items) else None)

    def _show_item(self, item: ApprovalItem | None) -> None:
        self.item = item
        self.image_shown = False
        for widget in (self.approve_button, self.reject_button, self.pin, self.notes):
            widget.setEnabled(item is not None)
        self.match_box.setVisible(bool(item and item.matches))
        self.check_button.setVisible(item is not None and item.kind is ItemKind.UNKNOWN)
        if item is None:
            self.summary.setText(self.tr("Pick a payment on the left to see its details."))
            self.reuse_label.clear()
            self.claim_label.clear()
            self.image_label.hide()
            return
        self._show_claim(item)
        claimed = item.claimed.format() if item.claimed else self.tr("not reported")
        colour = "#b02a37" if item.mismatch else "#1f1f1f"
        reasons = "".join(
            f"<li>{reason_text(r.name, r.explanation)} (+{r.points})</li>"
            for r in item.risk_reasons
        )
        lines = [
            f"<b>{kind_text(item.kind)}</b> — {method_text(item.method)}",
            self.tr("Sale: %1").replace(
                "%1", f"<b>{sale_number(item.order_id, item.receipt_number)}</b>"
            ),
            self.tr("Expected: %1").replace("%1", f"<b>{item.expected.format()}</b>"),
            self.tr("Claimed: %1").replace("%1", f"<b style='color:{colour}'>{claimed}</b>"),
        ]
        if item.reference:
            lines.append(self.tr("Reference: %1").replace("%1", f"<b>{item.reference}</b>"))
        if item.submitted_by_name:
            lines.append(self.tr("Submitted by: %1").replace("%1", item.submitted_by_name))
        if item.notes:
            lines.append(self.tr("Cashier's note: %1").replace("%1", item.notes))
        lines.append(self.tr("Risk score: %1 of 100").replace("%1", str(item.risk_score)))
        self.summary.setText("<br>".join(lines) + (f"<ul>{reasons}</ul>" if reasons else ""))
        if item.reuses:
            orders = ", ".join(
                f"{sale_number(r.order_id, r.receipt_number)} ({local_text(r.at, self._zone)})"
                for r in item.reuses
            )
            self.reuse_label.setText(
                self.tr("Warning: this code was already used on another sale: %1").replace(
                    "%1", orders
                )
            )
        else:
            self.reuse_label.clear()
        if item.matches:
            match = item.matches[0]
            amount = match.amount.format() if match.amount else "—"
            self.match_label.setText(
                self.tr("%1 confirmation %2 for %3, received %4.")
                .replace(
                    "%1",
                    provider_name(match.provider),
                )
                .replace("%2", match.receipt or "—")
                .replace("%3", amount)
                .replace("%4", local_text(match.received_at, self._zone))
            )
        if item.has_image and item.proof_id:
            self.image_label.show()
            self.image_label.setPixmap(QPixmap())
            self.image_label.setMinimumHeight(120)
            self.image_label.setText(self.tr("Opening the receipt photo…"))
            proof_id: str = item.proof_id

            def show(data: bytes) -> None:
                self._show_image(proof_id, data)

            self._tasks.submit(
                self._service.receipt_image,
                proof_id,
                on_done=show,
                on_error=self._image_failed,
                owner=self,
            )
        else:
            self.image_label.show()
            self.image_label.setPixmap(QPixmap())
            self.image_label.setMinimumHeight(40)
            self.image_label.setText(self.tr("No photo was attached."))

    def _show_claim(self, item: ApprovalItem) -> None:
        """Another till's M-Pesa payment is never money to accept here; a code M-Pesa has not
        confirmed to the relay is only the customer's claim."""
        text, role = "", ""
        if item.taken:
            text = self.tr(
                "Taken: M-Pesa payment %1 was given to another till of this shop. It is that "
                "till's money, not this sale's: reject this proof."
            ).replace("%1", item.taken[0].receipt or "—")
            role = "error"
            self.approve_button.setEnabled(False)
        elif item.proof_type in MPESA_PROOFS and not item.matches:
            text = self.tr(
                "Claimed, not yet confirmed: M-Pesa has not confirmed a payment with this code "
                "to the relay. It pays nothing by itself; approve only if you saw the money."
            )
        elif item.matches and item.matches[0].claim is Claim.OPEN:
            text = self.tr(
                "No till showed this payment's account reference: accepting asks the relay to "
                "give it to this till (needs the relay online)."
            )
        self.claim_label.setText(text)
        self.claim_label.setProperty("role", role)
        self.claim_label.style().polish(self.claim_label)

    def _show_image(self, proof_id: str, data: bytes) -> None:
        if self.item is None or self.item.proof_id != proof_id:
            return
        image = QImage.fromData(data)
        if image.isNull():
            self.image_label.setText(
                self.tr(
                    "The receipt photo is damaged and cannot be shown. Ask the customer "
                    "for the SMS or a new photo."
                )
            )
            self._tasks.submit(
                self._service.report_unreadable_image,
                proof_id,
                self._current_user_id(),
                on_error=self._failed,
                owner=self,
            )
            return
        pixmap = QPixmap.fromImage(image).scaled(
            IMAGE_MAX,
            IMAGE_MAX,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.image_label.setPixmap(pixmap)
        self.image_label.setMinimumHeight(pixmap.height() + 8)
        self.image_shown = True

    def _image_failed(self, error: BaseException) -> None:
        self.image_label.setText(
            self.tr("The receipt photo cannot be opened: %1").replace("%1", error_message(error))
        )

    # --- deciding ---------------------------------------------------------------------------
    def decide(self, approve: bool) -> None:
        item = self.item
        if item is None:
            return
        self._submit(
            self._service.decide,
            item,
            self.approver.currentData(),
            self.pin.text(),
            approve,
            self.notes.toPlainText(),
            done=self.tr("Approved.") if approve else self.tr("Rejected."),
        )

    def accept_match(self) -> None:
        item = self.item
        if item is None or not item.matches:
            return
        self._submit(
            self._service.accept_match,
            item,
            item.matches[0].event_id,
            self.approver.currentData(),
            self.pin.text(),
            done=self.tr("Approved: matched to the relay's confirmation."),
        )

    def check_with_provider(self) -> None:
        item = self.item
        if item is None:
            return
        self.check_button.setEnabled(False)

        def asked(_: Any) -> None:
            self.check_button.setEnabled(True)
            show_message(
                self.message,
                self.tr("Asked: the answer updates this queue when it arrives."),
                ok=True,
            )

        def failed(error: BaseException) -> None:
            self.check_button.setEnabled(True)
            self._failed(error)

        self._tasks.submit(
            self._service.check_with_provider,
            item.payment_id,
            on_done=asked,
            on_error=failed,
            owner=self,
        )

    def _submit(self, fn: Callable[..., Any], *args: Any, done: str) -> None:
        if not self.pin.text():
            show_message(self.message, self.tr("Type the PIN of the person deciding."), ok=False)
            return
        self._busy(True)
        show_message(self.message, self.tr("Checking…"), ok=True)

        def finished(_: Any) -> None:
            self._busy(False)
            self.pin.clear()
            self.notes.clear()
            show_message(self.message, done, ok=True)
            self.refresh()

        self._tasks.submit(
            fn,
            *args,
            on_done=finished,
            on_error=self._failed,
            owner=self,
        )

    def _busy(self, busy: bool) -> None:
        for widget in (self.approve_button, self.reject_button, self.accept_match_button):
            widget.setEnabled(not busy)
        if self.item is not None and self.item.taken:
            self.approve_button.setEnabled(False)  # another till's money: never accept it

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        self.refresh_button.setEnabled(True)
        self.pin.clear()
        show_message(self.message, error_message(error), ok=False)
