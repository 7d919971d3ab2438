"""Settling a COD order says who brought the cash: the settle dialog, the ledger (encrypted)
and the receipt, in English and Swahili; real widgets and a real SQLite file."""

from __future__ import annotations

import sqlite3
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select

from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.store.schema import audit_log

from .conftest import Shop

RIDER = "Otieno Boda"
DUE = Money(1_450_00, "KES")


def _cod_order(ctx: Any, shop: Shop) -> Any:
    shop.services.shifts.open_shift(shop.cashier.id, Money(1000_00, "KES"))
    order = ctx.counter.create_order([OrderLine("Mafuta 5L", DUE)])
    ctx.counter.start_cod(order, DUE, "Wanjiku", "0712 345 678", "Kilimani, Nairobi", "k-cod")
    [cod] = ctx.counter.open_cod_orders()
    return cod


def _dialog(qtbot: Any, ctx: Any, cod: Any) -> Any:
    from pos_app.ui.cashier.cod_settle_dialog import CodSettleDialog

    dialog = CodSettleDialog(ctx, cod)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_rider_is_recorded_encrypted_and_printed(qtbot: Any, ctx: Any, shop: Shop) -> None:
    from pos_app.ui.receipts.render import receipt_html

    cod = _cod_order(ctx, shop)
    dialog = _dialog(qtbot, ctx, cod)
    assert dialog.amount.text() == "1450.00"  # the expected cash, ready to confirm
    qtbot.keyClicks(dialog.collected_by, f"  {RIDER} ")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)  # a second click: one settle

    payment = shop.services.payments.get_payment(cod.payment_id)
    assert (payment.status, payment.collected_by) == ("succeeded", RIDER)
    assert RIDER not in repr(payment)
    assert ctx.counter.open_cod_orders() == []
    receipt = receipt_html(ctx.counter.receipt(cod.order_id))
    assert "Collected by" in receipt and RIDER in receipt

    with shop.services.ledger.read() as conn:
        settled = [
            r.details for r in conn.execute(select(audit_log)) if r.action == "payment.cod_settled"
        ]
    assert len(settled) == 1 and RIDER not in str(settled)
    shop.services.ledger.close()
    assert shop.settings.db_path is not None
    db = sqlite3.connect(shop.settings.db_path)
    try:
        for (sql,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            for row in db.execute(f'SELECT * FROM "{sql}"'):
                assert "Otieno" not in repr(row), sql
    finally:
        db.close()


def test_letters_in_the_amount_and_a_short_sum_without_a_name(
    qtbot: Any, ctx: Any, shop: Shop
) -> None:
    cod = _cod_order(ctx, shop)
    dialog = _dialog(qtbot, ctx, cod)
    dialog.amount.setText("elfu moja")
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    assert dialog.message.text() and dialog.isVisible()
    dialog.amount.setText("1400")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    payment = shop.services.payments.get_payment(cod.payment_id)
    assert payment.collected_by is None
    assert payment.paid_amount == Money(1_400_00, "KES") and payment.needs_supervisor


def test_swahili_settle_dialog_and_receipt(qtbot: Any, ctx: Any, shop: Shop) -> None:
    from pos_app.ui.receipts.render import receipt_html

    cod = _cod_order(ctx, shop)
    ctx.translations.use("sw")
    try:
        dialog = _dialog(qtbot, ctx, cod)
        assert dialog.save.text() != "Record the cash"
        qtbot.keyClicks(dialog.collected_by, RIDER)
        with qtbot.waitSignal(dialog.accepted, timeout=5000):
            qtbot.keyPress(dialog.collected_by, Qt.Key.Key_Return)
        receipt = receipt_html(ctx.counter.receipt(cod.order_id))
        assert "Imeletwa na" in receipt and RIDER in receipt
    finally:
        ctx.translations.use("en")
