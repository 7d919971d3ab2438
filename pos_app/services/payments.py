"""PaymentService: every way money reaches (or leaves) the till, each one ledger transaction.

Operations follow the product guide (create_payment, process_payment,
submit_manual_payment_proof, confirm_manual_payment, is_transaction_processed) plus the
counter's own: cash sales with change, cash on delivery, provider outcomes pulled from the
relay (apply_provider_event), supervisor resolution of unknown outcomes, refunds.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import Connection, select, update

from pos_app.core.errors import (
    CurrencyMismatch,
    InsufficientTender,
    InvalidAmount,
    InvalidInput,
    NotFound,
    Overpayment,
    PaymentError,
    SelfApprovalNotAllowed,
)
from pos_app.core.events import (
    CashSaleRecorded,
    PaymentCreated,
    PaymentProcessed,
    ProofDecided,
    ProofSubmitted,
    RefundRecorded,
)
from pos_app.core.identifiers import normalize_phone
from pos_app.core.money import Money, currency
from pos_app.core.orders import Order, OrderStatus
from pos_app.core.payments import (
    MANUAL_METHODS,
    PAID_STATUSES,
    PROVIDER_OF_METHOD,
    PaymentMethod,
    PaymentProvider,
    PaymentStatus,
    ProofType,
    can_transition,
    initial_status,
    transition,
)
from pos_app.core.risk import RiskAssessment, RiskReason, single
from pos_app.services import customers, orders, risk
from pos_app.services.bus import EventBus
from pos_app.services.customers import CustomerDetails
from pos_app.services.shop import load_settings
from pos_app.services.unit import Change, ledger_change
from pos_app.services.users import require_role
from pos_app.store.crypto import FieldCipher
from pos_app.store.db import Ledger
from pos_app.store.schema import inbox, payments, proofs, refunds

S = PaymentStatus
MAX_PROOF_IMAGE_BYTES: Final = 5 * 1024 * 1024
RECEIPT = "receipt_number_ct"
PROVIDER_REF = "provider_reference_ct"
_INSERT_PAYMENT = payments.insert()


class ApplyOutcome(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"  # this event id was applied before: nothing done
    FLAGGED = "flagged"  # recorded, but a supervisor must look (amount mismatch, late pay)
    UNMATCHED = "unmatched"  # no payment of this till matches
    IGNORED = "ignored"  # the payment is already where the event would take it


@dataclass(frozen=True, slots=True)
class PaymentView:
    id: str
    order_id: str
    method: str
    provider: str
    amount: Money
    status: str
    needs_supervisor: bool
    risk_score: int
    risk_reasons: tuple[RiskReason, ...]
    receipt_number: str | None
    provider_reference: str | None
    tendered: Money | None
    change: Money | None
    paid_amount: Money | None
    refunded: Money
    customer_id: str | None
    test_mode: bool
    created_at: datetime
    updated_at: datetime

    @property
    def is_paid(self) -> bool:
        return PaymentStatus(self.status) in PAID_STATUSES


@dataclass(frozen=True, slots=True)
class CashSale:
    order_id: str
    payment_id: str
    amount: Money
    tendered: Money
    change: Money


@dataclass(frozen=True, slots=True)
class ProofView:
    id: str
    payment_id: str
    proof_type: str
    reference: str
    has_image: bool
    notes: str | None
    submitted_by: str | None
    submitted_at: datetime
    decision: str | None
    decided_by: str | None
    decided_at: datetime | None


def _money(amount: Money | int, code: str | None) -> Money:
    """A Money from the guide's (amount, currency) pair or a Money; refuses zero/negative."""
    if isinstance(amount, Money):
        if code is not None and code != amount.currency:
            currency(code)
            raise CurrencyMismatch(amount.currency, code)
        money = amount
    else:
        if code is None:
            raise InvalidInput("An amount needs a currency.")
        money = Money(amount, code)
    return money.require_positive()


def _load(conn: Connection, payment_id: str) -> Any:
    row = conn.execute(select(payments).where(payments.c.id == payment_id)).first()
    if row is None:
        raise NotFound("payment", payment_id)
    return row


