"""Refusals and pages speak the supervisor's language."""

from __future__ import annotations

from pos_app.core.errors import NotASupervisor, WrongPin
from pos_app.core.money import Money
from pos_app.services.admin import RelayNotPaired
from pos_app.services.refunds import RefundTooLarge
from pos_app.ui.application import Translations
from pos_app.ui.supervisor.approvals_page import ApprovalsPage
from pos_app.ui.supervisor.common import error_text


def test_refusals_in_swahili(qapp):
    translations = Translations(qapp)
    translations.use("sw")
    try:
        assert error_text(NotASupervisor()) == "Hii inahitaji PIN ya msimamizi."
        assert error_text(WrongPin(2)) == (
            "PIN si sahihi. Yamebaki majaribio 2 kabla ya kufungiwa."
        )
        assert error_text(RelayNotPaired("Paystack refunds go through the relay.")).startswith(
            "Hii inahitaji relay"
        )
        too_much = RefundTooLarge(Money(99_900, "KES"), Money(8_000, "KES"))
        assert error_text(too_much) == (
            "KES 999.00 ni zaidi ya kilicholipwa na bado hakijarejeshwa (KES 80.00)."
        )
    finally:
        translations.use("en")
    assert error_text(NotASupervisor()) == "This needs a supervisor's PIN."


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
