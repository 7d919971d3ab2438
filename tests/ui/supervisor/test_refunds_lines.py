"""Refunds by line on the refunds desk: the supervisor types how much of each line of the sale
comes back, sees what that gives back, and the refund records it line by line (the quantity
comes back, a credit note line, an audit entry)."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from sqlalchemy import select

from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.core.quantities import Quantity, Unit
from pos_app.store.schema import audit_log, credit_note_lines
from pos_app.ui.supervisor.refunds_page import RefundsPage
from sync.demo_day import DEMO_PINS
from tests.ui.supervisor.test_supervisor_language import paid_by_link

WAIT = 5000
SUP_PIN = DEMO_PINS["Amina Wanjiru"]


def two_line_sale(desk, ids) -> tuple[str, str]:
    """Two bags of unga at 210.00 (zero-rated) and 1.5 kg of meat at 650.00 (exempt)."""
    draft = desk.orders.draft([
        OrderLine("Unga 2kg", Money(21_000, "KES"), 2, tax_class="C"),
        OrderLine("Nyama", Money(65_000, "KES"), Quantity(1500, Unit.KG), tax_class="A"),
    ])
    sale = desk.payments.record_cash_sale(draft, draft.total, cashier_id=ids.cashier.id,
                                          shift_id=ids.shift_id)
    return sale.order_id, sale.payment_id


def open_page(qtbot, desk, ids, tasks, tmp_path: Path, payment_id: str) -> RefundsPage:
    page = RefundsPage(desk.refunds, desk.users.list_users, tasks, lambda: ids.supervisor.id,
                       slips_dir=tmp_path / "slips")
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.row_of(payment_id) is not None, timeout=WAIT)
    page.table.selectRow(page.row_of(payment_id))
    qtbot.waitUntil(lambda: len(page.returns) == 2, timeout=WAIT)
    return page


def test_one_of_two_bags_comes_back_by_line(qtbot, desk, ids, tasks, tmp_path: Path):
    order_id, payment_id = two_line_sale(desk, ids)
    page = open_page(qtbot, desk, ids, tasks, tmp_path, payment_id)
    lines = page.lines_table
    assert [lines.item(r, 0).text() for r in range(2)] == ["Unga 2kg", "Nyama"]
    assert [lines.item(r, 1).text() for r in range(2)] == ["2", "1.5 kg"]
    assert page.returns[0].placeholderText() == "up to 2"
    assert page.returns[1].placeholderText() == "up to 1.5 kg"
    page.resize(1024, 768)
    page.show()
    qtbot.waitExposed(page)
    box = page.returns[1]  # the hint is read whole in its box
    assert box.width() >= box.fontMetrics().horizontalAdvance(box.placeholderText()) + 8

    page.returns[0].setText("1.5")  # half a bag: pieces come back whole
    assert "whole numbers" in page.message.text() and page.credit is None
    assert not page.amount.isEnabled()  # by line now: the amount is not typed
    page.returns[0].setText("1")
    assert page.message.text() == ""
    assert lines.item(0, 4).text() == "KES 210.00"
    assert page.amount.text() == "210.00" and page.void_button.text() == "Void these lines"

    page.reason.setText("Bag torn")
    page.pin.setText(SUP_PIN)
    qtbot.mouseClick(page.refund_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.slip_path is not None, timeout=WAIT)
    slip = page.slip_path
    assert slip is not None
    assert page.message.text() == f"Refund recorded: KES 210.00. Refund slip saved: {slip}"
    printed = " ".join("".join(p.extract_text() for p in PdfReader(slip).pages).split())
    assert "Refund: Bag torn" in printed and "1 x 210.00 210.00 C" in printed

    assert desk.payments.get_payment(payment_id).refunded == Money(21_000, "KES")
    stored = desk.orders.get_order(order_id).stored_lines
    assert [s.refunded_thousandths for s in stored] == [1000, 0]
    with desk.ledger.read() as conn:
        credits = list(conn.execute(select(credit_note_lines)))
        audit = conn.execute(
            select(audit_log).where(audit_log.c.action == "refund.credit_note")).one()
    assert [(c.quantity_thousandths, c.amount_minor, c.tax_class) for c in credits] == [
        (1000, 21_000, "C")]
    details = json.loads(audit.details)
    assert (details["order_id"], details["amount_minor"], details["lines"]) == (
        order_id, 21_000, [[0, 1000]])

    # the sale shown again: one bag is back, one is left to return; the boxes are empty
    qtbot.waitUntil(lambda: page.lines_table.item(0, 2) is not None
                    and page.lines_table.item(0, 2).text() == "1", timeout=WAIT)
    assert page.returns[0].text() == "" and page.returns[0].placeholderText() == "up to 1"
    assert page.amount.isEnabled() and page.void_button.text() == "Void the whole sale"


def test_a_refused_line_refund_keeps_what_was_typed(qtbot, desk, ids, tasks, tmp_path: Path):
    order_id, payment_id = two_line_sale(desk, ids)
    page = open_page(qtbot, desk, ids, tasks, tmp_path, payment_id)
    page.returns[1].setText("0,5")  # half a kilo, typed with a comma
    assert page.lines_table.item(1, 4).text() == "KES 325.00"
    page.reason.setText("Spoilt")
    page.pin.setText("0000")  # not the supervisor's PIN
    qtbot.mouseClick(page.refund_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Wrong PIN" in page.message.text(), timeout=WAIT)
    qtbot.wait(200)  # the sale's lines load again: what was typed stays
    assert page.returns[1].text() == "0,5" and page.amount.text() == "325.00"
    assert "Wrong PIN" in page.message.text()
    assert [s.refunded_thousandths for s in desk.orders.get_order(order_id).stored_lines] == [
        0, 0]


def test_a_payment_link_sale_is_refunded_by_amount_as_the_service_says(
    qtbot, desk, ids, tasks, tmp_path: Path
):
    payment_id = paid_by_link(desk, ids)
    page = RefundsPage(desk.refunds, desk.users.list_users, tasks, lambda: ids.supervisor.id,
                       slips_dir=tmp_path)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.row_of(payment_id) is not None, timeout=WAIT)
    page.table.selectRow(page.row_of(payment_id))
    qtbot.waitUntil(lambda: len(page.returns) == 1, timeout=WAIT)
    page.returns[0].setText("1")
    page.reason.setText("Faulty")
    page.pin.setText(SUP_PIN)
    qtbot.mouseClick(page.refund_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "by amount" in page.message.text(), timeout=WAIT)
    assert page.message.text() == (
        "Refund a card or payment-link payment by amount: it goes through the relay.")
    assert desk.payments.get_payment(payment_id).refunded == Money(0, "KES")
    with desk.ledger.read() as conn:
        last = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc())).first()
    assert last is not None and last.action == "refund.refused"
    page.returns[0].clear()  # by amount again: the amount box is the supervisor's
    assert page.amount.isEnabled() and page.amount.text() == ""


def test_lines_of_the_open_shift_are_voided_and_a_bad_quantity_voids_nothing(
    qtbot, desk, ids, tasks, tmp_path: Path
):
    order_id, payment_id = two_line_sale(desk, ids)
    page = open_page(qtbot, desk, ids, tasks, tmp_path, payment_id)
    page.returns[0].setText("0.5")  # half a bag cannot come back
    page.reason.setText("Rang up twice")
    page.pin.setText(SUP_PIN)
    qtbot.mouseClick(page.void_button, Qt.MouseButton.LeftButton)
    assert "whole numbers" in page.message.text()
    qtbot.wait(200)  # time enough for a void that should not happen
    assert desk.orders.get_order(order_id).status != "cancelled"

    page.returns[0].clear()
    page.returns[1].setText("1.5")
    qtbot.mouseClick(page.void_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "voided" in page.message.text(), timeout=WAIT)
    assert page.message.text() == "The lines were voided: KES 975.00 given back."
    assert [s.refunded_thousandths for s in desk.orders.get_order(order_id).stored_lines] == [
        0, 1500]
    assert desk.payments.get_payment(payment_id).refunded == Money(97_500, "KES")
