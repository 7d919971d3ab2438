"""The products the till sells: the list, adding or editing one (name, barcode, price,
category, the grid key's colour and quick-key place), and an import from a CSV file (or the
demo list).

Supervisors only: the page is built for a signed-in supervisor, who is the actor of every
change (audited by the catalogue service). The CSV holds name,price[,sku,barcode,quick_key];
one bad row and nothing is imported, with every bad line listed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pos_app.resources import resource
from pos_app.services.catalogue import ImportReport, ProductView
from pos_app.services.grants import Action
from pos_app.ui.cashier.sale_page import QUICK_KEYS
from pos_app.ui.context import AppContext
from pos_app.ui.errors import error_message
from pos_app.ui.supervisor.files import documents_folder
from pos_app.ui.widgets.money_edit import MoneyEdit
from pos_app.ui.widgets.page_parts import button_row, heading_label, message_label
from pos_app.ui.widgets.pin_dialog import ask_supervisor_pin
from pos_app.ui.widgets.tables import ReadOnlyTable


def key_colours() -> list[tuple[str, str]]:
    """The grid colours offered in the editor: (name, "#RRGGBB"); the sale page picks a text
    colour that reads on each."""
    translate = QCoreApplication.translate
    return [
        (translate("CataloguePage", "Blue"), "#1E88E5"),
        (translate("CataloguePage", "Green"), "#43A047"),
        (translate("CataloguePage", "Orange"), "#FB8C00"),
        (translate("CataloguePage", "Red"), "#E53935"),
        (translate("CataloguePage", "Purple"), "#8E24AA"),
        (translate("CataloguePage", "Teal"), "#00897B"),
        (translate("CataloguePage", "Brown"), "#6D4C41"),
        (translate("CataloguePage", "Yellow"), "#FDD835"),
    ]


class CataloguePage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catalogue-page")
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(self.tr("Products")))
        self.products: list[ProductView] = []
        self.table = ReadOnlyTable(
            [self.tr("Name"), self.tr("Price"), self.tr("Category"), self.tr("Barcode"),
             self.tr("SKU"), self.tr("Quick key")],
            "catalogue-table", stretch_column=0,
        )
        self.table.itemSelectionChanged.connect(self._picked)
        layout.addWidget(self.table, 1)

        editor = QGroupBox(self.tr("Product"))
        grid = QGridLayout(editor)  # two fields a row: the list keeps its room
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("product-name")
        self.barcode_edit = QLineEdit()
        self.barcode_edit.setObjectName("product-barcode")
        self.price_edit = MoneyEdit(ctx.currency)
        self.price_edit.setObjectName("product-price")
        self.category_edit = QLineEdit()
        self.category_edit.setObjectName("product-category")
        self.category_edit.setPlaceholderText(self.tr("e.g. Flour, Drinks"))
        self.colour_box = QComboBox()
        self.colour_box.setObjectName("product-colour")
        self.colour_box.addItem(self.tr("No colour"), None)
        for name, colour in key_colours():
            self.colour_box.addItem(swatch(colour), name, colour)
        self.quick_key = QSpinBox()
        self.quick_key.setObjectName("product-quick-key")
        self.quick_key.setRange(0, QUICK_KEYS)
        self.quick_key.setSpecialValueText(self.tr("None"))
        self.quick_key.setToolTip(self.tr("Its place among the quick keys on the Sale page"))
        for n, (label, field) in enumerate([
            (self.tr("Name"), self.name_edit), (self.tr("Price"), self.price_edit),
            (self.tr("Barcode"), self.barcode_edit), (self.tr("Category"), self.category_edit),
            (self.tr("Colour"), self.colour_box), (self.tr("Quick key"), self.quick_key),
        ]):
            grid.addWidget(QLabel(label), n // 2, (n % 2) * 2)
            grid.addWidget(field, n // 2, (n % 2) * 2 + 1)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 1)
        edit_buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add as a new product"))
        self.add_button.setObjectName("product-add")
        self.add_button.clicked.connect(self.add_product)
        self.save_button = QPushButton(self.tr("Save changes"))
        self.save_button.setObjectName("product-save")
        self.save_button.setProperty("role", "primary")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_product)
        self.new_button = QPushButton(self.tr("Clear"))
        self.new_button.setObjectName("product-clear")
        self.new_button.clicked.connect(self._clear_form)
        for button in (self.add_button, self.save_button, self.new_button):
            edit_buttons.addWidget(button)
        edit_buttons.addStretch(1)
        grid.addLayout(edit_buttons, 3, 0, 1, 4)
        layout.addWidget(editor)
        self.demo_button = QPushButton(self.tr("Load the demo catalogue"))
        self.demo_button.setObjectName("catalogue-demo")
        self.demo_button.clicked.connect(lambda: self.import_file(resource("demo_catalogue.csv")))
        self.import_button = QPushButton(self.tr("Import CSV…"))
        self.import_button.setObjectName("catalogue-import")
        self.import_button.setProperty("role", "primary")
        self.import_button.clicked.connect(self._choose)
        layout.addLayout(button_row([self.demo_button], [self.import_button]))
        self.message = message_label("catalogue-message")
        layout.addWidget(self.message)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        self.ctx.tasks.submit(self.ctx.services.catalogue.list_products, on_done=self._show,
                              on_error=self._failed, owner=self)

    def _show(self, products: list[ProductView]) -> None:
        keep = self.picked.id if self.picked else None
        self.products = products
        self.table.show_rows([
            [product.name, product.price.format(with_code=False), product.category or "",
             product.barcode or "", product.sku or "", str(product.quick_key or "")]
            for product in products
        ])
        row = next((n for n, p in enumerate(products) if p.id == keep), -1)
        if row >= 0:
            self.table.selectRow(row)

    @property
    def picked(self) -> ProductView | None:
        row = self.table.picked_row()
        return self.products[row] if row is not None and row < len(self.products) else None

    def _picked(self) -> None:
        product = self.picked
        self.save_button.setEnabled(product is not None)
        if product is None:
            return
        self.name_edit.setText(product.name)
        self.barcode_edit.setText(product.barcode or "")
        self.price_edit.set_money(product.price)
        self.category_edit.setText(product.category or "")
        self._show_colour(product.colour)
        self.quick_key.setValue(product.quick_key or 0)

    def _show_colour(self, colour: str | None) -> None:
        index = self.colour_box.findData(colour)
        if index < 0:  # a colour from an imported file, not one of the offered ones
            self.colour_box.addItem(swatch(colour or ""), colour or "", colour)
            index = self.colour_box.count() - 1
        self.colour_box.setCurrentIndex(index)

    def _clear_form(self) -> None:
        self.table.clearSelection()
        for edit in (self.name_edit, self.barcode_edit, self.price_edit, self.category_edit):
            edit.clear()
        self.colour_box.setCurrentIndex(0)
        self.quick_key.setValue(0)

    def _fields(self) -> dict[str, Any] | None:
        price = self.price_edit.money()
        if not self.name_edit.text().strip() or price is None:
            self.message.setText(self.tr("A product needs a name and a price."))
            return None
        return {"name": self.name_edit.text(), "price": price,
                "barcode": self.barcode_edit.text(), "category": self.category_edit.text(),
                "colour": self.colour_box.currentData(),
                "quick_key": self.quick_key.value() or None}

    def add_product(self) -> None:
        fields = self._fields()
        if fields is None:
            return
        grant = ask_supervisor_pin(self, self.ctx, self.tr("Add a product"), Action.CATALOGUE)
        if grant is None:
            return
        catalogue = self.ctx.services.catalogue
        self.ctx.tasks.submit(
            lambda: catalogue.add_product(
                fields["name"], fields["price"], barcode=fields["barcode"],
                category=fields["category"], colour=fields["colour"],
                quick_key=fields["quick_key"], grant=grant),
            on_done=lambda p: self._saved(self.tr("Added: %1").replace("%1", p.name)),
            on_error=self._failed, owner=self)

    def save_product(self) -> None:
        product = self.picked
        fields = self._fields()
        if product is None or fields is None:
            return
        grant = ask_supervisor_pin(self, self.ctx, self.tr("Change a product"), Action.CATALOGUE)
        if grant is None:
            return
        self.ctx.tasks.submit(
            self.ctx.services.catalogue.update_product, product.id, grant=grant, **fields,
            on_done=lambda p: self._saved(self.tr("Saved: %1").replace("%1", p.name)),
            on_error=self._failed, owner=self)

    def _saved(self, text: str) -> None:
        self.message.setText(text)
        self.refresh()

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Import products"),
                                              str(documents_folder()),
                                              self.tr("CSV files (*.csv)"))
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            self.message.setText(self.tr("Could not read %1 as a UTF-8 text file.").replace(
                "%1", path.name))
            return
        grant = ask_supervisor_pin(self, self.ctx, self.tr("Import products and prices"),
                                   Action.CATALOGUE)
        if grant is None:
            return
        self.ctx.tasks.submit(self.ctx.services.catalogue.import_csv, text, grant=grant,
                              on_done=self._imported, on_error=self._failed, owner=self)

    def _imported(self, report: ImportReport) -> None:
        if report.errors:
            lines = [self.tr("Nothing was imported. Fix these lines and try again:")]
            lines += [f"{line}: {message}" for line, message in report.errors[:10]]
            self.message.setText("\n".join(lines))
            return
        self.message.setText(self.tr("Imported: %1 new, %2 updated.").replace(
            "%1", str(report.added)).replace("%2", str(report.updated)))
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        self.message.setText(error_message(error))


def swatch(colour: str) -> QPixmap:
    """A small square of `colour` for the colour list."""
    square = QPixmap(16, 16)
    square.fill(QColor(colour))
    return square
