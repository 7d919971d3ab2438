"""Demo mode texts a receipt with no SMS account: the till's outbox event, the real relay's
sender and the sandbox's Africa's Talking stand-in, over 127.0.0.1; the till learns it was
sent from the pull stream."""

from __future__ import annotations

from e2e_support import Till, wait_for

from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.services import sms_receipts
from pos_app.services.receipts import build_receipt
from pos_app.services.sms_receipts import SmsState, SmsWords
from sync.demo import DemoStack
from sync.sandbox.africastalking_api import SmsWorld

WORDS = SmsWords("Receipt", "Total", "eTIMS", {"cash": "Cash"})


def test_demo_mode_texts_a_receipt_through_the_sandbox(till: Till, stack: DemoStack) -> None:
    draft = till.orders.draft([OrderLine("Sukari 1kg", Money(185_00, "KES"), 2)])
    sale = till.payments.record_cash_sale(draft, Money(400_00, "KES"))
    receipt = build_receipt(till.ledger, till.orders, till.payments, sale.order_id)
    asked = sms_receipts.request(till.ledger, till.bus, None, receipt, "0712 345 678", WORDS)

    def settled() -> bool:
        latest = sms_receipts.latest_for(till.ledger, sale.order_id)
        return latest is not None and latest.state is not SmsState.WAITING

    wait_for(settled, 30, "the relay's answer for the text")
    latest = sms_receipts.latest_for(till.ledger, sale.order_id)
    assert latest is not None and (latest.id, latest.state) == (asked.id, SmsState.SENT)
    world: SmsWorld = stack.sandbox.app.state.sms
    [sent] = world.sent  # sent once
    assert sent.to == "+254712345678" and sent.username == "sandbox"
    assert sent.message == sms_receipts.receipt_text(receipt, WORDS)
    assert "Receipt TILL1-000001" in sent.message and "Total KES 370.00" in sent.message
