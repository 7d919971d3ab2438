"""First run: the shop, its money and the first supervisor, in one short form.

The dialog only gathers and checks what was typed; `apply` (given by the app) writes it
through the services on a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.errors import DukaError
from pos_app.core.money import CURRENCIES
from pos_app.core.receipt_numbers import PREFIX_PATTERN
from pos_app.services.users import UserView
from pos_app.ui.application import LANGUAGES
from pos_app.ui.countries import tax_countries
from pos_app.ui.errors import error_message
from pos_app.ui.tasks import TaskRunner

TIME_ZONES = (
    "Africa/Nairobi",
    "Africa/Lagos",
    "Africa/Kampala",
    "Africa/Dar_es_Salaam",
    "Africa/Kigali",
    "Africa/Accra",
    "Africa/Johannesburg",
    "UTC",
)
MIN_PIN, MAX_PIN = 4, 8


@dataclass(frozen=True)
class SetupDetails:
    shop_name: str
    currency: str
    vat_bps: int
    timezone: str
    language: str
    supervisor_name: str
    supervisor_pin: str
    relay_url: str | None
    pairing_code: str | None
    demo_catalogue: bool = False
    country: str = "KE"
    receipt_prefix: str = "TILL1"


def pin_problem(pin: str, again: str) -> str | None:
    """Why a new PIN is refused, in words a shop owner understands; None when it is fine."""
    from PySide6.QtCore import QCoreApplication

    if not pin.isdigit() or not MIN_PIN <= len(pin) <= MAX_PIN:
        return QCoreApplication.translate("SetupDialog", "The PIN must be 4 to 8 digits.")
    if len(set(pin)) == 1 or pin in "0123456789" or pin in "9876543210":
        return QCoreApplication.translate(
            "SetupDialog", "That PIN is too easy to guess: avoid 1111 or 1234."
        )
    if pin != again:
        return QCoreApplication.translate("SetupDialog", "The two PINs are not the same.")
    return None


class SetupDialog(QDialog):
    def __init__(
        self,
        tasks: TaskRunner,
        apply: Callable[[SetupDetails], UserView],
        parent: QWidget | None = None,
        *,
        demo: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setup-dialog")
        self.setWindowTitle(self.tr("Set up this till"))
        self.setMinimumWidth(640)
        self._tasks = tasks
        self._apply = apply
        self.result_value: UserView | None = None

        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("Welcome! Set up your shop"))
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        intro = QLabel(
            self.tr(
                "This takes a minute. You can change everything later in the supervisor's settings."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.shop_name = QLineEdit()
        self.shop_name.setObjectName("setup-shop-name")
        self.shop_name.setMaxLength(120)
        form.addRow(self.tr("Shop name"), self.shop_name)
        self.country = QComboBox()  # whose tax classes the products are sold under
        self.country.setObjectName("setup-country")
        for code, country in tax_countries():
            self.country.addItem(country, code)
        form.addRow(self.tr("Country (tax classes)"), self.country)
        self.currency = QComboBox()
        self.currency.setObjectName("setup-currency")
        for code, info in CURRENCIES.items():
            self.currency.addItem(f"{code} — {info.name}", code)
        form.addRow(self.tr("Currency"), self.currency)
        self.vat = QSpinBox()
        self.vat.setObjectName("setup-vat")
        self.vat.setRange(0, 100)
        self.vat.setValue(16)
        self.vat.setSuffix(" %")
        form.addRow(self.tr("VAT rate (prices include VAT)"), self.vat)
        self.timezone = QComboBox()
        self.timezone.setObjectName("setup-timezone")
        self.timezone.addItems(TIME_ZONES)
        form.addRow(self.tr("Time zone"), self.timezone)
        self.language = QComboBox()
        self.language.setObjectName("setup-language")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        form.addRow(self.tr("Language"), self.language)
        # Asked now: every receipt carries it, and a second till needs its own (TILL2).
        self.receipt_prefix = QLineEdit("TILL1")
        self.receipt_prefix.setObjectName("setup-receipt-prefix")
        self.receipt_prefix.setMaxLength(12)
        form.addRow(self.tr("Receipt prefix (TILL1-000123)"), self.receipt_prefix)
        self.supervisor_name = QLineEdit()
        self.supervisor_name.setObjectName("setup-supervisor-name")
        self.supervisor_name.setMaxLength(120)
        form.addRow(self.tr("Supervisor's name"), self.supervisor_name)
        self.pin = QLineEdit()
        self.pin.setObjectName("setup-pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(MAX_PIN)
        form.addRow(self.tr("Supervisor's PIN (4–8 digits)"), self.pin)
        self.pin_again = QLineEdit()
        self.pin_again.setObjectName("setup-pin-again")
        self.pin_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_again.setMaxLength(MAX_PIN)
        form.addRow(self.tr("PIN again"), self.pin_again)
        self.relay_url = QLineEdit()
        self.relay_url.setObjectName("setup-relay-url")
        self.relay_url.setPlaceholderText(self.tr("optional, e.g. https://relay.example.com"))
        form.addRow(self.tr("Relay address"), self.relay_url)
        self.pairing_code = QLineEdit()
        self.pairing_code.setObjectName("setup-pairing-code")
        self.pairing_code.setPlaceholderText(self.tr("optional"))
        form.addRow(self.tr("Pairing code"), self.pairing_code)
        self.demo_catalogue = QCheckBox(
            self.tr("Start with the demo catalogue (20 everyday items)")
        )
        self.demo_catalogue.setObjectName("setup-demo-catalogue")
        # In demo mode a newcomer should be able to ring up a sale straight away.
        self.demo_catalogue.setChecked(demo)
        form.addRow("", self.demo_catalogue)
        layout.addLayout(form)

        self.message = QLabel()
        self.message.setObjectName("setup-message")
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.finish = QPushButton(self.tr("Start selling"))
        self.finish.setObjectName("setup-finish")
        self.finish.setProperty("role", "primary")
        self.finish.setDefault(True)
        self.finish.clicked.connect(self._submit)
        buttons.addWidget(self.finish)
        layout.addLayout(buttons)
        self.shop_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def details(self) -> SetupDetails | str:
        """The checked details, or what is wrong with them."""
        shop = self.shop_name.text().strip()
        name = self.supervisor_name.text().strip()
        if not shop:
            return self.tr("Type the shop's name.")
        if not name:
            return self.tr("Type the supervisor's name.")
        problem = pin_problem(self.pin.text(), self.pin_again.text())
        if problem:
            return problem
        prefix = self.receipt_prefix.text().strip().upper()
        if not PREFIX_PATTERN.match(prefix):
            return self.tr("The receipt prefix is 1-12 letters or digits, e.g. TILL1.")
        relay = self.relay_url.text().strip() or None
        code = self.pairing_code.text().strip() or None
        if bool(relay) != bool(code):
            return self.tr("To pair with a relay, fill in both its address and the pairing code.")
        return SetupDetails(
            shop_name=shop,
            currency=str(self.currency.currentData()),
            vat_bps=self.vat.value() * 100,
            timezone=self.timezone.currentText(),
            language=str(self.language.currentData()),
            supervisor_name=name,
            supervisor_pin=self.pin.text(),
            relay_url=relay,
            pairing_code=code,
            demo_catalogue=self.demo_catalogue.isChecked(),
            country=str(self.country.currentData()),
            receipt_prefix=prefix,
        )

    def _submit(self) -> None:
        details = self.details()
        if isinstance(details, str):
            self.message.setText(details)
            return
        self.finish.setEnabled(False)
        self.message.setProperty("role", "ok")
        self.message.setText(self.tr("Saving…"))
        self._tasks.submit(
            self._apply, details, on_done=self._done, on_error=self._failed, owner=self
        )

    def _done(self, value: UserView) -> None:
        self.result_value = value
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.finish.setEnabled(True)
        self.message.setProperty("role", "error")
        self.message.style().polish(self.message)
        if isinstance(error, DukaError):
            self.message.setText(error_message(error))
        else:
            self.message.setText(
                self.tr("Could not save the set-up: %1").replace("%1", type(error).__name__)
            )
