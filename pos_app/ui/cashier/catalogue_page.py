"""The products the till sells: the list, and an import from a CSV file (or the demo list).

Supervisors only. The CSV holds name,price[,sku,barcode,quick_key]; one bad row and nothing
is imported, with every bad line listed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QPushButton, QVBoxLayout, QWidget

from pos_app.resources import resource
from pos_app.services.catalogue import ImportReport, ProductView
from pos_app.services.grants import Action
from pos_app.ui.context import AppContext
from pos_app.ui.errors import error_message
from pos_app.ui.widgets.page_parts import button_row, heading_label, message_label
from pos_app.ui.widgets.pin_dialog import ask_supervisor_pin
from pos_app.ui.widgets.tables import ReadOnlyTable


class CataloguePage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catalogue-page")
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label(self.tr("Products")))
        self.table = ReadOnlyTable(
            [self.tr("Name"), self.tr("Price"), self.tr("SKU"), self.tr("Barcode"),
             self.tr("Quick key")],
            "catalogue-table", stretch_column=0, pick_rows=False,
        )
        layout.addWidget(self.table, 1)
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
        self.table.show_rows([
            [product.name, product.price.format(with_code=False), product.sku or "",
             product.barcode or "", str(product.quick_key or "")]
            for product in products
        ])

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Import products"), "",
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
