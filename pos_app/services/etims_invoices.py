"""KRA eTIMS invoices on the till: every completed sale of an eTIMS shop is asked to be signed
(outbox event etims.sign_requested, in the sale's own transaction), and the relay's answer,
from the pull stream, is kept with the order for the receipt (docs/etims.md).

The till builds the saveTrnsSalesOsdc body with sync.providers.etims_sale from the same priced
lines the receipt prints; KRA's invoice number is the relay's to give (the device is shared by
every till of the branch), so the body leaves without it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import Connection, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pos_app.core.orders import OrderStatus
from pos_app.core.payments import PAID_STATUSES, PaymentMethod
from pos_app.core.pricing import PricedCart, PricedLine
from pos_app.core.quantities import Unit
from pos_app.core.receipt_numbers import ReceiptNumber
from pos_app.core.refunds import CreditNote
from pos_app.services import orders
from pos_app.services.orders import StoredLine
from pos_app.services.shop import load_settings
from pos_app.services.unit import Change
from pos_app.store.schema import etims_invoices, payments, users
from sync.providers.etims_sale import (
    EtimsItem,
    InvoiceHeader,
    ReceiptTexts,
    credit_note_request,
    sale_request,
)

# sync.protocol.ETIMS_SIGN_REQUESTED, the outbox event the relay's signer takes (the services
# name the wire's event types themselves, as counter.PAYBILL_REFERENCE_SHOWN does)
ETIMS_SIGN_REQUESTED: Final = "etims.sign_requested"
ETIMS_COUNTRY: Final = "KE"
SALE: Final = "sale"
CREDIT: Final = "credit_note"
# KRA's refund reason (code class 32): 06, "refund" (the code list may add finer ones, §12.15)
REFUND_REASON: Final = "06"
# KRA's payment types (code class 07): cash, mobile money, card / online (§12.7).
_PAYMENT_TYPE: Final = {
    PaymentMethod.CASH: "01",
    PaymentMethod.CASH_ON_DELIVERY: "01",
    PaymentMethod.MPESA_STK: "06",
    PaymentMethod.MPESA_PAYBILL: "06",
    PaymentMethod.MANUAL_MOBILE_MONEY: "06",
    PaymentMethod.PAYSTACK_LINK: "05",
    PaymentMethod.BANK_TRANSFER: "04",
}
# Each product is named by a code derived from it in KRA's shape (country, type 2 = finished
# good, packaging NT, unit, number; the unit segment has two letters) and one item class for
# goods; services.etims_items registers it (saveItem). No per-PIN counter yet (docs/etims.md).
_UNIT_CODES: Final = {Unit.EACH: ("NO", "NO"), Unit.KG: ("KG", "KG"), Unit.LITRE: ("LT", "LTR")}
GOODS_CLASS: Final = "5059690800"
_TRADE_NAME_MAX: Final = 20


class EtimsState(StrEnum):
    WAITING = "waiting"
    SIGNED = "signed"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class EtimsSignature:
    """What the receipt prints from KRA's control unit (the SCU information block, §9)."""

    invoice_number: int
    control_unit_id: str
    cu_invoice_number: str
    receipt_counter: int | None
    total_receipt_counter: int | None
    internal_data: str
    receipt_signature: str
    signed_at: datetime | None
    qr_url: str


@dataclass(frozen=True, slots=True)
class EtimsInvoice:
    receipt_number: str
    state: EtimsState
    signature: EtimsSignature | None
    refusal_code: str | None = None
    refusal_message: str | None = None


@dataclass(frozen=True, slots=True)
class EtimsOutcome:
    """The relay's answer for one invoice (wire EtimsEvent, as the engine hands it over)."""

    event_id: str
    seq: int
    receipt_number: str
    signature: EtimsSignature | None  # None: refused
    code: str | None = None
    message: str | None = None


def enabled(conn: Connection) -> bool:
    settings = load_settings(conn)
    return settings.etims_enabled and settings.country == ETIMS_COUNTRY


