"""A receipt on screen and through QPrinter (paper or PDF), from the shared column layout.

Thermal rolls are 58 mm or 80 mm wide and as long as needed: the receipt is one page exactly
as tall as its text, so nothing is cut, split over pages or wasted. The text is the same
fixed-column layout the ESC/POS printer gets (pos_app.printing.layout), in a monospace font
scaled to the printable width, so a word or an amount is never broken.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import segno
from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter

from pos_app.printing.layout import (
    EtimsLabels,
    QrCode,
    ReceiptLabels,
    ReceiptLayout,
    lay_out,
)
from pos_app.resources import resource
from pos_app.services.receipts import ReceiptData, ReceiptLine, ReceiptPayment
from pos_app.version import app_version

__all__ = [
    "ReceiptData",
    "ReceiptLine",
    "ReceiptPayment",
    "print_receipt",
    "receipt_html",
    "receipt_labels",
    "receipt_layout",
    "save_pdf",
]

PAPER_WIDTHS_MM = (58, 80)
# what a 384-dot (58 mm) and a 576-dot (80 mm) head reach, and the characters of font A there
PRINTABLE_MM = {58: 48.0, 80: 72.0}
COLUMNS_FOR_WIDTH = {58: 32, 80: 42}
_TOP_MM = 3.0
_BOTTOM_MM = 6.0  # clear of the tear bar
_QR_PX = 132


def method_label(method: str) -> str:
    labels = {
        "cash": QCoreApplication.translate("Receipt", "Cash"),
        "cash_on_delivery": QCoreApplication.translate("Receipt", "Cash on delivery"),
        "mpesa_stk": QCoreApplication.translate("Receipt", "M-Pesa"),
        "mpesa_paybill": QCoreApplication.translate("Receipt", "M-Pesa paybill"),
        "paystack_link": QCoreApplication.translate("Receipt", "Paystack"),
        "flutterwave_link": QCoreApplication.translate("Receipt", "Flutterwave"),
        "stripe_checkout": QCoreApplication.translate("Receipt", "Stripe"),
        "bank_transfer": QCoreApplication.translate("Receipt", "Bank transfer"),
        "manual_mobile_money": QCoreApplication.translate("Receipt", "Mobile money"),
    }
    return labels.get(method, method)


def status_label(status: str) -> str:
    labels = {
        "succeeded": QCoreApplication.translate("Receipt", "Paid"),
        "verified": QCoreApplication.translate("Receipt", "Paid"),
        "awaiting_verification": QCoreApplication.translate("Receipt", "Pending verification"),
        "awaiting_cod": QCoreApplication.translate("Receipt", "Awaiting cash on delivery"),
        "awaiting_customer": QCoreApplication.translate("Receipt", "Waiting for customer"),
        "initiating": QCoreApplication.translate("Receipt", "Waiting for customer"),
        "pending": QCoreApplication.translate("Receipt", "Pending"),
        "failed": QCoreApplication.translate("Receipt", "Failed"),
        "cancelled": QCoreApplication.translate("Receipt", "Cancelled"),
        "expired": QCoreApplication.translate("Receipt", "Expired"),
        "unknown": QCoreApplication.translate("Receipt", "Being checked"),
        "rejected": QCoreApplication.translate("Receipt", "Rejected"),
        "refunded": QCoreApplication.translate("Receipt", "Refunded"),
        "partially_refunded": QCoreApplication.translate("Receipt", "Partly refunded"),
        "voided": QCoreApplication.translate("Receipt", "Voided"),
    }
    return labels.get(status, status)


def receipt_labels() -> ReceiptLabels:
    """The receipt's words in the language the till speaks now (literal calls: lupdate)."""
    methods = ("cash", "cash_on_delivery", "mpesa_stk", "mpesa_paybill", "paystack_link",
               "flutterwave_link", "stripe_checkout", "bank_transfer", "manual_mobile_money")
    statuses = ("succeeded", "verified", "awaiting_verification", "awaiting_cod",
                "awaiting_customer", "initiating", "pending", "failed", "cancelled", "expired",
                "unknown", "rejected", "refunded", "partially_refunded", "voided")
    return ReceiptLabels(
        receipt=QCoreApplication.translate("Receipt", "Receipt"),
        date=QCoreApplication.translate("Receipt", "Date"),
        cashier=QCoreApplication.translate("Receipt", "Cashier"),
        total=QCoreApplication.translate("Receipt", "TOTAL"),
        vat=QCoreApplication.translate("Receipt", "incl. VAT %1"),
        discount=QCoreApplication.translate("Receipt", "Discount"),
        tax_band=QCoreApplication.translate("Receipt", "VAT band"),
        taxable=QCoreApplication.translate("Receipt", "Taxable"),
        vat_amount=QCoreApplication.translate("Receipt", "VAT"),
        tendered=QCoreApplication.translate("Receipt", "Tendered"),
        change=QCoreApplication.translate("Receipt", "Change"),
        reference=QCoreApplication.translate("Receipt", "Ref."),
        collected_by=QCoreApplication.translate("Receipt", "Collected by"),
        status=QCoreApplication.translate("Receipt", "Status"),
        test_mode=QCoreApplication.translate("Receipt", "TEST MODE"),
        no_real_money=QCoreApplication.translate("Receipt", "No real money moved."),
        reprint=QCoreApplication.translate("Receipt", "REPRINT"),
        thanks=QCoreApplication.translate("Receipt", "Thank you for shopping with us!"),
        small_print=f"Duka POS {app_version()}",
        methods={m: method_label(m) for m in methods},
        statuses={s: status_label(s) for s in statuses},
        etims=EtimsLabels(
            heading=QCoreApplication.translate("Receipt", "SCU INFORMATION"),
            signed_at=QCoreApplication.translate("Receipt", "Signed"),
            cu_id=QCoreApplication.translate("Receipt", "SCU ID"),
            cu_invoice=QCoreApplication.translate("Receipt", "CU invoice no."),
            receipt_counter=QCoreApplication.translate("Receipt", "Receipt no."),
            internal_data=QCoreApplication.translate("Receipt", "Internal data:"),
            receipt_signature=QCoreApplication.translate("Receipt", "Receipt signature:"),
            not_tax_invoice=QCoreApplication.translate("Receipt", "NOT A TAX INVOICE"),
            waiting=QCoreApplication.translate(
                "Receipt", "Waiting for the eTIMS signature. Ask for the signed copy later."
            ),
            refused=QCoreApplication.translate("Receipt", "eTIMS refused this invoice (%1)."),
        ),
    )


