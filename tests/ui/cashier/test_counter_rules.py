"""Bad input at the counter, offline tenders, recovery after a restart, a responsive GUI."""

from __future__ import annotations

import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QPushButton

from pos_app.core.errors import DukaError
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.core.payments import PaymentProvider

from .conftest import FakeGateway, Shop
from .test_whole_day import UNGA, open_tender, provider_says, scan


@pytest.fixture
def shift_open(ctx: Any) -> Any:
    """Nothing is sold before a shift is open (services.counter)."""
    return ctx.services.shifts.open_shift(ctx.current_user.id, Money(0, "KES"))


def test_empty_cart_and_letters_in_amounts(qtbot, page):
    qtbot.mouseClick(page.tender_buttons["cash"], Qt.MouseButton.LeftButton)
    assert "empty" in page.message.text()
    assert page.active_dialog is None

    scan(qtbot, page, UNGA)
    cash = open_tender(qtbot, page, "cash")
    qtbot.keyClicks(cash.tendered, "1a0b0")
    assert cash.tendered.text() == "100"  # the letters never got in
    assert "short" in cash.message.text()  # 100 handed over for 210 due
    assert not cash.pay.isEnabled()
    assert "—" in cash.change_label.text()  # never a negative change
    cash.tendered.clear()
    qtbot.keyClicks(cash.tendered, "250")
    assert "40.00" in cash.change_label.text() and cash.pay.isEnabled()
    cash.reject()


def test_online_tenders_are_disabled_offline_with_the_reason(qtbot, ctx, page, gateway):
    gateway.online = False
    ctx.status.update(online=False, offline_reason="relay unreachable")
    assert not page.tender_buttons["mpesa"].isEnabled()
    assert not page.tender_buttons["paystack"].isEnabled()
    assert page.tender_buttons["cash"].isEnabled() and page.tender_buttons["proof"].isEnabled()
    assert "relay unreachable" in page.offline_label.text()
    assert "Cash" in page.tender_buttons["mpesa"].toolTip()


def test_a_second_call_with_the_same_key_never_pays_twice(ctx, shift_open, shop: Shop):
    order_id = ctx.counter.create_order([OrderLine("Sukari", Money(18500, "KES"))])
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(
            lambda _i: ctx.counter.pay_cash(order_id, Money(18500, "KES"), Money(20000, "KES"),
                                            "one-click"),
            range(4),
        ))
    assert len({r.id for r in results}) == 1
    assert len(shop.services.payments.payments_for_order(order_id)) == 1


def test_payment_left_waiting_is_offered_again_after_a_restart(
    qtbot, ctx, shop: Shop, page, gateway: FakeGateway
):
    from pos_app.ui.cashier.sale_page import SalePage

    scan(qtbot, page, UNGA)
    stk = open_tender(qtbot, page, "mpesa")
    qtbot.keyClicks(stk.phone, "0712345678")
    qtbot.mouseClick(stk.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: stk.payment is not None and stk.payment.status == "awaiting_customer")
    payment_id = stk.payment_id
    page.close()  # the window closes mid-payment; the payment stays in the ledger

    restarted = SalePage(ctx)
    qtbot.addWidget(restarted)
    restarted.show()
    qtbot.waitUntil(lambda: restarted.resume_box.isVisible())
    assert "210.00" in restarted.resume_label.text()
    number = ctx.counter.orders.get_order(stk.order_id).receipt_number
    assert f"for sale {number}." in restarted.resume_label.text()  # as printed, not an id
    qtbot.mouseClick(restarted.resume_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: restarted.active_dialog is not None)
    resumed: Any = restarted.active_dialog
    assert resumed.payment_id == payment_id
    assert [line.name for line in restarted.cart.lines] == ["Unga wa Ugali 2kg"]
    provider_says(shop, payment_id, "succeeded", receipt="RKT1X2Y3Z4")
    qtbot.waitUntil(lambda: "RKT1X2Y3Z4" in resumed.status_label.text())
    done: list[str] = []
    restarted.sale_completed.connect(done.append)
    qtbot.mouseClick(resumed.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(done))
    assert len(gateway.stk_calls) == 1  # resuming never prompts the customer again


