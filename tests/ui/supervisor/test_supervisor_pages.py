"""The supervisor pages as real widgets over a real ledger, each flow driven like a person."""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from sqlalchemy import func, select

from pos_app.services import receipt_numbers
from pos_app.services.gateway import C2BNotConfirmed, C2BTaken
from pos_app.services.grants import Action
from pos_app.services.provider_events import Claim, set_claim
from pos_app.services.supervisor_desk import SupervisorDesk
from pos_app.store.schema import audit_log, proofs, refunds, users
from pos_app.ui.supervisor.approvals_page import ApprovalsPage
from pos_app.ui.supervisor.audit_page import AuditPage
from pos_app.ui.supervisor.refunds_page import RefundsPage
from pos_app.ui.supervisor.reports_page import ReportsPage
from pos_app.ui.supervisor.settings_page import SettingsPage
from pos_app.ui.supervisor.users_page import UsersPage
from sync.demo_day import DEMO_PINS

SUP_PIN = DEMO_PINS["Amina Wanjiru"]


def staff_grant(desk, ids):
    return desk.users.grant(ids.supervisor.id, SUP_PIN, Action.STAFF)


def settings_grant(desk, ids):
    return desk.users.grant(ids.supervisor.id, SUP_PIN, Action.SETTINGS)


def approve_as(desk, ids):
    """What the real pages get: the supervisor types their PIN in the PIN dialog."""
    return lambda _reason, action: desk.users.grant(ids.supervisor.id, SUP_PIN, action)
CASHIER_PIN = DEMO_PINS["Otieno Kamau"]
WAIT = 5000


def actions(desk) -> list[str]:
    with desk.ledger.read() as conn:
        return list(conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq)).scalars())


def count(desk, table, *where) -> int:
    with desk.ledger.read() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def approvals_page(qtbot, desk, ids, tasks) -> ApprovalsPage:
    page = ApprovalsPage(desk.approvals, desk.users.list_users, tasks, lambda: ids.supervisor.id)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: len(page.items) == 5 and page.approver.count() == 3, timeout=WAIT)
    return page


def select_reference(qtbot, page: ApprovalsPage, reference: str) -> None:
    row = next(n for n, i in enumerate(page.items) if i.reference == reference)
    page.table.selectRow(row)
    qtbot.waitUntil(lambda: page.item is not None and page.item.reference == reference)


def message_is(label: QLabel, text: str):
    return lambda: text in label.text()


def test_queue_is_riskiest_first_and_shows_reuse(qtbot, desk, ids, tasks):
    page = approvals_page(qtbot, desk, ids, tasks)
    scores = [int(page.table.item(r, 0).text()) for r in range(page.table.rowCount())]
    assert scores == sorted(scores, reverse=True)
    select_reference(qtbot, page, "sgk7h2xq4p")
    assert "already used" in page.reuse_label.text()
    assert "1,780.00" in page.summary.text()



def test_the_sale_and_the_reused_codes_sales_show_their_receipt_numbers(
    qtbot, desk, ids, tasks
):
    page = approvals_page(qtbot, desk, ids, tasks)
    select_reference(qtbot, page, "sgk7h2xq4p")
    item = page.item
    assert item is not None and item.reuses
    with desk.ledger.read() as conn:
        numbers = receipt_numbers.of_orders(
            conn, [item.order_id, *(r.order_id for r in item.reuses)]
        )
    own = numbers[item.order_id]
    assert f"Sale: <b>{own}</b>" in page.summary.text()
    warning = page.reuse_label.text()
    for reuse in item.reuses:
        assert numbers[reuse.order_id] in warning
        assert reuse.order_id[:8] not in warning
    assert item.order_id[:8] not in page.summary.text()


def test_approve_with_pin_removes_it_from_the_queue(qtbot, desk, ids, tasks):
    page = approvals_page(qtbot, desk, ids, tasks)
    select_reference(qtbot, page, "KCB-FT-2291-0087")
    payment_id = page.item.payment_id
    qtbot.waitUntil(lambda: page.image_shown, timeout=WAIT)  # the photo, decrypted in memory
    page.pin.setText(SUP_PIN)
    qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(page.items) == 4, timeout=WAIT)
    assert desk.payments.get_payment(payment_id).status == "verified"
    assert "proof.decided" in actions(desk)


