"""Fifty language switches in the real window while work and domain events are in flight.

Each switch rebuilds every page (Till.show_for), so results of background work and bus events
keep arriving for pages that were just replaced. A page dying on the wrong thread, or a result
reaching a deleted one, crashed the suite once (SIGSEGV in processEvents). Slow; run it in a
real X server with faulthandler on:

    xvfb-run -a env QT_QPA_PLATFORM=xcb .venv/bin/python -X faulthandler -m pytest -m slow \\
        -p no:cacheprovider tests/ui/cashier/test_language_switches.py
"""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QPushButton

from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.core.payments import ProofType
from pos_app.services.grants import Action
from pos_app.ui.main_window import MainWindow
from pos_app.ui.supervisor.approvals_page import ApprovalsPage

from .conftest import SUPERVISOR_PIN, FakeGateway, make_shop

SWITCHES = 50


def nav_text(window: MainWindow, key: str) -> str:
    button = window.findChild(QPushButton, f"nav-{key}")
    assert button is not None
    return button.text()


@pytest.mark.slow
def test_fifty_language_switches_in_the_real_window(qtbot: Any, tmp_path: Path) -> None:
    from pos_app.app import Till, build_context
    from pos_app.ui.application import Translations
    from pos_app.ui.tasks import TaskRunner

    shop = make_shop(tmp_path)
    swahili = shop.services.users.create_user(
        "Neema Msimamizi",
        "supervisor",
        "9753",
        grant=shop.services.users.grant(shop.supervisor.id, SUPERVISOR_PIN, Action.STAFF),
        language="sw",
    )
    app: Any = QApplication.instance()
    tasks = TaskRunner()
    translations = Translations(app)
    ctx = build_context(app, shop.settings, shop.services, translations, tasks, FakeGateway())
    window = MainWindow(ctx.status)
    qtbot.addWidget(window)
    window.show()
    till = Till(ctx, window)

    stop = threading.Event()
    proofs: list[str] = []

    def customers_keep_paying() -> None:  # domain events from another thread, as in a shop
        while not stop.is_set():
            order = shop.services.orders.create_order([OrderLine("Sukari", Money(15_000, "KES"))])
            code = f"SW{len(proofs):08d}"
            shop.services.payments.submit_manual_payment_proof(
                order.id, ProofType.MPESA_RECEIPT, code, submitted_by=shop.cashier.id
            )
            proofs.append(code)
            time.sleep(0.02)

    payer = threading.Thread(target=customers_keep_paying, name="payer")
    payer.start()
    chance = random.Random(10)
    replaced: list[Any] = []
    started = time.monotonic()
    try:
        for switch in range(SWITCHES):
            user = swahili if switch % 2 == 0 else shop.supervisor
            till.show_for(user)
            replaced += [window.pages.widget(i) for i in range(window.pages.count())]
            window.show_page(chance.choice(["sale", "approvals", "refunds", "reports", "audit"]))
            qtbot.wait(chance.choice([0, 1, 5, 20, 80]))  # results land before and after
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        payer.join(10)
        translations.use("en")
    assert nav_text(window, "sale") == "Sale"  # the last switch was to English
    tasks.shutdown(wait=True)
    qtbot.wait(300)  # late results and debounced refreshes land now, on replaced pages too
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    live = [w for w in replaced if shiboken6.isValid(w)]
    assert len(live) == window.pages.count()  # every replaced page (and scroll area) is gone
    assert len(window.findChildren(ApprovalsPage)) == 1
    assert len(proofs) > 10  # events really flowed while the pages came and went
    print(f"RESULT language_switches={SWITCHES} seconds={elapsed:.1f} proofs={len(proofs)}")
    shop.services.ledger.close()