def sale_completed(change: Change, order_id: str) -> None:
    """Ask the relay to have a paid sale signed by KRA, once per order (called wherever a sale
    becomes paid; a shop without eTIMS writes nothing)."""
    conn = change.conn
    if not enabled(conn):
        return
    row = orders.load_order_row(conn, order_id)
    if row.status != OrderStatus.PAID or row.receipt_sequence is None:
        return
    receipt = str(ReceiptNumber(row.receipt_prefix, row.receipt_sequence))
    if conn.execute(
        select(etims_invoices.c.receipt_number).where(etims_invoices.c.receipt_number == receipt)
    ).first():
        return
    lines, priced = _sold(conn, order_id)
    cashier = cashier_name(conn, row.cashier_id)
    header = _header(conn, row, receipt, cashier)
    body = sale_request(priced, _items(lines), header).wire()
    _ask(change, order_id, receipt, SALE, None, body)


def credit_note_issued(change: Change, order_id: str, note: CreditNote) -> None:
    """Ask the relay to have a credit note signed against the sale's invoice (rcptTyCd R),
    in the refund's own transaction. Its number is the sale's with -R1, -R2...: KRA needs
    one per document, and the till's receipt numbers belong to sales."""
    conn = change.conn
    if not enabled(conn):
        return
    sale = invoice_of(conn, order_id)
    if sale is None:
        return  # the sale was never sent to eTIMS (sold before it was switched on)
    count = conn.execute(
        select(func.count())
        .select_from(etims_invoices)
        .where((etims_invoices.c.order_id == order_id) & (etims_invoices.c.kind == CREDIT))
    ).scalar_one()
    receipt = f"{sale.receipt_number}-R{int(count) + 1}"
    row = orders.load_order_row(conn, order_id)
    lines, priced = _sold(conn, order_id)
    header = _header(conn, row, receipt, cashier_name(conn, change.actor))
    body = credit_note_request(
        note, priced, _items(lines), header, original_invoice_number=1, reason_code=REFUND_REASON
    ).wire()
    _ask(change, order_id, receipt, CREDIT, sale.receipt_number, body)


def _sold(conn: Connection, order_id: str) -> tuple[tuple[StoredLine, ...], PricedCart]:
    """The sale's lines as stored, priced as they were sold (what its receipt printed)."""
    lines, taxes = orders.stored_lines(conn, order_id)
    default = orders.stored_table(conn, order_id).default_class.code
    priced = PricedCart(
        tuple(PricedLine(s.line.cart_line(default), s.cart_discount, s.tax) for s in lines),
        None,
        taxes,
    )
    return lines, priced


def _header(conn: Connection, row: Any, receipt: str, cashier: str) -> InvoiceHeader:
    settings = load_settings(conn)
    return InvoiceHeader(
        trader_invoice_number=receipt,
        invoice_number=1,  # a stand-in: the relay's signer gives KRA's number
        confirmed_at=datetime.now(UTC),
        payment_type=_payment_type(conn, row.id),
        cashier_id=(row.cashier_id or "duka")[:20],
        cashier_name=cashier,
        receipt=ReceiptTexts(trade_name=settings.shop_name[:_TRADE_NAME_MAX]),
    )


def _items(lines: Sequence[StoredLine]) -> list[EtimsItem]:
    return [item_of(s.line.product_id or s.line.name, s.line.amount.unit) for s in lines]


def _ask(
    change: Change,
    order_id: str,
    receipt: str,
    kind: str,
    original: str | None,
    body: dict[str, Any],
) -> None:
    """The waiting invoice and the outbox event asking the relay to sign it; KRA's numbers
    (invcNo, and orgInvcNo of a credit note) are the relay's to give."""
    body.pop("invcNo", None)
    body.pop("orgInvcNo", None)
    requested(change.conn, order_id, receipt, kind, datetime.now(UTC))
    change.record(
        ETIMS_SIGN_REQUESTED,
        entity="order",
        entity_id=order_id,
        details={"receipt_number": receipt, "kind": kind},
        payload={
            "order_id": order_id,
            "receipt_number": receipt,
            "kind": kind,
            "original_receipt_number": original,
            "body": body,
        },
    )


def requested(conn: Connection, order_id: str, receipt: str, kind: str, at: datetime) -> None:
    """The invoice waits for KRA's signature (also rebuilt from the relay's copy of the
    request by services.recovery; a second time changes nothing)."""
    conn.execute(
        sqlite_insert(etims_invoices)
        .values(
            receipt_number=receipt,
            order_id=order_id,
            kind=kind,
            state=EtimsState.WAITING.value,
            requested_at=at,
        )
        .on_conflict_do_nothing(index_elements=["receipt_number"])
    )


