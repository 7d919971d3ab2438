"""Test money is never live money: a payment made while a provider was in test mode keeps its
mark and is counted in no report total nor in the Z report's takings, only apart."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ledger_helpers import Till, kes

from pos_app.services.counter import account_reference
from pos_app.services.payment_events import PaymentEvents, ProviderOutcome
from pos_app.services.reports import ReportService


def _sim_menu_payment(till: Till, order_id: str, minor: int, *, test_mode: bool) -> None:
    """The relay streams a C2B confirmation given to this till (as sync.engine.pull does)."""
    now = datetime.now(UTC)
    event = ProviderOutcome(
        event_id=str(uuid.uuid4()), seq=1, provider="mpesa", channel="mpesa_c2b",
        status="paid", payment_id=None, amount_minor=minor, currency="KES",
        reference=account_reference(order_id), receipt=f"SGK{uuid.uuid4().hex[:7].upper()}",
        payer="2547****678", result_code=None, message=None, test_mode=test_mode,
        occurred_at=now, received_at=now,
    )  # fmt: skip
    events = PaymentEvents(till.ledger, till.services.bus)
    with events.batch() as batch:
        assert events.apply(batch, event) == "applied"


def _day_of_sales(till: Till) -> str:
    """One shift: a live cash sale, a live SIM-menu sale and a test SIM-menu sale."""
    shift = till.services.shifts.open_shift(till.cashier.id, kes(1_000_00))
    till.services.payments.record_cash_sale(
        till.draft(300_00), kes(300_00), cashier_id=till.cashier.id
    )
    live, test = till.order(450_00), till.order(9_999_00)
    _sim_menu_payment(till, live, 450_00, test_mode=False)
    _sim_menu_payment(till, test, 9_999_00, test_mode=True)
    [paid] = till.services.payments.payments_for_order(test)
    assert paid.status == "succeeded" and paid.test_mode is True  # kept on the payment
    return shift.id


def test_reports_count_live_money_only_and_show_test_payments_apart(till: Till) -> None:
    _day_of_sales(till)
    today = datetime.now(ZoneInfo("Africa/Nairobi")).date()
    report = ReportService(till.ledger).build(today - timedelta(days=1), today, "KES")
    assert report.total() == kes(750_00)
    assert dict(report.total_by_method()) == {"cash": kes(300_00), "mpesa_paybill": kes(450_00)}
    assert report.test_total() == kes(9_999_00) and report.test_count() == 1
    lines = ReportService(till.ledger).to_csv(report).splitlines()
    [test_line] = [line for line in lines if line.startswith("test_payments,")]
    assert ",mpesa_paybill,1,9999.00,KES" in test_line
    assert not any(line.startswith("sales,") and "9999" in line for line in lines)


def test_the_z_report_keeps_test_payments_out_of_the_takings(till: Till) -> None:
    shift_id = _day_of_sales(till)
    shifts = till.services.shifts
    report = shifts.close_shift(shift_id, {"cash": kes(1_300_00)}, user_id=till.cashier.id)
    assert report["methods"]["cash"]["expected_minor"] == 1_300_00
    assert report["methods"]["mpesa_paybill"]["expected_minor"] == 450_00
    assert report["test_payments"] == {"mpesa_paybill": 9_999_00}
    assert report["total_difference_minor"] == 0
