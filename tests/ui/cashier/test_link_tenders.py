"""A tender per link provider the relay runs for the shop, all in one link dialog (en)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from pos_app.core.money import Money

from .conftest import FakeGateway
from .test_whole_day import UNGA, open_tender, provider_says, scan, wait_sale_done


def shown_tenders(page: Any) -> list[str]:
    return [k for k, b in page.tender_buttons.items() if b.isVisibleTo(page.tender_panel)]


def test_the_tenders_follow_the_providers_the_relay_runs(ctx: Any, page: Any) -> None:
    # before the relay has said: Paystack, as tills offered before
    assert shown_tenders(page) == ["cash", "cod", "mpesa", "paystack", "proof"]
    ctx.status.update(providers=("flutterwave", "mpesa", "paystack", "stripe"))
    assert shown_tenders(page) == [
        "cash", "cod", "mpesa", "paystack", "flutterwave", "stripe", "proof"
    ]
    assert page.tender_buttons["flutterwave"].text() == "Flutterwave link"
    assert page.tender_buttons["stripe"].text() == "Stripe Checkout"
    ctx.status.update(providers=("mpesa", "stripe"))  # the owner took Paystack's keys away
    assert shown_tenders(page) == ["cash", "cod", "mpesa", "stripe", "proof"]
    grid = page.tender_panel.layout()
    assert grid.getItemPosition(grid.indexOf(page.tenders_back))[:2] == (1, 2)  # no gap


def test_link_tenders_are_disabled_offline(ctx: Any, page: Any, gateway: FakeGateway) -> None:
    ctx.status.update(providers=("flutterwave", "mpesa", "stripe"))
    gateway.online = False
    ctx.status.update(online=False, offline_reason="relay unreachable")
    assert not page.tender_buttons["flutterwave"].isEnabled()
    assert not page.tender_buttons["stripe"].isEnabled()
    assert "payment links" in page.tender_buttons["stripe"].toolTip()


@pytest.mark.parametrize(("provider", "title"),
                         [("flutterwave", "Flutterwave link"), ("stripe", "Stripe Checkout")])
def test_a_flutterwave_or_stripe_link_is_paid_in_the_one_link_dialog(
    qtbot: Any, ctx: Any, page: Any, gateway: FakeGateway, shop: Any, provider: str, title: str
) -> None:
    ctx.status.update(providers=("flutterwave", "mpesa", "paystack", "stripe"))
    scan(qtbot, page, UNGA)
    link = open_tender(qtbot, page, provider)
    assert link.objectName() == "link-dialog" and link.windowTitle() == title
    qtbot.mouseClick(link.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: link.url != "")
    [(payment_id, asked, amount, _ref, _email)] = gateway.link_calls
    assert (asked, amount) == (provider, Money(21000, "KES"))
    assert link.url.startswith(f"https://checkout.{provider}.test/")
    assert not link.qr.pixmap().isNull() and link.link.text() == link.url
    qtbot.mouseClick(link.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == link.url
    assert shop.services.payments.get_payment(payment_id).method == {
        "flutterwave": "flutterwave_link", "stripe": "stripe_checkout"
    }[provider]
    provider_says(shop, payment_id, "succeeded")
    qtbot.waitUntil(lambda: link.status_label.text().startswith("Paid"))
    assert link.status_label.text() == "Paid KES 210.00"
    assert link.qr.isHidden() and link.copy_button.isHidden()
    qtbot.mouseClick(link.close_button, Qt.MouseButton.LeftButton)
    wait_sale_done(qtbot, page)


def test_a_cancelled_stripe_link_leaves_the_sale_owing(
    qtbot: Any, ctx: Any, page: Any, gateway: FakeGateway, shop: Any
) -> None:
    ctx.status.update(providers=("mpesa", "stripe"))
    scan(qtbot, page, UNGA)
    link = open_tender(qtbot, page, "stripe")
    qtbot.mouseClick(link.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: link.cancel_button.isVisible())
    qtbot.mouseClick(link.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: link.payment.status == "cancelled")
    assert shop.services.payments.get_payment(link.payment_id).status == "cancelled"
    assert link.close_button.text() == "Close"
