"""Every Swahili string is translated, and the shipped .qm files match their .ts sources."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pos_app.resources import resource

TS_FILES = sorted(resource("i18n").glob("*_sw.ts"))


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.name)
def test_no_string_is_left_untranslated(ts: Path):
    unfinished = [
        message.findtext("source")
        for message in ET.parse(ts).getroot().iter("message")
        if message.find("translation") is not None
        and message.find("translation").get("type") in ("unfinished", "vanished", "obsolete")
    ]
    assert unfinished == [], f"{ts.name}: translate these or run bash .ci/i18n"


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.name)
def test_compiled_qm_is_up_to_date(ts: Path, tmp_path: Path):
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    fresh = tmp_path / "fresh.qm"
    subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(fresh)], check=True)
    assert fresh.read_bytes() == ts.with_suffix(".qm").read_bytes(), "run bash .ci/i18n"


def test_swahili_is_applied(qtbot):
    from PySide6.QtCore import QCoreApplication

    from pos_app.ui.application import Translations

    translations = Translations(QCoreApplication.instance())
    translations.use("sw")
    try:
        assert QCoreApplication.translate("MainWindow", "Last sync: never") == (
            "Usawazishaji wa mwisho: bado"
        )
    finally:
        translations.use("en")
    assert QCoreApplication.translate("MainWindow", "Last sync: never") == "Last sync: never"


def test_test_mode_banner_speaks_swahili_and_keeps_the_card_numbers(qtbot):
    from PySide6.QtCore import QCoreApplication

    from pos_app.app import test_instructions
    from pos_app.ui.application import Translations
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.status import TillStatus

    status = TillStatus()
    window = MainWindow(status, test_instructions=test_instructions)
    qtbot.addWidget(window)
    translations = Translations(QCoreApplication.instance())
    translations.use("sw")
    try:
        status.update(test_mode_providers=("mpesa", "paystack"))
        assert "HALI YA MAJARIBIO" in window.banner.text()
        details = window.banner.toolTip()
        assert "Funguo za majaribio za Paystack: kadi 4084 0840 8408 4081" in details
        assert "254708374149" in details and "174379" in details and "1037" in details
    finally:
        translations.use("en")
    window.set_pages([])  # a new sign-in re-renders in that user's language
    assert "Paystack test keys: card 4084 0840 8408 4081" in window.banner.toolTip()
