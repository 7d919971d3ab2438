"""Bank transfer or mobile money with a proof: reference, optional photo of the slip, notes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from pos_app.core.money import Money
from pos_app.core.payments import PaymentMethod
from pos_app.ui.cashier.tender_base import TenderDialog
from pos_app.ui.context import AppContext
from pos_app.ui.supervisor.files import pictures_folder
from pos_app.ui.widgets.page_parts import dialog_buttons

MAX_IMAGE_BYTES = 5 * 1024 * 1024


class ProofDialog(TenderDialog):
    def __init__(
        self, ctx: AppContext, order_id: str, due: Money, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, order_id, due, self.tr("Bank transfer / proof of payment"), parent)
        self.setObjectName("proof-dialog")
        self.image: bytes | None = None
        form = QFormLayout()
        self.method = QComboBox()
        self.method.setObjectName("proof-method")
        self.method.addItem(self.tr("Bank transfer"), PaymentMethod.BANK_TRANSFER)
        self.method.addItem(self.tr("Mobile money (other)"), PaymentMethod.MANUAL_MOBILE_MONEY)
        form.addRow(self.tr("Paid by"), self.method)
        self.reference = QLineEdit()
        self.reference.setObjectName("proof-reference")
        self.reference.setMaxLength(64)
        form.addRow(self.tr("Transfer reference"), self.reference)
        image_row = QHBoxLayout()
        self.image_label = QLabel(self.tr("no photo"))
        self.image_label.setObjectName("proof-image-name")
        image_row.addWidget(self.image_label, 1)
        choose = QPushButton(self.tr("Choose photo…"))
        choose.setObjectName("proof-choose-image")
        choose.clicked.connect(self._choose_image)
        image_row.addWidget(choose)
        form.addRow(self.tr("Photo of the slip"), image_row)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("proof-notes")
        self.notes.setFixedHeight(70)
        form.addRow(self.tr("Notes"), self.notes)
        self.layout_.addLayout(form)
        self.policy_label = QLabel()
        self.policy_label.setObjectName("proof-policy")
        self.policy_label.setWordWrap(True)
        self.layout_.addWidget(self.policy_label)
        self.add_message_line()
        buttons, _, self.submit = dialog_buttons(
            self, self.tr("Back"), self.tr("Record proof"), "proof-submit", self._submit
        )
        self.layout_.addLayout(buttons)
        self.call(ctx.counter.proof_policy, on_done=self._show_policy)
        self.reference.setFocus()

    def _show_policy(self, policy: str) -> None:
        if policy == "supervisor_approves":
            self.policy_label.setText(self.tr(
                "This shop checks every proof first: the sale waits until a supervisor "
                "verifies it."))
        else:
            self.policy_label.setText(self.tr(
                "The sale completes now as “pending verification”; a supervisor checks the "
                "proof later."))

    def attach_image(self, path: Path) -> None:
        data = path.read_bytes()
        if len(data) > MAX_IMAGE_BYTES:
            self.say(self.tr("That photo is larger than 5 MB: take a smaller one."), error=True)
            return
        self.image = data
        self.image_label.setText(path.name)

    def _choose_image(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Photo of the slip"), str(pictures_folder()),
            self.tr("Images (*.png *.jpg *.jpeg)"),
        )
        if name:
            self.attach_image(Path(name))

    def _submit(self) -> None:
        reference = self.reference.text().strip()
        if not reference:
            self.say(self.tr("Type the transfer reference from the slip or SMS."), error=True)
            return
        self.run_once(
            self.ctx.counter.submit_proof, self.order_id, self.due, self.method.currentData(),
            reference, self.image, self.notes.toPlainText().strip(), self.key,
            on_done=self._recorded,
        )

    def _recorded(self, payment: Any) -> None:
        self.payment = payment
        self.accept()

    def set_busy(self, busy: bool) -> None:
        self.submit.setEnabled(not busy)