def apply_outcome(conn: Connection, outcome: EtimsOutcome) -> str:
    """Keep the relay's answer with the invoice; a short result word for the inbox."""
    row = conn.execute(
        select(etims_invoices.c.state).where(
            etims_invoices.c.receipt_number == outcome.receipt_number
        )
    ).first()
    if row is None:
        return "unknown_receipt"
    if row.state == EtimsState.SIGNED:
        return "already_signed"  # a signature is final
    now = datetime.now(UTC)
    values: dict[str, Any]
    if outcome.signature is None:
        values = {
            "state": EtimsState.REFUSED.value,
            "refusal_code": outcome.code,
            "refusal_message": outcome.message,
        }
    else:
        s = outcome.signature
        values = {
            "state": EtimsState.SIGNED.value,
            "invoice_number": s.invoice_number,
            "control_unit_id": s.control_unit_id,
            "cu_invoice_number": s.cu_invoice_number,
            "receipt_counter": s.receipt_counter,
            "total_receipt_counter": s.total_receipt_counter,
            "internal_data": s.internal_data,
            "receipt_signature": s.receipt_signature,
            "signed_at": s.signed_at,
            "qr_url": s.qr_url,
        }
    conn.execute(
        update(etims_invoices)
        .where(etims_invoices.c.receipt_number == outcome.receipt_number)
        .values(settled_at=now, **values)
    )
    return str(values["state"])


def invoice_of(conn: Connection, order_id: str) -> EtimsInvoice | None:
    """The sale's eTIMS invoice, or None when the sale was not sent to eTIMS."""
    row = conn.execute(
        select(etims_invoices).where(
            (etims_invoices.c.order_id == order_id) & (etims_invoices.c.kind == SALE)
        )
    ).first()
    if row is None:
        return None
    signature = None
    if row.state == EtimsState.SIGNED:
        signature = EtimsSignature(
            invoice_number=row.invoice_number,
            control_unit_id=row.control_unit_id,
            cu_invoice_number=row.cu_invoice_number,
            receipt_counter=row.receipt_counter,
            total_receipt_counter=row.total_receipt_counter,
            internal_data=row.internal_data,
            receipt_signature=row.receipt_signature,
            signed_at=row.signed_at,
            qr_url=row.qr_url,
        )
    return EtimsInvoice(
        row.receipt_number, EtimsState(row.state), signature, row.refusal_code,
        row.refusal_message,
    )  # fmt: skip


def waiting_count(conn: Connection) -> int:
    """Invoices sent to be signed whose signature has not come back (the status bar)."""
    return int(
        conn.execute(
            select(func.count())
            .select_from(etims_invoices)
            .where(etims_invoices.c.state == EtimsState.WAITING.value)
        ).scalar_one()
    )


def cashier_name(conn: Connection, cashier_id: str | None) -> str:
    name = None
    if cashier_id is not None:
        name = conn.execute(select(users.c.name).where(users.c.id == cashier_id)).scalar()
    return (name or "Duka POS")[:60]


def _payment_type(conn: Connection, order_id: str) -> str:
    """KRA's code of the method that paid the most of the sale."""
    rows = conn.execute(
        select(payments.c.method, func.sum(payments.c.amount_minor).label("paid"))
        .where(payments.c.order_id == order_id)
        .where(payments.c.status.in_([s.value for s in PAID_STATUSES]))
        .group_by(payments.c.method)
        .order_by(func.sum(payments.c.amount_minor).desc())
    ).first()
    if rows is None:
        return "01"
    return _PAYMENT_TYPE.get(PaymentMethod(rows.method), "07")


def item_of(product_key: str, unit: Unit, barcode: str | None = None) -> EtimsItem:
    """How KRA knows a product (its id, or a line's name when it has none)."""
    segment, quantity_unit = _UNIT_CODES[unit]
    number = int(hashlib.sha256(product_key.encode()).hexdigest(), 16) % 10_000_000
    return EtimsItem(
        item_code=f"KE2NT{segment}{number:07d}",
        class_code=GOODS_CLASS,
        qty_unit=quantity_unit,
        barcode=barcode,
    )
