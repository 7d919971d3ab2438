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