def receipt_layout(data: ReceiptData, width_mm: int = 80) -> ReceiptLayout:
    if width_mm not in PAPER_WIDTHS_MM:
        raise ValueError(f"receipt paper is {PAPER_WIDTHS_MM} mm wide, not {width_mm}")
    return lay_out(data, receipt_labels(), COLUMNS_FOR_WIDTH[width_mm])


def _mono_family() -> str:
    """The shipped monospace font (every column the same width, like the thermal head)."""
    global _mono
    if _mono is None:
        families: list[str] = []
        for name in ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"):
            font_id = QFontDatabase.addApplicationFont(str(resource("fonts", name)))
            if font_id >= 0:
                families += QFontDatabase.applicationFontFamilies(font_id)
        _mono = families[0] if families else QFontDatabase.systemFont(
            QFontDatabase.SystemFont.FixedFont).family()
    return _mono


_mono: str | None = None


def _qr_png(payload: str) -> str:
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=4, border=2)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def receipt_html(data: ReceiptData, width_mm: int = 80) -> str:
    """The receipt as it prints: the column layout in the monospace font, line for line."""
    layout = receipt_layout(data, width_mm)
    parts = [f'<pre style="font-family: \'{_mono_family()}\';">']
    for block in layout.blocks:
        if isinstance(block, QrCode):
            parts.append(
                f'</pre><p align="center"><img src="data:image/png;base64,{_qr_png(block.payload)}"'
                f' width="{_QR_PX}" height="{_QR_PX}"/></p><pre style="font-family: '
                f"'{_mono_family()}';\">"
            )
            continue
        text = html.escape(block.text)
        parts.append((f"<b>{text}</b>" if block.bold or block.tall else text) + "\n")
    parts.append("</pre>")
    return "".join(parts)


def receipt_document(data: ReceiptData, width_mm: int = 80) -> QTextDocument:
    """The receipt laid out exactly `COLUMNS_FOR_WIDTH[width_mm]` characters wide."""
    document = QTextDocument()
    font = QFont(_mono_family())
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSizeF(10)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    document.setHtml(receipt_html(data, width_mm))
    columns = COLUMNS_FOR_WIDTH[width_mm]
    # exactly one line's worth: a line of `columns` characters fits, nothing is rewrapped
    document.setTextWidth(QFontMetricsF(font).horizontalAdvance("M" * columns) + 1)
    return document


def print_receipt(data: ReceiptData, printer: QPrinter, width_mm: int = 80) -> None:
    """One unbroken strip `width_mm` wide and exactly as long as the receipt: no page
    margins, no page numbers (QTextDocument.print_ would add both to an unpaginated text)."""
    document = receipt_document(data, width_mm)
    printable_mm = PRINTABLE_MM[width_mm]
    mm_per_unit = printable_mm / document.textWidth()
    height_mm = document.size().height() * mm_per_unit + _TOP_MM + _BOTTOM_MM
    page = QPageSize(
        QSizeF(width_mm, height_mm),
        QPageSize.Unit.Millimeter,
        "receipt",
        QPageSize.SizeMatchPolicy.ExactMatch,  # a close standard size would crop or pad it
    )
    printer.setFullPage(True)
    printer.setPageLayout(
        QPageLayout(
            page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
            QPageLayout.Unit.Millimeter,
        )
    )
    px_per_mm = printer.resolution() / 25.4
    painter = QPainter(printer)
    try:
        painter.translate((width_mm - printable_mm) / 2 * px_per_mm, _TOP_MM * px_per_mm)
        painter.scale(mm_per_unit * px_per_mm, mm_per_unit * px_per_mm)
        document.drawContents(painter)
    finally:
        painter.end()


def save_pdf(data: ReceiptData, path: Path, width_mm: int = 80) -> Path:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    print_receipt(data, printer, width_mm)
    return path
