"""Building the QApplication: shipped fonts, the counter-friendly style, translations."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from pos_app.resources import resource

log = logging.getLogger(__name__)

LANGUAGES = {"en": "English", "sw": "Kiswahili"}

# Big targets for fingers and tired eyes at the counter; colours with enough contrast
# for a screen in a sunny shop front.
STYLE = """
QWidget { font-size: 15px; }
QPushButton { min-height: 44px; padding: 4px 14px; border-radius: 6px;
              border: 1px solid #8a8f98; background: #f4f5f7; }
QPushButton:hover { background: #e8eaee; }
QPushButton:disabled { color: #9aa0a6; background: #eceef1; }
QPushButton[role="primary"] { background: #146c43; color: white; border-color: #0f5132;
                              font-weight: bold; }
QPushButton[role="primary"]:disabled { background: #8fbfa6; }
QPushButton[role="danger"] { background: #b02a37; color: white; border-color: #842029; }
QLineEdit, QComboBox, QSpinBox, QPlainTextEdit { min-height: 36px; padding: 2px 6px; }
QLabel[role="total"] { font-size: 30px; font-weight: bold; }
QLabel[role="error"] { color: #b02a37; font-weight: bold; }
QLabel[role="ok"] { color: #146c43; font-weight: bold; }
QLabel[role="banner-test"] { background: #ffc107; color: #1f1f1f; padding: 1px 8px;
                             font-weight: bold; }
QLabel[role="heading"] { font-size: 20px; font-weight: bold; }
"""


def register_fonts() -> str:
    """Registers the shipped fonts and returns the family to use (machines may have none)."""
    family = ""
    for path in sorted(resource("fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load font %s", path.name)
            continue
        family = family or QFontDatabase.applicationFontFamilies(font_id)[0]
    return family


class Translations:
    """Installs the Qt translators of one language; switching replaces them."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self.language = "en"

    def use(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}; choose one of {sorted(LANGUAGES)}")
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed = []
        if language != "en":
            for qm in sorted(resource("i18n").glob(f"*_{language}.qm")):
                translator = QTranslator(self._app)
                if translator.load(str(qm)):
                    self._app.installTranslator(translator)
                    self._installed.append(translator)
                else:
                    log.warning("could not load translation %s", qm.name)
        QLocale.setDefault(QLocale(language))
        self.language = language


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv)
    app.setApplicationName("Duka POS")
    app.setOrganizationName("Duka")
    family = register_fonts()
    if family:
        app.setFont(QFont(family, 11))
    app.setStyleSheet(STYLE)
    return app
