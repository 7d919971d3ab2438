"""The STK dialog says why a prompt was declined and puts the advised next action first, keyed
on the provider's result code (never its text), in English and Swahili."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from pos_app.core.money import Money
from pos_app.core.orders import OrderLine

from .conftest import Shop

DUE = Money(250_00, "KES")

# code, ledger status, words the cashier must see, the button put first, buttons offered
CASES = [
    ("1032", "cancelled", "cancelled the prompt", "stk-retry", {"stk-retry", "stk-paybill"}),
    ("1031", "cancelled", "cancelled the prompt", "stk-retry", {"stk-retry", "stk-paybill"}),
    ("1037", "expired", "did not answer", "stk-paybill", {"stk-paybill", "stk-retry"}),
    ("2001", "failed", "wrong M-Pesa PIN", "stk-retry", {"stk-retry", "stk-paybill"}),
    ("1", "failed", "not have enough money", "stk-close", {"stk-retry", "stk-close"}),
    ("1019", "expired", "expired before", "stk-retry", {"stk-retry", "stk-paybill"}),
    ("1001", "failed", "busy with another", "stk-retry", {"stk-retry", "stk-paybill"}),
    ("17", "failed", "within 2 minutes", "stk-close", {"stk-retry", "stk-close"}),
    ("1025", "failed", "could not send the prompt", "stk-paybill", {"stk-paybill"}),
    ("9999", "failed", "could not send the prompt", "stk-paybill", {"stk-paybill"}),
    ("4242", "failed", "declined the payment (code 4242)", "stk-close", {"stk-close"}),
]


def _prompt_sent(qtbot: Any, ctx: Any, shop: Shop) -> Any:
    from pos_app.ui.cashier.stk_dialog import StkDialog

    shop.services.shifts.open_shift(shop.cashier.id, Money(1000_00, "KES"))
    order = ctx.counter.create_order([OrderLine("Unga 2kg", DUE)])
    dialog = StkDialog(ctx, order, DUE)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.phone, "0712 345 678")
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.payment is not None and dialog.payment.status == "awaiting_customer"
    )
    return dialog


def _declined(shop: Shop, payment_id: str, status: str, code: str) -> None:
    shop.services.payments.outcomes.apply_provider_event(
        f"evt-{payment_id}-{code}",
        status=status,
        amount_minor=DUE.minor,
        currency=DUE.currency,
        payment_id=payment_id,
        result_code=code,
        message="Request cancelled by user",  # the same text for every code: not what counts
    )


def _shown(dialog: Any) -> set[str]:
    return {
        b.objectName()
        for b in (dialog.paybill_button, dialog.retry_button, dialog.close_button)
        if b.isVisibleTo(dialog)
    }


@pytest.mark.parametrize(
    ("code", "status", "words", "first", "offered"), CASES, ids=[c[0] for c in CASES]
)
def test_each_result_code_has_its_words_and_next_action(
    qtbot: Any,
    ctx: Any,
    shop: Shop,
    code: str,
    status: str,
    words: str,
    first: str,
    offered: set[str],
) -> None:
    dialog = _prompt_sent(qtbot, ctx, shop)
    _declined(shop, dialog.payment_id, status, code)
    qtbot.waitUntil(lambda: words in dialog.status_label.text())
    assert dialog.next_label.text()
    assert offered <= _shown(dialog)
    primary = [
        b.objectName()
        for b in (dialog.paybill_button, dialog.retry_button, dialog.close_button)
        if b.isVisibleTo(dialog) and b.property("role") == "primary"
    ]
    assert primary == [first]


def test_unreachable_phone_offers_the_paybill_and_swahili_speaks(
    qtbot: Any, ctx: Any, shop: Shop
) -> None:
    dialog = _prompt_sent(qtbot, ctx, shop)
    ctx.translations.use("sw")
    try:
        _declined(shop, dialog.payment_id, "expired", "1037")
        qtbot.waitUntil(lambda: dialog.status_label.property("result-code") == "1037")
        assert "simu" in dialog.status_label.text().lower()
        assert "did not answer" not in dialog.status_label.text()
    finally:
        ctx.translations.use("en")
    qtbot.mouseClick(dialog.paybill_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "174379" in dialog.paybill_label.text())
    assert "5566778" in dialog.paybill_label.text()


def test_a_declined_prompt_without_a_code_claims_no_cause(qtbot: Any, ctx: Any, shop: Shop) -> None:
    dialog = _prompt_sent(qtbot, ctx, shop)
    shop.services.payments.outcomes.apply_provider_event(
        "evt-nocode",
        status="failed",
        amount_minor=DUE.minor,
        currency=DUE.currency,
        payment_id=dialog.payment_id,
    )
    qtbot.waitUntil(lambda: dialog.payment.status == "failed")
    qtbot.waitUntil(lambda: "declined" in dialog.status_label.text())
    assert "PIN" not in dialog.status_label.text()
    assert {"stk-retry", "stk-paybill", "stk-close"} <= _shown(dialog)


def test_the_paybill_screen_says_a_reported_payment_is_not_yet_money(
    qtbot: Any, ctx: Any, shop: Shop, gateway: Any
) -> None:
    """The customer pays from the SIM menu: while M-Pesa has not confirmed the payment the
    cashier reads that it does not count yet; then that it is confirmed, or refused."""
    from pos_app.services.gateway import PaybillPayment
    from pos_app.ui.cashier.stk_dialog import StkDialog

    shop.services.shifts.open_shift(shop.cashier.id, Money(1000_00, "KES"))
    order = ctx.counter.create_order([OrderLine("Unga 2kg", DUE)])
    dialog = StkDialog(ctx, order, DUE)
    qtbot.addWidget(dialog)
    dialog.show()
    gateway.paybill = [PaybillPayment(DUE, "confirming", test_mode=False)]
    qtbot.mouseClick(dialog.paybill_button, Qt.MouseButton.LeftButton)
    received = dialog.received_label
    qtbot.waitUntil(lambda: "Do not hand over the goods" in received.text())
    assert DUE.format() in received.text()
    assert ctx.counter.orders.get_order(order).status == "open"  # a claim pays nothing

    gateway.paybill = [PaybillPayment(DUE, "refused", test_mode=True)]
    dialog._ask_received()  # what the 3 s timer does
    qtbot.waitUntil(lambda: "refused" in received.text())
    assert "(test money)" in received.text()

    dialog.reject()
    assert not dialog.received_poll.isActive()  # a closed dialog stops asking