def test_cashier_pin_is_refused_with_a_clear_message(qtbot, desk, ids, tasks):
    page = approvals_page(qtbot, desk, ids, tasks)
    select_reference(qtbot, page, "KCB-FT-2291-0087")
    decided = count(desk, proofs, proofs.c.decision.is_not(None))
    page.approver.setCurrentIndex(page.approver.findData(ids.cashier.id))
    page.pin.setText(CASHIER_PIN)
    qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(message_is(page.message, "needs a supervisor"), timeout=WAIT)
    assert count(desk, proofs, proofs.c.decision.is_not(None)) == decided
    assert actions(desk)[-1] == "approval.refused"


def test_damaged_photo_shows_a_message_and_is_audited(qtbot, desk, ids, tasks):
    item = next(i for i in desk.approvals.queue() if i.reference == "SGK7H2XQ4P")
    with desk.ledger.write() as conn:  # a photo that decrypts but is no picture
        conn.execute(
            proofs.update()
            .where(proofs.c.id == item.proof_id)
            .values(
                image_ct=desk.ledger.cipher.encrypt(
                    b"\x89PNG\r\n\x1a\n garbage", "proofs", "image_ct", item.proof_id
                )
            )
        )
    page = approvals_page(qtbot, desk, ids, tasks)
    select_reference(qtbot, page, "SGK7H2XQ4P")
    qtbot.waitUntil(message_is(page.image_label, "damaged"), timeout=WAIT)
    qtbot.waitUntil(lambda: actions(desk)[-1] == "proof.image_unreadable", timeout=WAIT)
    assert desk.payments.get_payment(item.payment_id).status == "awaiting_verification"


def test_accept_matching_c2b_confirmation(qtbot, desk, ids, tasks):
    page = approvals_page(qtbot, desk, ids, tasks)
    select_reference(qtbot, page, "SGL3M8TR2A")
    assert page.match_box.isVisibleTo(page)
    page.pin.setText(SUP_PIN)
    qtbot.mouseClick(page.accept_match_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(page.items) == 4, timeout=WAIT)
    assert "provider_event.matched" in actions(desk)


def refunds_page(qtbot, desk, ids, tasks, tmp_path: Path) -> RefundsPage:
    page = RefundsPage(desk.refunds, desk.users.list_users, tasks, lambda: ids.supervisor.id,
                       slips_dir=tmp_path)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: bool(page.sales) and page.approver.count() == 3, timeout=WAIT)
    return page


def test_refund_more_than_paid_is_refused_then_a_real_refund(qtbot, desk, ids, tasks, tmp_path):
    page = refunds_page(qtbot, desk, ids, tasks, tmp_path)
    page.table.selectRow(1)  # the newest sale's first payment
    target = page.selected
    assert target is not None
    rows = count(desk, refunds)
    page.amount.setText("999999")
    page.reason.setText("Customer changed mind")
    page.pin.setText(SUP_PIN)
    qtbot.mouseClick(page.refund_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(message_is(page.message, "more than was paid"), timeout=WAIT)
    assert count(desk, refunds) == rows
    assert actions(desk)[-1] == "refund.refused"
    page.amount.setText("10")
    page.reason.setText("Customer changed mind")
    page.pin.setText(SUP_PIN)
    qtbot.mouseClick(page.refund_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: count(desk, refunds) == rows + 1, timeout=WAIT)
    qtbot.waitUntil(message_is(page.message, "Refund recorded"), timeout=WAIT)


def test_void_a_sale_of_the_open_shift(qtbot, desk, ids, tasks, tmp_path):
    page = refunds_page(qtbot, desk, ids, tasks, tmp_path)
    page.table.selectRow(page.row_of(ids.cash_payments[0]))
    target = page.selected
    assert target is not None and page.void_button.isEnabled()
    page.reason.setText("Rang up twice")
    page.pin.setText(SUP_PIN)
    qtbot.mouseClick(page.void_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(message_is(page.message, "voided"), timeout=WAIT)
    assert desk.payments.get_payment(target.payment.id).status == "voided"


def test_last_supervisor_is_kept(qtbot, desk, ids, tasks):
    desk.admin.set_active(ids.second_supervisor.id, False, grant=staff_grant(desk, ids))
    page = UsersPage(desk.admin, tasks, approve_as(desk, ids))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: len(page.users) == 3, timeout=WAIT)
    row = next(n for n, u in enumerate(page.users) if u.id == ids.supervisor.id)
    page.table.selectRow(row)
    qtbot.mouseClick(page.deactivate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(message_is(page.message, "last active supervisor"), timeout=WAIT)
    assert count(desk, users, users.c.active.is_(True), users.c.role == "supervisor") == 1


def test_add_a_cashier(qtbot, desk, ids, tasks):
    page = UsersPage(desk.admin, tasks, approve_as(desk, ids))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: len(page.users) == 3, timeout=WAIT)
    page.name.setText("Wanjiku Muthoni")
    page.new_pin.setText("5555")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(page.users) == 4, timeout=WAIT)
    assert desk.users.verify_pin(
        next(u.id for u in page.users if u.name == "Wanjiku Muthoni"), "5555"
    )


