"""Screenshots of the cashier desk in English and Swahili, each screen built over a real
ledger (SQLite file, real services) with the online provider stood in for at the gateway.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python .ci/screenshots_cashier.py \
        [--size 1024x768]

Writes docs/screenshots/cashier-<screen>-<en|sw>[-WxH].png (no suffix at 1366x768).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("DUKA_KEYRING", "memory")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from screen_size import screen_size, size_suffix  # noqa: E402

from pos_app.app import apply_setup, build_context  # noqa: E402
from pos_app.config import TillSettings  # noqa: E402
from pos_app.core.money import Money  # noqa: E402
from pos_app.core.orders import OrderLine  # noqa: E402
from pos_app.core.quantities import Quantity  # noqa: E402
from pos_app.services import build_services  # noqa: E402
from pos_app.services.gateway import LinkStarted, StkStarted  # noqa: E402
from pos_app.services.grants import Action, Grant  # noqa: E402
from pos_app.services.refunds import RefundService  # noqa: E402
from pos_app.store import state  # noqa: E402
from pos_app.store.db import open_ledger  # noqa: E402
from pos_app.ui.application import Translations, create_application  # noqa: E402
from pos_app.ui.cashier.catalogue_page import CataloguePage  # noqa: E402
from pos_app.ui.cashier.cod_page import CodPage  # noqa: E402
from pos_app.ui.cashier.cod_settle_dialog import CodSettleDialog  # noqa: E402
from pos_app.ui.cashier.pages import cashier_pages  # noqa: E402
from pos_app.ui.cashier.receipt_dialog import ReceiptDialog  # noqa: E402
from pos_app.ui.cashier.sale_page import SalePage  # noqa: E402
from pos_app.ui.cashier.shift_page import ShiftPage  # noqa: E402
from pos_app.ui.login.setup_dialog import SetupDialog  # noqa: E402
from pos_app.ui.login.sign_in import SignInDialog  # noqa: E402
from pos_app.ui.main_window import MainWindow  # noqa: E402
from pos_app.ui.tasks import TaskRunner  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZE = screen_size()
UNGA, SUKARI, MAZIWA = "6161100400012", "6161100400029", "6161100400036"


class DemoGateway:
    """Says yes to every prompt and link; outcomes are applied to the ledger by the script."""

    def __init__(self) -> None:
        self.online = True

    def is_online(self) -> bool:
        return self.online

    def start_stk_push(self, payment_id: str, phone: str, amount: Money, ref: str) -> StkStarted:
        return StkStarted(payment_id, f"ws_CO_{payment_id[:8]}", "Prompt sent")

    def start_payment_link(
        self, payment_id: str, provider: str, amount: Money, reference: str, email: str | None
    ) -> LinkStarted:
        host = {"paystack": "checkout.paystack.com", "flutterwave": "checkout.flutterwave.com",
                "stripe": "checkout.stripe.com/c/pay"}[provider]
        return LinkStarted(payment_id, reference, f"https://{host}/{reference[:10]}")

    def request_status_check(self, payment_id: str) -> None:
        return None

    def refund_payment(
        self, payment_id: str, amount: Money, reason: str, *, refund_id: str
    ) -> None:
        return None

    def set_test_mode(self, provider: str, enabled: bool) -> None:
        return None


def wait_until(check: Callable[[], Any], timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise TimeoutError("screen did not get ready")
        QCoreApplication.processEvents()
        time.sleep(0.01)
    settle()


def settle() -> None:
    for _ in range(5):
        QCoreApplication.processEvents()
        time.sleep(0.01)


def grab(widget: QWidget, name: str, lang: str) -> None:
    widget.show()
    widget.raise_()
    settle()
    path = OUT / f"cashier-{name}-{lang}{size_suffix(SIZE)}.png"
    widget.grab().save(str(path))
    print("wrote", path.relative_to(ROOT))


def provider_says(
    services: Any,
    payment_id: str,
    status: str,
    receipt: str | None = None,
    result_code: str | None = None,
) -> None:
    view = services.payments.get_payment(payment_id)
    services.payments.outcomes.apply_provider_event(
        f"demo-{payment_id}-{status}", status=status, amount_minor=view.amount.minor,
        currency=view.amount.currency, payment_id=payment_id, receipt_number=receipt,
        result_code=result_code)


def slip_photo(path: Path) -> Path:
    image = QImage(200, 260, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawText(20, 40, "KCB  FT24001ABC")
    painter.end()
    image.save(str(path))
    return path


def shoot(app: QApplication, lang: str, workdir: Path) -> None:
    translations = Translations(app)
    translations.use(lang)
    settings = TillSettings(data_dir=workdir / lang, keyring="memory")
    services = build_services(open_ledger(settings))
    tasks = TaskRunner()

    # --- first run ----------------------------------------------------------------------------
    setup = SetupDialog(tasks, lambda d: apply_setup(services, d))
    setup.shop_name.setText("Duka la Mama Amina")
    setup.supervisor_name.setText("Amina Wanjiru")
    setup.pin.setText("2468")
    setup.pin_again.setText("2468")
    setup.language.setCurrentIndex(1 if lang == "sw" else 0)
    setup.demo_catalogue.setChecked(True)
    grab(setup, "setup", lang)
    setup._submit()
    wait_until(lambda: setup.result_value is not None)
    supervisor = setup.result_value
    assert supervisor is not None
    setup.close()

    def approve(action: Action) -> Grant:
        """What the PIN dialog gives once Amina types her PIN."""
        return services.users.grant(supervisor.id, "2468", action)

    services.shop.update(approve(Action.SETTINGS),
                         offline_proof_policy="cashier_may_accept_below_threshold",
                         receipt_header="Kariakor Market, Nairobi · PIN P051234567X")
    cashier = services.users.create_user("Juma Otieno", "cashier", "1357",
                                         grant=approve(Action.STAFF), language=lang)
    with services.ledger.write() as conn:
        state.put(conn, "mpesa_paybill", "174379")
        state.put(conn, "mpesa_till", "5566778")

    gateway = DemoGateway()
    ctx = build_context(app, settings, services, translations, tasks, gateway=gateway)
    # the relay runs every provider for this shop: a tender each
    ctx.status.update(online=True, unsynced=3,
                      providers=("flutterwave", "mpesa", "paystack", "stripe"))
    ctx.current_user = cashier
    ctx.counter.user_id = cashier.id

    sign_in = SignInDialog(ctx)
    wait_until(lambda: sign_in.users.count() == 2)
    sign_in.users.setCurrentRow(0)
    sign_in.pin.setText("13")
    grab(sign_in, "sign-in", lang)
    sign_in.close()

    services.shifts.open_shift(cashier.id, Money(200000, "KES"))
    window = MainWindow(ctx.status, "Africa/Nairobi")
    window.resize(*SIZE)
    pages = cashier_pages(ctx, "cashier")
    window.set_pages(pages)
    window.set_user("Juma Otieno")
    window.show()
    sale = pages[0].widget
    assert isinstance(sale, SalePage)
    wait_until(lambda: sale.quick_buttons[0].isEnabled())

    def scan(code: str) -> None:
        before = len(sale.cart.lines)
        sale.search.setText(code)
        sale._on_enter()
        wait_until(lambda: len(sale.cart.lines) > before or sale.cart.lines[-1:])

    def open_tender(kind: str) -> Any:
        sale.start_tender(kind)
        wait_until(lambda: sale.active_dialog is not None)
        return sale.active_dialog

    def finish_sale(shot: bool = False) -> None:
        """The sale completes and asks for a receipt; the cashier says no (with `shot`, the
        choice is pictured first, SMS opened with the customer's number typed)."""
        wait_until(lambda: sale.receipt_order is not None)
        if shot:
            sale.sms_receipt.click()
            sale.sms_phone.setText("0712 345 678")
            grab(window, "sale-receipt-choice", lang)
        sale.no_receipt.click()

    # --- the sale screen with a cart ------------------------------------------------------
    for code in (UNGA, SUKARI, MAZIWA):
        scan(code)
    sale.cart.set_quantity(2, 3)
    sale.search.setText("ma")
    sale._run_search()
    wait_until(lambda: sale.results.count() > 0)
    grab(window, "sale", lang)
    sale.search.clear()
    sale.results.clear()

    cash = open_tender("cash")
    cash._add_note(Money(50000, "KES"))
    cash._add_note(Money(20000, "KES"))
    grab(cash, "tender-cash", lang)
    cash._pay()
    finish_sale(shot=True)

    # --- M-Pesa: waiting, paid, declined; paybill fallback ------------------------------------
    scan(SUKARI)
    stk = open_tender("mpesa")
    stk.phone.setText("0712 345 678")
    grab(stk, "tender-mpesa-phone", lang)
    stk._send()
    wait_until(lambda: stk.payment is not None)
    grab(stk, "tender-mpesa-waiting", lang)
    provider_says(services, stk.payment_id, "succeeded", "QAI1S35S7Z")
    wait_until(lambda: "QAI1S35S7Z" in stk.status_label.text())
    grab(stk, "tender-mpesa-paid", lang)
    stk._close()
    finish_sale()

    scan(MAZIWA)
    stk = open_tender("mpesa")
    # each declined prompt says why and offers its next action (Daraja result codes)
    declines = [("cancelled", "1032", "cancelled"), ("failed", "2001", "wrong-pin"),
                ("failed", "1", "no-funds"), ("failed", "17", "duplicate"),
                ("expired", "1037", "unreachable")]
    for status, code, slug in declines:
        stk.phone.setText("0722 000 111")
        stk._send()
        wait_until(lambda: stk.payment is not None)
        provider_says(services, stk.payment_id, status, result_code=code)
        wait_until(lambda: stk.status_label.property("result-code") == code)  # noqa: B023
        grab(stk, f"tender-mpesa-{slug}", lang)
        if slug != "unreachable":
            stk._retry()
    stk._show_paybill()
    wait_until(lambda: "174379" in stk.paybill_label.text())
    stk.code.setPlainText("SGK12AB3CD")
    grab(stk, "tender-paybill", lang)
    stk._submit_code()
    wait_until(lambda: stk.payment is not None and stk.payment.method == "mpesa_paybill")
    stk._close()
    finish_sale()

    # --- a payment link and its QR code, per link provider --------------------------------------
    for provider in ("paystack", "flutterwave", "stripe"):
        scan(UNGA)
        link = open_tender(provider)
        link.email.setText("wanjiku@example.com")
        link._create()
        wait_until(lambda: link.url != "")  # noqa: B023
        grab(link, f"tender-{provider}", lang)
        provider_says(services, link.payment_id, "succeeded", "T685312")
        wait_until(lambda: link.close_button.property("role") == "primary")  # noqa: B023
        link._close()
        finish_sale()

    # --- bank transfer proof ---------------------------------------------------------------------
    scan(SUKARI)
    proof = open_tender("proof")
    proof.attach_image(slip_photo(workdir / f"slip-{lang}.png"))
    proof.reference.setText("FT24001ABC")
    proof.notes.setPlainText("KCB app, 14:05")
    wait_until(lambda: proof.policy_label.text() != "")
    grab(proof, "tender-proof", lang)
    proof._submit()
    finish_sale()

    # --- cash on delivery, two open orders -------------------------------------------------------
    for name, phone, address in (("Wanjiku Kamau", "0722 000 111", "Kariakor, stall 12"),
                                 ("Otieno Ouma", "0733 444 555", "Ngara Rd, house 4")):
        scan(MAZIWA)
        scan(UNGA)
        cod = open_tender("cod")
        cod.name.setText(name)
        cod.phone.setText(phone)
        cod.address.setPlainText(address)
        if name.startswith("Wanjiku"):
            grab(cod, "tender-cod", lang)
        cod._save()
        finish_sale()
    window.show_page("cod")
    cod_page = pages[1].widget
    assert isinstance(cod_page, CodPage)
    cod_page.refresh()
    wait_until(lambda: cod_page.table.rowCount() == 2)
    grab(window, "cod-list", lang)
    # the rider brings the cash: who collected it goes on the receipt
    settling = CodSettleDialog(ctx, cod_page.orders[0], window)
    settling.collected_by.setText("Otieno (boda boda)")
    grab(settling, "cod-settle", lang)
    settling._save()
    wait_until(lambda: settling.payment is not None)
    cod_receipt = ReceiptDialog(ctx, settling.payment.order_id)
    wait_until(lambda: cod_receipt.data is not None)
    grab(cod_receipt, "receipt-cod", lang)
    cod_receipt.close()

    # --- the receipt of the STK sale, and the offline sale screen ---------------------------------
    orders = services.orders.recent_orders(20)
    paid_stk = next(o for o in orders if any(
        p.method == "mpesa_stk" and p.status == "succeeded"
        for p in services.payments.payments_for_order(o.id)))
    receipt = ReceiptDialog(ctx, paid_stk.id)
    wait_until(lambda: receipt.data is not None)
    grab(receipt, "receipt", lang)
    receipt.close()

    window.show_page("sale")
    scan(UNGA)
    gateway.online = False
    ctx.status.update(online=False, offline_reason="relay unreachable")
    grab(window, "sale-offline", lang)
    sale._new_sale()
    gateway.online = True
    ctx.status.update(online=True)

    # --- a supervisor refunds part of one cash sale and voids another (Z report lines) ---------
    refunds = RefundService(services.ledger, services.bus, services.payments, services.users)
    refund_of, void_of = (
        services.payments.record_cash_sale(
            services.orders.draft([OrderLine(name, Money(price, "KES"))]),
            Money(price, "KES"), cashier_id=cashier.id)
        for name, price in (("Sukari 2kg", 36000), ("Mchele 5kg", 95000))
    )
    refunds.refund_lines(refund_of.payment_id, {0: Quantity.each(1)}, "Torn bag",
                         supervisor_id=supervisor.id, pin="2468")
    refunds.void_sale(void_of.order_id, "Rang up twice", supervisor_id=supervisor.id, pin="2468")

    # --- close the shift with a variance: the Z report -----------------------------------------
    window.show_page("shift")
    shift = pages[3].widget
    assert isinstance(shift, ShiftPage)
    shift.refresh()
    wait_until(lambda: shift.shift is not None and shift.ledger_totals.text() != "")
    assert shift.shift is not None
    preview = ctx.counter.shift_preview(shift.shift.id)
    shift.counted_cash.set_money(Money(preview["methods"]["cash"]["expected_minor"] - 5000, "KES"))
    grab(window, "shift-close", lang)
    shift.shortage_reason.setText("Change given twice" if lang == "en" else "Chenji mara mbili")
    override = approve(Action.OVERRIDE)
    shift._close(override)
    wait_until(lambda: shift.report is not None)
    grab(window, "z-report", lang)

    # --- the products page a supervisor sees ---------------------------------------------------
    ctx.current_user = supervisor
    products = CataloguePage(ctx)
    products.resize(*SIZE)
    products.show()
    demo = len(ctx.services.catalogue.list_products())
    wait_until(lambda: products.table.rowCount() == demo)
    grab(products, "products", lang)
    products.close()

    window.close()
    tasks.shutdown(wait=True)
    settle()
    services.ledger.close()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    app = create_application([sys.argv[0]])
    with tempfile.TemporaryDirectory(prefix="duka-shots-") as tmp:
        for lang in ("en", "sw"):
            shoot(app, lang, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
