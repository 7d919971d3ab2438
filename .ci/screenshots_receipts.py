"""Receipts as they come off a 58 mm and an 80 mm roll, in English and Swahili: a real cash
sale over a real ledger, saved through the QPrinter PDF path and rasterised by pdftoppm
(poppler-utils).

    .venv/bin/python .ci/screenshots_receipts.py

Writes docs/screenshots/receipt-<58|80>mm-<en|sw>.png, and for a Kenyan eTIMS shop the same
sale waiting for KRA's signature and signed (receipt-etims-<waiting|signed>-<58|80>mm-<en|sw>.png;
the signature is an example of KRA's shape, as the sandbox gives).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from itertools import product
from pathlib import Path

os.environ.setdefault("DUKA_KEYRING", "memory")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pos_app.config import TillSettings  # noqa: E402
from pos_app.core.money import Money  # noqa: E402
from pos_app.core.orders import OrderLine  # noqa: E402
from pos_app.services import build_services  # noqa: E402
from pos_app.services.etims_invoices import EtimsInvoice, EtimsSignature, EtimsState  # noqa: E402
from pos_app.services.grants import Action  # noqa: E402
from pos_app.services.receipts import ReceiptData, build_receipt  # noqa: E402
from pos_app.store.db import open_ledger  # noqa: E402
from pos_app.ui.application import Translations, create_application  # noqa: E402
from pos_app.ui.receipts.render import save_pdf  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def kes(minor: int) -> Money:
    return Money(minor, "KES")


def a_sale(data_dir: Path) -> ReceiptData:
    ledger = open_ledger(TillSettings(data_dir=data_dir, keyring="memory"))
    s = build_services(ledger)
    boss = s.users.create_user("Amina", "supervisor", "2468")
    cashier = s.users.create_user("Brian", "cashier", "1357",
                                  grant=s.users.grant(boss.id, "2468", Action.STAFF))
    s.shop.update(s.users.grant(boss.id, "2468", Action.SETTINGS),
                  shop_name="Mama Njeri Duka la Jumla",
                  receipt_header="Kariakor Market, Nairobi\nPIN P051234567X")
    s.shifts.open_shift(cashier.id, kes(500_00))
    # in the classes the demo catalogue gives these goods (flour and milk zero-rated)
    draft = s.orders.draft([
        OrderLine("Unga wa mahindi Jogoo 2kg", kes(21000), 2, tax_class="C"),
        OrderLine("Maziwa Brookside Tarehe ya mwisho 12/12 500ml", kes(6500), 3, tax_class="C"),
        OrderLine("Sukari Kabras 1kg", kes(18000), tax_class="B"),
        OrderLine("Mafuta ya kupikia Kimbo 1L", kes(39500), tax_class="B"),
    ])
    paid = s.payments.record_cash_sale(draft, kes(2_000_00), cashier_id=cashier.id)
    data = build_receipt(ledger, s.orders, s.payments, paid.order_id)
    ledger.close()
    return data


SIGNATURE = EtimsSignature(
    invoice_number=1042, control_unit_id="KRACU0100000123",
    cu_invoice_number="KRACU0100000123/1042", receipt_counter=1012, total_receipt_counter=1042,
    internal_data="B4QZ7KXM2TLRWV5NJYDC3HPAEG", receipt_signature="K7TQ2MXW5RZB3NVA",
    signed_at=datetime(2026, 12, 3, 8, 30, 6, tzinfo=UTC),
    qr_url="https://etims.kra.go.ke/common/link/etims/receipt/indexEtimsReceiptData"
    "?Data=P051234567X00K7TQ2MXW5RZB3NVA",
)  # fmt: skip


def variants(data: ReceiptData) -> dict[str, ReceiptData]:
    number = data.receipt_number or "TILL1-000001"
    return {
        "receipt": data,
        "receipt-etims-waiting": replace(
            data, etims=EtimsInvoice(number, EtimsState.WAITING, None)
        ),
        "receipt-etims-signed": replace(
            data, etims=EtimsInvoice(number, EtimsState.SIGNED, SIGNATURE),
            qr_payload=SIGNATURE.qr_url,
        ),
    }


def main() -> None:
    app = create_application([])
    translations = Translations(app)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sale = a_sale(Path(tmp))
        for language in ("en", "sw"):
            translations.use(language)
            for (name, data), width in product(variants(sale).items(), (58, 80)):
                pdf = save_pdf(data, Path(tmp) / f"{name}{width}{language}.pdf", width)
                png = OUT / f"{name}-{width}mm-{language}"
                subprocess.run(["pdftoppm", "-png", "-r", "200", "-singlefile", str(pdf),
                                str(png)], check=True)
                print(png.with_suffix(".png").relative_to(ROOT))


if __name__ == "__main__":
    main()
