"""What a receipt says, read from the ledger (Qt-free; pos_app.printing.layout lays it out):
the till's receipt number, each line with its tax class and discount, the VAT per band, and
for an eTIMS shop KRA's signature (or that the invoice still waits for it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from pos_app.core.money import Money
from pos_app.core.quantities import Quantity
from pos_app.services import etims_invoices
from pos_app.services.etims_invoices import EtimsInvoice
from pos_app.services.orders import OrderService
from pos_app.services.payments import PaymentService
from pos_app.services.shop import load_settings
from pos_app.store.db import Ledger
from pos_app.store.schema import users

SHOWN_STATUSES = frozenset(
    {
        "succeeded",
        "verified",
        "awaiting_verification",
        "awaiting_cod",
        "partially_refunded",
        "refunded",
        "unknown",
    }
)


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    quantity: int | Quantity  # pieces, or "1.25 kg"
    unit_price: Money
    total: Money  # price x quantity, before the discount
    tax_class: str = ""  # printed after the amount, as the per-band table names it
    discount: Money | None = None
    discount_reason: str = ""


@dataclass(frozen=True)
class ReceiptTaxBand:
    """One row of the VAT table: every band of the shop's country, used or not."""

    tax_class: str
    rate_bps: int
    taxable: Money
    vat: Money


@dataclass(frozen=True)
class ReceiptPayment:
    method: str  # PaymentMethod value
    amount: Money
    status: str
    reference: str | None = None
    tendered: Money | None = None
    change: Money | None = None
    test_mode: bool = False
    collected_by: str | None = None  # who brought the cash of a cash-on-delivery order


@dataclass(frozen=True)
class ReceiptData:
    shop_name: str
    order_id: str
    created_at: datetime
    timezone: str
    cashier: str
    lines: tuple[ReceiptLine, ...]
    total: Money
    vat: Money
    taxes: tuple[ReceiptTaxBand, ...]
    receipt_number: str = ""  # "TILL1-000123"; empty for a sale stored before numbers
    cart_discount: Money | None = None
    cart_discount_reason: str = ""
    payments: tuple[ReceiptPayment, ...] = ()
    header: str = ""
    footer: str = ""
    reprint: bool = False
    # printed as a QR code under the totals: KRA's link to the signed eTIMS invoice
    qr_payload: str = ""
    etims: EtimsInvoice | None = None  # None: the sale was not sent to eTIMS
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def test_mode(self) -> bool:
        return any(p.test_mode for p in self.payments)


def build_receipt(
    ledger: Ledger,
    orders: OrderService,
    payments: PaymentService,
    order_id: str,
    *,
    reprint: bool = False,
) -> ReceiptData:
    order = orders.get_order(order_id)
    with ledger.read() as conn:
        shop = load_settings(conn)
        cashier = (
            conn.execute(select(users.c.name).where(users.c.id == order.cashier_id)).scalar()
            if order.cashier_id
            else None
        )
        etims = etims_invoices.invoice_of(conn, order_id)
    cart_discount = Money(
        sum(s.cart_discount.minor for s in order.stored_lines), order.total.currency
    )
    shown = [p for p in payments.payments_for_order(order_id) if p.status in SHOWN_STATUSES]
    return ReceiptData(
        shop_name=shop.shop_name,
        order_id=order.id,
        created_at=order.created_at,
        timezone=shop.timezone,
        cashier=cashier or "",
        lines=tuple(
            ReceiptLine(
                s.line.name,
                s.line.quantity,
                s.line.unit_price,
                s.line.total,
                s.tax.tax_class.code,
                s.line.discount.amount if s.line.discount else None,
                s.line.discount.reason if s.line.discount else "",
            )
            for s in order.stored_lines
        ),
        total=order.total,
        vat=order.vat,
        taxes=tuple(
            ReceiptTaxBand(b.tax_class.code, b.tax_class.rate_bps, b.taxable, b.tax)
            for b in order.taxes.bands
        ),
        receipt_number=str(order.receipt_number or ""),
        cart_discount=cart_discount if cart_discount.is_positive else None,
        cart_discount_reason=order.cart_discount_reason or "",
        payments=tuple(
            ReceiptPayment(
                method=p.method,
                amount=p.amount,
                status=p.status,
                # no M-Pesa code yet (the relay learnt the outcome by querying): the
                # provider's reference, so the payment can still be traced
                reference=p.receipt_number or p.provider_reference or None,
                tendered=p.tendered,
                change=p.change,
                test_mode=p.test_mode,
                collected_by=p.collected_by,
            )
            for p in shown
        ),
        header=shop.receipt_header,
        footer=shop.receipt_footer,
        reprint=reprint,
        qr_payload=etims.signature.qr_url if etims and etims.signature else "",
        etims=etims,
    )
