"""The refunds desk lists sales, not payments: a split sale is one row with its payments
beneath, under the receipt number printed on the customer's receipt; a search finds a sale by
that number (as typed), its short id, or its amount; nothing is prefilled; a refund
leaves a slip (PDF, the receipt's layout, marked REFUND)."""

from __future__ import annotations

import threading
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt

from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.printing.layout import readable_number
from pos_app.services.customers import CustomerDetails
from pos_app.ui.supervisor.refunds_page import RefundsPage
from sync.demo_day import DEMO_PINS

WAIT = 5000


def split_sale(desk, ids) -> tuple[str, str, str]:
    """Mchele 1,234.00: 1,000.00 in cash now, 234.00 on delivery."""
    order = desk.orders.create_order([OrderLine("Mchele 10kg", Money(123_400, "KES"))],
                                     cashier_id=ids.cashier.id, shift_id=ids.shift_id)
    cash = desk.payments.create_payment(order.id, Money(100_000, "KES"), None, None, "cash",
                                        created_by=ids.cashier.id)
    desk.payments.process_payment(cash.id, actor_id=ids.cashier.id)
    cod = desk.payments.create_cod(order.id, created_by=ids.cashier.id)
    desk.payments.settle_cod(cod.id, Money(23_400, "KES"), actor_id=ids.cashier.id)
    return order.id, cash.id, cod.id


def test_a_split_sale_is_one_row_with_its_payments_beneath(qtbot, desk, ids, tasks,
                                                           tmp_path: Path):
    order_id, cash_id, _cod = split_sale(desk, ids)
    page = RefundsPage(desk.refunds, desk.users.list_users, tasks, lambda: ids.supervisor.id,
                       slips_dir=tmp_path / "slips")
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: bool(page.sales) and page.approver.count() == 3, timeout=WAIT)
    number = str(desk.orders.get_order(order_id).receipt_number)  # as printed: TILL1-000007
    assert number.count("-") == 1 and number.split("-")[1].isdigit()
    sale_rows = [n for n, (s, p) in enumerate(page.rows) if s.order_id == order_id]
    assert len(sale_rows) == 3  # the sale, then its two payments
    head = sale_rows[0]
    assert page.table.item(head, 0).text() == number
    assert page.table.item(head, 2).text() == "1 x Mchele 10kg"
    assert page.table.item(head, 3).text() == "KES 1,234.00"
    assert page.table.item(head, 4).text() == "Cash + Cash on delivery"
    assert "Cash paid KES 1,000.00" in page.table.item(head + 1, 2).text()

    page.search.setText(number.replace("-", " ").lower())  # the receipt number as typed
    assert [s.order_id for s, p in page.rows if p is None] == [order_id]
    page.search.setText(readable_number(order_id).lower())  # or the short id a screen showed
    assert [s.order_id for s, p in page.rows if p is None] == [order_id]
    page.search.setText("1234")  # or the amount
    assert order_id in {s.order_id for s, _p in page.rows}
    page.search.setText("")

    page.table.selectRow(head)  # the split sale itself
    assert page.selected is None and "pick the payment" in page.how_label.text()
    page.table.selectRow(page.row_of(cash_id))
    assert page.selected is not None and page.selected.payment.id == cash_id
    assert page.amount.text() == ""  # nothing prefilled
    assert "1,000.00" in page.amount.placeholderText()

    page.amount.setText("150")
    page.reason.setText("Bag torn")
    page.pin.setText(DEMO_PINS["Amina Wanjiru"])
    qtbot.mouseClick(page.refund_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.slip_path is not None, timeout=WAIT)
    slip = page.slip_path
    assert slip is not None and slip.parent == tmp_path / "slips"
    assert slip.read_bytes()[:4] == b"%PDF"
    assert number in "".join(page_.extract_text() for page_ in PdfReader(slip).pages)
    assert slip.name.startswith(f"refund-{number}-")
    assert page.message.text() == f"Refund recorded: KES 150.00. Refund slip saved: {slip}"
    assert desk.payments.get_payment(cash_id).refunded == Money(15_000, "KES")


