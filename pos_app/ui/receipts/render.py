"""A receipt as HTML laid out by QTextDocument, printed through QPrinter (paper or PDF).

Thermal rolls are 58 mm or 80 mm wide and as long as needed: the page height is taken from
the laid-out document so nothing is cut and no paper is wasted.
"""

from __future__ import annotations

import html
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from pos_app.services.receipts import ReceiptData, ReceiptLine, ReceiptPayment
from pos_app.version import app_version

__all__ = [
    "ReceiptData",
    "ReceiptLine",
    "ReceiptPayment",
    "print_receipt",
    "receipt_html",
    "save_pdf",
]

PAPER_WIDTHS_MM = (58, 80)
_MARGIN_MM = 2.0
# printable characters per line: the font is sized so the same text fits both rolls
_FONT_PT = {58: 7.0, 80: 9.0}


def method_label(method: str) -> str:
    labels = {
        "cash": QCoreApplication.translate("Receipt", "Cash"),
        "cash_on_delivery": QCoreApplication.translate("Receipt", "Cash on delivery"),
        "mpesa_stk": QCoreApplication.translate("Receipt", "M-Pesa"),
        "mpesa_paybill": QCoreApplication.translate("Receipt", "M-Pesa paybill"),
        "paystack_link": QCoreApplication.translate("Receipt", "Paystack"),
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


def _indent(text: str) -> str:
    """HTML collapses leading spaces; a receipt's sub-lines keep their indent."""
    stripped = text.lstrip(" ")
    return "&nbsp;" * (len(text) - len(stripped)) + html.escape(stripped)


def _row(left: str, right: str, bold: bool = False) -> str:
    weight = "font-weight:bold;" if bold else ""
    return (
        f'<tr><td style="{weight}">{_indent(left)}</td>'
        f'<td align="right" style="{weight}">{html.escape(right)}</td></tr>'
    )


def receipt_html(data: ReceiptData) -> str:
    when = data.created_at.astimezone(ZoneInfo(data.timezone)).strftime("%d/%m/%Y %H:%M")
    parts = ['<div style="font-family: DejaVu Sans;">']
    if data.test_mode:
        parts.append(
            '<p align="center" style="font-weight:bold; font-size:large;">'
            f"*** {html.escape(QCoreApplication.translate('Receipt', 'TEST MODE'))} ***<br/>"
            f"{html.escape(QCoreApplication.translate('Receipt', 'No real money moved.'))}</p>"
        )
    parts.append(f'<p align="center"><b>{html.escape(data.shop_name)}</b>')
    if data.header:
        parts.append("<br/>" + html.escape(data.header).replace("\n", "<br/>"))
    parts.append("</p>")
    if data.reprint:
        reprint = html.escape(QCoreApplication.translate("Receipt", "REPRINT"))
        parts.append(f'<p align="center"><b>{reprint}</b></p>')
    parts.append('<table width="100%" cellspacing="0" cellpadding="0">')
    parts.append(_row(QCoreApplication.translate("Receipt", "Receipt"), data.order_id[:8].upper()))
    parts.append(_row(QCoreApplication.translate("Receipt", "Date"), when))
    parts.append(_row(QCoreApplication.translate("Receipt", "Cashier"), data.cashier))
    parts.append("</table><hr/>")
    parts.append('<table width="100%" cellspacing="0" cellpadding="0">')
    for line in data.lines:
        parts.append(f'<tr><td colspan="2">{html.escape(line.name)}</td></tr>')
        parts.append(
            _row(
                f"  {line.quantity} x {line.unit_price.format(with_code=False)}",
                line.total.format(with_code=False),
            )
        )
    parts.append("</table><hr/>")
    parts.append('<table width="100%" cellspacing="0" cellpadding="0">')
    parts.append(
        _row(QCoreApplication.translate("Receipt", "TOTAL"), data.total.format(), bold=True)
    )
    rate = f"{data.vat_bps / 100:g}%"
    parts.append(
        _row(
            QCoreApplication.translate("Receipt", "incl. VAT %1").replace("%1", rate),
            data.vat.format(with_code=False),
        )
    )
    parts.append("</table><hr/>")
    parts.append('<table width="100%" cellspacing="0" cellpadding="0">')
    for payment in data.payments:
        parts.append(_row(method_label(payment.method), payment.amount.format(with_code=False)))
        if payment.tendered is not None:
            parts.append(
                _row(
                    "  " + QCoreApplication.translate("Receipt", "Tendered"),
                    payment.tendered.format(with_code=False),
                )
            )
        if payment.change is not None:
            parts.append(
                _row(
                    "  " + QCoreApplication.translate("Receipt", "Change"),
                    payment.change.format(with_code=False),
                )
            )
        if payment.reference:
            parts.append(
                _row("  " + QCoreApplication.translate("Receipt", "Ref."), payment.reference)
            )
        if payment.collected_by:
            parts.append(
                _row(
                    "  " + QCoreApplication.translate("Receipt", "Collected by"),
                    payment.collected_by,
                )
            )
        if payment.status not in ("succeeded", "verified"):
            parts.append(
                _row(
                    "  " + QCoreApplication.translate("Receipt", "Status"),
                    status_label(payment.status),
                )
            )
        if payment.test_mode:
            parts.append(_row("  " + QCoreApplication.translate("Receipt", "TEST MODE"), ""))
    parts.append("</table>")
    footer = data.footer or QCoreApplication.translate("Receipt", "Thank you for shopping with us!")
    parts.append(f'<p align="center">{html.escape(footer)}</p>')
    parts.append(f'<p align="center" style="font-size:small;">Duka POS {app_version()}</p>')
    parts.append("</div>")
    return "".join(parts)


def receipt_document(data: ReceiptData, width_mm: int = 80) -> QTextDocument:
    if width_mm not in PAPER_WIDTHS_MM:
        raise ValueError(f"receipt paper is {PAPER_WIDTHS_MM} mm wide, not {width_mm}")
    document = QTextDocument()
    font = document.defaultFont()
    font.setFamily("DejaVu Sans")
    font.setPointSizeF(_FONT_PT[width_mm])
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    document.setHtml(receipt_html(data))
    return document


def print_receipt(data: ReceiptData, printer: QPrinter, width_mm: int = 80) -> None:
    """Lays the receipt out on a roll `width_mm` wide, as long as the text needs."""
    document = receipt_document(data, width_mm)
    printable_mm = width_mm - 2 * _MARGIN_MM
    # QTextDocument lays out in points at the printer's logical resolution: 72 dpi
    points_per_mm = 72 / 25.4
    document.setTextWidth(printable_mm * points_per_mm)
    height_mm = document.size().height() / points_per_mm + 2 * _MARGIN_MM + 4
    page = QPageSize(QSizeF(width_mm, height_mm), QPageSize.Unit.Millimeter, "receipt")
    printer.setPageLayout(
        QPageLayout(
            page,
            QPageLayout.Orientation.Portrait,
            QMarginsF(_MARGIN_MM, _MARGIN_MM, _MARGIN_MM, _MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    document.print_(printer)


def save_pdf(data: ReceiptData, path: Path, width_mm: int = 80) -> Path:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    print_receipt(data, printer, width_mm)
    return path
