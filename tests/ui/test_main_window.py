from datetime import UTC, datetime

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QLabel

from pos_app.ui.main_window import MainWindow, Page
from pos_app.ui.status import TillStatus


def test_the_window_owns_its_pages_and_status_is_shown(qtbot):
    status = TillStatus()
    window = MainWindow(status, test_instructions=lambda: {"paystack": "card 4084 0840 8408 4081"})
    qtbot.addWidget(window)
    first = QLabel("sale")
    window.set_pages([Page("sale", "Sale", first)])
    assert window.pages.count() == 1
    assert not shiboken6.ownedByPython(first)  # the window's from now on
    pages = [
        Page("sale", "Sale", QLabel("sale")),
        Page("approvals", "Approvals", QLabel("approvals")),
    ]
    window.set_pages(pages)
    assert window.pages.count() == 2
    window.show_page("approvals")
    assert window.current_page().text() == "approvals"
    # the replaced page dies on the GUI thread, with its scroll area, when the event is done
    assert shiboken6.isValid(first)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(first)

    assert "Offline" in window.connection_label.text()
    assert window.banner.isHidden()
    # offline: the reason is in the status bar's words, not only in a tooltip
    status.update(online=False, unsynced=3, offline_reason="relay unreachable")
    assert window.connection_label.text() == "● Offline: relay unreachable"
    assert window.unsynced_label.text() == "3 event(s) waiting to sync"
    # online before the first sync: "Syncing 3…", never "Online … Last sync: never … Unsynced: 3"
    status.update(online=True, test_mode_providers=("paystack",))
    assert window.unsynced_label.text() == "Syncing 3 event(s)…"
    assert window.last_sync_label.isHidden()
    status.update(last_sync=datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    assert "Online" in window.connection_label.text()
    assert window.unsynced_label.text() == "Unsynced: 3 event(s)"
    # Stored in UTC, shown in Nairobi time (UTC+3).
    assert "12:00:00" in window.last_sync_label.text()
    assert not window.last_sync_label.isHidden()
    status.update(unsynced=0)
    assert window.unsynced_label.text() == "All synced"
    assert not window.banner.isHidden()
    # one line high; the test card is in the tooltip behind the "details" link
    assert "TEST MODE" in window.banner.text() and "Paystack" in window.banner.text()
    assert "details" in window.banner.text()
    assert window.banner.sizeHint().height() <= 28
    assert "4084 0840 8408 4081" in window.banner.toolTip()


def test_the_banner_names_each_test_mode_providers_test_cards(qtbot):
    from pos_app.app import test_instructions

    status = TillStatus()
    window = MainWindow(status, test_instructions=test_instructions)
    qtbot.addWidget(window)
    status.update(online=True, test_mode_providers=("flutterwave", "paystack", "stripe"))
    assert "Flutterwave, Paystack, Stripe" in window.banner.text()
    flutterwave, paystack, stripe = window.banner.toolTip().splitlines()
    assert "4242 4242 4242 4242" in stripe and "4000 0000 0000 0002 is declined" in stripe
    assert "4084 0840 8408 4081" in paystack and "CVV 408" in paystack
    # today's test PIN first; the product guide's older one named as such
    assert "5531 8866 5214 2950, expiry 09/32, CVV 564, PIN 3310" in flutterwave
    assert "(older guides say 1234), OTP 12345" in flutterwave
    status.update(test_mode_providers=("stripe",))
    assert "5531" not in window.banner.toolTip()  # only the providers in test mode


def test_the_status_bar_counts_invoices_waiting_for_the_etims_signature(qtbot):
    status = TillStatus()
    window = MainWindow(status, test_instructions=dict)
    qtbot.addWidget(window)
    window.show()
    assert window.unsigned_label.isHidden()  # a shop without eTIMS never sees it
    status.update(unsigned=2)
    assert window.unsigned_label.text() == "2 invoice(s) waiting for the eTIMS signature"
    assert window.unsigned_label.isVisible()
    status.update(unsigned=0)
    assert window.unsigned_label.isHidden()
