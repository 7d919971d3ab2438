"""A receipt laid out in fixed columns: the one layout thermal printers and the PDF share.

Thermal rolls print a fixed number of characters a line: 32 on 58 mm paper, 42 or 48 on
80 mm (font A on a 512- or 576-dot head). Nothing here is ever split inside a word or a
number: names wrap between words, amounts stay whole and right-aligned, and a single token
wider than the line is cut short with an ellipsis rather than broken over two lines.

Pure Python (no Qt): the words come in as `ReceiptLabels`, already translated by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from pos_app.core.money import Money
from pos_app.services.etims_invoices import EtimsInvoice, EtimsState
from pos_app.services.receipts import ReceiptData, ReceiptPayment, ReceiptTaxBand

COLUMNS = (32, 42, 48)
ELLIPSIS = "…"
PAID = frozenset({"succeeded", "verified"})


@dataclass(frozen=True)
class ReceiptLabels:
    """Every word a receipt prints, in the shop's language ("%1" is filled in)."""

    receipt: str
    date: str
    cashier: str
    total: str
    vat: str  # "incl. VAT %1" (%1: the rates charged, "16%")
    discount: str
    tax_band: str  # the VAT table's headings: band, taxable amount, VAT
    taxable: str
    vat_amount: str
    tendered: str
    change: str
    reference: str
    collected_by: str
    status: str
    test_mode: str
    no_real_money: str
    reprint: str
    thanks: str
    methods: Mapping[str, str]
    statuses: Mapping[str, str]
    etims: EtimsLabels
    small_print: str = ""  # the program and its version, under the thanks


@dataclass(frozen=True)
class EtimsLabels:
    """The KRA eTIMS block's words: the control unit's information (§9 of the reference) or,
    until KRA has signed, that this is not yet a tax invoice."""

    heading: str  # "SCU INFORMATION"
    signed_at: str
    cu_id: str
    cu_invoice: str
    receipt_counter: str
    internal_data: str
    receipt_signature: str
    not_tax_invoice: str
    waiting: str
    refused: str  # "%1": KRA's code


@dataclass(frozen=True)
class PrintLine:
    """One printed line, exactly `columns` characters or fewer, never wrapped again."""

    text: str
    bold: bool = False
    tall: bool = False  # double height (same width), for the shop name and TEST MODE


@dataclass(frozen=True)
class QrCode:
    payload: str


Block = PrintLine | QrCode


@dataclass(frozen=True)
class ReceiptLayout:
    columns: int
    blocks: tuple[Block, ...]
    opens_drawer: bool  # a first print of a sale with a cash tender (never a reprint)
    test_mode: bool

    @property
    def lines(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, PrintLine)]


def readable_number(order_id: str) -> str:
    """The sale's short number as the screens show it, grouped to read aloud: "1A2B-3C4D"."""
    short = order_id.replace("-", "")[:8].upper()
    return f"{short[:4]}-{short[4:]}" if len(short) > 4 else short


def sale_number(order_id: str, receipt_number: str | None) -> str:
    """What a person reads and types back for a sale: its receipt number as printed
    ("TILL1-000123"), or for a sale stored before receipt numbers its short id."""
    return receipt_number or readable_number(order_id)


def fit(token: str, width: int) -> str:
    """`token` whole, or cut short with an ellipsis: never carried onto a second line."""
    return token if len(token) <= width else token[: width - 1] + ELLIPSIS