def test_settings_are_saved(qtbot, desk, ids, tasks):
    page = SettingsPage(desk.admin, tasks, approve_as(desk, ids))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.loaded is not None, timeout=WAIT)
    page.threshold.setValue(35)
    page.footer.setPlainText("Asante kwa kununua!")
    page.six_digit_pins.setChecked(True)
    assert page.scale_layouts.text() == "21=weight"  # the default: weight labels from 21
    page.scale_layouts.setText("21=weight, 22=price")
    assert not page.etims.isChecked()  # off until the shop says it is VAT-registered
    page.etims.setChecked(True)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(message_is(page.message, "Saved"), timeout=WAIT)
    saved = desk.admin.settings()
    assert (saved.risk_threshold, saved.receipt_footer) == (35, "Asante kwa kununua!")
    assert saved.min_pin_length == 6 and saved.scale_layouts == "21=weight, 22=price"
    assert saved.etims_enabled
    assert actions(desk)[-1] == "settings.updated"


def test_receipt_prefix_discount_limit_and_country_are_saved(qtbot, desk, ids, tasks):
    page = SettingsPage(desk.admin, tasks, approve_as(desk, ids))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.loaded is not None, timeout=WAIT)
    assert page.receipt_prefix.text() == "TILL1" and page.discount_limit.value() == 10
    assert page.country.currentText() == "Kenya" and page.country.currentData() == "KE"
    before = actions(desk)
    page.receipt_prefix.setText("DUKA-2")  # a dash would print as TILL1-000123 does not
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "1-12 letters or digits" in page.message.text()
    assert actions(desk) == before and desk.admin.settings().receipt_prefix == "TILL1"

    page.receipt_prefix.setText("duka2")  # typed small: printed in capitals
    page.discount_limit.setValue(150)  # the box keeps a percent within 0-100
    assert page.discount_limit.value() == 100
    page.discount_limit.setValue(12.5)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(message_is(page.message, "Saved"), timeout=WAIT)
    saved = desk.admin.settings()
    assert (saved.receipt_prefix, saved.discount_approval_bps, saved.country) == (
        "DUKA2", 1250, "KE")
    assert page.receipt_prefix.text() == "DUKA2"
    assert actions(desk)[-1] == "settings.updated"


def test_a_scale_layout_the_till_cannot_read_is_refused_and_nothing_saved(
    qtbot, desk, ids, tasks
):
    page = SettingsPage(desk.admin, tasks, approve_as(desk, ids))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.loaded is not None, timeout=WAIT)
    page.scale_layouts.setText("21=volume")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(message_is(page.message, "prefix=weight or prefix=price"), timeout=WAIT)
    assert desk.admin.settings().scale_layouts == "21=weight"


def test_settings_are_not_saved_without_a_supervisors_pin(qtbot, desk, ids, tasks):
    page = SettingsPage(desk.admin, tasks, lambda _reason, _action: None)  # PIN dialog cancelled
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.loaded is not None, timeout=WAIT)
    page.threshold.setValue(35)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.wait(300)  # time enough for a save that should not happen
    assert page.save_button.isEnabled() and desk.admin.settings().risk_threshold != 35


