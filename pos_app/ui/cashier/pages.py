"""The cashier's pages for the main window."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from pos_app.ui.cashier.catalogue_page import CataloguePage
from pos_app.ui.cashier.cod_page import CodPage
from pos_app.ui.cashier.sale_page import SalePage
from pos_app.ui.cashier.sales_page import SalesPage
from pos_app.ui.cashier.shift_page import ShiftPage
from pos_app.ui.context import AppContext
from pos_app.ui.main_window import Page


def cashier_pages(ctx: AppContext) -> list[Page]:
    return [
        Page("sale", QCoreApplication.translate("CashierPages", "Sale"), SalePage(ctx)),
        Page("cod", QCoreApplication.translate("CashierPages", "COD orders"), CodPage(ctx)),
        Page("sales", QCoreApplication.translate("CashierPages", "Sales"), SalesPage(ctx)),
        Page("shift", QCoreApplication.translate("CashierPages", "Shift"), ShiftPage(ctx)),
        Page(
            "catalogue",
            QCoreApplication.translate("CashierPages", "Products"),
            CataloguePage(ctx),
            frozenset({"supervisor"}),
        ),
    ]
