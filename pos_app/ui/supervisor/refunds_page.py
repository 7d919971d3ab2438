"""Refunds and voids: find the sale (receipt number or amount), pick the payment beneath it,
type how much of each line comes back (or, for what cannot go back by line, the amount to give
back), say why, type the supervisor's PIN.

Cash goes back from the drawer, an M-Pesa reversal is recorded with its code, a Paystack,
Flutterwave or Stripe payment is refunded through the relay; a sale of the open shift can be
voided whole. Each refund leaves a slip (PDF, the receipt's layout marked REFUND) in the
user's Documents.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.errors import DukaError
from pos_app.core.events import PaymentProcessed, RefundRecorded
from pos_app.core.money import Money
from pos_app.core.quantities import Quantity, Unit, line_gross
from pos_app.core.refunds import CreditNote, SoldLine
from pos_app.printing.layout import readable_number, sale_number
from pos_app.services.receipts import ReceiptLine
from pos_app.services.refund_requests import DONE, FAILED, PENDING, RefundPending
from pos_app.services.refunds import (
    RefundableLines,
    RefundablePayment,
    RefundableSale,
    RefundMethod,
    RefundRow,
    RefundService,
)
from pos_app.ui.bus_bridge import BusBridge
from pos_app.ui.errors import error_message
from pos_app.ui.provider_names import provider_name
from pos_app.ui.supervisor.approvals_page import method_text
from pos_app.ui.supervisor.decision_page import DecisionPage
from pos_app.ui.supervisor.files import documents_folder
from pos_app.ui.supervisor.formatting import local_text
from pos_app.ui.supervisor.refund_slip import RefundSlip, save_refund_slip
from pos_app.ui.tasks import TaskRunner
from pos_app.ui.widgets.money_edit import MoneyEdit
from pos_app.ui.widgets.page_parts import (
    button_row,
    heading_label,
    hint_label,
    message_label,
    show_message,
)
from pos_app.ui.widgets.staff_fields import pin_edit
from pos_app.ui.widgets.tables import ReadOnlyTable


class RefundsPage(DecisionPage):
    def __init__(
        self,
        service: RefundService,
        list_users: Callable[[], list[Any]],
        tasks: TaskRunner,
        current_user_id: Callable[[], str | None],
        currency: str = "KES",
        timezone: str = "Africa/Nairobi",
        bus: BusBridge | None = None,
        parent: QWidget | None = None,
        slips_dir: Path | None = None,
    ) -> None:
        super().__init__(list_users, tasks, current_user_id, timezone, parent)
        self.setObjectName("supervisor-refunds")
        self._service = service
        self._slips_dir = slips_dir or documents_folder() / "Duka POS refund slips"
        self.sales: list[RefundableSale] = []
        # what each shown row stands for: a sale (payment None) or one payment beneath it
        self.rows: list[tuple[RefundableSale, RefundablePayment | None]] = []
        self.slip_path: Path | None = None
        # one id per (payment, amount) until it succeeds: a retry is the same request
        self._request_ids: dict[tuple[str, int], str] = {}
        self.selected: RefundablePayment | None = None
        # the selected sale's lines, and one quantity box per line (what comes back of it)
        self.lines: RefundableLines | None = None
        self.returns: list[QLineEdit] = []
        self.credit: CreditNote | None = None  # what the typed quantities give back
        self._bad_quantity = False  # the message says what is wrong with a typed quantity

        layout = QVBoxLayout(self)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        heading = heading_label(self.tr("Refunds and voids"))
        self.search = QLineEdit()
        self.search.setObjectName("refunds-search")
        self.search.setPlaceholderText(self.tr("Find: receipt number, amount or phone"))
        self.search.setClearButtonEnabled(True)
        hint = self.search.fontMetrics().horizontalAdvance(self.search.placeholderText())
        self.search.setMinimumWidth(hint + 48)  # the whole hint, and the clear button
        self.search.textChanged.connect(self._search)
        # the sales of the customer whose whole phone number is typed (blind index look-up)
        self._phone: tuple[str, set[str]] | None = None
        layout.addLayout(button_row([heading, self.search], [self.refresh_button]))

        self.table = ReadOnlyTable(
            [
                self.tr("Receipt"),
                self.tr("When"),
                self.tr("Items"),
                self.tr("Total"),
                self.tr("Paid by"),
            ],
            "refunds-sales",
            stretch_column=2,
        )
        self.table.setMinimumHeight(96)  # with the form, its lines and recent refunds: 768 px
        layout.addWidget(self.table, 1)
        self.empty_hint = hint_label(self.tr("No paid sales yet."), "refunds-empty")
        self.empty_hint.hide()
        layout.addWidget(self.empty_hint)

        box = QGroupBox(self.tr("Give money back"))
        grid = QGridLayout(box)  # two fields a row: the sales list keeps its room
        self.how_label = QLabel()
        self.how_label.setObjectName("refunds-how")
        self.how_label.setWordWrap(True)
        grid.addWidget(QLabel(self.tr("How")), 0, 0)
        grid.addWidget(self.how_label, 0, 1, 1, 3)
        self.lines_table = ReadOnlyTable(
            [
                self.tr("Item"),
                self.tr("Sold"),
                self.tr("Back already"),
                self.tr("Return"),
                self.tr("Comes back"),
            ],
            "refunds-lines",
            stretch_column=0,
            pick_rows=False,
        )
        self.lines_table.setMinimumHeight(72)
        self.lines_table.setMaximumHeight(104)  # three lines shown; more scroll in the grid
        grid.addWidget(self.lines_table, 1, 0, 1, 4)
        self.amount = MoneyEdit(currency)
        self.amount.setObjectName("refunds-amount")
        grid.addWidget(QLabel(self.tr("Amount")), 2, 0)
        grid.addWidget(self.amount, 2, 1)
        self.reversal = QLineEdit()
        self.reversal.setObjectName("refunds-reversal")
        self.reversal.setPlaceholderText(self.tr("e.g. SGR4T7YU2P"))
        self.reversal_label = QLabel(self.tr("M-Pesa reversal code"))
        grid.addWidget(self.reversal_label, 2, 2)
        grid.addWidget(self.reversal, 2, 3)
        self.reason = QLineEdit()
        self.reason.setObjectName("refunds-reason")
        self.reason.setPlaceholderText(self.tr("Why is the money given back?"))
        grid.addWidget(QLabel(self.tr("Reason")), 3, 0)
        grid.addWidget(self.reason, 3, 1, 1, 3)
        self.approver = QComboBox()
        self.approver.setObjectName("refunds-approver")
        grid.addWidget(QLabel(self.tr("Supervisor")), 4, 0)
        grid.addWidget(self.approver, 4, 1)
        self.pin = pin_edit("refunds-pin")
        grid.addWidget(QLabel(self.tr("PIN")), 4, 2)
        grid.addWidget(self.pin, 4, 3)
        buttons = QHBoxLayout()
        self.refund_button = QPushButton(self.tr("Refund"))
        self.refund_button.setObjectName("refunds-refund")
        self.refund_button.setProperty("role", "primary")
        self.void_button = QPushButton(self.tr("Void the whole sale"))
        self.void_button.setObjectName("refunds-void")
        self.void_button.setProperty("role", "danger")
        buttons.addWidget(self.refund_button)
        buttons.addWidget(self.void_button)
        self.message = message_label("refunds-message")
        buttons.addWidget(self.message, 1)
        grid.addLayout(buttons, 5, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout.addWidget(box)

        layout.addWidget(heading_label(self.tr("Recent refunds")))
        self.refund_table = ReadOnlyTable(
            [
                self.tr("When"),
                self.tr("Amount"),
                self.tr("How"),
                self.tr("Status"),
                self.tr("Reason"),
            ],
            "refunds-recent",
            empty_hint=self.tr("No refunds given."),
        )
        self.refund_table.setMaximumHeight(112)  # the page fits a 1280x800 window unscrolled
        layout.addWidget(self.refund_table)

        self.refresh_button.clicked.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._selected)
        self.refund_button.clicked.connect(self.refund)
        self.void_button.clicked.connect(self.void)
        self._show_selected(None)
        self.load_deciders()
        if bus is not None:
            bus.refresh_on(self, (PaymentProcessed, RefundRecorded), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        self._tasks.submit(
            lambda: (self._service.recent_sales(), self._service.refunds(limit=50)),
            on_done=self._show,
            on_error=self._failed,
            owner=self,
        )

    def _show(self, loaded: tuple[list[RefundableSale], list[RefundRow]]) -> None:
        self.refresh_button.setEnabled(True)
        self.sales, refunds = loaded
        self._show_sales()
        self.refund_table.show_rows(
            [
                [
                    local_text(r.at, self._zone),
                    r.amount.format(),
                    method_text(r.method),
                    self._status_text(r.status, r.method),
                    r.reason,
                ]
                for r in refunds
            ],
            [r.id for r in refunds],
        )

    def _search(self, text: str) -> None:
        digits = text.replace(" ", "")
        if digits[:1] in ("0", "+") and len(digits) >= 10 and digits[1:].isdigit():
            self._tasks.submit(
                self._service.orders_for_phone,
                digits,
                on_done=lambda found: self._phone_found(digits, found),
                on_error=self._failed,
                owner=self,
            )
        self._show_sales()

    def _phone_found(self, phone: str, orders: set[str]) -> None:
        self._phone = (phone, orders)
        self._show_sales()

    def _matches(self, sale: RefundableSale, words: str) -> bool:
        wanted = words.replace("-", "").replace(",", "").strip().upper()
        if not wanted:
            return True
        if self._phone is not None and self._phone[0] == wanted.replace(" ", ""):
            return sale.order_id in self._phone[1]
        amounts = [sale.total] + [p.payment.amount for p in sale.payments]
        numbers = (sale_number(sale.order_id, sale.receipt_number), readable_number(sale.order_id))
        return any(wanted.replace(" ", "") in n.replace("-", "") for n in numbers) or any(
            wanted in m.format(with_code=False).replace(",", "") for m in amounts
        )

    def _show_sales(self) -> None:
        keep = self.selected.payment.id if self.selected else None
        words = self.search.text()
        self.rows = []
        cells: list[list[str]] = []
        for sale in (s for s in self.sales if self._matches(s, words)):
            self.rows.append((sale, None))
            cells.append([
                sale_number(sale.order_id, sale.receipt_number),
                local_text(sale.at, self._zone),
                ", ".join(sale.items),
                sale.total.format(),
                " + ".join(method_text(p.payment.method) for p in sale.payments),
            ])
            for target in sale.payments:
                self.rows.append((sale, target))
                cells.append([
                    "",
                    "",
                    "   └ " + self.tr("%1 paid %2, can still refund %3").replace(
                        "%1", method_text(target.payment.method)).replace(
                        "%2", target.payment.amount.format()).replace(
                        "%3", target.remaining.format()),
                    "",
                    self.tr("shift open") if target.shift_open else self.tr("shift closed"),
                ])
        self.table.show_rows(cells)
        self.empty_hint.setVisible(not self.sales)
        row = self.row_of(keep) if keep else None
        if row is not None:
            self.table.selectRow(row)
        else:
            self._show_selected(None)

    def row_of(self, payment_id: str) -> int | None:
        """The table row of one payment (beneath its sale), None when it is not shown."""
        return next(
            (n for n, (_s, p) in enumerate(self.rows) if p and p.payment.id == payment_id), None
        )

    def _status_text(self, status: str, method: str) -> str:
        """A refund through the relay waits for its provider's answer (paystack_refund: for
        Paystack's); every other kind is done at once."""
        provider = provider_name(method.removesuffix("_refund"))
        return {
            PENDING: self.tr("Waiting for %1").replace("%1", provider),
            DONE: self.tr("Done"),
            FAILED: self.tr("Failed"),
        }.get(status, status)

    def _selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            self._show_selected(None)
            return
        sale, target = self.rows[row]
        if target is None and len(sale.payments) == 1:
            target = sale.payments[0]  # a sale paid one way: its payment is the one
        if target is None:
            self._show_selected(None)
            self.how_label.setText(self.tr("Paid in parts: pick the payment to refund below."))
            return
        self._show_selected(target)

    def _show_selected(self, target: RefundablePayment | None) -> None:
        shown = self.lines.order_id if self.lines else None
        if target is None or target.payment.order_id != shown:
            self._show_lines(None)
        if target is not None:  # again after a refund: what came back of each line changed
            self._tasks.submit(
                self._service.sale_lines,
                target.payment.order_id,
                on_done=self._lines_loaded,
                on_error=self._failed,
                owner=self,
            )
        self.selected = target
        self.refund_button.setEnabled(target is not None)
        self.void_button.setEnabled(target is not None and target.shift_open)
        is_mpesa = target is not None and target.refund_method is RefundMethod.MPESA_REVERSAL
        self.reversal.setVisible(is_mpesa)
        self.reversal_label.setVisible(is_mpesa)
        if target is None:
            self.how_label.setText(self.tr("Pick a paid sale above."))
            return
        self.how_label.setText(
            {
                RefundMethod.CASH_DRAWER: self.tr("Hand the cash back from the drawer."),
                RefundMethod.MPESA_REVERSAL: self.tr(
                    "Reverse it on the M-Pesa business phone first, then type the code here."
                ),
                RefundMethod.PAYSTACK: self.tr("Paystack refunds the card through the relay."),
                RefundMethod.FLUTTERWAVE: self.tr(
                    "Flutterwave refunds the card or mobile money through the relay."
                ),
                RefundMethod.STRIPE: self.tr("Stripe refunds the card through the relay."),
                RefundMethod.BANK_TRANSFER: self.tr(
                    "Send the transfer back from the bank, then record it here."
                ),
            }[target.refund_method]
        )
        # nothing prefilled: the supervisor types what goes back (never the whole by default)
        self.amount.clear()
        self.amount.setEnabled(True)
        self.amount.setPlaceholderText(
            self.tr("up to %1").replace("%1", target.remaining.format(with_code=False)))

    def _lines_loaded(self, lines: RefundableLines) -> None:
        if self.selected is not None and self.selected.payment.order_id == lines.order_id:
            self._show_lines(lines)

    def _show_lines(self, lines: RefundableLines | None) -> None:
        """One row a line of the sale, with a box for the quantity that comes back; the
        same sale again (reloaded after a refusal) keeps what was typed."""
        same = lines is not None and self.lines is not None and (
            self.lines.order_id == lines.order_id)
        typed = [box.text() for box in self.returns] if same else []
        self.lines = lines
        self.credit = None
        sold = list(zip(lines.names, lines.sold, strict=True)) if lines else []
        self.lines_table.show_rows([
            [name, line.quantity.format(), _quantity_text(line.refunded_thousandths, line),
             "", ""]
            for name, line in sold
        ])
        self.returns = []
        for row, (_name, line) in enumerate(sold):
            box = QLineEdit()
            box.setObjectName(f"refunds-return-{row}")
            left = _quantity_text(line.remaining_thousandths, line)
            box.setPlaceholderText(self.tr("up to %1").replace("%1", left))
            box.setEnabled(line.remaining_thousandths > 0)
            box.textChanged.connect(self._price_returns)
            self.lines_table.setCellWidget(row, 3, box)
            self.returns.append(box)
        for box, text in zip(self.returns, typed, strict=False):
            box.setText(text)  # prices the return again
        self.lines_table.resizeColumnsToContents()
        if not any(typed):
            self._price_returns()

    def picked_returns(self) -> dict[int, Quantity]:
        """line -> quantity typed to come back; raises InvalidQuantity for what is not one."""
        if self.lines is None:
            return {}
        return {
            row: Quantity.parse(box.text(), self.lines.sold[row].quantity.unit)
            for row, box in enumerate(self.returns)
            if box.text().strip()
        }

    def _price_returns(self) -> None:
        """What the typed quantities give back, line by line, as the refund will record it.
        Once a quantity is typed the refund is by line: the amount is theirs, not typed."""
        was_priced = self.credit is not None
        self.credit = None
        for row in range(len(self.returns)):
            self.lines_table.setItem(row, 4, QTableWidgetItem(""))
        try:
            returns = self.picked_returns()
            if returns and self.lines is not None:
                self.credit = self.lines.credit(returns)
            if self._bad_quantity:  # put right: the message about it goes
                show_message(self.message, "", ok=True)
            self._bad_quantity = False
        except DukaError as error:
            show_message(self.message, error_message(error), ok=False)
            self._bad_quantity = True
        typed = any(box.text().strip() for box in self.returns)
        self.amount.setEnabled(not typed)
        self.void_button.setText(
            self.tr("Void these lines") if typed else self.tr("Void the whole sale"))
        if self.credit is not None:
            for credit in self.credit.lines:
                self.lines_table.setItem(
                    credit.index, 4, QTableWidgetItem(credit.amount.format()))
            self.amount.set_money(self.credit.total)
        elif typed or was_priced:
            self.amount.clear()

    def refund(self) -> None:
        target = self.selected
        amount = self.amount.money()
        if target is None:
            return
        if self.credit is not None:
            self._refund_lines(target, self.credit)
            return
        if self._unpriced_quantity():
            return
        if amount is None:
            show_message(self.message, self.tr("Type the amount to give back."), ok=False)
            return
        key = (target.payment.id, amount.minor)
        request_id = self._request_ids.setdefault(key, str(uuid.uuid4()))
        reason = self.reason.text()
        self._submit(
            self._service.refund,
            target.payment.id,
            amount,
            reason,
            supervisor_id=self.approver.currentData(),
            pin=self.pin.text(),
            reversal_code=self.reversal.text() or None,
            request_id=request_id,
            done=self.tr("Refund recorded: %1.").replace("%1", amount.format()),
            slip=self._slip(target, amount, reason),
            succeeded=lambda: self._request_ids.pop(key, None),
        )

    def _unpriced_quantity(self) -> bool:
        """A quantity is typed that gives nothing back: say what is wrong with it (neither
        the amount typed before nor the whole sale is meant then)."""
        if self.amount.isEnabled():
            return False
        self._price_returns()
        return True

    def _refund_lines(self, target: RefundablePayment, credit: CreditNote) -> None:
        returns = self.picked_returns()
        reason = self.reason.text()
        self._submit(
            self._service.refund_lines,
            target.payment.id,
            returns,
            reason,
            supervisor_id=self.approver.currentData(),
            pin=self.pin.text(),
            reversal_code=self.reversal.text() or None,
            done=self.tr("Refund recorded: %1.").replace("%1", credit.total.format()),
            slip=self._slip(target, credit.total, reason, credit),
        )

    def _slip_lines(self, credit: CreditNote) -> tuple[ReceiptLine, ...]:
        """What came back, as the sale's receipt printed it: the quantity at the line's price,
        less the part of its discounts the buyer does not get back."""
        lines = self.lines
        if lines is None:  # a credit is only priced for loaded lines
            return ()
        printed = []
        for c in credit.lines:
            price = lines.prices[c.index]
            gross = line_gross(price, c.quantity)
            kept = gross - c.amount
            printed.append(ReceiptLine(
                lines.names[c.index], _slip_quantity(c.quantity), price, gross,
                c.tax.tax_class.code, kept if kept.is_positive else None))
        return tuple(printed)

    def void(self) -> None:
        target = self.selected
        if target is None:
            return
        if self.credit is None and self._unpriced_quantity():
            return
        if self.credit is not None:
            self._submit(
                self._service.void_lines,
                target.payment.id,
                self.picked_returns(),
                self.reason.text(),
                supervisor_id=self.approver.currentData(),
                pin=self.pin.text(),
                done=self.tr("The lines were voided: %1 given back.").replace(
                    "%1", self.credit.total.format()),
            )
            return
        self._submit(
            self._service.void_sale,
            target.payment.order_id,
            self.reason.text(),
            supervisor_id=self.approver.currentData(),
            pin=self.pin.text(),
            done=self.tr("The sale was voided."),
        )

    def _submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: str,
        slip: RefundSlip | None = None,
        succeeded: Callable[[], object] | None = None,
        **kwargs: Any,
    ) -> None:
        """Runs `fn` on a worker; once it succeeds, says `done` and has `slip` saved (on a
        worker too)."""
        if not self.pin.text():
            show_message(self.message, self.tr("Type the supervisor's PIN."), ok=False)
            return
        self.refund_button.setEnabled(False)
        self.void_button.setEnabled(False)
        show_message(self.message, self.tr("Checking…"), ok=True)

        def finished(_: Any) -> None:
            if succeeded is not None:
                succeeded()
            self.pin.clear()
            self.reason.clear()
            self.reversal.clear()
            for box in self.returns:
                box.clear()
            show_message(self.message, done, ok=True)
            if slip is not None:
                self._save_slip(slip, done)
            self.refresh()

        self._tasks.submit(
            fn,
            *args,
            on_done=finished,
            on_error=self._failed,
            **kwargs,
            owner=self,
        )

    def _slip(
        self, target: RefundablePayment, amount: Money, reason: str,
        credit: CreditNote | None = None,
    ) -> RefundSlip:
        """What the slip will say, taken from the page now (its words translated here); a
        refund by line lists the lines that came back, with the reason under the heading."""
        order_id = target.payment.order_id
        return RefundSlip(
            order_id=order_id,
            receipt_number=next(  # the sale's number, as on the customer's receipt
                (s.receipt_number for s in self.sales if s.order_id == order_id), ""),
            method=target.payment.method,
            amount=amount,
            reason_line=self.tr("Refund: %1").replace("%1", reason.strip()),
            header=self.tr("*** REFUND ***"),
            returned=self._slip_lines(credit) if credit else (),
            credit=credit,
        )

    def _save_slip(self, slip: RefundSlip, done: str) -> None:
        """Built and written on a worker, like a receipt: the GUI thread waits on no file."""
        self._tasks.submit(
            save_refund_slip, slip, self._service.shop, self._slips_dir,
            on_done=lambda path: self._slip_saved(path, done),
            # the refund stands; only its paper is missing (a full disk, a folder not writable)
            on_error=lambda _error: show_message(
                self.message,
                f"{done} " + self.tr(
                    "The refund slip could not be saved in %1: check that the folder can be "
                    "written to."
                ).replace("%1", str(self._slips_dir)),
                ok=False,
            ),
            owner=self,
        )

    def _slip_saved(self, path: Path, done: str) -> None:
        self.slip_path = path
        show_message(
            self.message,
            f"{done} " + self.tr("Refund slip saved: %1").replace("%1", str(path)),
            ok=True,
        )

    def _failed(self, error: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.pin.clear()
        self._show_selected(self.selected)
        show_message(self.message, error_message(error), ok=False)
        if isinstance(error, RefundPending):
            self.refresh()  # it is recorded: the recent refunds show it waiting


def _quantity_text(thousandths: int, line: SoldLine) -> str:
    """A quantity of the line's unit ("1", "0.5 kg"), "0" for none."""
    return Quantity(thousandths, line.quantity.unit).format() if thousandths else "0"


def _slip_quantity(quantity: Quantity) -> int | Quantity:
    """Pieces print as a count on the slip, like the receipt; weighed goods with their unit."""
    return quantity.thousandths // 1000 if quantity.unit is Unit.EACH else quantity