def test_reports_chart_csv_and_pdf(qtbot, desk, ids, tasks, tmp_path: Path):
    page = ReportsPage(desk.reports, tasks, unmatched=desk.provider_events.unmatched)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.report is not None, timeout=WAIT)
    assert page.unmatched.rowCount() == 2  # C2B money the relay saw that no sale claims yet
    assert page.by_day.rowCount() == len(page.report.sales)
    assert len(page.chart.bars) == 7 and any(v > 0 for _, v in page.chart.bars)
    assert page.refunds.rowCount() == 1
    waiting = [*page.report.open_cod, *page.report.pending_proofs]
    assert waiting and all(o.receipt_number for o in waiting)
    shown = [page.cod.item(r, 1).text() for r in range(page.cod.rowCount())] + [
        page.proofs.item(r, 1).text() for r in range(page.proofs.rowCount())
    ]
    assert shown == [o.receipt_number for o in waiting]  # as printed, never a short id
    page.export_csv(str(tmp_path / "r.csv"))
    qtbot.waitUntil((tmp_path / "r.csv").exists, timeout=WAIT)
    page.export_pdf(str(tmp_path / "r.pdf"))
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_audit_viewer_names_the_tampered_entry(qtbot, desk, ids, tasks, tmp_path: Path):
    page = AuditPage(desk.audit, tasks)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: bool(page.rows), timeout=WAIT)
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(message_is(page.chain_label, "intact"), timeout=WAIT)

    db = sqlite3.connect(tmp_path / "till.db")
    db.execute("DROP TRIGGER audit_log_no_update")  # as an attacker would
    details = json.dumps({"amount_minor": 1, "currency": "KES"})
    db.execute("UPDATE audit_log SET details = ? WHERE seq = 20", (details,))
    db.commit()
    db.close()
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(message_is(page.chain_label, "No. 20"), timeout=WAIT)
    assert page.last_check is not None and page.last_check.first_broken.seq == 20
    assert page.table.item(page.table.currentRow(), 0).text() == "20"


def test_audit_filter_by_action_and_csv(qtbot, desk, ids, tasks, tmp_path: Path):
    page = AuditPage(desk.audit, tasks)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.action_filter.count() > 1 and bool(page.rows), timeout=WAIT)
    page.action_filter.setCurrentIndex(page.action_filter.findData("payment.refunded"))
    qtbot.mouseClick(page.filter_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(page.rows) == 1, timeout=WAIT)
    page.user_filter.setCurrentIndex(page.user_filter.findData(ids.cashier.id))
    qtbot.mouseClick(page.filter_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.rows and page.empty_hint.isVisibleTo(page), timeout=WAIT)
    page.action_filter.setCurrentIndex(0)
    qtbot.mouseClick(page.filter_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(page.rows), timeout=WAIT)
    assert {r.actor_id for r in page.rows} == {ids.cashier.id}
    page.export_csv(str(tmp_path / "audit.csv"))
    qtbot.waitUntil((tmp_path / "audit.csv").exists, timeout=WAIT)
    assert (tmp_path / "audit.csv").read_text().startswith("seq,at_utc,user")


def test_test_mode_is_shown_not_switched_on_the_till(qtbot, desk, ids, tasks):
    """Test or live money is the shop owner's decision, in the relay's console."""
    testing = ["paystack"]
    page = SettingsPage(desk.admin, tasks, approve_as(desk, ids), test_modes=lambda: testing)
    qtbot.addWidget(page)
    assert page.test_mode["paystack"].text() == "Paystack: test mode (no real money)"
    assert page.test_mode["mpesa"].text() == "M-Pesa: live money"
    owner = page.findChild(QLabel, "settings-test-mode-owner")
    assert owner is not None and "owner in the console" in owner.text()
    testing.clear()  # the owner went live; the till heard it from the relay
    page.reload()
    assert page.test_mode["paystack"].text() == "Paystack: live money"


