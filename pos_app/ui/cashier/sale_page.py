"""The sale screen: scan or search, build the cart, take payment with any tender.

Keyboard first: the search field keeps the focus; a barcode scanner "types" the code and
presses Enter. Everything that reads or writes the ledger goes through ctx.tasks.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.errors import DukaError
from pos_app.core.events import SmsReceiptSettled
from pos_app.core.identifiers import REGION_OF_CURRENCY
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.core.payments import PROVIDER_OF_METHOD, PaymentMethod
from pos_app.core.quantities import Quantity, Unit
from pos_app.core.tax import KENYA, TaxTable
from pos_app.printing.layout import sale_number
from pos_app.services.catalogue import ProductView, ScannedItem
from pos_app.services.counter import Balance, UnfinishedPayment
from pos_app.services.shop import shop_tax_table
from pos_app.services.sms_receipts import SmsReceipt, SmsState, SmsWords
from pos_app.services.waiting_sales import SUPERVISOR, WaitingSale, waiting_sales
from pos_app.ui.cashier.cart import CartLine, CartModel
from pos_app.ui.cashier.custom_line import CustomLineDialog
from pos_app.ui.cashier.link_dialog import link_tender_name
from pos_app.ui.cashier.receipt_dialog import ReceiptDialog
from pos_app.ui.cashier.stk_dialog import check_phone
from pos_app.ui.cashier.tender_base import TenderDialog
from pos_app.ui.cashier.tenders import LINK_TENDERS, make_tender_dialog
from pos_app.ui.context import AppContext
from pos_app.ui.errors import error_message
from pos_app.ui.receipts.render import method_label
from pos_app.ui.widgets.keypad import Keypad
from pos_app.ui.widgets.page_parts import message_label
from pos_app.ui.widgets.pin_dialog import ask_supervisor_pin

SEARCH_DELAY_MS = 150


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on `background` ("#RRGGBB")."""
    red, green, blue = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return "#1f1f1f" if red * 299 + green * 587 + blue * 114 > 150_000 else "#ffffff"

QUICK_KEYS = 12
TENDERS = ("cash", "cod", "mpesa", *LINK_TENDERS, "proof")
# product tiles: a narrow frame, so three long names fit side by side on a 1024-pixel screen
TILE = "padding: 2px 6px;"
ONLINE_TENDERS = frozenset({"mpesa", *LINK_TENDERS})


