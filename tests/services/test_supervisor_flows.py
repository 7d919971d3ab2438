"""The supervisor desk's services over a real SQLite file: decisions, refunds, voids, staff,
settings, and every refusal leaving the ledger unchanged but audited."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from pos_app.config import TillSettings
from pos_app.core.errors import (
    DecryptionError,
    InvalidInput,
    NoAuthority,
    NotASupervisor,
    PaymentError,
    SelfApprovalNotAllowed,
    ShiftError,
    WrongPin,
)
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.core.payments import PaymentMethod, ProofType
from pos_app.core.quantities import Quantity
from pos_app.services.admin import LastSupervisor
from pos_app.services.approvals import ItemKind
from pos_app.services.bus import EventBus
from pos_app.services.gateway import (
    GatewayInProgress,
    GatewayRejected,
    GatewayUnavailable,
    LinkStarted,
    StkStarted,
)
from pos_app.services.grants import Action
from pos_app.services.provider_events import mark_matched, provider_events
from pos_app.services.refund_requests import RefundPending
from pos_app.services.refundable import RefundAlreadyRequested, RefundTooLarge
from pos_app.services.supervisor_desk import SupervisorDesk
from pos_app.store.db import open_ledger
from pos_app.store.schema import audit_log, outbox, payments, proofs, refunds, shifts
from sync.demo_day import DEMO_PINS, DemoIds, seed_demo

SUP_PIN = DEMO_PINS["Amina Wanjiru"]


def staff_grant(desk, ids):
    return desk.users.grant(ids.supervisor.id, SUP_PIN, Action.STAFF)


def settings_grant(desk, ids):
    return desk.users.grant(ids.supervisor.id, SUP_PIN, Action.SETTINGS)


CASHIER_PIN = DEMO_PINS["Otieno Kamau"]
SUP2_PIN = DEMO_PINS["Grace Njeri"]


class PowerCut(BaseException):
    pass


class FakeGateway:
    """The relay as the till sees it: refunds once per request id; can lose a reply after
    refunding, refuse, or be unreachable."""

    def __init__(self) -> None:
        self.refunds: list[tuple[str, Money, str]] = []
        self.refund_ids: list[str] = []
        self.lose_next_reply = False
        self.unreachable = False
        self.refuse_next = False
        self.in_progress_next = False  # the relay still handles the first request with the id
        self.status_checks: list[str] = []
        self.on_refund: Callable[[], object] | None = None  # runs when a refund arrives
        self.crash_after_refund = False

    def is_online(self) -> bool:
        return not self.unreachable

    def start_stk_push(
        self, payment_id: str, phone: str, amount: Money, account_reference: str
    ) -> StkStarted:
        raise NotImplementedError

    def start_payment_link(
        self, payment_id: str, provider: str, amount: Money, reference: str, email: str | None
    ) -> LinkStarted:
        raise NotImplementedError

    def refund_payment(
        self, payment_id: str, amount: Money, reason: str, *, refund_id: str
    ) -> None:
        if self.on_refund is not None:
            self.on_refund()
        if self.unreachable:
            raise GatewayUnavailable("The relay cannot be reached.")
        if self.refuse_next:
            self.refuse_next = False
            raise GatewayRejected("The relay refused the request (422): insufficient balance")
        if self.in_progress_next:
            self.in_progress_next = False
            raise GatewayInProgress("The first request is still being handled.")
        self.refund_ids.append(refund_id)
        if refund_id not in self.refund_ids[:-1]:
            self.refunds.append((payment_id, amount, reason))  # the relay refunds once per id
        if self.lose_next_reply:
            self.lose_next_reply = False
            raise GatewayUnavailable("The relay did not answer.")
        if self.crash_after_refund:
            raise PowerCut  # the provider refunded; the till stops before it writes the outcome

    def request_status_check(self, payment_id: str) -> None:
        self.status_checks.append(payment_id)


@pytest.fixture
def gateway() -> FakeGateway:
    return FakeGateway()


@pytest.fixture
def desk(tmp_path: Path, gateway: FakeGateway, open_test_ledger):
    ledger = open_test_ledger(TillSettings(data_dir=tmp_path, keyring="memory"))
    desk = SupervisorDesk.over(ledger, EventBus(), gateway=lambda: gateway)
    yield desk
    ledger.close()


@pytest.fixture
def ids(desk: SupervisorDesk) -> DemoIds:
    return seed_demo(desk, b"\x89PNG-not-really")


def count(desk: SupervisorDesk, table, *where) -> int:
    with desk.ledger.read() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def last_action(desk: SupervisorDesk) -> tuple[str, dict]:
    with desk.ledger.read() as conn:
        row = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
    return row.action, json.loads(row.details)


def proof_item(desk: SupervisorDesk, reference: str):
    return next(i for i in desk.approvals.queue() if i.reference == reference)


def test_queue_is_riskiest_first_with_reuse_match_and_mismatch(desk, ids):
    queue = desk.approvals.queue()
    assert [i.risk_score for i in queue] == sorted((i.risk_score for i in queue), reverse=True)
    reused = proof_item(desk, "sgk7h2xq4p")
    assert reused.risk_score >= 60
    assert "proof_reference_reused" in {r.name for r in reused.risk_reasons}
    assert len(reused.reuses) == 1
    c2b = proof_item(desk, "SGL3M8TR2A")
    assert [m.receipt for m in c2b.matches] == ["SGL3M8TR2A"]
    unknown = next(i for i in queue if i.kind is ItemKind.UNKNOWN)
    assert unknown.mismatch and unknown.claimed == Money(850_000, "KES")
    assert unknown.expected == Money(1_850_000, "KES")


def test_approve_with_supervisor_pin_is_confirm_manual_payment(desk, ids):
    item = proof_item(desk, "KCB-FT-2291-0087")
    view = desk.approvals.decide(item, ids.supervisor.id, SUP_PIN, True, "Slip checked")
    assert view.status == "verified"
    assert last_action(desk)[0] == "proof.decided"
    assert item.payment_id not in {i.payment_id for i in desk.approvals.queue()}


def test_cashier_pin_is_refused_nothing_changes_and_it_is_audited(desk, ids):
    item = proof_item(desk, "KCB-FT-2291-0087")
    decided_before = count(desk, proofs, proofs.c.decision.is_not(None))
    with pytest.raises(NotASupervisor):
        desk.approvals.decide(item, ids.cashier.id, CASHIER_PIN, True, "")
    assert count(desk, proofs, proofs.c.decision.is_not(None)) == decided_before
    assert desk.payments.get_payment(item.payment_id).status == "awaiting_verification"
    action, details = last_action(desk)
    assert action == "approval.refused" and details["error"] == "NotASupervisor"


def test_wrong_pin_is_refused_and_audited(desk, ids):
    item = proof_item(desk, "KCB-FT-2291-0087")
    with pytest.raises(WrongPin):
        desk.approvals.decide(item, ids.supervisor.id, "0000", True, "")
    assert desk.payments.get_payment(item.payment_id).status == "awaiting_verification"
    assert last_action(desk) == ("approval.refused", {"approve": True, "error": "WrongPin"})


def test_self_approval_follows_the_shop_policy(desk, ids):
    order = desk.orders.create_order([OrderLine("Mkate", Money(7_000, "KES"))])
    desk.payments.submit_manual_payment_proof(
        order.id, ProofType.MPESA_RECEIPT, "SHX1Y2Z3W4", submitted_by=ids.supervisor.id
    )
    item = proof_item(desk, "SHX1Y2Z3W4")
    with pytest.raises(SelfApprovalNotAllowed):
        desk.approvals.decide(item, ids.supervisor.id, SUP_PIN, True, "")
    assert desk.payments.get_payment(item.payment_id).status == "awaiting_verification"
    assert last_action(desk)[1]["error"] == "SelfApprovalNotAllowed"
    # another supervisor may decide it
    desk.approvals.decide(item, ids.second_supervisor.id, SUP2_PIN, False, "Not on statement")
    assert desk.payments.get_payment(item.payment_id).status == "rejected"


def test_reject_needs_notes(desk, ids):
    item = proof_item(desk, "KCB-FT-2291-0087")
    with pytest.raises(Exception, match="why"):
        desk.approvals.decide(item, ids.supervisor.id, SUP_PIN, False, "  ")
    assert desk.payments.get_payment(item.payment_id).status == "awaiting_verification"


def test_accepting_a_matching_c2b_confirmation(desk, ids):
    item = proof_item(desk, "SGL3M8TR2A")
    desk.approvals.accept_match(item, item.matches[0].event_id, ids.supervisor.id, SUP_PIN)
    assert desk.payments.get_payment(item.payment_id).status == "verified"
    assert [e.receipt for e in desk.provider_events.unmatched()] == ["SGN2P5TX9C"]
    assert last_action(desk)[0] == "provider_event.matched"


def test_unknown_outcome_is_resolved(desk, ids):
    item = next(i for i in desk.approvals.queue() if i.kind is ItemKind.UNKNOWN)
    view = desk.approvals.decide(item, ids.supervisor.id, SUP_PIN, False, "Customer paid less")
    assert view.status == "failed"


def test_tampered_receipt_image_is_refused_and_audited(desk, ids):
    item = proof_item(desk, "SGK7H2XQ4P")
    assert desk.approvals.receipt_image(item.proof_id) == b"\x89PNG-not-really"
    with desk.ledger.write() as conn:
        blob = conn.execute(select(proofs.c.image_ct).where(proofs.c.id == item.proof_id)).scalar()
        damaged = blob[:-1] + bytes([blob[-1] ^ 1])
        conn.execute(proofs.update().where(proofs.c.id == item.proof_id).values(image_ct=damaged))
    with pytest.raises(DecryptionError):
        desk.approvals.receipt_image(item.proof_id)
    assert last_action(desk)[0] == "proof.image_unreadable"


def test_cash_refund_partial_then_too_much_then_twice(desk, ids):
    pay_id = ids.cash_payments[0]
    paid = desk.payments.get_payment(pay_id).amount
    desk.refunds.refund(
        pay_id, Money(10_000, "KES"), "Broken packet", supervisor_id=ids.supervisor.id, pin=SUP_PIN
    )
    rows = count(desk, refunds)
    with pytest.raises(PaymentError, match="more than was paid"):
        desk.refunds.refund(pay_id, paid, "Too much", supervisor_id=ids.supervisor.id, pin=SUP_PIN)
    assert count(desk, refunds) == rows
    assert last_action(desk)[0] == "refund.refused"
    rest = paid - Money(10_000, "KES")
    view = desk.refunds.refund(
        pay_id, rest, "Returned all", supervisor_id=ids.supervisor.id, pin=SUP_PIN
    )
    assert view.status == "refunded"
    with pytest.raises(PaymentError, match="already refunded"):
        desk.refunds.refund(
            pay_id, Money(100, "KES"), "Again", supervisor_id=ids.supervisor.id, pin=SUP_PIN
        )
    assert count(desk, refunds) == rows + 1
    assert last_action(desk) == (
        "refund.refused",
        {"amount_minor": 100, "currency": "KES", "error": "AlreadyRefunded"},
    )


def test_refund_needs_a_supervisor_pin(desk, ids):
    rows = count(desk, refunds)
    with pytest.raises(NotASupervisor):
        desk.refunds.refund(
            ids.cash_payments[0],
            Money(100, "KES"),
            "x",
            supervisor_id=ids.cashier.id,
            pin=CASHIER_PIN,
        )
    assert count(desk, refunds) == rows


def _paid_online(desk: SupervisorDesk, ids: DemoIds, method: PaymentMethod, ref: str) -> str:
    order = desk.orders.create_order(
        [OrderLine("Simu", Money(500_000, "KES"))], shift_id=ids.shift_id
    )
    view = desk.payments.create_payment(order.id, Money(500_000, "KES"), None, None, method)
    desk.payments.process_payment(view.id, {"phone_number": "0712345678", "email": "a@b.co"})
    desk.payments.outcomes.mark_awaiting_customer(view.id, ref)
    desk.payments.outcomes.apply_provider_event(
        f"ev-{ref}",
        status="succeeded",
        amount_minor=500_000,
        currency="KES",
        payment_id=view.id,
        receipt_number=f"R{ref}",
    )
    return view.id


def test_paystack_refund_goes_through_the_relay(desk, ids, gateway):
    pay_id = _paid_online(desk, ids, PaymentMethod.PAYSTACK_LINK, "PSK12345")
    desk.refunds.refund(
        pay_id, Money(200_000, "KES"), "Wrong size", supervisor_id=ids.supervisor.id, pin=SUP_PIN
    )
    assert [(p, a) for p, a, _ in gateway.refunds] == [(pay_id, Money(200_000, "KES"))]
    assert desk.payments.get_payment(pay_id).status == "partially_refunded"


def refund_rows(desk: SupervisorDesk, pay_id: str) -> list[tuple[str, int, str | None]]:
    with desk.ledger.read() as conn:
        rows = conn.execute(
            select(refunds.c.status, refunds.c.amount_minor, refunds.c.request_id)
            .where(refunds.c.payment_id == pay_id)
            .order_by(refunds.c.created_at)
        )
        return [tuple(r) for r in rows]


def appended_since(desk: SupervisorDesk, column: Any, seq: int) -> list[str]:
    """`column` of the rows its table (outbox or audit log) gained after `seq`."""
    table_seq = column.table.c.seq
    with desk.ledger.read() as conn:
        return list(
            conn.execute(select(column).where(table_seq > seq).order_by(table_seq)).scalars()
        )


def last_seq(desk: SupervisorDesk, table: Any) -> int:
    with desk.ledger.read() as conn:
        return conn.execute(select(func.coalesce(func.max(table.c.seq), 0))).scalar_one()


def test_paystack_refund_is_recorded_pending_before_the_relay_is_asked(desk, ids, gateway):
    pay_id = _paid_online(desk, ids, PaymentMethod.PAYSTACK_LINK, "PSK24680")
    seen: list[list[tuple[str, int, str | None]]] = []
    # what the till's file holds when the relay is asked
    gateway.on_refund = lambda: seen.append(refund_rows(desk, pay_id))
    seq, out = last_seq(desk, audit_log), last_seq(desk, outbox)
    desk.refunds.refund(
        pay_id,
        Money(150_000, "KES"),
        "Wrong size",
        supervisor_id=ids.supervisor.id,
        pin=SUP_PIN,
        request_id="11111111-1111-4111-8111-111111111111",
    )
    assert seen == [[("pending", 150_000, "11111111-1111-4111-8111-111111111111")]]
    assert refund_rows(desk, pay_id) == [("done", 150_000, "11111111-1111-4111-8111-111111111111")]
    assert gateway.refund_ids == ["11111111-1111-4111-8111-111111111111"]
    assert appended_since(desk, audit_log.c.action, seq) == [
        "user.signed_in",
        "refund.requested",
        "payment.refunded",
    ]
    assert appended_since(desk, outbox.c.type, out) == ["refund.requested", "payment.refunded"]
    assert desk.payments.get_payment(pay_id).refunded == Money(150_000, "KES")


def test_paystack_refund_retried_after_a_lost_reply_refunds_once(desk, ids, gateway):
    pay_id = _paid_online(desk, ids, PaymentMethod.PAYSTACK_LINK, "PSK55555")
    gateway.lose_next_reply = True
    with pytest.raises(RefundPending):
        desk.refunds.refund(
            pay_id,
            Money(100_000, "KES"),
            "Late delivery",
            supervisor_id=ids.supervisor.id,
            pin=SUP_PIN,
            request_id="r-1",
        )
    # Paystack refunded; the till knows it asked and keeps the amount reserved
    assert refund_rows(desk, pay_id) == [("pending", 100_000, "r-1")]
    assert desk.payments.get_payment(pay_id).refunded.is_zero
    assert desk.refunds.refundable(pay_id).remaining == Money(400_000, "KES")
    with pytest.raises(RefundTooLarge):  # the pending amount counts
        desk.refunds.refund(
            pay_id, Money(500_000, "KES"), "All", supervisor_id=ids.supervisor.id, pin=SUP_PIN
        )
    assert last_action(desk)[1]["error"] == "RefundTooLarge"
    desk.refunds.refund(
        pay_id,
        Money(100_000, "KES"),
        "Late delivery",
        supervisor_id=ids.supervisor.id,
        pin=SUP_PIN,
        request_id="r-1",
    )
    assert gateway.refund_ids == ["r-1", "r-1"]
    assert len(gateway.refunds) == 1
    assert refund_rows(desk, pay_id) == [("done", 100_000, "r-1")]
    assert desk.payments.get_payment(pay_id).status == "partially_refunded"


def test_paystack_refund_refused_by_the_relay_releases_the_amount(desk, ids, gateway):
    pay_id = _paid_online(desk, ids, PaymentMethod.PAYSTACK_LINK, "PSK13579")
    gateway.refuse_next = True
    seq = last_seq(desk, audit_log)
    with pytest.raises(GatewayRejected):
        desk.refunds.refund(
            pay_id, Money(500_000, "KES"), "Faulty", supervisor_id=ids.supervisor.id, pin=SUP_PIN
        )
    assert [r[:2] for r in refund_rows(desk, pay_id)] == [("failed", 500_000)]
    assert appended_since(desk, audit_log.c.action, seq) == [
        "user.signed_in",
        "refund.requested",
        "refund.failed",
    ]
    assert last_action(desk)[1]["error"] == "GatewayRejected"
    assert desk.payments.get_payment(pay_id).status == "succeeded"
    assert desk.refunds.refundable(pay_id).remaining == Money(500_000, "KES")
    desk.refunds.refund(
        pay_id, Money(500_000, "KES"), "Faulty", supervisor_id=ids.supervisor.id, pin=SUP_PIN
    )
    assert [r[0] for r in refund_rows(desk, pay_id)] == ["failed", "done"]
    assert desk.payments.get_payment(pay_id).status == "refunded"


def test_paystack_refund_the_relay_still_handles_stays_pending(desk, ids, gateway):
    pay_id = _paid_online(desk, ids, PaymentMethod.PAYSTACK_LINK, "PSK24680")
    gateway.in_progress_next = True
    seq = last_seq(desk, audit_log)
    with pytest.raises(RefundPending):
        desk.refunds.refund(
            pay_id, Money(200_000, "KES"), "Faulty", supervisor_id=ids.supervisor.id,
            pin=SUP_PIN, request_id="r-9",
        )  # fmt: skip
    # not failed: the outcome is unknown, so the amount stays reserved
    assert refund_rows(desk, pay_id) == [("pending", 200_000, "r-9")]
    assert appended_since(desk, audit_log.c.action, seq) == ["user.signed_in", "refund.requested"]
    assert desk.refunds.refundable(pay_id).remaining == Money(300_000, "KES")
    desk.refunds.refund(
        pay_id, Money(200_000, "KES"), "Faulty", supervisor_id=ids.supervisor.id, pin=SUP_PIN,
        request_id="r-9",
    )  # fmt: skip
    assert refund_rows(desk, pay_id) == [("done", 200_000, "r-9")]
    assert len(gateway.refunds) == 1


def test_paystack_refund_pending_whole_amount_refuses_a_second_one(desk, ids, gateway):
    pay_id = _paid_online(desk, ids, PaymentMethod.PAYSTACK_LINK, "PSK86420")
    gateway.unreachable = True
    with pytest.raises(RefundPending):
        desk.refunds.refund(
            pay_id, Money(500_000, "KES"), "Faulty", supervisor_id=ids.supervisor.id, pin=SUP_PIN
        )
    rows = refund_rows(desk, pay_id)
    with pytest.raises(RefundAlreadyRequested):
        desk.refunds.refund(
            pay_id, Money(100, "KES"), "Again", supervisor_id=ids.supervisor.id, pin=SUP_PIN
        )
    assert refund_rows(desk, pay_id) == rows
    assert last_action(desk) == (
        "refund.refused",
        {"amount_minor": 100, "currency": "KES", "error": "RefundAlreadyRequested"},
    )
    today = datetime.now(ZoneInfo("Africa/Nairobi")).date()  # asked for is not given back
    assert [r.reason for r in desk.reports.build(today, today, "KES").refunds] == [
        "Soda bottle was broken"
    ]
    with pytest.raises(PaymentError, match="refunded"):  # nor can the sale be voided
        desk.refunds.void_sale(
            desk.payments.get_payment(pay_id).order_id,
            "Undo",
            supervisor_id=ids.supervisor.id,
            pin=SUP_PIN,
        )


def test_pending_paystack_refund_is_retried_with_its_id_after_a_restart(tmp_path, ids, desk):
    gateway = FakeGateway()
    gateway.crash_after_refund = True
    first = SupervisorDesk.over(desk.ledger, desk.bus, gateway=lambda: gateway)
    pay_id = _paid_online(desk, ids, PaymentMethod.PAYSTACK_LINK, "PSK11223")
    with pytest.raises(PowerCut):
        first.refunds.refund(
            pay_id, Money(500_000, "KES"), "Faulty", supervisor_id=ids.supervisor.id, pin=SUP_PIN
        )
    [(status, _, request_id)] = refund_rows(desk, pay_id)
    assert status == "pending" and gateway.refund_ids == [request_id]
    desk.ledger.close()

    # the till starts again over the same file; the scheduler's job retries what is pending
    ledger = open_ledger(TillSettings(data_dir=tmp_path, keyring="memory"))
    try:
        relay = FakeGateway()
        relay.refund_ids = list(gateway.refund_ids)  # the relay remembers the first request
        relay.unreachable = True
        restarted = SupervisorDesk.over(ledger, EventBus(), gateway=lambda: relay)
        assert restarted.refunds.relay.retry_pending() == 0  # offline: still pending
        relay.unreachable = False
        assert restarted.refunds.relay.retry_pending() == 1
        assert relay.refund_ids == [request_id, request_id] and relay.refunds == []
        view = restarted.payments.get_payment(pay_id)
        assert view.status == "refunded" and view.refunded == Money(500_000, "KES")
        with ledger.read() as conn:
            row = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one()
        assert (row.action, row.actor) == ("payment.refunded", None)
        assert restarted.refunds.relay.retry_pending() == 0  # nothing left
    finally:
        ledger.close()


def test_paystack_refund_without_relay_is_refused(tmp_path, ids, desk):
    offline = SupervisorDesk.over(desk.ledger, desk.bus, gateway=lambda: None)
    pay_id = _paid_online(desk, ids, PaymentMethod.PAYSTACK_LINK, "PSK99999")
    with pytest.raises(GatewayUnavailable):
        offline.refunds.refund(
            pay_id, Money(100, "KES"), "x", supervisor_id=ids.supervisor.id, pin=SUP_PIN
        )
    assert desk.payments.get_payment(pay_id).refunded.is_zero
    assert refund_rows(desk, pay_id) == []
    assert last_action(desk)[1]["error"] == "RelayNotPaired"


def test_mpesa_reversal_is_recorded_with_its_code(desk, ids):
    pay_id = _paid_online(desk, ids, PaymentMethod.MPESA_STK, "ws_CO_1234")
    with pytest.raises(Exception, match="reversal"):
        desk.refunds.refund(
            pay_id, Money(100, "KES"), "Double paid", supervisor_id=ids.supervisor.id, pin=SUP_PIN
        )
    desk.refunds.refund(
        pay_id,
        Money(500_000, "KES"),
        "Double paid",
        supervisor_id=ids.supervisor.id,
        pin=SUP_PIN,
        reversal_code="sgr4t7yu2p",
    )
    row = desk.refunds.refunds(limit=1)[0]
    assert row.method == "mpesa_reversal" and "SGR4T7YU2P" in row.reason


def test_void_in_open_shift_then_refused_after_close_and_z_report_is_net(desk, ids):
    pay_id = ids.cash_payments[1]
    order_id = desk.payments.get_payment(pay_id).order_id
    desk.refunds.void_sale(order_id, "Rang up twice", supervisor_id=ids.supervisor.id, pin=SUP_PIN)
    assert desk.payments.get_payment(pay_id).status == "voided"
    assert desk.orders.get_order(order_id).status == "cancelled"
    with desk.ledger.read() as conn:
        cash_net = conn.execute(
            select(func.sum(payments.c.amount_minor - payments.c.refunded_minor)).where(
                payments.c.method == "cash",
                payments.c.status.in_(["succeeded", "partially_refunded"]),
            )
        ).scalar_one()
    z = desk.shifts.close_shift(ids.shift_id, {}, user_id=ids.cashier.id)
    assert z["methods"]["cash"]["expected_minor"] == cash_net + 200_000  # + the float
    other = desk.payments.get_payment(ids.cash_payments[2]).order_id
    with pytest.raises(ShiftError):
        desk.refunds.void_sale(other, "Too late", supervisor_id=ids.supervisor.id, pin=SUP_PIN)
    assert last_action(desk)[0] == "void.refused"


def test_last_supervisor_cannot_be_deactivated(desk, ids):
    desk.admin.set_active(ids.second_supervisor.id, False, grant=staff_grant(desk, ids))
    with pytest.raises(LastSupervisor):
        desk.admin.set_active(ids.supervisor.id, False, grant=staff_grant(desk, ids))
    assert {u.name for u in desk.users.list_users() if u.role == "supervisor"} == {"Amina Wanjiru"}


def test_add_user_reset_pin_and_cashier_cannot_administer(desk, ids):
    user = desk.admin.add_user("Wanjiku", "cashier", "4321", grant=staff_grant(desk, ids))
    desk.admin.reset_pin(user.id, "9876", grant=staff_grant(desk, ids))
    assert desk.users.verify_pin(user.id, "9876").name == "Wanjiku"
    with pytest.raises(NotASupervisor):
        desk.users.grant(ids.cashier.id, DEMO_PINS["Otieno Kamau"], Action.STAFF)
    with pytest.raises(NoAuthority):  # a bare user id is no approval
        desk.admin.reset_pin(user.id, "1111", grant=ids.supervisor.id)


def test_settings_are_audited(desk, ids):
    desk.admin.update_settings(
        settings_grant(desk, ids), risk_threshold=30, allow_self_approval=True
    )
    assert desk.admin.settings().risk_threshold == 30
    assert last_action(desk)[0] == "settings.updated"


def test_reports_sum_sales_by_day_and_method(desk, ids):
    today = datetime.now(ZoneInfo("Africa/Nairobi")).date()  # the shop's day
    report = desk.reports.build(today - timedelta(days=7), today, "KES")
    assert report.total() == sum((a for _, a in report.total_by_method()), Money(0, "KES"))
    assert len(report.pending_proofs) == 4 and len(report.open_cod) == 1
    assert [r.reason for r in report.refunds] == ["Soda bottle was broken"]
    text = desk.reports.to_csv(report)
    assert text.splitlines()[0].startswith("section,date,method")
    assert "refund," in text


def test_tampered_audit_row_is_named_as_first_broken(desk, ids, tmp_path):
    assert desk.audit.verify().intact
    db = sqlite3.connect(tmp_path / "till.db")
    db.execute("DROP TRIGGER IF EXISTS audit_log_no_update")  # what an attacker would do
    db.execute("UPDATE audit_log SET details = '{\"amount_minor\":1}' WHERE seq = 12")
    db.commit()
    db.close()
    check = desk.audit.verify()
    assert not check.intact and check.first_broken is not None
    assert check.first_broken.seq == 12


def test_high_risk_paid_payment_is_cleared_or_refused_to_reject(desk, ids):
    from pos_app.core.risk import RiskAssessment, RiskReason
    from pos_app.services.risk import RiskService

    pay_id = ids.cash_payments[2]
    risky = RiskAssessment(80, (RiskReason("amount_far_above_usual", 80, "far above"),))
    assert RiskService(desk.ledger, desk.bus).flag_high_risk_transaction(pay_id, risky)
    item = next(i for i in desk.approvals.queue() if i.payment_id == pay_id)
    assert item.kind is ItemKind.FLAGGED and item.risk_score == 80
    with pytest.raises(PaymentError, match="Refunds page"):
        desk.approvals.decide(item, ids.supervisor.id, SUP_PIN, False, "Looks wrong")
    assert last_action(desk)[0] == "approval.refused"
    desk.approvals.decide(item, ids.supervisor.id, SUP_PIN, True, "Known wholesale buyer")
    assert pay_id not in {i.payment_id for i in desk.approvals.queue()}
    assert last_action(desk)[0] == "payment.flag_cleared"


def test_audit_search_by_user_action_and_day(desk, ids):
    from pos_app.services.audit_trail import AuditFilter

    today = datetime.now(ZoneInfo("Africa/Nairobi")).date()  # the shop's day
    refunds_today = desk.audit.search(
        AuditFilter(actor=ids.supervisor.id, action="payment.refunded", since=today, until=today)
    )
    assert [r.action for r in refunds_today] == ["payment.refunded"]
    assert desk.audit.search(AuditFilter(since=today + timedelta(days=2))) == []
    assert desk.audit.to_csv(refunds_today).splitlines()[1].split(",")[2] == "Amina Wanjiru"


def test_pairing_is_audited_and_plain_http_is_refused(desk, ids):
    from sync.engine.pairing import PairingError, PairingResult, pair

    def fake_pair(settings, relay_url, code):
        return PairingResult(relay_url, "till-7", "shop-1", "Mama Njeri", 0.0)

    admin = SupervisorDesk.over(desk.ledger, desk.bus, pair=fake_pair).admin
    outcome = admin.pair("https://relay.duka.co.ke", "4821-7730", grant=settings_grant(desk, ids))
    assert outcome.detail == "Mama Njeri"
    assert last_action(desk) == ("relay.paired", {"relay_url": "https://relay.duka.co.ke"})
    def real_pair(settings, relay_url, code):  # as pos_app.app wires it: into this ledger
        return pair(settings, desk.ledger, relay_url, code)

    real = SupervisorDesk.over(desk.ledger, desk.bus, pair=real_pair).admin
    with pytest.raises(PairingError):  # refused before any network: not https, not loopback
        real.pair("http://relay.duka.co.ke", "4821-7730", grant=settings_grant(desk, ids))
    assert last_action(desk) == ("relay.pairing_failed", {"error": "PairingError"})


def test_unclear_payment_can_be_checked_with_the_provider(desk, ids, gateway):
    item = next(i for i in desk.approvals.queue() if i.kind is ItemKind.UNKNOWN)
    desk.approvals.check_with_provider(item.payment_id)
    assert gateway.status_checks == [item.payment_id]
    offline = SupervisorDesk.over(desk.ledger, desk.bus, gateway=lambda: None)
    with pytest.raises(GatewayUnavailable):
        offline.approvals.check_with_provider(item.payment_id)


def _ledger_counts(desk: SupervisorDesk) -> dict[str, int]:
    return {
        "decided_proofs": count(desk, proofs, proofs.c.decision.is_not(None)),
        "verified": count(desk, payments, payments.c.status == "verified"),
        "outbox": count(desk, outbox),
        "matched": count(desk, provider_events, provider_events.c.matched_payment_id.is_not(None)),
    }


def test_accepting_a_match_fails_whole_when_the_confirmation_was_taken_meanwhile(desk, ids):
    item = proof_item(desk, "SGL3M8TR2A")
    event_id = item.matches[0].event_id
    with desk.ledger.write() as conn:  # another supervisor placed it on another sale
        assert mark_matched(conn, event_id, ids.cash_payments[0], ids.second_supervisor.id)
    before, seq = _ledger_counts(desk), last_seq(desk, audit_log)
    with pytest.raises(PaymentError, match="matched to another sale"):
        desk.approvals.accept_match(item, event_id, ids.supervisor.id, SUP_PIN)
    # the payment was verified inside the transaction, then all of it rolled back
    assert _ledger_counts(desk) == before
    assert appended_since(desk, audit_log.c.action, seq) == ["user.signed_in", "approval.refused"]
    assert desk.payments.get_payment(item.payment_id).status == "awaiting_verification"
    assert last_action(desk) == (
        "approval.refused",
        {"approve": True, "error": "PaymentError"},
    )
    assert item.payment_id in {i.payment_id for i in desk.approvals.queue()}


def test_accepting_a_match_leaves_nothing_when_the_second_step_crashes(desk, ids, monkeypatch):
    import pos_app.services.approvals as approvals_module

    item = proof_item(desk, "SGL3M8TR2A")
    seen: list[str] = []
    published: list[object] = []
    desk.bus.subscribe(published.append)

    def crash(conn, event_id, payment_id, by):
        # the first step is written (inside the open transaction) when the second one fails
        status = conn.execute(
            select(payments.c.status).where(payments.c.id == payment_id)
        ).scalar_one()
        seen.append(status)
        raise OSError("disk unplugged")

    monkeypatch.setattr(approvals_module, "mark_matched", crash)
    before, seq = _ledger_counts(desk), last_seq(desk, audit_log)
    with pytest.raises(OSError):
        desk.approvals.accept_match(item, item.matches[0].event_id, ids.supervisor.id, SUP_PIN)
    assert seen == ["verified"]
    assert _ledger_counts(desk) == before
    assert appended_since(desk, audit_log.c.action, seq) == ["user.signed_in"]  # the PIN check only
    assert desk.payments.get_payment(item.payment_id).status == "awaiting_verification"
    assert published == []  # nothing was committed, so nothing is announced

    monkeypatch.undo()
    seq = last_seq(desk, audit_log)
    desk.approvals.accept_match(item, item.matches[0].event_id, ids.supervisor.id, SUP_PIN)
    after = _ledger_counts(desk)
    assert appended_since(desk, audit_log.c.action, seq) == [
        "user.signed_in",
        "proof.decided",
        "provider_event.matched",
    ]
    assert after["verified"] == before["verified"] + 1
    assert after["matched"] == before["matched"] + 1
    assert after["outbox"] == before["outbox"] + 2  # proof.decided + provider_event.matched
    assert published  # the committed change is announced once, after the commit


def test_the_sync_engine_retries_pending_refunds(desk, ids):
    from sync.engine.scheduler import EngineTimings, SyncEngine

    engine = SyncEngine(
        desk.ledger, desk.bus, desk.ledger.settings, timings=EngineTimings(reconcile_every_s=3600)
    )
    engine.start()
    try:
        assert engine._scheduler is not None
        job = engine._scheduler.get_job("refunds")
        assert job.func.__qualname__ == "RelayRefunds.retry_pending"
    finally:
        engine.stop()


def test_z_report_shows_refunds_and_voids_per_method(desk, ids, gateway):
    voided = desk.payments.get_payment(ids.cash_payments[1])
    desk.refunds.void_sale(
        voided.order_id, "Rang up twice", supervisor_id=ids.supervisor.id, pin=SUP_PIN
    )
    card = _paid_online(desk, ids, PaymentMethod.PAYSTACK_LINK, "PSK70707")
    desk.refunds.refund(
        card, Money(200_000, "KES"), "Wrong size", supervisor_id=ids.supervisor.id, pin=SUP_PIN
    )
    gateway.unreachable = True  # asked for, not made: not on the report
    with pytest.raises(RefundPending):
        desk.refunds.refund(
            card, Money(100_000, "KES"), "Late", supervisor_id=ids.supervisor.id, pin=SUP_PIN
        )
    seq = last_seq(desk, audit_log)
    z = desk.shifts.close_shift(ids.shift_id, {}, user_id=ids.cashier.id)
    assert z["refunds_and_voids"] == {
        "cash": {"refunds_count": 1, "refunds_minor": 8_000, "voids_count": 1,
                 "voids_minor": voided.amount.minor},
        "paystack_link": {"refunds_count": 1, "refunds_minor": 200_000, "voids_count": 0,
                          "voids_minor": 0},
    }  # fmt: skip
    assert z["methods"]["paystack_link"]["expected_minor"] == 300_000  # net, as before
    assert appended_since(desk, audit_log.c.action, seq) == ["shift.closed"]
    with desk.ledger.read() as conn:
        stored = conn.execute(
            select(shifts.c.z_report).where(shifts.c.id == ids.shift_id)
        ).scalar_one()
    assert stored["refunds_and_voids"] == z["refunds_and_voids"]


@pytest.mark.parametrize(
    ("method", "refund_method"),
    [(PaymentMethod.FLUTTERWAVE_LINK, "flutterwave_refund"),
     (PaymentMethod.STRIPE_CHECKOUT, "stripe_refund")],
)  # fmt: skip
def test_flutterwave_and_stripe_refunds_go_through_the_relay(
    desk, ids, gateway, method, refund_method
):
    pay_id = _paid_online(desk, ids, method, "LNK24680")
    desk.refunds.refund(
        pay_id, Money(150_000, "KES"), "Wrong size", supervisor_id=ids.supervisor.id, pin=SUP_PIN
    )
    assert [(p, a) for p, a, _ in gateway.refunds] == [(pay_id, Money(150_000, "KES"))]
    assert desk.payments.get_payment(pay_id).status == "partially_refunded"
    with desk.ledger.read() as conn:
        assert conn.execute(
            select(refunds.c.method, refunds.c.status).where(refunds.c.payment_id == pay_id)
        ).one() == (refund_method, "done")
    with pytest.raises(InvalidInput, match="by amount"):  # no lines back without the provider
        desk.refunds.refund_lines(
            pay_id, {0: Quantity.each(1)}, "Back", supervisor_id=ids.supervisor.id, pin=SUP_PIN
        )


def test_z_report_lists_each_link_provider_apart(desk, ids, gateway):
    paystack = _paid_online(desk, ids, PaymentMethod.PAYSTACK_LINK, "PSK31313")
    _paid_online(desk, ids, PaymentMethod.FLUTTERWAVE_LINK, "FLW31313")
    stripe = _paid_online(desk, ids, PaymentMethod.STRIPE_CHECKOUT, "STR31313")
    desk.refunds.refund(
        stripe, Money(100_000, "KES"), "Late", supervisor_id=ids.supervisor.id, pin=SUP_PIN
    )
    z = desk.shifts.close_shift(ids.shift_id, {}, user_id=ids.cashier.id)
    expected = {m: z["methods"][m]["expected_minor"]
                for m in ("paystack_link", "flutterwave_link", "stripe_checkout")}  # fmt: skip
    assert expected == {"paystack_link": 500_000, "flutterwave_link": 500_000,
                        "stripe_checkout": 400_000}  # fmt: skip
    assert z["refunds_and_voids"]["stripe_checkout"]["refunds_minor"] == 100_000
    assert paystack not in {p for p, _, _ in gateway.refunds}