def test_set_a_cashiers_language(qtbot, desk, ids, tasks):
    page = UsersPage(desk.admin, tasks, approve_as(desk, ids))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: len(page.users) == 3, timeout=WAIT)
    page.table.selectRow(next(n for n, u in enumerate(page.users) if u.id == ids.cashier.id))
    page.user_language.setCurrentIndex(page.user_language.findData("en"))
    qtbot.mouseClick(page.language_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(message_is(page.message, "next sign-in"), timeout=WAIT)
    cashier = next(u for u in desk.users.list_users() if u.id == ids.cashier.id)
    assert cashier.language == "en"


def test_photo_altered_in_the_database_is_refused_and_audited(qtbot, desk, ids, tasks):
    item = next(i for i in desk.approvals.queue() if i.reference == "SGK7H2XQ4P")
    with desk.ledger.write() as conn:
        blob = conn.execute(select(proofs.c.image_ct).where(proofs.c.id == item.proof_id)).scalar()
        altered = blob[:40] + bytes([blob[40] ^ 0xFF]) + blob[41:]
        conn.execute(proofs.update().where(proofs.c.id == item.proof_id).values(image_ct=altered))
    page = approvals_page(qtbot, desk, ids, tasks)
    select_reference(qtbot, page, "SGK7H2XQ4P")
    qtbot.waitUntil(message_is(page.image_label, "damaged or altered"), timeout=WAIT)
    assert not page.image_shown
    assert actions(desk)[-1] == "proof.image_unreadable"


def test_receipt_photo_is_shown_without_touching_the_disk(qtbot, desk, ids, tasks, tmp_path, photo):
    started = time.time()
    page = approvals_page(qtbot, desk, ids, tasks)
    select_reference(qtbot, page, "SGK7H2XQ4P")
    qtbot.waitUntil(lambda: page.image_shown, timeout=WAIT)
    assert desk.approvals.receipt_image(page.item.proof_id) == photo
    roots = (tmp_path, Path(tempfile.gettempdir()))
    assert not any(photo in data for data in files_written_since(started, roots))


def files_written_since(started: float, roots: tuple[Path, ...]) -> Iterator[bytes]:
    """The contents of small files changed since `started`; other processes share the temp
    directory, so a file may vanish between listing and reading it (skipped)."""
    for root in roots:
        for path in root.rglob("*"):
            try:
                if not path.is_file():
                    continue
                info = path.stat()
                if info.st_mtime >= started and info.st_size < 10**7:
                    yield path.read_bytes()
            except FileNotFoundError:
                continue


def test_unclear_outcome_offers_asking_the_provider(qtbot, desk, ids, tasks):
    page = approvals_page(qtbot, desk, ids, tasks)
    page.table.selectRow(next(n for n, i in enumerate(page.items) if i.kind.value == "unknown"))
    assert page.check_button.isVisibleTo(page)
    assert "8,500.00" in page.summary.text() and "18,500.00" in page.summary.text()
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(message_is(page.message, "not paired"), timeout=WAIT)


def test_the_ledger_is_checked_on_demand(qtbot, desk, ids, tasks):
    from pos_app.services import guard

    page = SettingsPage(
        desk.admin, tasks, approve_as(desk, ids), check_ledger=lambda: guard.check_now(desk.ledger)
    )
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.loaded is not None, timeout=WAIT)
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(message_is(page.message, "The ledger is sound"), timeout=WAIT)
    with sqlite3.connect(desk.ledger.settings.database) as raw:  # a value no till writes
        raw.execute("UPDATE payments SET status = 'pa1d' WHERE rowid = 1")
    qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(message_is(page.message, "will not sell"), timeout=WAIT)


# --- one shop, one claim: whose M-Pesa payment it is ------------------------------------------
SEEN_C2B = "c2b-7d1e6a0c-demo"  # the relay's confirmation of the proof SGL3M8TR2A


def claim_is(desk, claim: Claim) -> None:
    with desk.ledger.write() as conn:
        set_claim(conn, SEEN_C2B, claim)


class ClaimingGateway:
    """The relay's answer to a claim, as the services' port raises it."""

    def __init__(self, refusal: Exception) -> None:
        self.refusal = refusal
        self.asked: list[str] = []

    def claim_c2b(self, receipt: str, supervisor: str) -> None:
        self.asked.append(receipt)
        raise self.refusal


