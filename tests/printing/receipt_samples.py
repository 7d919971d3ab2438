"""Receipts to print in the printing tests (a module name no other test folder uses)."""

from __future__ import annotations

from datetime import UTC, datetime

from pos_app.core.money import Money
from pos_app.core.quantities import Quantity, Unit
from pos_app.core.tax import KENYA, summarise, tax_line
from pos_app.services.receipts import ReceiptData, ReceiptLine, ReceiptPayment, ReceiptTaxBand


def kes(minor: int) -> Money:
    return Money(minor, "KES")


LINES = (
    ReceiptLine("Unga wa mahindi Jogoo 2kg", 2, kes(21000), kes(42000), "C"),
    ReceiptLine("Maziwa Brookside Tarehe 12/12 lala 500ml pakiti", 3, kes(6500), kes(19500),
                "C"),
    ReceiptLine("Supercalifragilisticexpialidocious-detergent-refill", 1, kes(123456789),
                kes(123456789), "B"),
    ReceiptLine("Sukari", 10, kes(18000), kes(180000), "B"),
)
# loose sugar from the scale (170.00 a kilo x 0.75 kg) beside a bag of flour
WEIGHED_LINES = (
    ReceiptLine("Sukari ya Kupima (kg)", Quantity(750, Unit.KG), kes(17000), kes(12750), "B"),
    LINES[0],
)


def sample_receipt(
    *,
    method: str = "cash",
    test_mode: bool = False,
    qr_payload: str = "",
    lines: tuple[ReceiptLine, ...] = LINES,
) -> ReceiptData:
    taxes = summarise((tax_line(line.total, KENYA.get(line.tax_class)) for line in lines), KENYA,
                      "KES")
    total = sum(line.total.minor for line in lines)
    if method == "cash":
        payment = ReceiptPayment("cash", kes(total), "succeeded", tendered=kes(total + 4400),
                                 change=kes(4400))
    else:
        payment = ReceiptPayment(method, kes(total), "succeeded", reference="SGM9K4LQ7B",
                                 test_mode=test_mode)
    return ReceiptData(
        shop_name="Mama Njeri Duka la Jumla",
        order_id="1a2b3c4d-0000-4000-8000-000000000000",
        created_at=datetime(2026, 12, 2, 9, 30, tzinfo=UTC),
        timezone="Africa/Nairobi",
        cashier="Brian",
        lines=lines,
        total=kes(total),
        vat=taxes.tax,
        taxes=tuple(
            ReceiptTaxBand(b.tax_class.code, b.tax_class.rate_bps, b.taxable, b.tax)
            for b in taxes.bands
        ),
        receipt_number="TILL1-000042",
        payments=(payment,),
        header="Biashara Street, Nairobi\nTel 0712 345 678",
        footer="Asante! Karibu tena.",
        qr_payload=qr_payload,
    )
