"""What a receipt says, read from the ledger (Qt-free; pos_app.ui.receipts lays it out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from pos_app.core.money import Money
from pos_app.services.orders import OrderService
from pos_app.services.payments import PaymentService
from pos_app.services.shop import load_settings
from pos_app.store.db import Ledger
from pos_app.store.schema import users

SHOWN_STATUSES = frozenset(
    {"succeeded", "verified", "awaiting_verification", "awaiting_cod", "partially_refunded",
     "refunded", "unknown"}
)


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    quantity: int
    unit_price: Money
    total: Money


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
    vat_bps: int
    payments: tuple[ReceiptPayment, ...] = ()
    header: str = ""
    footer: str = ""
    reprint: bool = False
    # printed as a QR code under the totals (a payment link; the KRA eTIMS invoice later)
    qr_payload: str = ""
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
    shown = [p for p in payments.payments_for_order(order_id) if p.status in SHOWN_STATUSES]
    return ReceiptData(
        shop_name=shop.shop_name,
        order_id=order.id,
        created_at=order.created_at,
        timezone=shop.timezone,
        cashier=cashier or "",
        lines=tuple(
            ReceiptLine(line.name, line.quantity, line.unit_price, line.total)
            for line in order.lines
        ),
        total=order.total,
        vat=order.vat,
        vat_bps=order.vat_bps,
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
    )
