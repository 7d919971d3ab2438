"""The receipt on screen, with print (system printer) and save-as-PDF at 58 or 80 mm."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pos_app.printing.layout import lay_out, sale_number
from pos_app.ui.context import AppContext
from pos_app.ui.errors import error_message
from pos_app.ui.receipts.render import (
    PAPER_WIDTHS_MM,
    ReceiptData,
    receipt_html,
    receipt_labels,
    save_pdf,
)
from pos_app.ui.supervisor.files import documents_folder

if TYPE_CHECKING:  # python-escpos takes 0.4 s to import: only a till with a printer pays it
    from pos_app.printing.receipt_printer import ReceiptPrinter


class ReceiptDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        order_id: str,
        parent: QWidget | None = None,
        reprint: bool = False,
        print_now: bool = False,
    ) -> None:
        super().__init__(parent)
        self.print_now = print_now  # the cashier chose "Print receipt" after the sale
        self.setObjectName("receipt-dialog")
        self.setWindowTitle(self.tr("Receipt"))
        self.resize(460, 640)
        self.ctx = ctx
        self.data: ReceiptData | None = None
        layout = QVBoxLayout(self)
        self.view = QTextBrowser()
        self.view.setObjectName("receipt-view")
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Paper")))
        self.width_box = QComboBox()
        self.width_box.setObjectName("receipt-width")
        for width in reversed(PAPER_WIDTHS_MM):
            self.width_box.addItem(f"{width} mm", width)
        self.width_box.currentIndexChanged.connect(self._render)
        row.addWidget(self.width_box)
        row.addStretch(1)
        self.print_button = QPushButton(self.tr("Print"))
        self.print_button.setObjectName("receipt-print")
        self.print_button.setProperty("role", "primary")
        self.print_button.clicked.connect(self._print)
        row.addWidget(self.print_button)
        self.pdf_button = QPushButton(self.tr("Save PDF"))
        self.pdf_button.setObjectName("receipt-pdf")
        self.pdf_button.clicked.connect(self._pdf)
        row.addWidget(self.pdf_button)
        close = QPushButton(self.tr("Close"))
        close.setObjectName("receipt-close")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one per sale: never pile up
        # the ESC/POS printer's queue state, read on a timer (its thread never touches widgets)
        self.printer: ReceiptPrinter | None = ctx.printer
        self.printer_watch = QTimer(self)
        self.printer_watch.setInterval(300)
        self.printer_watch.timeout.connect(self._show_printer)
        ctx.tasks.submit(ctx.counter.receipt, order_id, reprint,
                         on_done=self._show, on_error=self._failed, owner=self)

    def _show(self, data: ReceiptData) -> None:
        self.data = data
        self._render()
        for button in (self.print_button, self.pdf_button):
            button.setEnabled(True)
        if self.print_now:
            self._print()

    def _render(self) -> None:
        """The preview is the printout, line for line, at the chosen roll's width."""
        if self.data is not None:
            self.view.setHtml(receipt_html(self.data, self.width_mm))

    def _failed(self, error: BaseException) -> None:
        self.message.setText(error_message(error))

    @property
    def width_mm(self) -> int:
        return int(self.width_box.currentData())

    def save_pdf_to(self, path: Path) -> Path:
        assert self.data is not None
        return save_pdf(self.data, path, self.width_mm)

    def pdf_name(self) -> str:
        """The suggested file name: the number the customer holds, as printed."""
        assert self.data is not None
        return f"receipt-{sale_number(self.data.order_id, self.data.receipt_number)}.pdf"

    def _pdf(self) -> None:
        if self.data is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save receipt"),
            str(documents_folder() / self.pdf_name()),
            "PDF (*.pdf)",
        )
        if name:
            self.save_pdf_to(Path(name))
            self.message.setText(self.tr("Saved %1").replace("%1", name))

    def _print(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from pos_app.ui.receipts.render import print_receipt

        if self.data is None:
            return
        if self.printer is not None:  # the till's receipt printer: queued, never blocks
            self.printer.print_receipt(lay_out(self.data, receipt_labels(), self.printer.columns))
            self.printer_watch.start()
            self._show_printer()
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog: Any = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            print_receipt(self.data, printer, self.width_mm)
            self.message.setText(self.tr("Sent to the printer."))

    def _show_printer(self) -> None:
        from pos_app.printing.queue import PrinterState

        if self.printer is None:
            return
        status = self.printer.status
        if status.state is PrinterState.WAITING:
            self.message.setText(self.tr("Waiting for printer: %1").replace("%1", status.error))
        elif status.state is PrinterState.PRINTING or status.pending:
            self.message.setText(self.tr("Printing…"))
        else:
            self.message.setText(self.tr("Sent to the printer."))
            self.printer_watch.stop()