def _view(row: Any, cipher: FieldCipher) -> PaymentView:
    code = row.currency
    reasons = tuple(RiskReason(r["name"], r["points"], r["explanation"]) for r in row.risk_reasons)
    return PaymentView(
        id=row.id,
        order_id=row.order_id,
        method=row.method,
        provider=row.provider,
        amount=Money(row.amount_minor, code),
        status=row.status,
        needs_supervisor=bool(row.needs_supervisor),
        risk_score=row.risk_score,
        risk_reasons=reasons,
        receipt_number=cipher.decrypt_text_opt(row.receipt_number_ct, "payments", RECEIPT, row.id),
        provider_reference=cipher.decrypt_text_opt(
            row.provider_reference_ct, "payments", PROVIDER_REF, row.id
        ),
        tendered=None if row.tendered_minor is None else Money(row.tendered_minor, code),
        change=None if row.change_minor is None else Money(row.change_minor, code),
        paid_amount=None
        if row.paid_amount_minor is None
        else Money(row.paid_amount_minor, row.paid_currency),
        refunded=Money(row.refunded_minor, code),
        customer_id=row.customer_id,
        test_mode=bool(row.test_mode),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _summary(row: Any, status: str | None = None) -> dict[str, Any]:
    """What the audit log may say about a payment: no personal data."""
    return {
        "order_id": row.order_id,
        "method": row.method,
        "amount_minor": row.amount_minor,
        "currency": row.currency,
        "status": status or row.status,
    }


class PaymentService:
    def __init__(self, ledger: Ledger, bus: EventBus) -> None:
        self._ledger = ledger
        self._bus = bus

    @property
    def _cipher(self) -> FieldCipher:
        return self._ledger.cipher

    # --- reading --------------------------------------------------------------------------
    def get_payment(self, payment_id: str) -> PaymentView:
        with self._ledger.read() as conn:
            return _view(_load(conn, payment_id), self._cipher)

    def payments_for_order(self, order_id: str) -> list[PaymentView]:
        with self._ledger.read() as conn:
            rows = conn.execute(
                select(payments)
                .where(payments.c.order_id == order_id)
                .order_by(payments.c.created_at)
            )
            return [_view(r, self._cipher) for r in rows]

    def needing_supervisor(self, limit: int = 100) -> list[PaymentView]:
        """Flagged payments, unknown outcomes and proofs waiting for a decision."""
        with self._ledger.read() as conn:
            rows = conn.execute(
                select(payments)
                .where(
                    (payments.c.needs_supervisor.is_(True))
                    | payments.c.status.in_([S.UNKNOWN.value, S.AWAITING_VERIFICATION.value])
                )
                .order_by(payments.c.created_at)
                .limit(limit)
            )
            return [_view(r, self._cipher) for r in rows]

    def proofs_for_payment(self, payment_id: str) -> list[ProofView]:
        with self._ledger.read() as conn:
            rows = list(
                conn.execute(
                    select(proofs)
                    .where(proofs.c.payment_id == payment_id)
                    .order_by(proofs.c.submitted_at)
                )
            )
        c = self._cipher
        return [
            ProofView(
                id=r.id,
                payment_id=r.payment_id,
                proof_type=r.proof_type,
                reference=c.decrypt_text(r.reference_ct, "proofs", "reference_ct", r.id),
                has_image=r.image_ct is not None,
                notes=c.decrypt_text_opt(r.notes_ct, "proofs", "notes_ct", r.id),
                submitted_by=r.submitted_by,
                submitted_at=r.submitted_at,
                decision=r.decision,
                decided_by=r.decided_by,
                decided_at=r.decided_at,
            )
            for r in rows
        ]

    def proof_image(self, proof_id: str) -> bytes | None:
        with self._ledger.read() as conn:
            blob = conn.execute(
                select(proofs.c.image_ct).where(proofs.c.id == proof_id)
            ).scalar_one_or_none()
        return None if blob is None else self._cipher.decrypt(blob, "proofs", "image_ct", proof_id)

    def customer(self, customer_id: str) -> customers.CustomerView:
        with self._ledger.read() as conn:
            return customers.load(conn, self._cipher, customer_id)

    def payments_for_phone(self, phone: str) -> list[PaymentView]:
        """A customer's payments, found through the phone's blind index (no bulk decrypt)."""
        with self._ledger.read() as conn:
            region = customers.region_for(load_settings(conn).currency)
            customer_id = customers.find_by_phone(conn, self._cipher, phone, region)
            if customer_id is None:
                return []
            rows = conn.execute(
                select(payments)
                .where(payments.c.customer_id == customer_id)
                .order_by(payments.c.created_at)
            )
            return [_view(r, self._cipher) for r in rows]

    # --- internal writes ------------------------------------------------------------------
    def _insert_payment(
        self,
        change: Change,
        *,
        order_id: str,
        amount: Money,
        method: PaymentMethod,
        status: PaymentStatus,
        customer_id: str | None,
        created_by: str | None,
        test_mode: bool = False,
        tendered: Money | None = None,
        change_given: Money | None = None,
    ) -> str:
        payment_id = str(uuid.uuid4())
        now = datetime.now(UTC)
        change.conn.execute(
            _INSERT_PAYMENT,
            {
                "id": payment_id,
                "order_id": order_id,
                "customer_id": customer_id,
                "method": method.value,
                "provider": PROVIDER_OF_METHOD[method].value,
                "amount_minor": amount.minor,
                "currency": amount.currency,
                "status": status.value,
                "tendered_minor": None if tendered is None else tendered.minor,
                "change_minor": None if change_given is None else change_given.minor,
                "refunded_minor": 0,
                "risk_score": 0,
                "risk_reasons": [],
                "needs_supervisor": False,
                "test_mode": test_mode,
                "created_by": created_by,
                "created_at": now,
                "updated_at": now,
            },
        )
        return payment_id

    def _move(
        self, change: Change, row: Any, target: PaymentStatus, **values: Any
    ) -> PaymentStatus:
        new = transition(row.status, target)
        change.conn.execute(
            update(payments)
            .where(payments.c.id == row.id)
            .values(status=new.value, updated_at=datetime.now(UTC), **values)
        )
        orders.refresh_status(change.conn, row.order_id)
        change.publish(
            PaymentProcessed(
                payment_id=row.id,
                order_id=row.order_id,
                amount=Money(row.amount_minor, row.currency),
                provider=row.provider,
                status=new.value,
            )
        )
        return new

    def _check_amount_against_order(self, conn: Connection, order_id: str, amount: Money) -> None:
        total, _, owed = orders.amounts(conn, order_id)
        if amount.currency != total.currency:
            raise CurrencyMismatch(total.currency, amount.currency)
        if amount > owed:
            raise Overpayment(
                f"{amount.format()} is more than the order still owes ({owed.format()})."
            )

    # --- the product guide's operations ---------------------------------------------------
    def create_payment(
        self,
        order_id: str,
        amount: Money | int,
        currency: str | None,
        provider: PaymentProvider | str | None,
        payment_method: PaymentMethod | str,
        customer_details: CustomerDetails | None = None,
        *,
        created_by: str | None = None,
        test_mode: bool = False,
    ) -> PaymentView:
        """A payment for (part of) an order, in the method's first state, risk-scored."""
        money = _money(amount, currency)
        try:
            method = PaymentMethod(payment_method)
        except ValueError:
            raise InvalidInput(f"Unknown payment method {payment_method!r}.") from None
        if provider is not None and str(provider) != PROVIDER_OF_METHOD[method].value:
            raise InvalidInput(f"{method.value} payments go through {PROVIDER_OF_METHOD[method]}.")
        with ledger_change(self._ledger, self._bus, created_by) as change:
            row = orders.load_order_row(change.conn, order_id)
            if row.status != OrderStatus.OPEN:
                raise PaymentError(f"This order is {row.status}: it takes no more payments.")
            self._check_amount_against_order(change.conn, order_id, money)
            customer_id, is_new = self._customer(change, customer_details, money.currency)
            assessment = (
                risk.gather(
                    change.conn,
                    self._cipher,
                    money,
                    PROVIDER_OF_METHOD[method],
                    customer_id=customer_id,
                    customer_is_new=is_new,
                )
                if method is not PaymentMethod.CASH
                else RiskAssessment(0)
            )
            status = initial_status(method)
            payment_id = self._insert_payment(
                change,
                order_id=order_id,
                amount=money,
                method=method,
                status=status,
                customer_id=customer_id,
                created_by=created_by,
                test_mode=test_mode,
            )
            change.record(
                "payment.created",
                entity="payment",
                entity_id=payment_id,
                details={
                    "order_id": order_id,
                    "method": method.value,
                    "amount_minor": money.minor,
                    "currency": money.currency,
                    "status": status.value,
                },
                payload={
                    "payment_id": payment_id,
                    "order_id": order_id,
                    "method": method.value,
                    "provider": PROVIDER_OF_METHOD[method].value,
                    "amount_minor": money.minor,
                    "currency": money.currency,
                    "status": status.value,
                    "customer_id": customer_id,
                    "test_mode": test_mode,
                },
            )
            if assessment.reasons:
                risk.apply_flag(change, payment_id, assessment)
            change.publish(
                PaymentCreated(
                    payment_id=payment_id,
                    order_id=order_id,
                    amount=money,
                    method=method.value,
                    status=status.value,
                )
            )
            view = _view(_load(change.conn, payment_id), self._cipher)
        return view

    def _customer(
        self, change: Change, details: CustomerDetails | None, code: str
    ) -> tuple[str | None, bool]:
        if details is None or not any((details.name, details.phone, details.address)):
            return None, False
        return customers.upsert(change.conn, self._cipher, details, customers.region_for(code))

    def process_payment(
        self,
        payment_id: str,
        provider_data: dict[str, Any] | None = None,
        *,
        actor_id: str | None = None,
    ) -> PaymentView:
        """Move a pending payment on: cash is taken (provider_data may carry "tendered_minor");
        STK / Paystack go to `initiating` (the relay is asked; provider_data holds
        "phone_number" / "email", stored encrypted)."""
        data = dict(provider_data or {})
        with ledger_change(self._ledger, self._bus, actor_id) as change:
            row = _load(change.conn, payment_id)
            method = PaymentMethod(row.method)
            amount = Money(row.amount_minor, row.currency)
            if method is PaymentMethod.CASH:
                tendered = Money(data.get("tendered_minor", amount.minor), row.currency)
                if tendered < amount:
                    raise InsufficientTender(
                        f"{tendered.format()} handed over is less than {amount.format()}."
                    )
                new = self._move(
                    change,
                    row,
                    S.SUCCEEDED,
                    tendered_minor=tendered.minor,
                    change_minor=(tendered - amount).minor,
                )
                payload: dict[str, Any] = {"payment_id": row.id, "status": new.value}
            elif method in (PaymentMethod.MPESA_STK, PaymentMethod.PAYSTACK_LINK):
                if method is PaymentMethod.MPESA_STK:
                    phone = str(data.get("phone_number") or "")
                    if not phone.strip():
                        raise InvalidInput("An M-Pesa prompt needs the customer's phone number.")
                    region = customers.region_for(row.currency)
                    data["phone_number"] = normalize_phone(phone, region)
                blob = self._cipher.encrypt(
                    json.dumps(data, sort_keys=True), "payments", "provider_data_ct", row.id
                )
                new = self._move(change, row, S.INITIATING, provider_data_ct=blob)
                payload = {
                    "payment_id": row.id,
                    "order_id": row.order_id,
                    "method": method.value,
                    "amount_minor": row.amount_minor,
                    "currency": row.currency,
                    "status": new.value,
                    "provider_data": data,
                }
            else:
                raise PaymentError(
                    f"A {method.value} payment is not processed here: use the proof or "
                    "cash-on-delivery steps."
                )
            change.record(
                "payment.processed",
                entity="payment",
                entity_id=row.id,
                details=_summary(row, new.value),
                payload=payload,
            )
            view = _view(_load(change.conn, payment_id), self._cipher)
        return view

    def submit_manual_payment_proof(
        self,
        order_id: str,
        proof_type: ProofType | str,
        proof_reference: str,
        proof_image: bytes | None = None,
        additional_notes: str | None = None,
        *,
        submitted_by: str | None = None,
        payment_id: str | None = None,
        amount: Money | None = None,
    ) -> str:
        """Record a proof (receipt code, SMS, bank slip) for an order; returns the proof id.

        Uses `payment_id` or the order's open manual payment, or makes one for what the order
        still owes. The payment waits for a supervisor (awaiting_verification).
        """
        try:
            kind = ProofType(proof_type)
        except ValueError:
            raise InvalidInput(f"Unknown proof type {proof_type!r}.") from None
        if not isinstance(proof_reference, str) or not proof_reference.strip():
            raise InvalidInput("A proof needs the receipt or transfer reference.")
        bidx = risk.reference_index(self._cipher, proof_reference)
        if proof_image is not None and len(proof_image) > MAX_PROOF_IMAGE_BYTES:
            raise InvalidInput("The proof image is larger than 5 MB: take a smaller photo.")
        with ledger_change(self._ledger, self._bus, submitted_by) as change:
            conn = change.conn
            row = self._payment_for_proof(change, order_id, kind, payment_id, amount, submitted_by)
            reused = risk.reference_used(conn, bidx, except_payment=row.id)
            proof_id = str(uuid.uuid4())
            conn.execute(
                proofs.insert().values(
                    id=proof_id,
                    payment_id=row.id,
                    proof_type=kind.value,
                    reference_ct=self._cipher.encrypt(
                        proof_reference.strip(), "proofs", "reference_ct", proof_id
                    ),
                    reference_bidx=bidx,
                    image_ct=self._cipher.encrypt_opt(proof_image, "proofs", "image_ct", proof_id),
                    notes_ct=self._cipher.encrypt_opt(
                        additional_notes, "proofs", "notes_ct", proof_id
                    ),
                    submitted_by=submitted_by,
                    submitted_at=datetime.now(UTC),
                )
            )
            self._move(change, row, S.AWAITING_VERIFICATION)
            change.record(
                "proof.submitted",
                entity="proof",
                entity_id=proof_id,
                details={"payment_id": row.id, "proof_type": kind.value, "reused": reused},
                payload={
                    "proof_id": proof_id,
                    "payment_id": row.id,
                    "order_id": order_id,
                    "proof_type": kind.value,
                    "reference": proof_reference.strip(),
                    "notes": additional_notes,
                    "has_image": proof_image is not None,
                },
            )
            assessment = risk.gather(
                conn,
                self._cipher,
                Money(row.amount_minor, row.currency),
                PaymentProvider.MANUAL,
                customer_id=row.customer_id,
                proof_reference_reused=reused,
            )
            risk.apply_flag(change, row.id, assessment)
            change.publish(ProofSubmitted(proof_id=proof_id, payment_id=row.id, order_id=order_id))
        return proof_id

    def _payment_for_proof(
        self,
        change: Change,
        order_id: str,
        kind: ProofType,
        payment_id: str | None,
        amount: Money | None,
        submitted_by: str | None,
    ) -> Any:
        conn = change.conn
        orders.load_order_row(conn, order_id)
        proofable = (S.PENDING.value, S.AWAITING_CUSTOMER.value)
        if payment_id is not None:
            row = _load(conn, payment_id)
            if row.order_id != order_id:
                raise InvalidInput("That payment belongs to another order.")
            if PaymentMethod(row.method) not in MANUAL_METHODS:
                raise PaymentError(f"A {row.method} payment does not take a manual proof.")
            return row
        row = conn.execute(
            select(payments)
            .where(payments.c.order_id == order_id)
            .where(payments.c.status.in_(proofable))
            .where(payments.c.method.in_([m.value for m in MANUAL_METHODS]))
            .order_by(payments.c.created_at.desc())
            .limit(1)
        ).first()
        if row is not None:
            return row
        _, _, owed = orders.amounts(conn, order_id)
        money = owed if amount is None else amount.require_positive()
        if money.is_zero:
            raise Overpayment("This order owes nothing: there is nothing to prove.")
        self._check_amount_against_order(conn, order_id, money)
        method = (
            PaymentMethod.BANK_TRANSFER
            if kind is ProofType.BANK_TRANSFER
            else PaymentMethod.MANUAL_MOBILE_MONEY
        )
        new_id = self._insert_payment(
            change,
            order_id=order_id,
            amount=money,
            method=method,
            status=S.PENDING,
            customer_id=None,
            created_by=submitted_by,
        )
        change.record(
            "payment.created",
            entity="payment",
            entity_id=new_id,
            details={
                "order_id": order_id,
                "method": method.value,
                "amount_minor": money.minor,
                "currency": money.currency,
                "status": S.PENDING.value,
            },
            payload={
                "payment_id": new_id,
                "order_id": order_id,
                "method": method.value,
                "provider": PaymentProvider.MANUAL.value,
                "amount_minor": money.minor,
                "currency": money.currency,
                "status": S.PENDING.value,
            },
        )
        return _load(conn, new_id)

    def confirm_manual_payment(
        self, payment_id: str, admin_id: str, is_verified: bool, notes: str | None = None
    ) -> PaymentView:
        """A supervisor's decision on the proof of a payment awaiting verification."""
        with ledger_change(self._ledger, self._bus, admin_id) as change:
            conn = change.conn
            require_role(conn, admin_id, "supervisor")
            row = _load(conn, payment_id)
            target = S.VERIFIED if is_verified else S.REJECTED
            transition(row.status, target)  # refuse before writing anything
            proof = conn.execute(
                select(proofs)
                .where(proofs.c.payment_id == payment_id, proofs.c.decision.is_(None))
                .order_by(proofs.c.submitted_at.desc())
                .limit(1)
            ).first()
            if proof is None:
                raise PaymentError("This payment has no proof waiting for a decision.")
            if proof.submitted_by == admin_id and not load_settings(conn).allow_self_approval:
                raise SelfApprovalNotAllowed(
                    "You submitted this proof: another supervisor must approve it."
                )
            now = datetime.now(UTC)
            conn.execute(
                update(proofs)
                .where(proofs.c.id == proof.id)
                .values(
                    decision="verified" if is_verified else "rejected",
                    decided_by=admin_id,
                    decided_at=now,
                    decision_notes_ct=self._cipher.encrypt_opt(
                        notes, "proofs", "decision_notes_ct", proof.id
                    ),
                )
            )
            extra: dict[str, Any] = {"needs_supervisor": False}
            if is_verified:
                reference = self._cipher.decrypt_text(
                    proof.reference_ct, "proofs", "reference_ct", proof.id
                )
                extra["receipt_number_ct"] = self._cipher.encrypt(
                    reference, "payments", RECEIPT, row.id
                )
                extra["receipt_number_bidx"] = proof.reference_bidx
            new = self._move(change, row, target, **extra)
            change.record(
                "proof.decided",
                entity="proof",
                entity_id=proof.id,
                details={"payment_id": row.id, "decision": new.value},
                payload={
                    "proof_id": proof.id,
                    "payment_id": row.id,
                    "order_id": row.order_id,
                    "status": new.value,
                    "decided_by": admin_id,
                    "notes": notes,
                },
            )
            change.publish(
                ProofDecided(
                    proof_id=proof.id, payment_id=row.id, verified=is_verified, decided_by=admin_id
                )
            )
            view = _view(_load(conn, payment_id), self._cipher)
        return view

    def is_transaction_processed(self, reference: str) -> bool:
        """Has this provider event id, receipt code or reference already been taken as paid?"""
        if not isinstance(reference, str) or not reference.strip():
            return False
        with self._ledger.read() as conn:
            if conn.execute(
                select(inbox.c.event_id).where(inbox.c.event_id == reference.strip())
            ).first():
                return True
            try:
                bidx = risk.reference_index(self._cipher, reference)
            except InvalidInput:
                return False
            paid = [s.value for s in PAID_STATUSES | {S.REFUNDED, S.VOIDED}]
            hit = conn.execute(
                select(payments.c.id)
                .where(
                    (payments.c.receipt_number_bidx == bidx)
                    | (payments.c.provider_reference_bidx == bidx)
                )
                .where(payments.c.status.in_(paid))
                .limit(1)
            ).first()
            return hit is not None

    # --- cash ------------------------------------------------------------------------------
    def record_cash_sale(
        self,
        order: Order | str,
        tendered: Money,
        *,
        cashier_id: str | None = None,
        shift_id: str | None = None,
    ) -> CashSale:
        """A whole cash sale in one commit: the order (when given as a draft), the payment for
        what it owes, the change to hand back, outbox and audit."""
        with ledger_change(self._ledger, self._bus, cashier_id) as change:
            conn = change.conn
            payload: dict[str, Any] = {}
            if isinstance(order, Order):
                shift = shift_id or orders.current_shift_id(conn)
                # the payment below covers the whole draft: the order is born paid
                order_id = orders.insert_order(
                    change, order, cashier_id=cashier_id, shift_id=shift, status=OrderStatus.PAID
                )
                amount = order.total
                payload["order"] = orders.order_payload(order_id, order)
            else:
                order_id = order
                row = orders.load_order_row(conn, order_id)
                if row.status != OrderStatus.OPEN:
                    raise PaymentError(f"This order is {row.status}: it takes no more payments.")
                amount = orders.amounts(conn, order_id)[2]
                if amount.is_zero:
                    raise Overpayment("This order owes nothing.")
            if not isinstance(tendered, Money):
                raise InvalidAmount("The cash handed over must be an amount of money.")
            if tendered < amount:
                raise InsufficientTender(
                    f"{tendered.format()} handed over is less than {amount.format()}."
                )
            change_due = tendered - amount
            status = transition(S.PENDING, S.SUCCEEDED)
            payment_id = self._insert_payment(
                change,
                order_id=order_id,
                amount=amount,
                method=PaymentMethod.CASH,
                status=status,
                customer_id=None,
                created_by=cashier_id,
                tendered=tendered,
                change_given=change_due,
            )
            if not isinstance(order, Order):
                orders.refresh_status(conn, order_id)
            change.record(
                "sale.cash",
                entity="payment",
                entity_id=payment_id,
                details={
                    "order_id": order_id,
                    "amount_minor": amount.minor,
                    "currency": amount.currency,
                    "change_minor": change_due.minor,
                },
                payload={
                    **payload,
                    "payment": {
                        "payment_id": payment_id,
                        "order_id": order_id,
                        "method": PaymentMethod.CASH.value,
                        "amount_minor": amount.minor,
                        "currency": amount.currency,
                        "tendered_minor": tendered.minor,
                        "change_minor": change_due.minor,
                        "status": status.value,
                    },
                },
            )
            change.publish(
                CashSaleRecorded(
                    payment_id=payment_id, order_id=order_id, amount=amount, change=change_due
                )
            )
            change.publish(
                PaymentProcessed(
                    payment_id=payment_id,
                    order_id=order_id,
                    amount=amount,
                    provider=PaymentProvider.CASH.value,
                    status=status.value,
                )
            )
        return CashSale(order_id, payment_id, amount, tendered, change_due)

    # --- cash on delivery -----------------------------------------------------------------
    def create_cod(
        self,
        order_id: str,
        customer_details: CustomerDetails | None = None,
        *,
        created_by: str | None = None,
    ) -> PaymentView:
        """A cash-on-delivery payment for what the order owes (status awaiting_cod)."""
        with self._ledger.read() as conn:
            owed = orders.amounts(conn, order_id)[2]
        return self.create_payment(
            order_id,
            owed,
            None,
            PaymentProvider.CASH,
            PaymentMethod.CASH_ON_DELIVERY,
            customer_details,
            created_by=created_by,
        )

    def settle_cod(self, payment_id: str, collected: Money, *, actor_id: str | None) -> PaymentView:
        """The rider brought the cash. A different amount is flagged, never taken as paid."""
        with ledger_change(self._ledger, self._bus, actor_id) as change:
            row = _load(change.conn, payment_id)
            if row.method != PaymentMethod.CASH_ON_DELIVERY:
                raise PaymentError("Only a cash-on-delivery payment is settled this way.")
            transition(row.status, S.SUCCEEDED)
            expected = Money(row.amount_minor, row.currency)
            if collected.currency != expected.currency or collected.minor != expected.minor:
                change.conn.execute(
                    update(payments)
                    .where(payments.c.id == row.id)
                    .values(paid_amount_minor=collected.minor, paid_currency=collected.currency)
                )
                change.record(
                    "payment.cod_mismatch",
                    entity="payment",
                    entity_id=row.id,
                    details={
                        "expected_minor": expected.minor,
                        "collected_minor": collected.minor,
                        "collected_currency": collected.currency,
                    },
                    payload={
                        "payment_id": row.id,
                        "expected_minor": expected.minor,
                        "collected_minor": collected.minor,
                        "collected_currency": collected.currency,
                    },
                )
                risk.apply_flag(
                    change,
                    row.id,
                    single("amount_mismatch"),
                    force=True,
                )
            else:
                new = self._move(
                    change,
                    row,
                    S.SUCCEEDED,
                    paid_amount_minor=collected.minor,
                    paid_currency=collected.currency,
                )
                change.record(
                    "payment.cod_settled",
                    entity="payment",
                    entity_id=row.id,
                    details=_summary(row, new.value),
                    payload={"payment_id": row.id, "status": new.value},
                )
            view = _view(_load(change.conn, payment_id), self._cipher)
        return view

    def cancel_payment(self, payment_id: str, *, actor_id: str | None, reason: str) -> PaymentView:
        """Cancel a payment still open (COD not delivered, prompt abandoned, ...)."""
        with ledger_change(self._ledger, self._bus, actor_id) as change:
            row = _load(change.conn, payment_id)
            new = self._move(change, row, S.CANCELLED)
            change.record(
                "payment.cancelled",
                entity="payment",
                entity_id=row.id,
                details={**_summary(row, new.value), "reason": reason},
                payload={"payment_id": row.id, "status": new.value, "reason": reason},
            )
            view = _view(_load(change.conn, payment_id), self._cipher)
        return view

    cancel_cod = cancel_payment

    # --- online payments: what the relay / gateway reports --------------------------------
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
            row = _load(change.conn, payment_id)
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
            new = self._move(change, row, target, **values)
            change.record(
                event_type,
                entity="payment",
                entity_id=row.id,
                details={**_summary(row, new.value), **(detail or {})},
                payload={
                    "payment_id": row.id,
                    "status": new.value,
                    **(detail or {}),
                    **({"provider_reference": provider_reference} if provider_reference else {}),
                },
            )
            view = _view(_load(change.conn, payment_id), self._cipher)
        return view

    def resolve_unknown(
        self,
        payment_id: str,
        supervisor_id: str,
        succeeded: bool,
        *,
        receipt_number: str | None = None,
        notes: str | None = None,
    ) -> PaymentView:
        """A supervisor checked with the provider: the unknown payment did or did not arrive."""
        with ledger_change(self._ledger, self._bus, supervisor_id) as change:
            require_role(change.conn, supervisor_id, "supervisor")
            row = _load(change.conn, payment_id)
            target = S.SUCCEEDED if succeeded else S.FAILED
            values: dict[str, Any] = {"needs_supervisor": False}
            if receipt_number:
                values["receipt_number_ct"] = self._cipher.encrypt(
                    receipt_number, "payments", RECEIPT, row.id
                )
                values["receipt_number_bidx"] = risk.reference_index(self._cipher, receipt_number)
            new = self._move(change, row, target, **values)
            change.record(
                "payment.resolved",
                entity="payment",
                entity_id=row.id,
                details=_summary(row, new.value),
                payload={
                    "payment_id": row.id,
                    "status": new.value,
                    "notes": notes,
                    "receipt_number": receipt_number,
                },
            )
            view = _view(_load(change.conn, payment_id), self._cipher)
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
    ) -> ApplyOutcome:
        """Apply a canonical provider outcome (succeeded / failed / cancelled / expired)
        pulled from the relay, exactly once per event id. A paid amount or currency that
        differs from what was asked is never taken as paid: the payment goes to `unknown`
        and is flagged for a supervisor."""
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
                outcome = self._apply(
                    change, row, event_id, target, amount_minor, currency, receipt_number
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
    ) -> ApplyOutcome:
        current = PaymentStatus(row.status)
        details = {"event_id": event_id, "reported": target.value, "was": current.value}
        values: dict[str, Any] = {}
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
                    self._move(change, row, S.UNKNOWN, **values)
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
        new = self._move(change, row, target, **values)
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
        new = self._move(change, row, S.VERIFIED, needs_supervisor=False, **values)
        change.record(
            "payment.outcome",
            entity="payment",
            entity_id=row.id,
            details={**details, "status": new.value, "confirmed_by": "provider"},
            payload={"payment_id": row.id, "event_id": event_id, "status": new.value},
        )
        return ApplyOutcome.APPLIED

    # --- refunds ---------------------------------------------------------------------------
    def refund(
        self,
        payment_id: str,
        amount: Money,
        reason: str,
        *,
        supervisor_id: str,
        method: str = PaymentMethod.CASH.value,
    ) -> PaymentView:
        """Give money back on a paid payment (supervisor only); partial refunds add up."""
        amount.require_positive("A refund")
        if not reason.strip():
            raise InvalidInput("Say why the money is given back.")
        with ledger_change(self._ledger, self._bus, supervisor_id) as change:
            conn = change.conn
            require_role(conn, supervisor_id, "supervisor")
            row = _load(conn, payment_id)
            paid = Money(row.amount_minor, row.currency)
            already = Money(row.refunded_minor, row.currency)
            remaining = paid - already
            if amount > remaining:
                raise Overpayment(
                    f"Only {remaining.format()} of this payment can still be refunded."
                )
            total_refunded = already + amount
            target = S.REFUNDED if total_refunded == paid else S.PARTIALLY_REFUNDED
            refund_id = str(uuid.uuid4())
            conn.execute(
                refunds.insert().values(
                    id=refund_id,
                    payment_id=row.id,
                    amount_minor=amount.minor,
                    currency=amount.currency,
                    reason=reason.strip(),
                    by_user=supervisor_id,
                    method=method,
                    created_at=datetime.now(UTC),
                )
            )
            new = self._move(change, row, target, refunded_minor=total_refunded.minor)
            change.record(
                "payment.refunded",
                entity="refund",
                entity_id=refund_id,
                details={
                    "payment_id": row.id,
                    "amount_minor": amount.minor,
                    "currency": amount.currency,
                    "status": new.value,
                },
                payload={
                    "refund_id": refund_id,
                    "payment_id": row.id,
                    "amount_minor": amount.minor,
                    "currency": amount.currency,
                    "reason": reason.strip(),
                    "method": method,
                    "status": new.value,
                },
            )
            change.publish(RefundRecorded(refund_id=refund_id, payment_id=row.id, amount=amount))
            view = _view(_load(conn, payment_id), self._cipher)
        return view
