"""The shop's settings, test mode per provider (switched on the relay), relay pairing."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.receipt_numbers import PREFIX_PATTERN
from pos_app.services.admin import PROVIDERS, AdminService, PairingOutcome
from pos_app.services.grants import Action, Grant
from pos_app.services.guard import GuardStatus
from pos_app.services.shop import ShopSettings
from pos_app.ui.countries import tax_countries
from pos_app.ui.errors import error_message
from pos_app.ui.provider_names import provider_name
from pos_app.ui.tasks import TaskRunner
from pos_app.ui.widgets.page_parts import heading_label, message_label, show_message
from pos_app.ui.widgets.staff_fields import language_combo


class SettingsPage(QWidget):
    def __init__(
        self,
        service: AdminService,
        tasks: TaskRunner,
        approve: Callable[[str, Action], Grant | None],
        on_saved: Callable[[ShopSettings], None] | None = None,
        test_modes: Callable[[], Iterable[str]] | None = None,
        check_ledger: Callable[[], GuardStatus] | None = None,
        restore_till: Callable[[QWidget], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`test_modes` names the providers the relay last said are in test mode (shown, not
        switched: that is the shop owner's decision, in the relay's console);
        `check_ledger` runs the full integrity check (services.counter.check_ledger);
        `restore_till` is the in-session restore (ui.widgets.damage_screen.stopped_selling)."""
        super().__init__(parent)
        self.setObjectName("supervisor-settings")
        self._service = service
        self._tasks = tasks
        self._approve = approve
        self._on_saved = on_saved
        self._test_modes = test_modes
        self._check_ledger = check_ledger
        self.loaded: ShopSettings | None = None

        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(heading_label(self.tr("Settings")))

        columns = QHBoxLayout()
        shop = QGroupBox(self.tr("Shop and receipts"))
        form = QFormLayout(shop)
        self.shop_name = QLineEdit()
        self.shop_name.setObjectName("settings-shop-name")
        form.addRow(self.tr("Shop name"), self.shop_name)
        self.vat = QDoubleSpinBox()  # a percentage with two decimals: 16% is 1600 bps stored
        self.vat.setObjectName("settings-vat")
        self.vat.setRange(0, 100)
        self.vat.setDecimals(2)
        self.vat.setSuffix(" %")
        form.addRow(self.tr("VAT rate (prices include VAT)"), self.vat)
        self.country = QComboBox()  # whose tax classes the products are sold under
        self.country.setObjectName("settings-country")
        for code, name in tax_countries():
            self.country.addItem(name, code)
        form.addRow(self.tr("Country (tax classes)"), self.country)
        self.receipt_prefix = QLineEdit()
        self.receipt_prefix.setObjectName("settings-receipt-prefix")
        self.receipt_prefix.setPlaceholderText("TILL1")
        self.receipt_prefix.setMaxLength(12)
        self.receipt_prefix.setToolTip(
            self.tr("Printed before each receipt number, e.g. TILL1-000123: 1-12 letters or "
                    "digits.")
        )
        form.addRow(self.tr("Receipt prefix"), self.receipt_prefix)
        self.header = QPlainTextEdit()
        self.header.setObjectName("settings-header")
        self.header.setFixedHeight(60)
        form.addRow(self.tr("Receipt header"), self.header)
        self.footer = QPlainTextEdit()
        self.footer.setObjectName("settings-footer")
        self.footer.setFixedHeight(60)
        form.addRow(self.tr("Receipt footer"), self.footer)
        self.language = language_combo("settings-language")
        form.addRow(self.tr("Shop language"), self.language)
        self.scale_layouts = QLineEdit()  # which EAN-13 prefixes the shop's scales print
        self.scale_layouts.setObjectName("settings-scale-layouts")
        self.scale_layouts.setPlaceholderText("21=weight,22=price")
        self.scale_layouts.setToolTip(
            self.tr("The prefixes (20-29) of the labels your scales print, each with what its "
                    "label carries: weight (grams) or price. The item code on the label is the "
                    "product's SKU (5 digits).")
        )
        form.addRow(self.tr("Scale labels"), self.scale_layouts)
        # Kenya: the relay has every completed sale signed by KRA eTIMS (docs/etims.md)
        self.etims = QCheckBox(self.tr("Sign every sale with KRA eTIMS (Kenya, VAT-registered)"))
        self.etims.setObjectName("settings-etims")
        form.addRow(self.etims)
        columns.addWidget(shop)

        risk = QGroupBox(self.tr("Payments and risk"))
        form2 = QFormLayout(risk)
        self.threshold = QSpinBox()
        self.threshold.setObjectName("settings-threshold")
        self.threshold.setRange(0, 100)
        form2.addRow(self.tr("Risk threshold (0-100)"), self.threshold)
        self.policy = QComboBox()
        self.policy.setObjectName("settings-policy")
        self.policy.addItem(self.tr("A supervisor approves every proof"), "supervisor_approves")
        self.policy.addItem(
            self.tr("Cashier may accept low-risk proofs"), "cashier_may_accept_below_threshold"
        )
        form2.addRow(self.tr("Offline proofs"), self.policy)
        # a percentage with two decimals, stored in bps; the box itself keeps it within 0-100
        self.discount_limit = QDoubleSpinBox()
        self.discount_limit.setObjectName("settings-discount-limit")
        self.discount_limit.setRange(0, 100)
        self.discount_limit.setDecimals(2)
        self.discount_limit.setSuffix(" %")
        self.discount_limit.setToolTip(
            self.tr("A cashier may give a discount up to this percent alone; above it a "
                    "supervisor's PIN is asked.")
        )
        form2.addRow(self.tr("Cashier's discount limit"), self.discount_limit)
        self.self_approval = QCheckBox(self.tr("A supervisor may approve their own proof"))
        self.self_approval.setObjectName("settings-self-approval")
        form2.addRow(self.self_approval)
        self.six_digit_pins = QCheckBox(self.tr("New PINs have at least 6 digits"))
        self.six_digit_pins.setObjectName("settings-six-digit-pins")
        form2.addRow(self.six_digit_pins)
        columns.addWidget(risk)
        layout.addLayout(columns)

        save_row = QHBoxLayout()
        self.save_button = QPushButton(self.tr("Save settings"))
        self.save_button.setObjectName("settings-save")
        self.save_button.setProperty("role", "primary")
        save_row.addWidget(self.save_button)
        save_row.addStretch(1)
        layout.addLayout(save_row)

        relay = QGroupBox(self.tr("Relay and providers"))
        form3 = QFormLayout(relay)
        self.test_mode: dict[str, QLabel] = {}
        for provider in PROVIDERS:
            label = QLabel()
            label.setObjectName(f"settings-test-{provider}")
            self.test_mode[provider] = label
            form3.addRow(label)
        owner_note = QLabel(self.tr("Test mode is set by the shop's owner in the console."))
        owner_note.setObjectName("settings-test-mode-owner")
        owner_note.setWordWrap(True)
        form3.addRow(owner_note)
        self._show_test_modes()
        self.relay_url = QLineEdit()
        self.relay_url.setObjectName("settings-relay-url")
        self.relay_url.setPlaceholderText("https://relay.example.co.ke")
        form3.addRow(self.tr("Relay address"), self.relay_url)
        self.pairing_code = QLineEdit()
        self.pairing_code.setObjectName("settings-pairing-code")
        self.pairing_code.setPlaceholderText(self.tr("from the shop owner's relay page"))
        form3.addRow(self.tr("Pairing code"), self.pairing_code)
        self.pair_button = QPushButton(self.tr("Pair this till"))
        self.pair_button.setObjectName("settings-pair")
        form3.addRow(self.pair_button)
        layout.addWidget(relay)
        self.check_button = QPushButton(self.tr("Check the ledger now"))
        self.check_button.setObjectName("settings-check-ledger")
        self.check_button.setVisible(check_ledger is not None)
        self.restore_button = QPushButton(self.tr("Restore from backup / relay"))
        self.restore_button.setObjectName("settings-restore")
        self.restore_button.setToolTip(
            self.tr("Replace this till's ledger with its last backup plus the relay's copy of "
                    "its records (a supervisor's PIN; the till stops selling meanwhile).")
        )
        self.restore_button.setVisible(restore_till is not None)
        ledger_row = QHBoxLayout()
        ledger_row.addWidget(self.check_button)
        ledger_row.addWidget(self.restore_button)
        ledger_row.addStretch(1)
        layout.addLayout(ledger_row)
        self.message = message_label("settings-message")
        layout.addWidget(self.message)
        layout.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll)

        self.save_button.clicked.connect(self.save)
        self.pair_button.clicked.connect(self.pair)
        self.check_button.clicked.connect(self.check_ledger)
        if restore_till is not None:
            self.restore_button.clicked.connect(lambda: restore_till(self))
        self.reload()

    def _show_test_modes(self) -> None:
        testing = set(self._test_modes()) if self._test_modes is not None else set()
        for provider, label in self.test_mode.items():
            text = (
                self.tr("%1: test mode (no real money)")
                if provider in testing
                else self.tr("%1: live money")
            )
            label.setText(text.replace("%1", provider_name(provider)))

    def check_ledger(self) -> None:
        """The full integrity check on a worker (minutes on a big file); its verdict here."""
        if self._check_ledger is None:
            return
        self.check_button.setEnabled(False)
        show_message(self.message, self.tr("Checking the ledger…"), ok=True)

        def checked(status: GuardStatus) -> None:
            self.check_button.setEnabled(True)
            if status.damage is None:
                show_message(self.message, self.tr("The ledger is sound."), ok=True)
            else:
                show_message(self.message, error_message(status.damage), ok=False)

        def failed(error: BaseException) -> None:
            self.check_button.setEnabled(True)
            self._failed(error)

        self._tasks.submit(self._check_ledger, on_done=checked, on_error=failed, owner=self)

    def reload(self) -> None:
        self._show_test_modes()
        self._tasks.submit(
            self._service.settings,
            on_done=self._show,
            on_error=self._failed,
            owner=self,
        )

    def _show(self, s: ShopSettings) -> None:
        self.loaded = s
        self.shop_name.setText(s.shop_name)
        self.vat.setValue(s.vat_bps / 100)
        self.country.setCurrentIndex(max(0, self.country.findData(s.country)))
        self.receipt_prefix.setText(s.receipt_prefix)
        self.discount_limit.setValue(s.discount_approval_bps / 100)
        self.header.setPlainText(s.receipt_header)
        self.footer.setPlainText(s.receipt_footer)
        self.language.setCurrentIndex(max(0, self.language.findData(s.language)))
        self.scale_layouts.setText(s.scale_layouts)
        self.threshold.setValue(s.risk_threshold)
        self.policy.setCurrentIndex(max(0, self.policy.findData(s.offline_proof_policy)))
        self.self_approval.setChecked(s.allow_self_approval)
        self.six_digit_pins.setChecked(s.min_pin_length >= 6)
        self.etims.setChecked(s.etims_enabled)

    def _refusal(self) -> str | None:
        """What is wrong with the typed fields, in words, before a supervisor is asked."""
        prefix = self.receipt_prefix.text().strip().upper()
        if not PREFIX_PATTERN.match(prefix):
            return self.tr("The receipt prefix is 1-12 letters or digits, e.g. TILL1.")
        return None

    def save(self) -> None:
        refusal = self._refusal()
        if refusal is not None:
            show_message(self.message, refusal, ok=False)
            return
        changes = {
            "shop_name": self.shop_name.text().strip(),
            "vat_bps": round(self.vat.value() * 100),
            "country": self.country.currentData(),
            "receipt_prefix": self.receipt_prefix.text().strip().upper(),
            "discount_approval_bps": round(self.discount_limit.value() * 100),
            "receipt_header": self.header.toPlainText(),
            "receipt_footer": self.footer.toPlainText(),
            "language": self.language.currentData(),
            "scale_layouts": self.scale_layouts.text().strip(),
            "risk_threshold": self.threshold.value(),
            "offline_proof_policy": self.policy.currentData(),
            "allow_self_approval": self.self_approval.isChecked(),
            "min_pin_length": 6 if self.six_digit_pins.isChecked() else 4,
            "etims_enabled": self.etims.isChecked(),
        }
        grant = self._approve(self.tr("Change the shop's settings"), Action.SETTINGS)
        if grant is None:
            return
        self.save_button.setEnabled(False)

        def saved(settings: ShopSettings) -> None:
            self.save_button.setEnabled(True)
            self._show(settings)
            show_message(self.message, self.tr("Saved."), ok=True)
            if self._on_saved is not None:
                self._on_saved(settings)

        self._tasks.submit(
            self._service.update_settings,
            grant,
            on_done=saved,
            on_error=self._failed,
            **changes,
            owner=self,
        )

    def pair(self) -> None:
        grant = self._approve(self.tr("Pair this till with a relay"), Action.SETTINGS)
        if grant is None:
            return
        self.pair_button.setEnabled(False)
        show_message(self.message, self.tr("Contacting the relay…"), ok=True)

        def paired(outcome: PairingOutcome) -> None:
            self.pair_button.setEnabled(True)
            self.pairing_code.clear()
            show_message(
                self.message,
                self.tr("Paired with %1 (%2).")
                .replace("%1", outcome.relay_url)
                .replace("%2", outcome.detail),
                ok=True,
            )

        self._tasks.submit(
            self._service.pair,
            self.relay_url.text(),
            self.pairing_code.text(),
            grant=grant,
            on_done=paired,
            on_error=self._failed,
            owner=self,
        )

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.pair_button.setEnabled(True)
        show_message(self.message, error_message(error), ok=False)
