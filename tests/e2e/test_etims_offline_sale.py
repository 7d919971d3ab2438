"""A sale made while the relay is down is signed by KRA eTIMS once the relay is back: the real
relay and its signer, the sandbox's OSCU stand-in and a headless till, over 127.0.0.1. The
demo stack sets up the shop's eTIMS device with the stand-in, as demo mode does."""

from __future__ import annotations

from e2e_support import Till, wait_for

from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.services.etims_invoices import EtimsState, invoice_of
from pos_app.services.grants import Action
from pos_app.services.receipts import build_receipt
from pos_app.services.shop import ShopService
from pos_app.services.sync_ledger import SyncLedger
from pos_app.services.users import UserService
from pos_app.ui.receipts.render import receipt_layout
from sync.demo import DEMO_KRA_PIN as TIN
from sync.demo import DemoStack


def switch_etims_on(till: Till) -> None:
    users = UserService(till.ledger, till.bus)  # tests/conftest.py made scrypt cheap
    boss = users.create_user("Amina", "supervisor", "2468")
    grant = users.grant(boss.id, "2468", Action.SETTINGS)
    ShopService(till.ledger, till.bus).update(grant, etims_enabled=True)


def receipt_text(till: Till, order_id: str, *, reprint: bool = False) -> str:
    data = build_receipt(till.ledger, till.orders, till.payments, order_id, reprint=reprint)
    return "\n".join(receipt_layout(data, 80).lines)


def test_an_offline_sale_is_signed_once_the_relay_is_back(till: Till, stack: DemoStack) -> None:
    switch_etims_on(till)
    wait_for(lambda: till.engine.status().online, what="the first contact with the relay")
    stack.relay.stop()
    draft = till.orders.draft(
        [
            OrderLine("Sukari 1kg", Money(185_00, "KES"), 2, tax_class="B"),
            OrderLine("Unga wa Ugali 2kg", Money(210_00, "KES"), 1, tax_class="C"),
        ]
    )
    sale = till.payments.record_cash_sale(draft, Money(1_000_00, "KES"))
    wait_for(lambda: not till.engine.status().online, what="the till to notice it is offline")
    waiting = receipt_text(till, sale.order_id)
    assert "NOT A TAX INVOICE" in waiting and "SCU INFORMATION" not in waiting
    assert SyncLedger(till.ledger).queue_counts().unsigned == 1

    stack.relay.start()
    wait_for(
        lambda: SyncLedger(till.ledger).queue_counts().unsigned == 0, 30, "KRA's signature"
    )

    with till.ledger.read() as conn:
        invoice = invoice_of(conn, sale.order_id)
    assert invoice is not None and invoice.state is EtimsState.SIGNED
    signature = invoice.signature
    assert signature is not None and signature.invoice_number == 1
    kra = stack.sandbox.app.state.etims
    (signed,) = kra.signed(TIN, "00")  # signed once, for this receipt
    assert signed.body["trdInvcNo"] == invoice.receipt_number
    assert signed.body["totAmt"] == 580
    assert signature.receipt_signature == signed.data["rcptSign"]
    text = receipt_text(till, sale.order_id, reprint=True)
    assert "REPRINT" in text and "SCU INFORMATION" in text
    assert signature.cu_invoice_number in text and "NOT A TAX INVOICE" not in text
    data = build_receipt(till.ledger, till.orders, till.payments, sale.order_id)
    assert data.qr_payload == signature.qr_url
    assert signature.qr_url.endswith(f"Data={TIN}00{signature.receipt_signature}")
