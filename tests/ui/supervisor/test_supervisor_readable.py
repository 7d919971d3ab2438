"""The supervisor's pages in words a shopkeeper reads: the audit trail's actions named and
translated, its details as key: value lines; VAT as a percentage; save dialogs start in
Documents."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

from pos_app.ui.application import Translations
from pos_app.ui.supervisor import files
from pos_app.ui.supervisor.audit_page import AuditPage
from pos_app.ui.supervisor.settings_page import SettingsPage
from sync.demo_day import DEMO_PINS

WAIT = 5000


def test_audit_actions_in_words_and_details_as_lines(qtbot, qapp, desk, ids, tasks):
    translations = Translations(qapp)
    for language, refund_given in (("en", "Refund given"), ("sw", None)):
        translations.use(language)
        try:
            page = AuditPage(desk.audit, tasks)
            qtbot.addWidget(page)
            qtbot.waitUntil(
                lambda p=page: bool(p.rows) and p.action_filter.count() > 1, timeout=WAIT
            )
            shown = {page.table.item(r, 3).text() for r in range(page.table.rowCount())}
            assert not any("." in s and " " not in s for s in shown), shown  # no raw names
            index = page.action_filter.findData("payment.refunded")
            name = page.action_filter.itemText(index)
            if refund_given is not None:
                assert name == refund_given
            else:
                assert name not in ("payment.refunded", "Refund given")  # in Swahili
            row = next(n for n, r in enumerate(page.rows) if r.action == "payment.refunded")
            details = page.table.item(row, 5).text()
            assert "amount_minor: " in details and "{" not in details.split("\n")[0]
        finally:
            translations.use("en")


def test_vat_is_a_percentage(qtbot, desk, ids, tasks):
    supervisor_pin = DEMO_PINS[ids.supervisor.name]  # typed in the PIN dialog on a real till
    page = SettingsPage(
        desk.admin,
        tasks,
        lambda _reason, action: desk.users.grant(ids.supervisor.id, supervisor_pin, action),
    )
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.loaded is not None, timeout=WAIT)
    assert page.vat.text() == "16.00 %"
    page.vat.setValue(8)
    page.save_button.click()
    qtbot.waitUntil(lambda: desk.admin.settings().vat_bps == 800, timeout=WAIT)


def test_save_dialogs_start_in_documents(qtbot, monkeypatch, tmp_path: Path):
    asked: list[str] = []

    def fake_dialog(_owner, _title, start, _filter):  # the OS dialog itself is not under test
        asked.append(start)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    files.ask_save_path(None, "Export", "audit.csv", "CSV (*.csv)", lambda _p: None)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert asked == [str(Path(documents) / "audit.csv")]