def wrap(text: str, width: int) -> list[str]:
    """Words filled greedily into lines of at most `width` characters, split only at blanks."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        word = fit(word, width)
        if current and len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            if current:
                lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def center(text: str, width: int) -> list[str]:
    return [" " * ((width - len(line)) // 2) + line for line in wrap(text, width)]


def row(left: str, right: str, width: int) -> list[str]:
    """`left` wrapped at word boundaries with `right` (an amount) whole at the right edge.

    Leading blanks of `left` are an indent kept on every wrapped line.
    """
    right = fit(right.strip(), width)
    indent = " " * (len(left) - len(left.lstrip(" ")))
    body = wrap(left, width - len(indent)) or [""]
    lines = [indent + line for line in body]
    last = lines[-1]
    if not right:
        return lines
    if len(last) + 1 + len(right) <= width or (not last.strip() and len(right) <= width):
        lines[-1] = last + " " * (width - len(last) - len(right)) + right
    else:
        lines.append(" " * (width - len(right)) + right)
    return lines


class _Builder:
    def __init__(self, columns: int) -> None:
        self.columns = columns
        self.blocks: list[Block] = []

    def lines(self, texts: list[str], *, bold: bool = False, tall: bool = False) -> None:
        self.blocks.extend(PrintLine(t, bold, tall) for t in texts)

    def row(self, left: str, right: str, *, bold: bool = False) -> None:
        self.lines(row(left, right, self.columns), bold=bold)

    def center(self, text: str, *, bold: bool = False, tall: bool = False) -> None:
        for paragraph in text.splitlines():
            self.lines(center(paragraph, self.columns), bold=bold, tall=tall)

    def rule(self) -> None:
        self.blocks.append(PrintLine("-" * self.columns))

    def blank(self) -> None:
        self.blocks.append(PrintLine(""))


def _payment(out: _Builder, payment: ReceiptPayment, labels: ReceiptLabels) -> None:
    def amount(value: Money) -> str:
        return value.format(with_code=False)

    out.row(labels.methods.get(payment.method, payment.method), amount(payment.amount))
    if payment.tendered is not None:
        out.row("  " + labels.tendered, amount(payment.tendered))
    if payment.change is not None:
        out.row("  " + labels.change, amount(payment.change))
    if payment.reference:
        out.row("  " + labels.reference, payment.reference)
    if payment.collected_by:
        out.row("  " + labels.collected_by, payment.collected_by)
    if payment.status not in PAID:
        out.row("  " + labels.status, labels.statuses.get(payment.status, payment.status))
    if payment.test_mode:
        out.row("  " + labels.test_mode, "")


def _rate(rate_bps: int) -> str:
    return f"{rate_bps / 100:g}%"


def _tax_table(out: _Builder, bands: tuple[ReceiptTaxBand, ...], labels: ReceiptLabels) -> None:
    """Band (letter and rate), taxable and VAT in two right-aligned columns; a row that does
    not fit the roll puts its amounts on a line of their own."""
    amounts = [(b.taxable.format(with_code=False), b.vat.format(with_code=False)) for b in bands]
    vat_width = max(len(labels.vat_amount), *(len(v) for _, v in amounts))
    taxable_width = max(len(labels.taxable), *(len(t) for t, _ in amounts))
    band_width = out.columns - vat_width - taxable_width - 2
    rows = [(labels.tax_band, labels.taxable, labels.vat_amount)]
    rows += [
        (f"{b.tax_class} {_rate(b.rate_bps)}", t, v)
        for b, (t, v) in zip(bands, amounts, strict=True)
    ]
    for band, taxable, vat in rows:
        right = f"{taxable:>{taxable_width}} {vat:>{vat_width}}"
        if band_width >= 1 and len(band) <= band_width:
            out.lines([f"{band:<{band_width}} {right}"])
        else:
            out.lines(wrap(band, out.columns))
            out.lines([fit(right.strip(), out.columns).rjust(out.columns)])


def groups_of_four(text: str) -> str:
    """KRA's internal data and signature are printed in groups of four, to be read out."""
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _etims(out: _Builder, invoice: EtimsInvoice, zone: ZoneInfo, labels: EtimsLabels) -> None:
    out.rule()
    signature = invoice.signature
    if signature is None:
        out.center(labels.not_tax_invoice, bold=True)
        if invoice.state is EtimsState.REFUSED:
            out.center(labels.refused.replace("%1", invoice.refusal_code or "?"))
        else:
            out.center(labels.waiting)
        return
    out.center(labels.heading, bold=True)
    if signature.signed_at is not None:
        out.row(
            labels.signed_at, signature.signed_at.astimezone(zone).strftime("%d/%m/%Y %H:%M:%S")
        )
    out.row(labels.cu_id, signature.control_unit_id)
    out.row(labels.cu_invoice, signature.cu_invoice_number)
    if signature.receipt_counter is not None and signature.total_receipt_counter is not None:
        out.row(
            labels.receipt_counter,
            f"{signature.receipt_counter}/{signature.total_receipt_counter}",
        )
    out.lines(wrap(labels.internal_data, out.columns))
    out.center(groups_of_four(signature.internal_data))
    out.lines(wrap(labels.receipt_signature, out.columns))
    out.center(groups_of_four(signature.receipt_signature))


def lay_out(data: ReceiptData, labels: ReceiptLabels, columns: int) -> ReceiptLayout:
    if columns not in COLUMNS:
        raise ValueError(f"a receipt is {COLUMNS} characters wide, not {columns}")
    out = _Builder(columns)
    if data.test_mode:
        out.center(f"*** {labels.test_mode} ***", bold=True, tall=True)
        out.center(labels.no_real_money, bold=True)
        out.blank()
    out.center(data.shop_name, bold=True, tall=True)
    if data.header:
        out.center(data.header)
    if data.reprint:
        out.center(labels.reprint, bold=True)
    out.rule()
    when = data.created_at.astimezone(ZoneInfo(data.timezone)).strftime("%d/%m/%Y %H:%M")
    out.row(labels.receipt, sale_number(data.order_id, data.receipt_number))
    out.row(labels.date, when)
    if data.cashier:
        out.row(labels.cashier, data.cashier)
    out.rule()
    for line in data.lines:
        out.lines(wrap(line.name, columns))
        out.row(
            f"  {line.quantity} x {line.unit_price.format(with_code=False)}",
            f"{line.total.format(with_code=False)} {line.tax_class}".strip(),
        )
        if line.discount is not None:
            out.row(
                f"  {labels.discount} {line.discount_reason}",
                f"-{line.discount.format(with_code=False)}",
            )
    out.rule()
    if data.cart_discount is not None:
        out.row(
            f"{labels.discount} {data.cart_discount_reason}",
            f"-{data.cart_discount.format(with_code=False)}",
        )
    out.row(labels.total, data.total.format(), bold=True)
    charged = sorted({b.rate_bps for b in data.taxes if b.vat.minor}, reverse=True)
    out.row(
        labels.vat.replace("%1", "/".join(_rate(r) for r in charged) or _rate(0)),
        data.vat.format(with_code=False),
    )
    if data.taxes:
        out.rule()
        _tax_table(out, data.taxes, labels)
    if data.payments:
        out.rule()
        for payment in data.payments:
            _payment(out, payment, labels)
    if data.etims is not None:
        _etims(out, data.etims, ZoneInfo(data.timezone), labels.etims)
    out.blank()
    if data.qr_payload:
        out.blocks.append(QrCode(data.qr_payload))
    out.center(data.footer or labels.thanks)
    if labels.small_print:
        out.center(labels.small_print)
    return ReceiptLayout(
        columns=columns,
        blocks=tuple(out.blocks),
        opens_drawer=not data.reprint and any(p.method == "cash" for p in data.payments),
        test_mode=data.test_mode,
    )
