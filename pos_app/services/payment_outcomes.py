"""Outcomes of online payments: what the gateway and the relay report (prompt sent, failed,
unknown, expired) and provider events applied exactly once, with amount checks."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, select, update

from pos_app.core.errors import InvalidInput, NotASupervisor
from pos_app.core.payments import PaymentStatus, can_transition
from pos_app.core.risk import single
from pos_app.services import risk
from pos_app.services.bus import EventBus
from pos_app.services.grants import Action, Grant, actor
from pos_app.services.payment_rows import (
    PROVIDER_REF,
    RECEIPT,
    PaymentView,
    S,
    audit_summary,
    load_payment,
    move,
    payment_view,
)
from pos_app.services.unit import Change, ledger_change
from pos_app.services.users import authorise
from pos_app.store.crypto import FieldCipher
from pos_app.store.db import Ledger
from pos_app.store.schema import inbox, payments, proofs

_LONG_NUMBER = re.compile(r"\d{6,}")
MESSAGE_LENGTH = 120


def safe_message(message: str | None) -> str | None:
    """A provider's description fit to store and show: one short line, long digit runs
    (phone numbers, account numbers) masked."""
    if not message:
        return None
    text = " ".join(message.split())
    text = _LONG_NUMBER.sub(lambda m: "*" * (len(m.group()) - 3) + m.group()[-3:], text)
    return text[:MESSAGE_LENGTH] or None


def _result_values(result_code: str | None, message: str | None) -> dict[str, Any]:
    if result_code is None and message is None:
        return {}
    code = result_code.strip()[:32] if result_code else None
    return {"result_code": code or None, "result_message": safe_message(message)}


class ApplyOutcome(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"  # this event id was applied before: nothing done
    FLAGGED = "flagged"  # recorded, but a supervisor must look (amount mismatch, late pay)
    UNMATCHED = "unmatched"  # no payment of this till matches
    IGNORED = "ignored"  # the payment is already where the event would take it


class ProviderOutcomes:
    """Status reports from the gateway and outcomes pulled from the relay, and the
    supervisor's word on outcomes nobody reported (PaymentService.outcomes is one)."""

    def __init__(self, ledger: Ledger, bus: EventBus) -> None:
        self._ledger = ledger
        self._bus = bus

    @property
    def _cipher(self) -> FieldCipher:
        return self._ledger.cipher

    def mark_awaiting_customer(
        self, payment_id: str, provider_reference: str, *, actor_id: str | None = None
    ) -> PaymentView:
        """The prompt or link is out (CheckoutRequestID / Paystack reference given)."""
        return self._simple_move(
            payment_id,
            S.AWAITING_CUSTOMER,
            "payment.awaiting_customer",
            actor_id,
            provider_reference=provider_reference,
        )

    def mark_initiation_failed(
        self, payment_id: str, reason: str, *, actor_id: str | None = None
    ) -> PaymentView:
        return self._simple_move(
            payment_id, S.FAILED, "payment.failed", actor_id, detail={"reason": reason}
        )

    def mark_unknown(
        self, payment_id: str, reason: str, *, actor_id: str | None = None
    ) -> PaymentView:
        """The till cannot tell whether the customer paid: a supervisor must check."""
        return self._simple_move(
            payment_id,
            S.UNKNOWN,
            "payment.unknown",
            actor_id,
            detail={"reason": reason},
            needs_supervisor=True,
        )

    def expire_payment(self, payment_id: str, *, actor_id: str | None = None) -> PaymentView:
        return self._simple_move(payment_id, S.EXPIRED, "payment.expired", actor_id)

    def _simple_move(
        self,
        payment_id: str,
        target: PaymentStatus,
        event_type: str,
        actor_id: str | None,
        *,
        detail: dict[str, Any] | None = None,
        provider_reference: str | None = None,
        needs_supervisor: bool | None = None,
    ) -> PaymentView:
        with ledger_change(self._ledger, self._bus, actor_id) as change:
            row = load_payment(change.conn, payment_id)
            values: dict[str, Any] = {}
            if provider_reference is not None:
                values["provider_reference_ct"] = self._cipher.encrypt(
                    provider_reference, "payments", PROVIDER_REF, row.id
                )
                values["provider_reference_bidx"] = risk.reference_index(
                    self._cipher, provider_reference
                )
            if needs_supervisor is not None:
                values["needs_supervisor"] = needs_supervisor
            new = move(change, row, target, **values)
            change.record(
                event_type,
                entity="payment",
                entity_id=row.id,
                details={**audit_summary(row, new.value), **(detail or {})},
                payload={
                    "payment_id": row.id,
                    "status": new.value,
                    **(detail or {}),
                    **({"provider_reference": provider_reference} if provider_reference else {}),
                },
            )
            view = payment_view(load_payment(change.conn, payment_id), self._cipher)
        return view

    def resolve_unknown(
        self,
        payment_id: str,
        grant: Grant,
        succeeded: bool,
        *,
        receipt_number: str | None = None,
        notes: str | None = None,
    ) -> PaymentView:
        """A supervisor checked with the provider: the unknown payment did or did not arrive."""
        with ledger_change(self._ledger, self._bus, actor(grant)) as change:
            if authorise(change.conn, grant, Action.DECIDE_PAYMENT).role != "supervisor":
                raise NotASupervisor()
            row = load_payment(change.conn, payment_id)
            target = S.SUCCEEDED if succeeded else S.FAILED
            values: dict[str, Any] = {"needs_supervisor": False}
            if receipt_number:
                values["receipt_number_ct"] = self._cipher.encrypt(
                    receipt_number, "payments", RECEIPT, row.id
                )
                values["receipt_number_bidx"] = risk.reference_index(self._cipher, receipt_number)
            new = move(change, row, target, **values)
            change.record(
                "payment.resolved",
                entity="payment",
                entity_id=row.id,
                details=audit_summary(row, new.value),
                payload={
                    "payment_id": row.id,
                    "status": new.value,
                    "notes": notes,
                    "receipt_number": receipt_number,
                },
            )
            view = payment_view(load_payment(change.conn, payment_id), self._cipher)
        return view

    def apply_provider_event(
        self,
        event_id: str,
        *,
        status: PaymentStatus | str,
        amount_minor: int,
        currency: str,
        payment_id: str | None = None,
        provider_reference: str | None = None,
        receipt_number: str | None = None,
        relay_seq: int | None = None,
        event_type: str = "payment.outcome",
        result_code: str | None = None,
        message: str | None = None,
        test_mode: bool | None = None,
    ) -> ApplyOutcome:
        """Apply a canonical provider outcome (succeeded / failed / cancelled / expired)
        pulled from the relay, exactly once per event id. A paid amount or currency that
        differs from what was asked is never taken as paid: the payment goes to `unknown`
        and is flagged for a supervisor. The provider's `result_code` (and a masked, short
        `message`) is kept on the payment, so the cashier is told why it was declined.
        `test_mode` is the relay's word on which money it was: a payment the till started
        as live but the relay ran in test mode is kept as test money, never counted live."""
        target = PaymentStatus(status) if status in PaymentStatus._value2member_map_ else None
        if target not in (S.SUCCEEDED, S.FAILED, S.CANCELLED, S.EXPIRED):
            raise InvalidInput(
                f"A provider outcome is succeeded/failed/cancelled/expired, not {status}."
            )
        with self._ledger.read() as conn:
            if conn.execute(select(inbox.c.event_id).where(inbox.c.event_id == event_id)).first():
                return ApplyOutcome.DUPLICATE
        with ledger_change(self._ledger, self._bus, "relay") as change:
            conn = change.conn
            if conn.execute(select(inbox.c.event_id).where(inbox.c.event_id == event_id)).first():
                change.nothing_changed()  # a concurrent delivery won the race
                return ApplyOutcome.DUPLICATE
            row = self._match(conn, payment_id, provider_reference)
            if row is None:
                outcome = ApplyOutcome.UNMATCHED
                change.record(
                    "provider_event.unmatched",
                    entity="inbox",
                    entity_id=event_id,
                    details={
                        "status": target.value,
                        "amount_minor": amount_minor,
                        "currency": currency,
                    },
                )
            else:
                values = _result_values(result_code, message)
                if test_mode is not None and target is S.SUCCEEDED:
                    values["test_mode"] = test_mode
                outcome = self._apply(
                    change,
                    row,
                    event_id,
                    target,
                    amount_minor,
                    currency,
                    receipt_number,
                    values,
                )
            conn.execute(
                inbox.insert().values(
                    event_id=event_id,
                    relay_seq=relay_seq,
                    type=event_type,
                    result=outcome.value,
                    applied_at=datetime.now(UTC),
                )
            )
        return outcome

    def _match(
        self, conn: Connection, payment_id: str | None, provider_reference: str | None
    ) -> Any:
        if payment_id:
            row = conn.execute(select(payments).where(payments.c.id == payment_id)).first()
            if row is not None:
                return row
        if provider_reference:
            try:
                bidx = risk.reference_index(self._cipher, provider_reference)
            except InvalidInput:
                return None
            return conn.execute(
                select(payments).where(payments.c.provider_reference_bidx == bidx).limit(1)
            ).first()
        return None

    def _apply(
        self,
        change: Change,
        row: Any,
        event_id: str,
        target: PaymentStatus,
        amount_minor: int,
        code: str,
        receipt_number: str | None,
        result: dict[str, Any],
    ) -> ApplyOutcome:
        current = PaymentStatus(row.status)
        details = {"event_id": event_id, "reported": target.value, "was": current.value}
        if result.get("result_code") is not None:
            details["result_code"] = result["result_code"]
        values: dict[str, Any] = dict(result)
        if receipt_number:
            values["receipt_number_ct"] = self._cipher.encrypt(
                receipt_number, "payments", RECEIPT, row.id
            )
            values["receipt_number_bidx"] = risk.reference_index(self._cipher, receipt_number)
        if target is S.SUCCEEDED:
            values["paid_amount_minor"] = amount_minor
            values["paid_currency"] = code
            mismatch = amount_minor != row.amount_minor or code != row.currency
            if current in (S.SUCCEEDED, S.VERIFIED) and not mismatch:
                change.record(
                    "provider_event.ignored", entity="payment", entity_id=row.id, details=details
                )
                return ApplyOutcome.IGNORED
            if current is S.AWAITING_VERIFICATION and not mismatch:
                # the provider confirms what the cashier typed: stronger than any eyeball
                return self._confirmed_by_provider(change, row, event_id, values, details)
            if mismatch or not can_transition(current, S.SUCCEEDED):
                # money arrived that does not fit: never "paid" without a supervisor
                if can_transition(current, S.UNKNOWN):
                    move(change, row, S.UNKNOWN, **values)
                else:
                    change.conn.execute(
                        update(payments).where(payments.c.id == row.id).values(**values)
                    )
                reason = "amount_mismatch" if mismatch else "late_payment"
                change.record(
                    "payment.outcome_flagged",
                    entity="payment",
                    entity_id=row.id,
                    details={
                        **details,
                        "reason": reason,
                        "paid_minor": amount_minor,
                        "paid_currency": code,
                    },
                    payload={
                        "payment_id": row.id,
                        "event_id": event_id,
                        "reason": reason,
                        "paid_minor": amount_minor,
                        "paid_currency": code,
                    },
                )
                assessment = single("amount_mismatch") if mismatch else single("late_payment")
                risk.apply_flag(change, row.id, assessment, force=True)
                return ApplyOutcome.FLAGGED
        if not can_transition(current, target):
            change.record(
                "provider_event.ignored", entity="payment", entity_id=row.id, details=details
            )
            return ApplyOutcome.IGNORED
        new = move(change, row, target, **values)
        change.record(
            "payment.outcome",
            entity="payment",
            entity_id=row.id,
            details={**details, "status": new.value},
            payload={
                "payment_id": row.id,
                "event_id": event_id,
                "status": new.value,
                "receipt_number": receipt_number,
            },
        )
        return ApplyOutcome.APPLIED

    def _confirmed_by_provider(
        self,
        change: Change,
        row: Any,
        event_id: str,
        values: dict[str, Any],
        details: dict[str, Any],
    ) -> ApplyOutcome:
        change.conn.execute(
            update(proofs)
            .where(proofs.c.payment_id == row.id, proofs.c.decision.is_(None))
            .values(decision="provider_confirmed", decided_at=datetime.now(UTC))
        )
        new = move(change, row, S.VERIFIED, needs_supervisor=False, **values)
        change.record(
            "payment.outcome",
            entity="payment",
            entity_id=row.id,
            details={**details, "status": new.value, "confirmed_by": "provider"},
            payload={"payment_id": row.id, "event_id": event_id, "status": new.value},
        )
        return ApplyOutcome.APPLIED