def test_gui_keeps_ticking_while_the_gateway_hangs_5_s(qtbot, page, gateway: FakeGateway):
    gateway.hang = threading.Event()
    scan(qtbot, page, UNGA)
    stk = open_tender(qtbot, page, "mpesa")
    qtbot.keyClicks(stk.phone, "0712345678")
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    qtbot.mouseClick(stk.send_button, Qt.MouseButton.LeftButton)
    started = time.monotonic()
    qtbot.waitUntil(lambda: time.monotonic() - started >= 5.0, timeout=7000)
    assert stk.payment is None  # still stalled inside the gateway call
    gateway.hang.set()
    qtbot.waitUntil(lambda: stk.payment is not None, timeout=5000)
    timer.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 150
    assert max(gaps) < 0.1, f"GUI stalled {max(gaps) * 1000:.0f} ms"


def test_receipt_pdf_at_both_widths_marks_test_mode(
    ctx, shift_open, shop: Shop, tmp_path: Path, qtbot
):
    from pos_app.ui.receipts.render import receipt_html, save_pdf

    order_id = ctx.counter.create_order([OrderLine("Chai", Money(12000, "KES"))])
    ctx.counter.pay_cash(order_id, Money(12000, "KES"), Money(20000, "KES"), "k1")
    data = ctx.counter.receipt(order_id)
    assert "TEST MODE" not in receipt_html(data)
    assert "80.00" in receipt_html(data)  # the change
    for width in (58, 80):
        assert save_pdf(data, tmp_path / f"r{width}.pdf", width).read_bytes()[:4] == b"%PDF"
    from dataclasses import replace

    test_payment = replace(data.payments[0], test_mode=True)
    assert "TEST MODE" in receipt_html(replace(data, payments=(test_payment,)))


def test_test_mode_payments_carry_the_mark_on_the_receipt(ctx, shift_open, shop: Shop):
    from pos_app.ui.receipts.render import receipt_html

    ctx.status.update(test_mode_providers=("paystack",))
    order_id = ctx.counter.create_order([OrderLine("Chai", Money(12000, "KES"))])
    view, url = ctx.counter.start_link(
        order_id, PaymentProvider.PAYSTACK, Money(12000, "KES"), None, "k-test"
    )
    assert view.test_mode and url.startswith("https://")
    provider_says(shop, view.id, "succeeded", receipt="T1234567")
    assert "TEST MODE" in receipt_html(ctx.counter.receipt(order_id))


def test_cod_cancelled_with_a_reason_cancels_the_order(qtbot, ctx, shift_open, shop: Shop):
    from PySide6.QtWidgets import QInputDialog

    from pos_app.ui.cashier.cod_page import CodPage

    from .helpers import answer_next_modal

    order_id = ctx.counter.create_order([OrderLine("Unga", Money(21000, "KES"))])
    ctx.counter.start_cod(order_id, Money(21000, "KES"), "Baraka", "0711222333", "Gikomba", "c1")
    page = CodPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    page.table.selectRow(0)

    def give_reason(dialog: Any) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("customer not at home")
        dialog.accept()

    answer_next_modal(give_reason)
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.table.rowCount() == 0, timeout=5000)
    assert shop.services.orders.get_order(order_id).status == "cancelled"
    [payment] = shop.services.payments.payments_for_order(order_id)
    assert payment.status == "cancelled"


def test_idle_watcher_fires_after_quiet_and_input_restarts_it(qtbot):
    from PySide6.QtWidgets import QApplication, QLineEdit

    from pos_app.ui.login.idle_lock import IdleWatcher

    watcher = IdleWatcher(seconds=0.3)
    app: Any = QApplication.instance()
    app.installEventFilter(watcher)
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    fired: list[float] = []
    watcher.idle.connect(lambda: fired.append(time.monotonic()))
    watcher.start()
    started = time.monotonic()
    for _ in range(3):
        qtbot.wait(150)
        qtbot.keyClick(field, "a")  # activity keeps pushing the lock away
    assert not fired
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)
    assert fired[0] - started >= 0.7
    app.removeEventFilter(watcher)


