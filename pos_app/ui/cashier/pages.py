"""The cashier's pages for the main window."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from pos_app.ui.cashier.cod_page import CodPage
from pos_app.ui.cashier.sale_page import SalePage
from pos_app.ui.cashier.sales_page import SalesPage
from pos_app.ui.cashier.shift_page import ShiftPage
from pos_app.ui.context import AppContext
from pos_app.ui.main_window import Page


def tr(text: str) -> str:
    return QCoreApplication.translate("CashierPages", text)


def cashier_pages(ctx: AppContext) -> list[Page]:
    return [
        Page("sale", tr("Sale"), SalePage(ctx)),
        Page("cod", tr("COD orders"), CodPage(ctx)),
        Page("sales", tr("Sales"), SalesPage(ctx)),
        Page("shift", tr("Shift"), ShiftPage(ctx)),
    ]
