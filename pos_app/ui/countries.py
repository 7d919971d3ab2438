"""The countries whose tax classes the till knows (pos_app.core.tax), by name for a person."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from pos_app.core.tax import TAX_TABLES


def tax_countries() -> list[tuple[str, str]]:
    """(ISO code, name in the current language) of each country with a tax table."""
    names = {"KE": QCoreApplication.translate("Countries", "Kenya")}
    return [(code, names.get(code, code)) for code in TAX_TABLES]
