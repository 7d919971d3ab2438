"""The Z report on screen and in its PDF: refunds and voids of the shift's sales on their own
lines per method (count and amount), over a real ledger file."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pypdf import PdfReader
from sqlalchemy import update

from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.services.refunds import RefundService
from pos_app.store.schema import shifts
from pos_app.ui.receipts.z_report import z_report_html

from .conftest import SUPERVISOR_PIN, Shop

NAIROBI = ZoneInfo("Africa/Nairobi")


def kes(minor: int) -> Money:
    return Money(minor, "KES")


def cash_sale(shop: Shop, shift_id: str, minor: int) -> str:
    sale = shop.services.payments.record_cash_sale(
        shop.services.orders.draft([OrderLine("Unga", kes(minor))]),
        kes(minor),
        cashier_id=shop.cashier.id,
        shift_id=shift_id,
    )
    return sale.payment_id


def test_z_report_lists_refunds_and_voids(qtbot: Any, ctx: Any, shop: Shop) -> None:
    from pos_app.ui.cashier.shift_page import ShiftPage

    services = shop.services
    shift = services.shifts.open_shift(shop.cashier.id, kes(100_000))
    refunded = cash_sale(shop, shift.id, 25_000)
    voided = cash_sale(shop, shift.id, 14_000)
    cash_sale(shop, shift.id, 30_000)
    refunds = RefundService(services.ledger, services.bus, services.payments, services.users)
    refunds.refund(
        refunded, kes(5_000), "Torn bag", supervisor_id=shop.supervisor.id, pin=SUPERVISOR_PIN
    )
    refunds.void_sale(
        services.payments.get_payment(voided).order_id,
        "Rang up twice",
        supervisor_id=shop.supervisor.id,
        pin=SUPERVISOR_PIN,
    )
    report = services.shifts.close_shift(shift.id, {"cash": kes(150_000)}, user_id=shop.cashier.id)
    assert report["methods"]["cash"]["expected_minor"] == 100_000 + 25_000 - 5_000 + 30_000

    page = ShiftPage(ctx)
    qtbot.addWidget(page)
    page._closed(report)
    shown = page.report_view.toPlainText()
    assert "Refunds and voids" in shown
    assert "Expected amounts are net of the refunds and voids below." in shown
    # Method | Refunds | Refunded | Voids | Voided, then the cash line
    assert "Cash\n1\n-50.00\n1\n-140.00" in shown
    assert page.pdf_path is not None and page.pdf_path.read_bytes()[:4] == b"%PDF"


def test_z_report_without_refunds_or_voids_says_so() -> None:
    report = {
        "currency": "KES",
        "opening_float_minor": 0,
        "cash_in_minor": 0,
        "cash_out_minor": 0,
        "methods": {"cash": {"expected_minor": 100, "counted_minor": 100, "difference_minor": 0}},
        "total_difference_minor": 0,
    }  # a Z report saved before refunds and voids had lines of their own
    labels = {
        key: key.upper()
        for key in [
            "float",
            "in",
            "out",
            "method",
            "expected",
            "counted",
            "variance",
            "total",
            "net_note",
            "given_back",
            "none_given_back",
            "refunds",
            "refunded",
            "voids",
            "voided",
        ]
    }
    text = z_report_html(report, "Duka", "Z", labels, NAIROBI)
    assert "<h3>GIVEN_BACK</h3><p>NONE_GIVEN_BACK</p>" in text
    assert "REFUNDED" not in text


def test_z_report_shows_test_payments_apart_from_the_totals() -> None:
    report = {
        "currency": "KES",
        "opening_float_minor": 0,
        "cash_in_minor": 0,
        "cash_out_minor": 0,
        "methods": {"cash": {"expected_minor": 100, "counted_minor": 100, "difference_minor": 0}},
        "total_difference_minor": 0,
        "test_payments": {"mpesa_paybill": 999_900},
    }
    labels = {key: key.upper() for key in [
        "float", "in", "out", "method", "expected", "counted", "variance", "total", "net_note",
        "given_back", "none_given_back", "refunds", "refunded", "voids", "voided",
        "test_payments", "test_note",
    ]}  # fmt: skip
    text = z_report_html(report, "Duka", "Z", labels, NAIROBI)
    apart = text.split("<h3>TEST_PAYMENTS</h3>")[1]
    assert "9,999.00" in apart and "TEST_NOTE" in apart
    assert "9,999.00" not in text.split("<h3>TEST_PAYMENTS</h3>")[0]
    no_tests = z_report_html({**report, "test_payments": {}}, "Duka", "Z", labels, NAIROBI)
    assert "TEST_PAYMENTS" not in no_tests


def test_z_report_shows_who_opened_and_closed_at_shop_time_on_screen_and_in_the_pdf(
    qtbot: Any, ctx: Any, shop: Shop
) -> None:
    """Stored in UTC, shown in the shop's zone (Nairobi, UTC+3): 05:00 UTC opens at 08:00."""
    from pos_app.ui.cashier.shift_page import ShiftPage

    services = shop.services
    shift = services.shifts.open_shift(shop.supervisor.id, kes(50_000))
    with services.ledger.write() as conn:  # opened early this morning, shop time
        conn.execute(
            update(shifts)
            .where(shifts.c.id == shift.id)
            .values(opened_at=datetime(2026, 12, 3, 5, 0, tzinfo=UTC))
        )
    report = services.shifts.close_shift(shift.id, {"cash": kes(50_000)}, user_id=shop.cashier.id)
    closed = datetime.fromisoformat(report["closed_at"]).astimezone(NAIROBI)
    opened_by, closed_by = shop.supervisor.name, shop.cashier.name
    assert (report["opened_by_name"], report["closed_by_name"]) == (opened_by, closed_by)

    page = ShiftPage(ctx)
    qtbot.addWidget(page)
    page._closed(report)
    shown = page.report_view.toPlainText()
    opened_line = f"Opened 03/12/2026 08:00 by {opened_by}"
    closed_line = f"Closed {closed:%d/%m/%Y %H:%M} by {closed_by}"
    assert opened_line in shown and closed_line in shown
    assert page.pdf_path is not None
    assert page.pdf_path.name == f"z-20261203-0800-{closed:%H%M}.pdf"
    printed = " ".join("".join(p.extract_text() for p in PdfReader(page.pdf_path).pages).split())
    assert opened_line in printed and closed_line in printed


def test_a_z_report_stored_before_names_shows_its_times_alone() -> None:
    report = {
        "currency": "KES", "opening_float_minor": 0, "cash_in_minor": 0, "cash_out_minor": 0,
        "methods": {}, "total_difference_minor": 0,
        "opened_at": "2026-12-02T05:30:00+00:00", "closed_at": "2026-12-02T14:05:00+00:00",
    }  # fmt: skip
    labels = {key: key for key in [
        "float", "in", "out", "method", "expected", "counted", "variance", "total", "net_note",
        "given_back", "none_given_back", "refunds", "refunded", "voids", "voided",
    ]}  # fmt: skip
    labels |= {"opened": "Opened %1", "opened_by": "Opened %1 by %2",
               "closed": "Closed %1", "closed_by": "Closed %1 by %2"}  # fmt: skip
    text = z_report_html(report, "Duka", "Z", labels, NAIROBI)
    assert "<p>Opened 02/12/2026 08:30<br/>Closed 02/12/2026 17:05</p>" in text
    assert " by " not in text