def test_a_price_change_needs_a_supervisor_pin(qtbot, page):
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    from .conftest import SUPERVISOR_PIN
    from .helpers import answer_next_modal, child

    scan(qtbot, page, UNGA)

    def supervisor_approves(dialog: Any) -> None:
        qtbot.keyClicks(child(dialog, QLineEdit, "pin-input"), SUPERVISOR_PIN)
        qtbot.keyPress(child(dialog, QLineEdit, "pin-input"), Qt.Key.Key_Return)

    def new_price(dialog: Any) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("180")
        answer_next_modal(
            supervisor_approves,
            ready=lambda d: d.objectName() == "supervisor-pin-dialog" and d.supervisor.count(),  # type: ignore[attr-defined]
        )
        dialog.accept()

    answer_next_modal(new_price)
    qtbot.mouseClick(page.override, Qt.MouseButton.LeftButton)
    assert page.cart.lines[0].unit_price == Money(18000, "KES")
    assert "180.00" in page.total_label.text()


def test_paybill_with_a_pasted_sms_records_its_receipt_code(ctx, shift_open, shop: Shop):
    order_id = ctx.counter.create_order([OrderLine("Soda", Money(7000, "KES"))])
    sms = ("TJK6H7T3GA Confirmed. Ksh70.00 paid to person 1. on 20/10/24 at 4:21 PM.New M-PESA "
           "balance is Ksh123.12. Transaction cost, Ksh0.00.")
    view = ctx.counter.submit_mpesa_code(order_id, Money(7000, "KES"), sms, "sms-1")
    assert (view.method, view.status) == ("mpesa_paybill", "awaiting_verification")
    [proof] = shop.services.payments.proofs_for_payment(view.id)
    assert (proof.proof_type, proof.reference) == ("sms_text", "TJK6H7T3GA")

    other = ctx.counter.create_order([OrderLine("Soda", Money(8000, "KES"))])
    with pytest.raises(DukaError, match=r"70\.00"):  # an SMS for another amount is refused
        ctx.counter.submit_mpesa_code(other, Money(8000, "KES"), sms, "sms-2")
    with pytest.raises(DukaError, match="receipt code"):
        ctx.counter.submit_mpesa_code(other, Money(8000, "KES"), "12ab", "sms-3")


def test_supervisor_imports_a_catalogue_csv_and_bad_rows_import_nothing(
    qtbot, ctx, shop: Shop, tmp_path: Path
):
    from PySide6.QtWidgets import QLineEdit

    from pos_app.ui.cashier.catalogue_page import CataloguePage

    from .conftest import SUPERVISOR_PIN
    from .helpers import answer_next_modal, child

    def supervisor_approves() -> None:  # importing changes prices: the PIN is asked each time
        def type_pin(dialog: Any) -> None:
            qtbot.keyClicks(child(dialog, QLineEdit, "pin-input"), SUPERVISOR_PIN)
            qtbot.keyPress(child(dialog, QLineEdit, "pin-input"), Qt.Key.Key_Return)

        answer_next_modal(
            type_pin,
            ready=lambda d: d.objectName() == "supervisor-pin-dialog" and d.supervisor.count(),  # type: ignore[attr-defined]
        )

    ctx.current_user = shop.supervisor
    page = CataloguePage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.table.rowCount() == 21)  # the demo catalogue
    bad = tmp_path / "bad.csv"
    bad.write_text("name,price,barcode\nUji,abc,111\nChapati,20.00,222\n", encoding="utf-8")
    supervisor_approves()
    page.import_file(bad)
    qtbot.waitUntil(lambda: "Nothing was imported" in page.message.text())
    good = tmp_path / "good.csv"
    good.write_text("name,price,barcode\nChapati,20.00,222\nMandazi,10.00,333\n",
                    encoding="utf-8")
    supervisor_approves()
    page.import_file(good)
    qtbot.waitUntil(lambda: page.table.rowCount() == 23)
    assert "2 new" in page.message.text()
    assert ctx.counter.find_for_enter("333").product.name == "Mandazi"


def test_changing_the_cart_before_any_payment_needs_no_pin_and_drops_the_order(
    qtbot, page, shop: Shop
):
    scan(qtbot, page, UNGA)
    cash = open_tender(qtbot, page, "cash")
    order_id = page.order_id
    qtbot.mouseClick(cash.findChild(QPushButton, "cash-cancel"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.active_dialog is None and page.balance is not None)
    qtbot.mouseClick(page.plus, Qt.MouseButton.LeftButton)  # no PIN dialog: nothing was paid
    assert page.cart.lines[0].quantity == 2 and page.order_id is None
    qtbot.waitUntil(lambda: shop.services.orders.get_order(order_id).status == "cancelled")
