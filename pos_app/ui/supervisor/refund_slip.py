"""The refund slip: the receipt's layout, marked REFUND, saved as a PDF in the slips folder.

Built and written on a worker (the page submits `save_refund_slip` through TaskRunner), the way
a receipt's data is: it reads the shop's settings from the ledger and writes a file, and the
GUI thread waits on neither. It takes plain values only, its words already translated by the
page, and touches no widget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pos_app.core.money import Money
from pos_app.core.refunds import CreditNote
from pos_app.printing.layout import sale_number
from pos_app.services.receipts import ReceiptData, ReceiptLine, ReceiptPayment, ReceiptTaxBand
from pos_app.services.shop import ShopSettings
from pos_app.ui.receipts.render import save_pdf


@dataclass(frozen=True, slots=True)
class RefundSlip:
    order_id: str
    receipt_number: str  # the sale's, as on the customer's receipt; "" for one stored before
    method: str
    amount: Money
    reason_line: str  # "Refund: torn bag", in the page's language
    header: str  # "*** REFUND ***"
    # a refund by line: the lines that came back, as the receipt printed them, and their taxes
    returned: tuple[ReceiptLine, ...] = ()
    credit: CreditNote | None = None


def save_refund_slip(slip: RefundSlip, shop: Callable[[], ShopSettings], folder: Path) -> Path:
    """Call on a worker: the slip's PDF, named by the sale's number and the shop's time."""
    settings = shop()
    credit, amount = slip.credit, slip.amount
    data = ReceiptData(
        shop_name=settings.shop_name,
        order_id=slip.order_id,
        created_at=datetime.now(UTC),
        timezone=settings.timezone,
        cashier="",
        lines=slip.returned or (ReceiptLine(slip.reason_line, 1, amount, amount),),
        total=amount,
        vat=credit.taxes.tax if credit else Money.zero(amount.currency),
        taxes=tuple(
            ReceiptTaxBand(b.tax_class.code, b.tax_class.rate_bps, b.taxable, b.tax)
            for b in credit.taxes.bands
        ) if credit else (),
        payments=(ReceiptPayment(slip.method, amount, "refunded"),),
        header=f"{slip.header}\n{slip.reason_line}" if slip.returned else slip.header,
        receipt_number=slip.receipt_number,
    )
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(ZoneInfo(settings.timezone)).strftime("%Y%m%d-%H%M%S")  # shop time
    name = f"refund-{sale_number(slip.order_id, slip.receipt_number)}-{stamp}.pdf"
    return save_pdf(data, folder / name)
