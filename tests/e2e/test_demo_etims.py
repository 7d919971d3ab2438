"""Demo mode signs a Kenyan demo till's sales with the sandbox's KRA stand-in, without any
credentials: the first run's setup (demo catalogue, KES) switches eTIMS on, the demo stack
sets up the shop's device, the catalogue's items are registered, and a cash sale comes back
signed with the SCU block and the QR link on its receipt, again after a restart."""

from __future__ import annotations

from pathlib import Path

from e2e_support import wait_for

from pos_app.app import apply_setup
from pos_app.config import TillSettings
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.services import Services, build_services
from pos_app.services.etims_invoices import EtimsState, invoice_of
from pos_app.services.receipts import build_receipt
from pos_app.services.sync_ledger import SyncLedger
from pos_app.store.db import open_ledger
from pos_app.ui.login.setup_dialog import SetupDetails
from pos_app.ui.receipts.render import receipt_layout
from sync.demo import DEMO_KRA_PIN
from sync.engine.runtime import start_till_sync
from sync.sandbox.etims_api import EtimsWorld


def sell(services: Services, name: str, count: int) -> str:
    (product,) = [p for p in services.catalogue.list_products() if p.name == name]
    draft = services.orders.draft([OrderLine(name, product.price, count, product_id=product.id)])
    return services.payments.record_cash_sale(draft, Money(5_000_00, "KES")).order_id


def signed_receipt(services: Services, order_id: str, within_s: float = 30) -> str:
    unsigned = SyncLedger(services.ledger).queue_counts
    wait_for(lambda: unsigned().unsigned == 0, within_s, "KRA's signature")
    with services.ledger.read() as conn:
        invoice = invoice_of(conn, order_id)
    assert invoice is not None and invoice.state is EtimsState.SIGNED, invoice
    data = build_receipt(services.ledger, services.orders, services.payments, order_id)
    assert invoice.signature is not None and data.qr_payload == invoice.signature.qr_url
    assert data.qr_payload.endswith(f"Data={DEMO_KRA_PIN}00{invoice.signature.receipt_signature}")
    text = "\n".join(receipt_layout(data, 58).lines)
    assert "SCU INFORMATION" in text and invoice.signature.cu_invoice_number in text
    assert "NOT A TAX INVOICE" not in text
    return invoice.signature.cu_invoice_number


def test_a_kenyan_demo_till_has_its_sales_signed(tmp_path: Path) -> None:
    settings = TillSettings(data_dir=tmp_path / "till", keyring="memory", till_id="demo")
    ledger = open_ledger(settings)
    services = build_services(ledger)
    apply_setup(
        services,
        SetupDetails(
            shop_name="Duka la Mama", currency="KES", vat_bps=1600, timezone="Africa/Nairobi",
            language="en", supervisor_name="Amina", supervisor_pin="2468", relay_url=None,
            pairing_code=None, demo_catalogue=True,
        ),
    )  # fmt: skip
    products = len(services.catalogue.list_products())
    sync = start_till_sync(ledger, services.bus, settings)
    try:
        assert sync.demo is not None
        order_id = sell(services, "Mchele Pishori 1kg", 2)  # exempt (A)
        first = signed_receipt(services, order_id)
        assert first.endswith("/1")
        kra: EtimsWorld = sync.demo.sandbox.app.state.etims
        (signed,) = kra.signed(DEMO_KRA_PIN, "00")
        assert signed.body["taxblAmtA"] == 440 and signed.body["taxAmtB"] == 0
        (line,) = signed.body["itemList"]
        assert kra.items[(DEMO_KRA_PIN, line["itemCd"])]["taxTyCd"] == "A"  # registered first
        # every product of the demo catalogue was registered with KRA from its own event
        wait_for(lambda: len(kra.items) == products, 10, "the catalogue's items")
        assert {i["itemNm"] for i in kra.items.values()} >= {"Mchele Pishori 1kg", "Sukari 1kg"}
    finally:
        sync.stop()
    # a new run: a fresh sandbox knows the device again, and KRA's numbers continue
    again = start_till_sync(ledger, services.bus, settings)
    try:
        assert again.demo is not None and again.demo.shop_id == sync.demo.shop_id
        second = signed_receipt(services, sell(services, "Sukari 1kg", 1))
        assert second.endswith("/2")
    finally:
        again.stop()
        ledger.close()
