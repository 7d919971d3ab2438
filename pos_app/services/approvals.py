"""The supervisor's approvals queue: proofs awaiting verification, unknown outcomes and flagged
payments, riskiest first; each decision needs the deciding supervisor's PIN.

A refused decision (wrong or cashier PIN, self-approval, wrong state, unreadable image) changes
nothing but is itself written to the audit log, in its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import or_, select, update

from pos_app.core.errors import (
    DecryptionError,
    DukaError,
    InvalidInput,
    NotASupervisor,
    PaymentError,
)
from pos_app.core.money import Money
from pos_app.core.payments import OPEN_STATUSES, PaymentStatus
from pos_app.core.risk import RiskReason
from pos_app.services import receipt_numbers
from pos_app.services.admin import RelayNotPaired
from pos_app.services.bus import EventBus
from pos_app.services.gateway import (
    C2BTaken,
    GatewayUnavailable,
    OnlineGateway,
)
from pos_app.services.grants import Action, Grant, actor
from pos_app.services.payments import PaymentService
from pos_app.services.provider_events import (
    Claim,
    ProviderEventView,
    mark_matched,
    set_claim,
)
from pos_app.services.unit import audit_refusal, ledger_change, one_transaction
from pos_app.services.users import UserService, authorise
from pos_app.store.db import Ledger
from pos_app.store.schema import payments, proofs, users

S = PaymentStatus
C2B = "mpesa_c2b"


class NotesRequired(InvalidInput):
    """A rejection must say why: the cashier reads it to the customer."""


class ClaimNeedsRelay(GatewayUnavailable):
    """Only the relay can grant an M-Pesa payment nobody showed the reference of to this till
    (another till of the shop may ask for it too): offline, it cannot be matched."""

    def __init__(self) -> None:
        super().__init__(
            "Only the relay can give this M-Pesa payment to this till, and it cannot be reached: "
            "nothing was recorded. Try again when the till is online."
        )


class ItemKind(StrEnum):
    PROOF = "proof"  # a typed receipt code / SMS / slip waits for verification
    UNKNOWN = "unknown"  # the till cannot tell if the money arrived (mismatch, late pay)
    FLAGGED = "flagged"  # high risk score


@dataclass(frozen=True, slots=True)
class ReuseWarning:
    payment_id: str
    order_id: str
    status: str
    at: datetime
    receipt_number: str = ""  # the other sale's, as printed; empty for one stored before them


@dataclass(frozen=True, slots=True)
class ApprovalItem:
    kind: ItemKind
    payment_id: str
    order_id: str
    method: str
    status: str
    expected: Money
    claimed: Money | None  # what the proof / provider says was paid, when known
    risk_score: int
    risk_reasons: tuple[RiskReason, ...]
    created_at: datetime
    proof_id: str | None = None
    proof_type: str | None = None
    reference: str | None = None
    notes: str | None = None
    has_image: bool = False
    submitted_by: str | None = None
    submitted_by_name: str | None = None
    reuses: tuple[ReuseWarning, ...] = ()
    matches: tuple[ProviderEventView, ...] = field(default_factory=tuple)
    # payments with the proof's receipt code the relay gave to another till of the shop
    taken: tuple[ProviderEventView, ...] = ()
    receipt_number: str = ""  # the sale's, as printed; empty for a sale stored before them

    @property
    def mismatch(self) -> bool:
        return self.claimed is not None and self.claimed != self.expected


class ApprovalService:
    def __init__(
        self,
        ledger: Ledger,
        bus: EventBus,
        payments_service: PaymentService,
        users_service: UserService,
        provider_events: Any = None,
        gateway: Callable[[], OnlineGateway | None] | None = None,
    ) -> None:
        self._ledger = ledger
        self._bus = bus
        self._payments = payments_service
        self._users = users_service
        self._events = provider_events
        self._gateway = gateway or (lambda: None)

    # --- the queue ------------------------------------------------------------------------
    def queue(self) -> list[ApprovalItem]:
        """Everything waiting for a supervisor, highest risk first, newest first within."""
        views = self._payments.needing_supervisor(limit=500)
        with self._ledger.read() as conn:
            numbers = receipt_numbers.of_orders(conn, (v.order_id for v in views))
        found = (self._item(view, numbers.get(view.order_id, "")) for view in views)
        items = [i for i in found if i is not None]
        items.sort(key=lambda i: i.created_at, reverse=True)
        items.sort(key=lambda i: i.risk_score, reverse=True)
        return items

    def _item(self, view: Any, receipt_number: str) -> ApprovalItem | None:
        status = PaymentStatus(view.status)
        claimed = view.paid_amount
        base: dict[str, Any] = {
            "payment_id": view.id,
            "order_id": view.order_id,
            "receipt_number": receipt_number,
            "method": view.method,
            "status": view.status,
            "expected": view.amount,
            "risk_score": view.risk_score,
            "risk_reasons": view.risk_reasons,
            "created_at": view.created_at,
        }
        if status is S.AWAITING_VERIFICATION:
            pending = [p for p in self._payments.proofs_for_payment(view.id) if p.decision is None]
            if not pending:
                return None
            proof = pending[-1]
            matches: tuple[ProviderEventView, ...] = ()
            taken: tuple[ProviderEventView, ...] = ()
            if self._events is not None:
                matches = tuple(self._events.matching(proof.reference, view.amount))
                taken = tuple(self._events.taken_elsewhere(proof.reference))
            return ApprovalItem(
                kind=ItemKind.PROOF,
                claimed=claimed if claimed is not None else view.amount,
                proof_id=proof.id,
                proof_type=proof.proof_type,
                reference=proof.reference,
                notes=proof.notes,
                has_image=proof.has_image,
                submitted_by=proof.submitted_by,
                submitted_by_name=self._user_name(proof.submitted_by),
                reuses=tuple(self._reuses(view.id, proof.id)),
                matches=matches,
                taken=taken,
                **{**base, "created_at": proof.submitted_at},
            )
        if status is S.UNKNOWN:
            return ApprovalItem(
                kind=ItemKind.UNKNOWN, claimed=claimed, reference=view.receipt_number, **base
            )
        if view.needs_supervisor:
            return ApprovalItem(
                kind=ItemKind.FLAGGED, claimed=claimed, reference=view.receipt_number, **base
            )
        return None

    def _user_name(self, user_id: str | None) -> str | None:
        if user_id is None:
            return None
        with self._ledger.read() as conn:
            return conn.execute(select(users.c.name).where(users.c.id == user_id)).scalar()

    def _reuses(self, payment_id: str, proof_id: str) -> list[ReuseWarning]:
        """Other payments whose proof or receipt carries the same code (blind index match)."""
        with self._ledger.read() as conn:
            bidx = conn.execute(
                select(proofs.c.reference_bidx).where(proofs.c.id == proof_id)
            ).scalar_one()
            other_proofs = select(proofs.c.payment_id).where(
                proofs.c.reference_bidx == bidx, proofs.c.payment_id != payment_id
            )
            rows = conn.execute(
                select(payments.c.id, payments.c.order_id, payments.c.status, payments.c.created_at)
                .where(payments.c.id != payment_id)
                .where(
                    or_(
                        payments.c.id.in_(other_proofs),
                        payments.c.receipt_number_bidx == bidx,
                        payments.c.provider_reference_bidx == bidx,
                    )
                )
                .order_by(payments.c.created_at)
            )
            found = list(rows)
            numbers = receipt_numbers.of_orders(conn, (r.order_id for r in found))
        return [
            ReuseWarning(r.id, r.order_id, r.status, r.created_at, numbers.get(r.order_id, ""))
            for r in found
        ]

    def receipt_image(self, proof_id: str) -> bytes:
        """The proof's photo, decrypted in memory only (the caller must not write it out)."""
        try:
            image = self._payments.proof_image(proof_id)
        except DecryptionError as exc:
            audit_refusal(
                self._ledger, self._bus, None, "proof.image_unreadable", "proof", proof_id, exc
            )
            raise
        if image is None:
            raise InvalidInput("This proof has no photo.")
        return image

    def report_unreadable_image(self, proof_id: str, actor_id: str | None) -> None:
        """The photo decrypted but is no picture: audit it so a damaged file is noticed."""
        audit_refusal(
            self._ledger,
            self._bus,
            actor_id,
            "proof.image_unreadable",
            "proof",
            proof_id,
            InvalidInput("The receipt photo is damaged and cannot be shown."),
        )

    # --- decisions ------------------------------------------------------------------------
    def _grant(self, supervisor_id: str, pin: str) -> Grant:
        grant = self._users.grant(supervisor_id, pin, Action.DECIDE_PAYMENT)
        if grant.role != "supervisor":  # the desk is for supervisors, whatever the policy
            raise NotASupervisor()
        return grant

    def decide(
        self,
        item: ApprovalItem,
        supervisor_id: str,
        pin: str,
        approve: bool,
        notes: str,
    ) -> Any:
        """Approve or reject: the product guide's confirm_manual_payment for proofs, the
        ledger's resolve_unknown for unknown outcomes, clearing or cancelling for flags."""
        action = "approval.refused"
        try:
            if not approve and not notes.strip():
                raise NotesRequired("Say why you reject it (the cashier will read this).")
            grant = self._grant(supervisor_id, pin)
            if item.kind is ItemKind.PROOF:
                if approve and item.taken:
                    # another till counts this M-Pesa payment: accepting it here counts it twice
                    raise C2BTaken(item.taken[0].receipt or "", None)
                return self._payments.confirm_manual_payment(
                    item.payment_id, grant, approve, notes.strip() or None
                )
            if item.kind is ItemKind.UNKNOWN:
                return self._payments.outcomes.resolve_unknown(
                    item.payment_id, grant, approve, notes=notes.strip() or None
                )
            if approve:
                return self._clear_flag(item.payment_id, grant, notes.strip())
            if PaymentStatus(item.status) in OPEN_STATUSES:
                return self._payments.cancel_payment(
                    item.payment_id, actor_id=supervisor_id, reason=notes.strip()
                )
            raise PaymentError(
                "This payment is already paid: give the money back on the Refunds page."
            )
        except DukaError as exc:
            audit_refusal(
                self._ledger,
                self._bus,
                supervisor_id,
                action,
                "payment",
                item.payment_id,
                exc,
                {"approve": approve},
            )
            raise

    def accept_match(self, item: ApprovalItem, event_id: str, supervisor_id: str, pin: str) -> Any:
        """One click: the relay's confirmation with the same receipt code and amount proves
        the proof. Verifying the payment and tying the confirmation to it are one transaction:
        a confirmation matched elsewhere meanwhile leaves the proof undecided."""
        try:
            match = next((m for m in item.matches if m.event_id == event_id), None)
            if match is None:
                raise InvalidInput("That confirmation does not match this proof.")
            grant = self._grant(supervisor_id, pin)
            if match.channel == C2B and match.claim is not Claim.MINE:
                self._claim(match, supervisor_id)
            with one_transaction(self._ledger, self._bus) as (ledger, bus):
                view = PaymentService(ledger, bus).confirm_manual_payment(
                    item.payment_id,
                    grant,
                    True,
                    f"Matched to relay confirmation {event_id[:8]}",
                )
                with ledger_change(ledger, bus, supervisor_id) as change:
                    if not mark_matched(change.conn, event_id, item.payment_id, supervisor_id):
                        raise PaymentError(
                            "That confirmation was matched to another sale meanwhile."
                        )
                    set_claim(change.conn, event_id, Claim.MINE)
                    # the relay's word on which money it was: test money is never live
                    change.conn.execute(
                        update(payments)
                        .where(payments.c.id == item.payment_id)
                        .values(test_mode=match.test_mode)
                    )
                    change.record(
                        "provider_event.matched",
                        entity="provider_event",
                        entity_id=event_id,
                        details={"payment_id": item.payment_id},
                        payload={"event_id": event_id, "payment_id": item.payment_id},
                    )
            return view
        except DukaError as exc:
            audit_refusal(
                self._ledger,
                self._bus,
                supervisor_id,
                "approval.refused",
                "payment",
                item.payment_id,
                exc,
                {"approve": True},
            )
            raise

    def _claim(self, match: ProviderEventView, supervisor_id: str) -> None:
        """One shop, one claim: the relay grants an M-Pesa payment nobody showed the
        reference of to one till only. Asked before anything is written; a refusal marks the
        payment as taken here, so it is never offered again."""
        gateway = self._gateway()
        if gateway is None or not match.receipt:
            raise ClaimNeedsRelay()
        try:
            gateway.claim_c2b(match.receipt, self._user_name(supervisor_id) or "supervisor")
        except C2BTaken:
            with ledger_change(self._ledger, self._bus, supervisor_id) as change:
                set_claim(change.conn, match.event_id, Claim.TAKEN)
                change.record(
                    "provider_event.taken",
                    entity="provider_event",
                    entity_id=match.event_id,
                    details={"claim": Claim.TAKEN.value},
                )
            raise
        except GatewayUnavailable:
            raise ClaimNeedsRelay() from None

    def check_with_provider(self, payment_id: str) -> None:
        """Ask the relay to query the provider about an unclear payment; the answer arrives
        as a pulled event and moves the payment (or leaves it for a decision)."""
        gateway = self._gateway()
        if gateway is None:
            raise RelayNotPaired("Only the relay can ask the provider.")
        gateway.request_status_check(payment_id)

    def _clear_flag(self, payment_id: str, grant: Grant, notes: str) -> Any:
        with ledger_change(self._ledger, self._bus, actor(grant)) as change:
            if authorise(change.conn, grant, Action.DECIDE_PAYMENT).role != "supervisor":
                raise NotASupervisor()
            result = change.conn.execute(
                update(payments)
                .where(payments.c.id == payment_id, payments.c.needs_supervisor.is_(True))
                .values(needs_supervisor=False)
            )
            if result.rowcount != 1:
                raise PaymentError("This payment no longer waits for a decision.")
            change.record(
                "payment.flag_cleared",
                entity="payment",
                entity_id=payment_id,
                details={"noted": bool(notes)},
                payload={"payment_id": payment_id, "notes": notes},
            )
        return self._payments.get_payment(payment_id)
