"""Refusals and pages speak the supervisor's language."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pos_app.core.errors import NotASupervisor, WrongPin
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.core.payments import PaymentMethod
from pos_app.services.admin import RelayNotPaired
from pos_app.services.gateway import GatewayRejected, GatewayUnavailable
from pos_app.services.refund_requests import RefundPending
from pos_app.services.refunds import RefundTooLarge
from pos_app.services.supervisor_desk import SupervisorDesk
from pos_app.ui.application import Translations
from pos_app.ui.errors import error_message
from pos_app.ui.supervisor.approvals_page import ApprovalsPage
from pos_app.ui.supervisor.refunds_page import RefundsPage
from sync.demo_day import DEMO_PINS, DemoIds

SUP_PIN = DEMO_PINS["Amina Wanjiru"]
WAIT = 5000


def test_refusals_in_swahili(qapp):
    translations = Translations(qapp)
    translations.use("sw")
    try:
        assert error_message(NotASupervisor()) == "Hii inahitaji PIN ya msimamizi."
        assert error_message(WrongPin(2)) == (
            "PIN si sahihi. Yamebaki majaribio 2 kabla ya kufungiwa."
        )
        assert error_message(RelayNotPaired("Paystack refunds go through the relay.")).startswith(
            "Hii inahitaji relay"
        )
        too_much = RefundTooLarge(Money(99_900, "KES"), Money(8_000, "KES"))
        assert error_message(too_much) == (
            "KES 999.00 ni zaidi ya kilicholipwa na bado hakijarejeshwa (KES 80.00)."
        )
        assert error_message(RefundPending()).startswith("Marejesho yamerekodiwa kama")
    finally:
        translations.use("en")
    assert error_message(NotASupervisor()) == "This needs a supervisor's PIN."


def test_approvals_page_in_swahili(qtbot, qapp, desk, ids, tasks):
    translations = Translations(qapp)
    translations.use("sw")
    try:
        page = ApprovalsPage(desk.approvals, desk.users.list_users, tasks, lambda: None)
        qtbot.addWidget(page)
        assert page.approve_button.text() == "Idhinisha"
        assert page.table.horizontalHeaderItem(0).text() == "Hatari"
        qtbot.waitUntil(lambda: len(page.items) == 5, timeout=5000)
        assert page.table.item(0, 1).text() == "Uthibitisho"
    finally:
        translations.use("en")


class SilentRelay:
    """The relay as the till sees it: refuses the next refund, or does not answer."""

    def __init__(self) -> None:
        self.refuse_next = False

    def is_online(self) -> bool:
        return True

    def refund_payment(
        self, payment_id: str, amount: Money, reason: str, *, refund_id: str
    ) -> None:
        if self.refuse_next:
            self.refuse_next = False
            raise GatewayRejected("The relay refused the request (422): insufficient balance")
        raise GatewayUnavailable("The relay cannot be reached.")


def paid_by_link(
    desk: SupervisorDesk, ids: DemoIds, method: PaymentMethod = PaymentMethod.PAYSTACK_LINK
) -> str:
    order = desk.orders.create_order(
        [OrderLine("Simu", Money(500_000, "KES"))], shift_id=ids.shift_id
    )
    view = desk.payments.create_payment(
        order.id, Money(500_000, "KES"), None, None, method
    )
    desk.payments.process_payment(view.id, {"email": "a@b.co"})
    desk.payments.outcomes.mark_awaiting_customer(view.id, "PSK-UI-1")
    desk.payments.outcomes.apply_provider_event(
        "ev-PSK-UI-1",
        status="succeeded",
        amount_minor=500_000,
        currency="KES",
        payment_id=view.id,
        receipt_number="RPSK-UI-1",
    )
    return view.id


@pytest.mark.parametrize(
    ("language", "done", "failed", "waiting", "pending_message", "method"),
    [
        ("en", "Done", "Failed", "Waiting for Paystack", "The refund is recorded as requested",
         PaymentMethod.PAYSTACK_LINK),
        ("sw", "Imekamilika", "Imeshindikana", "Inasubiri Paystack", "Marejesho yamerekodiwa",
         PaymentMethod.PAYSTACK_LINK),
        ("en", "Done", "Failed", "Waiting for Stripe", "The refund is recorded as requested",
         PaymentMethod.STRIPE_CHECKOUT),
        ("sw", "Imekamilika", "Imeshindikana", "Inasubiri Flutterwave",
         "Marejesho yamerekodiwa", PaymentMethod.FLUTTERWAVE_LINK),
    ],
)  # fmt: skip
def test_recent_refunds_show_their_status_and_a_pending_refund_says_so(
    qtbot, qapp, desk, ids, tasks, language, done, failed, waiting, pending_message, method,
    tmp_path
):
    relay = SilentRelay()
    online = SupervisorDesk.over(desk.ledger, desk.bus, gateway=lambda: relay)
    cash = ids.cash_payments[0]
    online.refunds.refund(
        cash, Money(1_000, "KES"), "Broken", supervisor_id=ids.supervisor.id, pin=SUP_PIN
    )
    paystack = paid_by_link(online, ids, method)
    relay.refuse_next = True
    with pytest.raises(GatewayRejected):
        online.refunds.refund(
            paystack, Money(100_000, "KES"), "Late", supervisor_id=ids.supervisor.id, pin=SUP_PIN
        )
    translations = Translations(qapp)
    translations.use(language)
    try:
        page = RefundsPage(online.refunds, desk.users.list_users, tasks, lambda: ids.supervisor.id,
                           slips_dir=tmp_path)
        qtbot.addWidget(page)
        given = len(online.refunds.refunds())
        qtbot.waitUntil(lambda: page.refund_table.rowCount() == given, timeout=WAIT)
        status = [page.refund_table.item(r, 3).text() for r in range(2)]
        assert status == [failed, done]  # newest first
        page.table.selectRow(page.row_of(paystack))
        page.amount.setText("2000")
        page.reason.setText("Wrong size")
        page.pin.setText(SUP_PIN)
        qtbot.mouseClick(page.refund_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.refund_table.rowCount() == given + 1, timeout=WAIT)
        assert page.message.text().startswith(pending_message)
        assert page.message.property("role") == "error"
        assert page.refund_table.item(0, 3).text() == waiting
        assert page.refund_table.horizontalHeaderItem(3).text() == (
            "Status" if language == "en" else "Hali"
        )
    finally:
        translations.use("en")
