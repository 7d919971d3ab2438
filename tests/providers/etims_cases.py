"""The worked eTIMS cases the golden bodies hold: a mixed basket (bands A, B, C and E, a line
discount, a weighed item) and a credit note returning one unit of its discounted line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pos_app.core.discounts import Discount
from pos_app.core.money import Money
from pos_app.core.pricing import CartLine, PricedCart, price_cart
from pos_app.core.quantities import Quantity, Unit
from pos_app.core.refunds import SoldLine, credit_note
from pos_app.core.tax import KENYA
from sync.providers.etims import EtimsConfig, SaleRequest
from sync.providers.etims_sale import (
    EtimsItem,
    InvoiceHeader,
    ReceiptTexts,
    credit_note_request,
    sale_request,
)

ETIMS_SAMPLES = Path(__file__).parent / "samples" / "etims"
GOLDEN = ETIMS_SAMPLES / "golden"

TIN = "P000000001A"
CMC_KEY = "3f9c1a7e5b2d4c8f9a6e0b1d2c3f4a5b"
SDC_ID = "KRACU0100000123"
BASE = "https://etims.test/etims-api"
DEVICE = EtimsConfig(
    TIN, "00", base_url=BASE, cmc_key=CMC_KEY, control_unit_id=SDC_ID, retry_backoff_s=0
)


def kes(text: str) -> Money:
    return Money.parse(text, "KES")


LINES = (
    CartLine(
        "Sugar 1kg",
        kes("165.00"),
        Quantity.each(3),
        "B",
        Discount(kes("15.00"), "Promotion: 5 off each"),
    ),
    CartLine("Rice (loose)", kes("180.00"), Quantity.parse("1.255", Unit.KG), "A"),
    CartLine("Milk 500ml", kes("60.00"), Quantity.each(2), "C"),
    CartLine("Kerosene 1L", kes("158.00"), Quantity.each(1), "E"),
)
ITEMS = (
    EtimsItem("KE2NTNO0000001", "5000000000", "NO", barcode="6161101600019"),
    EtimsItem("KE2NTKG0000002", "5000000001", "KG"),
    EtimsItem("KE2NTNO0000003", "5000000002", "NO"),
    EtimsItem("KE2NTNO0000004", "5000000003", "NO"),
)
SHOP = ReceiptTexts("EXAMPLE MART", "Example Plaza, Nairobi", "Karibu", "Asante")


def basket() -> PricedCart:
    return price_cart(LINES, KENYA)


def sale_header(invoice_number: int = 1042, receipt: str = "TILL1-000872") -> InvoiceHeader:
    return InvoiceHeader(
        trader_invoice_number=receipt,
        invoice_number=invoice_number,
        confirmed_at=datetime(2026, 1, 15, 11, 30, 5, tzinfo=UTC),
        payment_type="06",
        cashier_id="till01",
        cashier_name="Till 1",
        receipt=SHOP,
        buyer_tin="P000000002B",
        buyer_name="Example Buyer Ltd",
    )


def mixed_sale(invoice_number: int = 1042, receipt: str = "TILL1-000872") -> SaleRequest:
    return sale_request(basket(), ITEMS, sale_header(invoice_number, receipt))


def returned_sugar() -> SaleRequest:
    sold = basket()
    note = credit_note(
        [SoldLine(p.line.quantity, p.net, p.line.tax_class) for p in sold.lines],
        {0: Quantity.each(1)},
        KENYA,
    )
    header = InvoiceHeader(
        trader_invoice_number="TILL1-000880",
        invoice_number=1043,
        confirmed_at=datetime(2026, 1, 16, 7, 15, tzinfo=UTC),
        payment_type="06",
        cashier_id="till01",
        cashier_name="Till 1",
        receipt=SHOP,
        buyer_tin="P000000002B",
        buyer_name="Example Buyer Ltd",
        remark="Customer returned 1 unit",
    )
    return credit_note_request(
        note, sold, ITEMS, header, original_invoice_number=1042, reason_code="06"
    )


def golden(name: str) -> Any:
    return json.loads((GOLDEN / name).read_text())


def etims_sample(name: str) -> Any:
    return json.loads((ETIMS_SAMPLES / name).read_text())