def test_a_sale_is_found_by_the_customers_phone(qtbot, desk, ids, tasks, tmp_path: Path):
    order = desk.orders.create_order([OrderLine("Mafuta 3L", Money(89_000, "KES"))],
                                     cashier_id=ids.cashier.id, shift_id=ids.shift_id)
    cod = desk.payments.create_cod(
        order.id, CustomerDetails("Wanjiru", "0712 345 678", "Kilimani"),
        created_by=ids.cashier.id)
    desk.payments.settle_cod(cod.id, Money(89_000, "KES"), actor_id=ids.cashier.id)
    page = RefundsPage(desk.refunds, desk.users.list_users, tasks, lambda: ids.supervisor.id,
                       slips_dir=tmp_path)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: bool(page.sales), timeout=WAIT)
    page.search.setText("0712 345 678")
    qtbot.waitUntil(lambda: [s.order_id for s, p in page.rows if p is None] == [order.id],
                    timeout=WAIT)
    page.search.setText("0799 999 999")  # nobody: nothing shown
    qtbot.waitUntil(lambda: not page.rows, timeout=WAIT)


def test_the_refund_slip_is_built_and_saved_off_the_gui_thread(
    qtbot, desk, ids, tasks, tmp_path: Path, monkeypatch
):
    """The slip reads the shop's settings and writes a PDF: like a receipt, on a worker."""
    from pos_app.ui.supervisor import refund_slip

    threads: dict[str, list[bool]] = {"shop": [], "pdf": []}
    read_shop, write_pdf = desk.refunds.shop, refund_slip.save_pdf

    def shop():
        threads["shop"].append(threading.current_thread() is threading.main_thread())
        return read_shop()

    def save_pdf(*args, **kwargs):
        threads["pdf"].append(threading.current_thread() is threading.main_thread())
        return write_pdf(*args, **kwargs)

    monkeypatch.setattr(desk.refunds, "shop", shop)
    monkeypatch.setattr(refund_slip, "save_pdf", save_pdf)
    _order_id, cash_id, _cod = split_sale(desk, ids)
    page = RefundsPage(desk.refunds, desk.users.list_users, tasks, lambda: ids.supervisor.id,
                       slips_dir=tmp_path / "slips")
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.row_of(cash_id) is not None and page.approver.count() == 3,
                    timeout=WAIT)
    page.table.selectRow(page.row_of(cash_id))
    page.amount.setText("100")
    page.reason.setText("Wrong size")
    page.pin.setText(DEMO_PINS["Amina Wanjiru"])
    qtbot.mouseClick(page.refund_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.slip_path is not None, timeout=WAIT)
    assert threads == {"shop": [False], "pdf": [False]}  # once each, never on the GUI thread
    assert page.slip_path is not None and page.slip_path.read_bytes()[:4] == b"%PDF"


def test_a_slip_that_cannot_be_saved_leaves_the_refund_recorded_and_says_so(
    qtbot, desk, ids, tasks, tmp_path: Path
):
    _order_id, cash_id, _cod = split_sale(desk, ids)
    blocked = tmp_path / "slips"
    blocked.write_text("a file where the slips folder should be")
    page = RefundsPage(desk.refunds, desk.users.list_users, tasks, lambda: ids.supervisor.id,
                       slips_dir=blocked)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.row_of(cash_id) is not None and page.approver.count() == 3,
                    timeout=WAIT)
    page.table.selectRow(page.row_of(cash_id))
    page.amount.setText("100")
    page.reason.setText("Wrong size")
    page.pin.setText(DEMO_PINS["Amina Wanjiru"])
    qtbot.mouseClick(page.refund_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "refund slip could not be saved" in page.message.text(),
                    timeout=WAIT)
    assert page.message.text().startswith("Refund recorded: KES 100.00. ")
    assert page.slip_path is None
    assert desk.payments.get_payment(cash_id).refunded == Money(10_000, "KES")