class SalePage(QWidget):
    sale_completed = Signal(str)  # order id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sale-page")
        self.ctx = ctx
        self.cart = CartModel(ctx.currency, self)
        self.order_id: str | None = None
        self.paid_so_far = Money.zero(ctx.currency)
        self._search_seq = 0
        self._busy = False
        self._resumable: list[UnfinishedPayment] = []
        self.active_dialog: TenderDialog | None = None
        self.balance: Balance | None = None  # of the stored order, as last read
        self._awaiting_supervisor = False  # a payment of this sale waits for approval
        self.receipt_dialog: ReceiptDialog | None = None

        root = QHBoxLayout(self)
        left = QVBoxLayout()
        root.addLayout(left, 5)
        right = QVBoxLayout()
        root.addLayout(right, 6)

        # --- left: search, results, quick keys --------------------------------------------
        self.search = QLineEdit()
        self.search.setObjectName("sale-search")
        self.search.setPlaceholderText(self.tr("Scan a barcode or type a product name…"))
        self.search.setClearButtonEnabled(True)
        self.search.setStyleSheet("font-size: 18px; min-height: 44px;")
        self.search.textEdited.connect(self._schedule_search)
        self.search.returnPressed.connect(self._on_enter)
        left.addWidget(self.search)
        self.results = QListWidget()
        self.results.setObjectName("sale-results")
        self.results.setStyleSheet("QListWidget::item { min-height: 40px; }")
        self.results.itemActivated.connect(self._add_result)
        self.results.itemClicked.connect(self._add_result)
        left.addWidget(self.results, 1)
        # the product grid: quick keys, or the products of one category, in their colours
        # The categories scroll sideways: a shop's many categories (or their Swahili names)
        # never widen the page past a 1024-pixel screen.
        self.category_strip = QWidget()
        self.category_bar = QHBoxLayout(self.category_strip)
        self.category_bar.setContentsMargins(0, 0, 0, 0)
        self.category_bar.addStretch(1)
        self.category_scroll = QScrollArea()
        self.category_scroll.setObjectName("sale-categories")
        self.category_scroll.setWidget(self.category_strip)
        self.category_scroll.setWidgetResizable(True)
        self.category_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.category_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.category_scroll.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.category_group = QButtonGroup(self)
        self.category_group.setExclusive(True)
        left.addWidget(self.category_scroll)
        self.categories: dict[str, list[ProductView]] = {}
        self.quick_products: list[ProductView] = []
        self.quick_grid = QGridLayout()
        self.quick_buttons: list[QPushButton] = []
        for i in range(QUICK_KEYS):
            button = QPushButton("")
            button.setObjectName(f"quick-{i + 1}")
            button.setStyleSheet(TILE)
            button.setMinimumHeight(56)
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, b=button: self._add_quick(b))
            self.quick_grid.addWidget(button, i // 3, i % 3)
            self.quick_buttons.append(button)
        left.addLayout(self.quick_grid)
        # a category longer than the grid turns over in pages of QUICK_KEYS
        self.grid_page = 0
        self.grid_pager = QWidget()
        pager = QHBoxLayout(self.grid_pager)
        pager.setContentsMargins(0, 0, 0, 0)
        self.grid_back = self._button("◀", "grid-back", lambda: self._turn_grid(-1))
        self.grid_page_label = QLabel()
        self.grid_page_label.setObjectName("grid-page")
        self.grid_page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.grid_next = self._button("▶", "grid-next", lambda: self._turn_grid(1))
        pager.addWidget(self.grid_back)
        pager.addWidget(self.grid_page_label, 1)
        pager.addWidget(self.grid_next)
        self.grid_pager.hide()
        left.addWidget(self.grid_pager)

        # --- right: resume banner, cart, totals, tenders ----------------------------------
        self.resume_box = QWidget()
        resume_layout = QHBoxLayout(self.resume_box)
        resume_layout.setContentsMargins(0, 0, 0, 0)
        self.resume_label = QLabel()
        self.resume_label.setObjectName("sale-resume-label")
        self.resume_label.setWordWrap(True)
        self.resume_label.setProperty("role", "error")
        resume_layout.addWidget(self.resume_label, 1)
        self.resume_button = QPushButton(self.tr("Resume payment"))
        self.resume_button.setObjectName("sale-resume")
        self.resume_button.clicked.connect(self._resume)
        resume_layout.addWidget(self.resume_button)
        self.resume_box.hide()
        right.addWidget(self.resume_box)

        waiting_row = QHBoxLayout()
        self.pending_label = QLabel()  # what the sale on screen waits for, in words
        self.pending_label.setObjectName("sale-pending")
        self.pending_label.setWordWrap(True)
        self.pending_label.setProperty("role", "error")
        self.pending_label.hide()
        waiting_row.addWidget(self.pending_label, 1)
        self.waiting_button = self._button("", "sale-waiting", self._toggle_waiting)
        self.waiting_button.setCheckable(True)
        waiting_row.addWidget(self.waiting_button, 0, Qt.AlignmentFlag.AlignTop)
        right.addLayout(waiting_row)
        self.waiting_list = QListWidget()
        self.waiting_list.setObjectName("sale-waiting-list")
        self.waiting_list.setMaximumHeight(140)
        self.waiting_list.hide()
        right.addWidget(self.waiting_list)

        self.table = QTableView()
        self.table.setObjectName("sale-cart")
        self.table.setModel(self.cart)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setDefaultSectionSize(40)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        right.addWidget(self.table, 1)

        # two rows, the short buttons together, so the column stays narrow enough for the cart
        # and Charge to fit a 1024-pixel screen beside the product grid
        self.line_buttons = QWidget()
        self.line_buttons.setObjectName("sale-line-buttons")
        line_buttons = QVBoxLayout(self.line_buttons)
        line_buttons.setContentsMargins(0, 0, 0, 0)
        self.qty_button = self._button(self.tr("Qty…"), "cart-qty", self._toggle_keypad)
        self.qty_button.setCheckable(True)
        self.plus = self._button(self.tr("+1"), "cart-plus", lambda: self._change_quantity(1))
        self.minus = self._button(self.tr("−1"), "cart-minus", lambda: self._change_quantity(-1))
        self.remove = self._button(self.tr("Remove line"), "cart-remove", self._remove_line)
        self.custom = self._button(self.tr("Custom amount"), "cart-custom", self._custom_line)
        self.override = self._button(self.tr("Price / discount"), "cart-price", self._override)
        for row in ((self.qty_button, self.plus, self.minus, self.remove),
                    (self.custom, self.override)):
            buttons_row = QHBoxLayout()
            for button in row:
                buttons_row.addWidget(button)
            line_buttons.addLayout(buttons_row)
        right.addWidget(self.line_buttons)
        self.keypad_box = QWidget()
        self.keypad_box.setObjectName("sale-keypad")
        keypad_layout = QHBoxLayout(self.keypad_box)
        keypad_layout.setContentsMargins(0, 0, 0, 0)
        self.qty_edit = QLineEdit()
        self.qty_edit.setObjectName("sale-qty")
        self.qty_edit.setPlaceholderText(self.tr("Quantity"))
        # pieces, or a weight / volume with a dot or comma (Quantity.parse says which fits)
        self.qty_edit.setValidator(QRegularExpressionValidator(
            QRegularExpression(r"\d{0,5}([.,]\d{0,3})?"), self.qty_edit))
        self.qty_edit.setStyleSheet("font-size: 22px; min-height: 48px;")
        self.qty_edit.returnPressed.connect(self._set_quantity)
        keypad_layout.addWidget(self.qty_edit, 1, Qt.AlignmentFlag.AlignTop)
        self.keypad = Keypad(self.qty_edit, self.tr("Set quantity"), decimal=True)
        self.keypad.action.connect(self._set_quantity)
        keypad_layout.addWidget(self.keypad, 2)
        self.keypad_box.hide()
        right.addWidget(self.keypad_box)

        totals = QHBoxLayout()
        self.vat_label = QLabel()
        self.vat_label.setObjectName("sale-vat")
        self.vat_label.setWordWrap(True)  # the big total beside it keeps its room
        totals.addWidget(self.vat_label, 1)
        self.total_label = QLabel()
        self.total_label.setObjectName("sale-total")
        self.total_label.setProperty("role", "total")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        totals.addWidget(self.total_label)
        right.addLayout(totals)
        self.due_label = QLabel()
        self.due_label.setObjectName("sale-due")
        self.due_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        right.addWidget(self.due_label)

        # one large Charge button showing what is due; it opens the tender choice
        self.charge = self._button("", "sale-charge", self.choose_tender)
        self.charge.setProperty("role", "primary")
        self.charge.setMinimumHeight(72)
        self.charge.setStyleSheet("font-size: 24px;")
        right.addWidget(self.charge)
        self.tender_panel = QWidget()
        self.tender_panel.setObjectName("sale-tenders")
        tenders = QGridLayout(self.tender_panel)
        tenders.setContentsMargins(0, 0, 0, 0)
        self.tender_buttons: dict[str, QPushButton] = {}
        names = {
            "cash": self.tr("Cash (F2)"),
            "cod": self.tr("Cash on delivery"),
            "mpesa": self.tr("M-Pesa (F3)"),
            "proof": self.tr("Bank / proof"),
        } | {provider: link_tender_name(provider) for provider in LINK_TENDERS}
        for key in TENDERS:
            button = QPushButton(names[key], self.tender_panel)
            button.setObjectName(f"tender-{key}")
            button.setMinimumHeight(56)
            if key == "cash":
                button.setProperty("role", "primary")
            button.clicked.connect(lambda _=False, k=key: self.start_tender(k))
            self.tender_buttons[key] = button
        self.tenders_back = self._button(self.tr("Back"), "sale-tenders-back", self._hide_tenders)
        self._tender_grid = tenders
        self._lay_out_tenders()
        self.tender_panel.hide()
        right.addWidget(self.tender_panel)
        self.new_sale = self._button(self.tr("New sale"), "sale-new", self._new_sale)
        right.addWidget(self.new_sale)
        self.offline_label = QLabel()
        self.offline_label.setObjectName("sale-offline-reason")
        self.offline_label.setWordWrap(True)
        right.addWidget(self.offline_label)
        self.message = message_label("sale-message")
        right.addWidget(self.message)
        # after a sale: the cashier chooses; nothing pops up by itself. SMS asks the relay to
        # text it (the till holds no SMS account): the phone first, checked before it is sent
        self.receipt_choice = QWidget()
        self.receipt_choice.setObjectName("sale-receipt-choice")
        choice_rows = QVBoxLayout(self.receipt_choice)
        choice_rows.setContentsMargins(0, 0, 0, 0)
        # the question on its own line, the three answers under it: side by side they pushed
        # the column past a 1024-pixel screen in Swahili
        self.receipt_label = QLabel()
        self.receipt_label.setWordWrap(True)
        choice_rows.addWidget(self.receipt_label)
        choice = QHBoxLayout()
        self.print_receipt = self._button(
            self.tr("Print receipt"), "sale-print-receipt", lambda: self._receipt_chosen(True)
        )
        self.sms_receipt = self._button(self.tr("SMS"), "sale-sms-receipt", self._ask_sms_phone)
        self.no_receipt = self._button(
            self.tr("No receipt"), "sale-no-receipt", lambda: self._receipt_chosen(False)
        )
        choice.addWidget(self.print_receipt)
        choice.addWidget(self.sms_receipt)
        choice.addWidget(self.no_receipt)
        choice_rows.addLayout(choice)
        self.sms_box = QWidget()
        sms_row = QHBoxLayout(self.sms_box)
        sms_row.setContentsMargins(0, 0, 0, 0)
        self.sms_phone = QLineEdit()
        self.sms_phone.setObjectName("sale-sms-phone")
        self.sms_phone.setPlaceholderText(self.tr("Customer's phone, 07XX XXX XXX"))
        self.sms_phone.returnPressed.connect(self._send_sms)
        sms_row.addWidget(self.sms_phone, 1)
        self.sms_send = self._button(self.tr("Send SMS"), "sale-sms-send", self._send_sms)
        sms_row.addWidget(self.sms_send)
        self.sms_box.hide()
        choice_rows.addWidget(self.sms_box)
        self.receipt_choice.hide()
        self.receipt_order: str | None = None
        self.sms_order: str | None = None  # the sale whose text the relay is asked to send
        ctx.bus.follow(self, self._sms_settled, (SmsReceiptSettled,))
        right.addWidget(self.receipt_choice)

        QShortcut(QKeySequence("F2"), self, lambda: self.start_tender("cash"))
        QShortcut(QKeySequence("F3"), self, lambda: self.start_tender("mpesa"))
        QShortcut(QKeySequence("Ctrl+Delete"), self, self._remove_line)
        QShortcut(QKeySequence("Escape"), self.search, self.search.clear)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self.cart.modelReset.connect(self._refresh_totals)
        self.cart.rowsInserted.connect(self._refresh_totals)
        # a line in the cart is the next sale: the last one's receipt question is over
        self.cart.rowsInserted.connect(lambda *_: self._close_receipt_choice())
        self.cart.rowsRemoved.connect(self._refresh_totals)
        self.cart.dataChanged.connect(self._refresh_totals)
        ctx.status.changed.connect(self._refresh_tenders)
        self._refresh_totals()
        self._refresh_tenders()
        self._show_waiting([])
        self.load()
        # the categories once per sign-in (the screens are built again at each one)
        ctx.tasks.submit(ctx.services.catalogue.list_products, on_done=self._show_categories,
                         on_error=self._show_error, owner=self)

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        return button

    # --- loading ----------------------------------------------------------------------------
    def load(self) -> None:
        """Quick keys and payments left half-way (a crash, a closed window) to offer again."""
        self.ctx.tasks.submit(self.ctx.counter.quick_keys, on_done=self._show_quick_keys,
                              on_error=self._show_error, owner=self)
        self.ctx.tasks.submit(self.ctx.counter.resumable_payments, on_done=self._show_resumable,
                              on_error=self._show_error, owner=self)
        self.ctx.tasks.submit(waiting_sales, self.ctx.services.ledger,
                              on_done=self._show_waiting, on_error=self._show_error, owner=self)

    def _show_waiting(self, sales: list[WaitingSale]) -> None:
        self.waiting_button.setText(self.tr("Waiting sales (%1)").replace("%1", str(len(sales))))
        self.waiting_button.setProperty("role", "primary" if sales else "")
        self.waiting_button.style().polish(self.waiting_button)
        self.waiting_list.clear()
        for sale in sales:
            why = (
                self.tr("waiting for a supervisor to approve the proof")
                if sale.waiting_for == SUPERVISOR
                else self.tr("waiting for the customer's payment")
            )
            self.waiting_list.addItem(
                f"{sale_number(sale.order_id, sale.receipt_number)} · {sale.total.format()} · {why}"
            )
        if not sales:
            self.waiting_list.addItem(self.tr("No sale is waiting."))

    def _toggle_waiting(self) -> None:
        self.waiting_list.setVisible(self.waiting_button.isChecked())

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.search.setFocus()

    def _show_quick_keys(self, products: list[ProductView]) -> None:
        self.quick_products = products
        self._show_grid(self.category_group.checkedButton(), self.grid_page)

    def _show_categories(self, products: list[ProductView]) -> None:
        categories: dict[str, list[ProductView]] = {}
        for product in sorted(products, key=lambda p: p.name.casefold()):
            if product.category:
                categories.setdefault(product.category, []).append(product)
        self.categories = dict(sorted(categories.items()))
        chosen = self.category_group.checkedButton()
        chosen_name = chosen.property("category") if chosen is not None else None
        for button in self.category_group.buttons():
            self.category_group.removeButton(button)
            button.deleteLater()
        for name in [None, *self.categories]:
            button = QPushButton(self.tr("Quick keys") if name is None else name)
            button.setObjectName("category-quick" if name is None else f"category-{name}")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setProperty("category", name)
            button.setChecked(name == chosen_name)
            button.clicked.connect(lambda _=False, b=button: self._show_grid(b))
            self.category_group.addButton(button)
            self.category_bar.insertWidget(self.category_bar.count() - 1, button)
        # room for the buttons and, when they do not all fit, the scroll bar under them (from
        # the buttons themselves: new ones are not shown yet, so the strip's hint leaves them out)
        tallest = max(b.sizeHint().height() for b in self.category_group.buttons())
        scroll_bar = self.category_scroll.horizontalScrollBar().sizeHint().height()
        self.category_scroll.setFixedHeight(tallest + scroll_bar)
        self._show_grid(self.category_group.checkedButton(), self.grid_page)

    def _show_grid(self, chosen: Any, page: int = 0) -> None:
        """The quick keys in their places, or page `page` of a category's products in name
        order."""
        category = chosen.property("category") if chosen is not None else None
        if chosen is None and self.category_group.buttons():
            self.category_group.buttons()[0].setChecked(True)
        placed: list[tuple[int, ProductView]] = []
        pages = 1
        if category is None:
            for product in self.quick_products[:QUICK_KEYS]:
                index = (product.quick_key or 0) - 1
                if 0 <= index < QUICK_KEYS:
                    placed.append((index, product))
        else:
            products = self.categories.get(category, [])
            pages = max(1, -(-len(products) // QUICK_KEYS))
            start = min(page, pages - 1) * QUICK_KEYS
            placed = list(enumerate(products[start : start + QUICK_KEYS]))
        self.grid_page = min(page, pages - 1)
        self.grid_pager.setVisible(pages > 1)
        self.grid_page_label.setText(
            self.tr("Page %1 of %2").replace("%1", str(self.grid_page + 1)).replace(
                "%2", str(pages)))
        self.grid_back.setEnabled(self.grid_page > 0)
        self.grid_next.setEnabled(self.grid_page < pages - 1)
        for button in self.quick_buttons:
            button.setText("")
            button.setEnabled(False)
            button.setProperty("product", None)
            button.setStyleSheet(TILE)
        for index, product in placed:
            button = self.quick_buttons[index]
            button.setText(f"{product.name}\n{product.price.format(with_code=False)}")
            button.setEnabled(True)
            button.setProperty("product", product)
            if product.colour:
                button.setStyleSheet(
                    f"{TILE} background: {product.colour}; color: {text_colour(product.colour)};"
                    "font-weight: bold;"
                )

    def _turn_grid(self, step: int) -> None:
        self._show_grid(self.category_group.checkedButton(), self.grid_page + step)

    def _show_resumable(self, unfinished: list[UnfinishedPayment]) -> None:
        self._resumable = unfinished
        if not unfinished:
            self.resume_box.hide()
            return
        left = unfinished[0]
        self.resume_label.setText(
            self.tr("A payment was left unfinished: %1 for sale %2. Resume it to see how it ended.")
            .replace("%1", left.payment.amount.format())
            .replace("%2", sale_number(left.payment.order_id, left.receipt_number))
        )
        self.resume_box.show()

    # --- searching and scanning -------------------------------------------------------------
    def _schedule_search(self, _text: str) -> None:
        self._search_timer.start()

    def _run_search(self) -> None:
        text = self.search.text().strip()
        self._search_seq += 1
        seq = self._search_seq
        if not text:
            self.results.clear()
            return
        self.ctx.tasks.submit(
            self.ctx.counter.search_products,
            text,
            on_done=lambda found: self._show_results(seq, found),
            on_error=self._show_error,
            owner=self,
        )

    def _show_results(self, seq: int, products: list[ProductView]) -> None:
        if seq != self._search_seq:
            return  # an older search finished after a newer one started
        self.results.clear()
        for product in products:
            code = product.barcode or product.sku or ""
            item = QListWidgetItem(
                f"{product.name}    {product.price.format(with_code=False)}    {code}"
            )
            item.setData(Qt.ItemDataRole.UserRole, product)
            self.results.addItem(item)

    def _on_enter(self) -> None:
        """Enter: a scanned barcode adds its product; otherwise the first search result."""
        text = self.search.text().strip()
        if not text:
            return
        self._search_timer.stop()
        self._search_seq += 1
        self.ctx.tasks.submit(
            self.ctx.counter.find_for_enter,
            text,
            on_done=lambda product: self._entered(text, product),
            on_error=self._show_error,
            owner=self,
        )

    def _entered(self, text: str, found: ScannedItem | None) -> None:
        if found is None:
            self.say(
                self.tr("Unknown barcode or product: %1. Nothing was added.").replace("%1", text),
                error=True,
            )
            self.search.selectAll()
            return
        self.add_product(found.product, found.quantity)
        self.search.clear()
        self.results.clear()

    def _add_result(self, item: QListWidgetItem) -> None:
        self.add_product(item.data(Qt.ItemDataRole.UserRole))
        self.search.clear()
        self.results.clear()
        self.search.setFocus()

    def _add_quick(self, button: QPushButton) -> None:
        product = button.property("product")
        if product is not None:
            self.add_product(product)
        self.search.setFocus()

    def add_product(self, product: ProductView, quantity: Quantity | None = None) -> None:
        """One piece, or a weighed / measured product: the scale label's quantity, else one
        kilo / litre for the cashier to correct with Qty."""
        if not self._cart_editable(self.tr("Add %1 after payment started").replace(
                "%1", product.name)):
            return
        amount: int | Quantity = 1
        if product.unit is not Unit.EACH:
            amount = quantity or Quantity(1000, product.unit)
        row = self.cart.add(
            CartLine(product.name, product.price, amount, product.id, product.tax_class)
        )
        self.table.selectRow(row)
        if quantity is None and product.unit is not Unit.EACH:
            self.say(self.tr("Added %1 (%2): type the weighed quantity with Qty… if it differs.")
                     .replace("%1", product.name).replace("%2", str(amount)))
        else:
            self.say(self.tr("Added %1.").replace("%1", product.name))

    # --- editing the cart -------------------------------------------------------------------
    def _selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return rows[0].row()
        return len(self.cart.lines) - 1 if self.cart.lines else None

    def _cart_editable(self, action: str) -> bool:
        """Once a payment has started, changing the cart needs a supervisor (and a new order).

        An order stored when a tender dialog opened but left with Back has no payment: it is
        dropped quietly and the next tender stores the changed cart.
        """
        if self.order_id is None:
            return True
        if self.paid_so_far.is_positive:
            self.say(self.tr("Part of this sale is already paid: finish it, or ask a supervisor "
                             "to refund it."), error=True)
            return False
        started = self.balance is None or self.balance.remaining != self.balance.total
        actor = None
        if started:
            supervisor = ask_supervisor_pin(self, self.ctx, action)
            if supervisor is None:
                return False
            actor = supervisor
        order_id, self.order_id, self.balance = self.order_id, None, None
        self.ctx.tasks.submit(self.ctx.counter.abandon_order, order_id, actor,
                              on_error=self._show_error, owner=self)
        return True

    def _change_quantity(self, delta: int) -> None:
        row = self._selected_row()
        if row is None:
            return
        line = self.cart.lines[row]
        if not isinstance(line.quantity, int):
            self.say(self.tr("+1 and −1 count pieces: for %1, type the quantity with Qty…")
                     .replace("%1", line.name), error=True)
            return
        quantity = line.quantity + delta
        if quantity <= 0:
            self._remove_line()
            return
        order_id = self.order_id
        if self._cart_editable(self.tr("Change a quantity after payment started")):
            if delta < 0 and order_id is not None:  # money a started tender counted on
                lowered = self.cart.order_lines()[row]
                self._record("quantity_lowered", [replace(lowered, quantity=-delta)], order_id)
            self.cart.set_quantity(row, quantity)

    def _toggle_keypad(self) -> None:
        self.keypad_box.setVisible(self.qty_button.isChecked())
        self.qty_edit.clear()

    def _set_quantity(self) -> None:
        """The keypad's quantity for the chosen line (the last one when none is chosen)."""
        row = self._selected_row()
        text = self.qty_edit.text()
        self.qty_edit.clear()
        if row is None or not text.strip():
            self.say(self.tr("Choose a line, type how many, then Set quantity."), error=True)
            return
        line = self.cart.lines[row]
        try:
            quantity = Quantity.parse(text, line.unit)
        except DukaError:
            if line.unit is Unit.EACH:
                why = self.tr("%1 is sold by the piece: type a whole number above zero, e.g. 3.")
            else:
                why = self.tr("%1 is sold by %2: type a quantity above zero with at most "
                              "three decimals, e.g. 0.75 or 0,75.").replace("%2", line.unit.value)
            self.say(why.replace("%1", line.name), error=True)
            return
        if self._cart_editable(self.tr("Change a quantity after payment started")):
            self.cart.set_quantity(row, quantity)
            self.table.selectRow(row)
        self.search.setFocus()

    def _remove_line(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        order_id = self.order_id
        if self._cart_editable(self.tr("Remove a line after payment started")):
            self._record("line_removed", [self.cart.order_lines()[row]], order_id)
            self.cart.remove(row)

    def _custom_line(self) -> None:
        if not self._cart_editable(self.tr("Add a line after payment started")):
            return
        dialog = CustomLineDialog(self.ctx.currency, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.line is not None:
            self.table.selectRow(self.cart.add(dialog.line))
        self.search.setFocus()

    def _override(self) -> None:
        row = self._selected_row()
        if row is None:
            self.say(self.tr("Choose a line first."), error=True)
            return
        line = self.cart.lines[row]
        text, ok = QInputDialog.getText(
            self, self.tr("New price"),
            self.tr("New unit price for %1 (now %2):").replace("%1", line.name).replace(
                "%2", line.unit_price.format()),
        )
        if not ok:
            return
        try:
            price = Money.parse(text, self.ctx.currency).require_positive()
        except DukaError as error:
            self.say(error_message(error), error=True)
            return
        grant = ask_supervisor_pin(self, self.ctx, self.tr("Price of %1: %2 → %3").replace(
                "%1", line.name).replace("%2", line.unit_price.format()).replace(
                "%3", price.format()))
        if grant is None:
            return
        if self._cart_editable(self.tr("Change a price after payment started")):
            self.ctx.tasks.submit(self.ctx.counter.record_price_override, line.unit_price, price,
                                  line.quantity, grant, on_error=self._show_error)
            self.cart.set_price(row, price)

    def _new_sale(self) -> None:
        if self.order_id is not None and self.paid_so_far.is_positive:
            self.say(self.tr("Part of this sale is already paid: take the rest first."),
                     error=True)
            return
        if self.order_id is not None and self.balance is not None and (
            self.balance.remaining.is_zero
        ):
            # all of it is covered by payments still waiting (a proof, a prompt): the order
            # stays open and completes when they are confirmed
            self._reset()
            self.say(self.tr("Sale parked: it completes when its payment is confirmed. It is "
                             "in the list of waiting sales."))
            self.load()
            return
        order_id = self.order_id
        if self.cart.lines and not self._cart_editable(self.tr("Clear a sale after payment "
                                                              "started")):
            return
        self._record("cleared", self.cart.order_lines(), order_id)
        self._reset()

    def _record(self, kind: str, removed: list[OrderLine], order_id: str | None) -> None:
        """Money leaving the cart goes on the record (services.counter.record_cart_change)."""
        if removed:
            self.ctx.tasks.submit(self.ctx.counter.record_cart_change, kind, removed, order_id,
                                  on_error=self._show_error)

    def _reset(self) -> None:
        self.cart.clear()
        self.order_id = None
        self.balance = None
        self.paid_so_far = Money.zero(self.ctx.currency)
        self.pending_label.hide()
        self._awaiting_supervisor = False
        self._hide_tenders()
        self.search.clear()
        self.results.clear()
        self._refresh_totals()
        self.search.setFocus()

    # --- paying -----------------------------------------------------------------------------
    def choose_tender(self) -> None:
        """The Charge button: the tender choice in its place."""
        if not self.cart.lines:
            self.say(self.tr("The cart is empty: scan or choose a product first."), error=True)
            return
        self.charge.hide()
        self.tender_panel.show()

    def _hide_tenders(self) -> None:
        self.tender_panel.hide()
        self.charge.show()

    def start_tender(self, kind: str) -> None:
        if self._busy:
            return
        self._hide_tenders()
        if not self.cart.lines:
            self.say(self.tr("The cart is empty: scan or choose a product first."), error=True)
            return
        if kind in ONLINE_TENDERS and not self.ctx.is_online():
            self.say(self._offline_reason(), error=True)
            return
        self._set_busy(True)
        if self.order_id is None:
            self.ctx.tasks.submit(
                self.ctx.counter.create_order,
                self.cart.order_lines(),
                on_done=lambda order_id: self._order_ready(kind, order_id),
                on_error=self._tender_failed,
                owner=self,
            )
        else:
            self._refresh_balance(then=lambda balance: self._open_tender(kind, balance))

    def _order_ready(self, kind: str, order_id: str) -> None:
        self.order_id = order_id
        self._refresh_balance(then=lambda balance: self._open_tender(kind, balance))

    def _refresh_balance(self, then: Any = None) -> None:
        assert self.order_id is not None
        self.ctx.tasks.submit(
            self.ctx.counter.order_balance,
            self.order_id,
            on_done=lambda balance: self._balance_ready(balance, then),
            on_error=self._tender_failed,
            owner=self,
        )

    def _balance_ready(self, balance: Balance, then: Any) -> None:
        self.balance = balance
        self.paid_so_far = balance.paid
        self._refresh_totals()
        if then is not None:
            then(balance)

    def _open_tender(self, kind: str, balance: Balance) -> None:
        self._set_busy(False)
        assert self.order_id is not None
        if balance.remaining.is_zero:
            self._after_tender()
            return
        self._show_dialog(make_tender_dialog(kind, self.ctx, self.order_id, balance.remaining,
                                             self))

    def _show_dialog(self, dialog: TenderDialog) -> None:
        """Window-modal, not a nested event loop: the sale screen resumes when it closes."""
        self.active_dialog = dialog
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        dialog.open()

    def _dialog_closed(self, dialog: TenderDialog) -> None:
        if self.active_dialog is dialog:
            self.active_dialog = None
        status = getattr(dialog.payment, "status", None)
        self._awaiting_supervisor = self._awaiting_supervisor or status == "awaiting_verification"
        dialog.deleteLater()
        self._after_tender()
        self.search.setFocus()

    def _after_tender(self) -> None:
        if self.order_id is None:
            return
        self._refresh_balance(then=self._maybe_finish)

    def _maybe_finish(self, balance: Balance) -> None:
        if not balance.settled:
            self._show_pending(balance)
            if balance.paid.is_positive and not balance.remaining.is_zero:
                self.say(self.tr("Paid so far %1; still due %2: choose another tender.")
                         .replace("%1", balance.paid.format())
                         .replace("%2", balance.remaining.format()))
            return
        order_id = self.order_id
        assert order_id is not None
        supervisor_to_approve = self._awaiting_supervisor
        self._reset()
        if supervisor_to_approve:
            self.say(self.tr("Sale complete. Its proof of payment still waits for a supervisor "
                             "to approve it (see the waiting sales)."))
        else:
            self.say(self.tr("Sale complete."))
        self.sale_completed.emit(order_id)
        self.offer_receipt(order_id, balance.receipt_number)
        self.load()

    def _show_pending(self, balance: Balance) -> None:
        """A sale that waits is never silent: say what for, in the cart's own space."""
        if balance.waiting_verification:
            text = self.tr("Waiting for a supervisor to approve the proof of payment. The sale "
                           "completes once approved; New sale parks it meanwhile.")
        elif balance.waiting_online:
            text = self.tr("Waiting for the customer's payment (M-Pesa prompt or payment "
                           "link). New sale parks the sale meanwhile.")
        else:
            self.pending_label.hide()
            return
        self.pending_label.setText(text)
        self.pending_label.show()
        self.load()

    def offer_receipt(self, order_id: str, receipt_number: str) -> None:
        self.receipt_order = order_id
        self.receipt_label.setText(self.tr("Receipt for sale %1?").replace(
            "%1", sale_number(order_id, receipt_number)))
        self.sms_box.hide()
        # in the place of the line buttons, Charge and New sale, idle with the cart empty: the
        # column keeps its height, so the phone row stays in sight at 768 pixels
        for idle in (self.line_buttons, self.charge, self.new_sale):
            idle.hide()
        self.receipt_choice.show()

    def _close_receipt_choice(self) -> None:
        self.receipt_choice.hide()
        self.sms_box.hide()
        self.charge.setVisible(self.tender_panel.isHidden())
        self.line_buttons.show()
        self.new_sale.show()

    def _receipt_chosen(self, printed: bool) -> None:
        order_id, self.receipt_order = self.receipt_order, None
        self._close_receipt_choice()
        if printed and order_id is not None:
            self.show_receipt(order_id, print_now=True)
        self.search.setFocus()

    # --- SMS receipts -----------------------------------------------------------------------
    def _ask_sms_phone(self) -> None:
        """The phone row; a number the sale already has (an M-Pesa payer's) is filled in for
        the cashier to confirm with the customer."""
        self.sms_box.show()
        self.sms_phone.setFocus()
        if self.receipt_order is not None and not self.sms_phone.text():
            self.ctx.tasks.submit(self.ctx.counter.sale_phone, self.receipt_order,
                                  on_done=self._offer_phone, on_error=self._show_error,
                                  owner=self)  # fmt: skip

    def _offer_phone(self, phone: str | None) -> None:
        if phone and not self.sms_phone.text():
            self.sms_phone.setText(phone)

    def _sms_region(self) -> str:
        return REGION_OF_CURRENCY.get(self.ctx.shop_settings.currency, "KE")

    def _send_sms(self) -> None:
        """Check the number here (a clear word at once, nothing lost), then ask the relay."""
        order_id = self.receipt_order
        if order_id is None:
            return
        if check_phone(self.sms_phone.text(), self._sms_region()) is None:
            self.say(self.tr("That is not a mobile number a text can reach. Type it as "
                             "07XX XXX XXX or +254 7XX XXX XXX."), error=True)
            self.sms_phone.setFocus()
            return
        self.sms_send.setEnabled(False)
        words = SmsWords(
            receipt=self.tr("Receipt"),
            total=self.tr("Total"),
            etims=self.tr("eTIMS invoice"),
            methods={method.value: method_label(method.value) for method in PaymentMethod},
        )
        self.ctx.tasks.submit(
            self.ctx.counter.send_receipt_sms, order_id, self.sms_phone.text(), words,
            on_done=self._sms_asked, on_error=self._sms_refused, owner=self,
        )  # fmt: skip

    def _sms_asked(self, asked: SmsReceipt) -> None:
        self.sms_send.setEnabled(True)
        self.sms_order = asked.order_id
        self.sms_phone.clear()
        self._receipt_chosen(False)
        self.say(self.tr("The receipt will be sent by SMS (when the till is online)."))

    def _sms_refused(self, error: BaseException) -> None:
        self.sms_send.setEnabled(True)
        self._show_error(error)  # the choice and the typed number stay

    def _sms_settled(self, event: SmsReceiptSettled) -> None:
        if event.order_id != self.sms_order:
            return
        if event.state == SmsState.SENT:
            self.say(self.tr("Receipt sent by SMS."))
        elif event.state == SmsState.UNKNOWN:
            self.say(self.tr("The SMS may not have arrived (%1). Ask the customer; print the "
                             "receipt from Sales if not.").replace("%1", event.reason or ""),
                     error=True)
        else:
            self.say(self.tr("The SMS receipt was not sent: %1. Print it from Sales.")
                     .replace("%1", event.reason or ""), error=True)

    def show_receipt(self, order_id: str, print_now: bool = False) -> None:
        dialog = ReceiptDialog(self.ctx, order_id, self, print_now=print_now)
        self.receipt_dialog = dialog
        dialog.destroyed.connect(lambda _o=None: self._receipt_gone(dialog))
        dialog.open()

    def _receipt_gone(self, dialog: ReceiptDialog) -> None:
        if self.receipt_dialog is dialog:
            self.receipt_dialog = None

    def _resume(self) -> None:
        if not self._resumable:
            return
        payment = self._resumable[0].payment
        self.order_id = payment.order_id
        self.ctx.tasks.submit(
            self.ctx.counter.order_lines,
            payment.order_id,
            on_done=lambda lines: self._resumed(payment, lines),
            on_error=self._show_error,
            owner=self,
        )

    def _resumed(self, payment: Any, lines: list[Any]) -> None:
        self.cart.clear()
        for line in lines:
            self.cart.add(CartLine(line.name, line.unit_price, line.quantity, line.product_id,
                                   line.tax_class))
        self.resume_box.hide()
        kind = PROVIDER_OF_METHOD[PaymentMethod(payment.method)].value
        self._show_dialog(make_tender_dialog(kind, self.ctx, payment.order_id, payment.amount,
                                             self, resume=payment))
        self.load()

    def _tender_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self._show_error(error)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._refresh_tenders()

    # --- display ----------------------------------------------------------------------------
    def _offline_reason(self) -> str:
        if self.ctx.gateway is None:
            return self.tr("M-Pesa prompts and payment links need the relay: this till is not "
                           "paired with one. Cash, COD and proofs still work.")
        return self.tr("Offline (%1): M-Pesa prompts and payment links are unavailable. "
                       "Cash, COD and proofs still work.").replace(
                           "%1", self.ctx.status.offline_reason)

    def _shop_tenders(self) -> list[str]:
        """Every tender but the link providers the shop does not have (as the relay said)."""
        return [k for k in TENDERS if k not in LINK_TENDERS or k in self.ctx.status.providers]

    def _lay_out_tenders(self) -> None:
        """Three a row, the shop's tenders then Back."""
        shown = self._shop_tenders()
        grid = self._tender_grid
        for widget in (*self.tender_buttons.values(), self.tenders_back):
            grid.removeWidget(widget)
        for i, key in enumerate([*shown, "back"]):
            grid.addWidget(self.tender_buttons.get(key, self.tenders_back), i // 3, i % 3)
        for key, button in self.tender_buttons.items():
            button.setVisible(key in shown)
        self._tenders_shown = shown

    def _refresh_tenders(self) -> None:
        online = self.ctx.is_online()
        if self._shop_tenders() != self._tenders_shown:
            self._lay_out_tenders()
        for key, button in self.tender_buttons.items():
            button.setEnabled(not self._busy and (online or key not in ONLINE_TENDERS))
            if key in ONLINE_TENDERS:
                button.setToolTip("" if online else self._offline_reason())
        self.offline_label.setText("" if online else self._offline_reason())
        self.charge.setEnabled(bool(self.cart.lines) and not self._busy)

    def _refresh_totals(self, *_args: Any) -> None:
        # columns sized while the page was hidden keep a stale width: size them again
        self.table.horizontalHeader().resizeSections(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        total = self.cart.total
        vat = self.cart.vat(self._tax_table())
        self.vat_label.setText(
            self.tr("%n item(s), incl. VAT %1", "", self.cart.item_count)
            .replace("%1", vat.format())
        )
        balance = self.balance if self.order_id is not None else None
        if balance is not None and balance.remaining != balance.total:
            # a split tender: the big figure is what is still due, not the total
            due = balance.remaining
            self.total_label.setText(self.tr("Due %1").replace("%1", due.format()))
            waiting = balance.total - balance.paid - balance.remaining
            small = self.tr("Total %1 · paid %2").replace("%1", balance.total.format()).replace(
                "%2", balance.paid.format())
            if waiting.is_positive:
                small += " · " + self.tr("waiting %1").replace("%1", waiting.format())
            self.due_label.setText(small)
        else:
            due = total
            self.total_label.setText(self.tr("Total %1").replace("%1", total.format()))
            self.due_label.setText("")
        self.charge.setText(self.tr("Charge %1").replace("%1", due.format()))
        self.charge.setEnabled(bool(self.cart.lines) and not self._busy)

    def _tax_table(self) -> TaxTable:
        settings = self.ctx.shop_settings
        return shop_tax_table(settings) if settings is not None else KENYA

    def say(self, text: str, error: bool = False) -> None:
        self.message.setProperty("role", "error" if error else "ok")
        self.message.style().polish(self.message)
        self.message.setText(text)

    def _show_error(self, error: BaseException) -> None:
        if isinstance(error, DukaError):
            self.say(error_message(error), error=True)
        else:
            self.say(self.tr("Something went wrong: %1").replace("%1", type(error).__name__),
                     error=True)