def test_a_payment_another_till_has_is_shown_taken_never_as_a_match(qtbot, desk, ids, tasks):
    claim_is(desk, Claim.TAKEN)
    page = approvals_page(qtbot, desk, ids, tasks)
    select_reference(qtbot, page, "SGL3M8TR2A")
    assert not page.match_box.isVisibleTo(page)
    assert "Taken" in page.claim_label.text() and "SGL3M8TR2A" in page.claim_label.text()
    assert not page.approve_button.isEnabled() and page.reject_button.isEnabled()
    reports = ReportsPage(desk.reports, tasks, unmatched=desk.provider_events.unmatched)
    qtbot.addWidget(reports)
    qtbot.waitUntil(lambda: reports.unmatched.rowCount() == 2, timeout=WAIT)
    states = [reports.unmatched.item(r, 5).text() for r in range(2)]
    assert states == ["Matches no sale yet", "Taken by another till"]
    assert reports.tabs.tabText(5).endswith("(1)")  # only what this till may still count


def test_a_match_the_relay_refuses_names_the_till_and_records_nothing(qtbot, ids, tasks, desk):
    claim_is(desk, Claim.OPEN)  # nobody showed its reference: the relay must grant it
    relay = ClaimingGateway(C2BTaken("SGL3M8TR2A", "Till B"))
    claiming = SupervisorDesk.over(desk.ledger, desk.bus, gateway=lambda: relay)
    page = approvals_page(qtbot, claiming, ids, tasks)
    select_reference(qtbot, page, "SGL3M8TR2A")
    assert "asks the relay" in page.claim_label.text()
    payment_id = page.item.payment_id
    page.pin.setText(SUP_PIN)
    qtbot.mouseClick(page.accept_match_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(message_is(page.message, "given to till Till B"), timeout=WAIT)
    assert relay.asked == ["SGL3M8TR2A"]
    assert desk.payments.get_payment(payment_id).status == "awaiting_verification"
    assert "provider_event.matched" not in actions(desk)
    assert desk.provider_events.get(SEEN_C2B).taken  # never offered again
    page.refresh()
    qtbot.waitUntil(lambda: page.item is not None and bool(page.item.taken), timeout=WAIT)
    assert not page.match_box.isVisibleTo(page) and "Taken" in page.claim_label.text()


def test_offline_a_match_cannot_be_granted_and_nothing_is_recorded(qtbot, ids, tasks, desk):
    claim_is(desk, Claim.OPEN)
    offline = SupervisorDesk.over(desk.ledger, desk.bus, gateway=lambda: None)
    page = approvals_page(qtbot, offline, ids, tasks)
    select_reference(qtbot, page, "SGL3M8TR2A")
    payment_id = page.item.payment_id
    page.pin.setText(SUP_PIN)
    qtbot.mouseClick(page.accept_match_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(message_is(page.message, "Only the relay can give"), timeout=WAIT)
    assert desk.payments.get_payment(payment_id).status == "awaiting_verification"
    assert not desk.provider_events.get(SEEN_C2B).taken  # still open: asked again when online


def test_a_code_mpesa_has_not_confirmed_is_shown_claimed_not_confirmed(qtbot, ids, tasks, desk):
    claim_is(desk, Claim.OPEN)
    relay = ClaimingGateway(C2BNotConfirmed("SGL3M8TR2A"))
    claiming = SupervisorDesk.over(desk.ledger, desk.bus, gateway=lambda: relay)
    page = approvals_page(qtbot, claiming, ids, tasks)
    select_reference(qtbot, page, "SGK7H2XQ4P")  # an M-Pesa code the relay never saw
    assert "Claimed, not yet confirmed" in page.claim_label.text()
    select_reference(qtbot, page, "SGL3M8TR2A")
    payment_id = page.item.payment_id
    page.pin.setText(SUP_PIN)
    qtbot.mouseClick(page.accept_match_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(message_is(page.message, "claimed, not yet confirmed"), timeout=WAIT)
    assert desk.payments.get_payment(payment_id).status == "awaiting_verification"
