"""The cashier's pages for the main window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from pos_app.ui.cashier.catalogue_page import CataloguePage
from pos_app.ui.cashier.cod_page import CodPage
from pos_app.ui.cashier.sale_page import SalePage
from pos_app.ui.cashier.sales_page import SalesPage
from pos_app.ui.cashier.shift_page import ShiftPage
from pos_app.ui.context import AppContext
from pos_app.ui.main_window import Page

EVERYONE = frozenset({"cashier", "supervisor"})
SUPERVISOR = frozenset({"supervisor"})


def cashier_pages(ctx: AppContext, role: str) -> list[Page]:
    """The counter's pages `role` may use (only those are built)."""
    made: list[tuple[str, str, Callable[[AppContext], QWidget], frozenset[str]]] = [
        ("sale", QCoreApplication.translate("CashierPages", "Sale"), SalePage, EVERYONE),
        ("cod", QCoreApplication.translate("CashierPages", "COD orders"), CodPage, EVERYONE),
        ("sales", QCoreApplication.translate("CashierPages", "Sales"), SalesPage, EVERYONE),
        ("shift", QCoreApplication.translate("CashierPages", "Shift"), ShiftPage, EVERYONE),
        (
            "catalogue",
            QCoreApplication.translate("CashierPages", "Products"),
            CataloguePage,
            SUPERVISOR,
        ),
    ]
    return [Page(key, title, make(ctx)) for key, title, make, roles in made if role in roles]
