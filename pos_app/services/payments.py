"""PaymentService: every way money reaches (or leaves) the till, each one ledger transaction.

Operations follow the product guide (create_payment, process_payment,
submit_manual_payment_proof, confirm_manual_payment, is_transaction_processed) plus the
counter's own: cash sales with change, cash on delivery, provider outcomes pulled from the
relay (apply_provider_event), supervisor resolution of unknown outcomes, refunds.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import select, update

from pos_app.core.errors import (
    InsufficientTender,
    InvalidAmount,
    InvalidInput,
    NotASupervisor,
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
from pos_app.core.money import Money
from pos_app.core.orders import Order, OrderStatus
from pos_app.core.payments import (
    MANUAL_METHODS,
    PAID_STATUSES,
    PROVIDER_OF_METHOD,
    STARTED_ONLINE,
    PaymentMethod,
    PaymentProvider,
    ProofType,
    initial_status,
    transition,
)
from pos_app.core.risk import RiskAssessment, single
from pos_app.services import customers, etims_invoices, orders, risk
from pos_app.services.bus import EventBus
from pos_app.services.customers import CustomerDetails
from pos_app.services.grants import Action, Grant, actor
from pos_app.services.payment_outcomes import ApplyOutcome, ProviderOutcomes
from pos_app.services.payment_rows import (
    COLLECTED_BY,
    RECEIPT,
    CashSale,
    PaymentView,
    ProofView,
    S,
    audit_summary,
    check_amount_against_order,
    insert_payment,
    load_payment,
    money_of,
    move,
    payment_view,
)
from pos_app.services.refundable import check_refund, status_after_refund
from pos_app.services.shop import load_settings
from pos_app.services.unit import Change, ledger_change
from pos_app.services.users import authorise
from pos_app.store.crypto import FieldCipher
from pos_app.store.db import Ledger
from pos_app.store.schema import NEEDS_ATTENTION, inbox, payments, proofs, refunds

__all__ = ["ApplyOutcome", "CashSale", "PaymentService", "PaymentView", "ProofView"]

MAX_PROOF_IMAGE_BYTES: Final = 5 * 1024 * 1024
COLLECTOR_LENGTH: Final = 80  # a name, not a story


class PaymentService:
    """The product guide's operations plus the counter's own (see the module docstring).
    Provider outcomes are a service of their own, composed: `outcomes`."""

    def __init__(self, ledger: Ledger, bus: EventBus) -> None:
        self._ledger = ledger
        self._bus = bus
        self.outcomes = ProviderOutcomes(ledger, bus)

    @property
    def _cipher(self) -> FieldCipher:
        return self._ledger.cipher

    # --- reading --------------------------------------------------------------------------
    def get_payment(self, payment_id: str) -> PaymentView:
        with self._ledger.read() as conn:
            return payment_view(load_payment(conn, payment_id), self._cipher)

    def payments_for_order(self, order_id: str) -> list[PaymentView]:
        with self._ledger.read() as conn:
            rows = conn.execute(
                select(payments)
                .where(payments.c.order_id == order_id)
                .order_by(payments.c.created_at)
            )
            return [payment_view(r, self._cipher) for r in rows]

    def needing_supervisor(self, limit: int = 100) -> list[PaymentView]:
        """Flagged payments, unknown outcomes and proofs waiting for a decision."""
        with self._ledger.read() as conn:
            rows = conn.execute(
                select(payments)
                .where(NEEDS_ATTENTION)  # the exact WHERE of the partial index
                .order_by(payments.c.created_at)
                .limit(limit)
            )
            return [payment_view(r, self._cipher) for r in rows]

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
            return [payment_view(r, self._cipher) for r in rows]

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
        money = money_of(amount, currency)
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
            check_amount_against_order(change.conn, order_id, money)
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
            payment_id = insert_payment(
                change,
                order_id=order_id,
                amount=money,
                method=method,
                status=status,
                customer_id=customer_id,
                created_by=created_by,
                test_mode=test_mode,
            )
            details = {
                "order_id": order_id,
                "method": method.value,
                "amount_minor": money.minor,
                "currency": money.currency,
                "status": status.value,
            }
            change.record(
                "payment.created",
                entity="payment",
                entity_id=payment_id,
                details=details,
                payload={
                    **details,
                    "payment_id": payment_id,
                    "provider": PROVIDER_OF_METHOD[method].value,
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
            view = payment_view(load_payment(change.conn, payment_id), self._cipher)
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
        STK / hosted links go to `initiating` (the relay is asked; provider_data holds
        "phone_number" / "email", stored encrypted)."""
        data = dict(provider_data or {})
        with ledger_change(self._ledger, self._bus, actor_id) as change:
            row = load_payment(change.conn, payment_id)
            method = PaymentMethod(row.method)
            amount = Money(row.amount_minor, row.currency)
            if method is PaymentMethod.CASH:
                tendered = Money(data.get("tendered_minor", amount.minor), row.currency)
                if tendered < amount:
                    raise InsufficientTender(
                        f"{tendered.format()} handed over is less than {amount.format()}."
                    )
                new = move(
                    change,
                    row,
                    S.SUCCEEDED,
                    tendered_minor=tendered.minor,
                    change_minor=(tendered - amount).minor,
                )
                payload: dict[str, Any] = {"payment_id": row.id, "status": new.value}
            elif method in STARTED_ONLINE:
                if method is PaymentMethod.MPESA_STK:
                    phone = str(data.get("phone_number") or "")
                    if not phone.strip():
                        raise InvalidInput("An M-Pesa prompt needs the customer's phone number.")
                    region = customers.region_for(row.currency)
                    data["phone_number"] = customers.normalised_phone(phone, region)
                blob = self._cipher.encrypt(
                    json.dumps(data, sort_keys=True), "payments", "provider_data_ct", row.id
                )
                new = move(change, row, S.INITIATING, provider_data_ct=blob)
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
                details=audit_summary(row, new.value),
                payload=payload,
            )
            view = payment_view(load_payment(change.conn, payment_id), self._cipher)
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
            move(change, row, S.AWAITING_VERIFICATION)
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
            row = load_payment(conn, payment_id)
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
        check_amount_against_order(conn, order_id, money)
        method = (
            PaymentMethod.BANK_TRANSFER
            if kind is ProofType.BANK_TRANSFER
            else PaymentMethod.MANUAL_MOBILE_MONEY
        )
        new_id = insert_payment(
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
        return load_payment(conn, new_id)

    def confirm_manual_payment(
        self, payment_id: str, grant: Grant, is_verified: bool, notes: str | None = None
    ) -> PaymentView:
        """A supervisor's decision on the proof of a payment awaiting verification. With the
        shop policy "cashier_may_accept_below_threshold" a cashier may decide too, for a
        payment nobody flagged and whose risk score is under the shop's threshold."""
        with ledger_change(self._ledger, self._bus, actor(grant)) as change:
            conn = change.conn
            decider = authorise(conn, grant, Action.DECIDE_PAYMENT)
            admin_id = decider.id
            row = load_payment(conn, payment_id)
            if not decider.is_supervisor:
                shop = load_settings(conn)
                if (
                    shop.offline_proof_policy != "cashier_may_accept_below_threshold"
                    or row.needs_supervisor
                    or row.risk_score >= shop.risk_threshold
                ):
                    raise NotASupervisor()
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
            new = move(change, row, target, **extra)
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
            view = payment_view(load_payment(conn, payment_id), self._cipher)
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
        approved_by: Grant | None = None,
    ) -> CashSale:
        """A whole cash sale in one commit: the order (when given as a draft, with its receipt
        number; `approved_by` for a discount above the shop's percent), the payment for what
        it owes, the change to hand back, outbox and audit."""
        with ledger_change(self._ledger, self._bus, cashier_id) as change:
            conn = change.conn
            payload: dict[str, Any] = {}
            if isinstance(order, Order):
                shift = shift_id or orders.current_shift_id(conn)
                # the payment below covers the whole draft: the order is born paid
                order_id = orders.insert_order(
                    change, order, cashier_id=cashier_id, shift_id=shift, status=OrderStatus.PAID,
                    approved_by=approved_by,
                )
                amount = order.total
                payload["order"] = orders.order_payload(conn, order_id, order)
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
            payment_id = insert_payment(
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
            etims_invoices.sale_completed(change, order_id)
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

    def settle_cod(
        self,
        payment_id: str,
        collected: Money,
        *,
        actor_id: str | None,
        collected_by: str | None = None,
    ) -> PaymentView:
        """The rider brought the cash. A different amount is flagged, never taken as paid.
        `collected_by` (who brought it, e.g. the rider's name) is optional and stored
        encrypted; the signed-in user (`actor_id`) is the one who received it."""
        collected.require_positive("The cash collected")
        by = " ".join((collected_by or "").split())
        if len(by) > COLLECTOR_LENGTH:
            raise InvalidInput(
                f"The name of who collected the cash is at most {COLLECTOR_LENGTH} characters."
            )
        with ledger_change(self._ledger, self._bus, actor_id) as change:
            row = load_payment(change.conn, payment_id)
            if row.method != PaymentMethod.CASH_ON_DELIVERY:
                raise PaymentError("Only a cash-on-delivery payment is settled this way.")
            transition(row.status, S.SUCCEEDED)
            expected = Money(row.amount_minor, row.currency)
            collector = (
                {"collected_by_ct": self._cipher.encrypt(by, "payments", COLLECTED_BY, row.id)}
                if by
                else {}
            )
            received = {
                "paid_amount_minor": collected.minor,
                "paid_currency": collected.currency,
                **collector,
            }
            if collected.currency != expected.currency or collected.minor != expected.minor:
                change.conn.execute(
                    update(payments).where(payments.c.id == row.id).values(**received)
                )
                change.record(
                    "payment.cod_mismatch",
                    entity="payment",
                    entity_id=row.id,
                    details={
                        "expected_minor": expected.minor,
                        "collected_minor": collected.minor,
                        "collected_currency": collected.currency,
                        "collector_named": bool(by),
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
                new = move(change, row, S.SUCCEEDED, **received)
                change.record(
                    "payment.cod_settled",
                    entity="payment",
                    entity_id=row.id,
                    # the name itself is personal data: the audit says only that one was given
                    details={**audit_summary(row, new.value), "collector_named": bool(by)},
                    payload={"payment_id": row.id, "status": new.value},
                )
            view = payment_view(load_payment(change.conn, payment_id), self._cipher)
        return view

    def cancel_payment(self, payment_id: str, *, actor_id: str | None, reason: str) -> PaymentView:
        """Cancel a payment still open (COD not delivered, prompt abandoned, ...)."""
        with ledger_change(self._ledger, self._bus, actor_id) as change:
            row = load_payment(change.conn, payment_id)
            new = move(change, row, S.CANCELLED)
            change.record(
                "payment.cancelled",
                entity="payment",
                entity_id=row.id,
                details={**audit_summary(row, new.value), "reason": reason},
                payload={"payment_id": row.id, "status": new.value, "reason": reason},
            )
            view = payment_view(load_payment(change.conn, payment_id), self._cipher)
        return view

    cancel_cod = cancel_payment

    # --- refunds ---------------------------------------------------------------------------
    def refund(
        self,
        payment_id: str,
        amount: Money,
        reason: str,
        *,
        grant: Grant,
        method: str = PaymentMethod.CASH.value,
    ) -> PaymentView:
        """Give money back on a paid payment (a supervisor's REFUND grant); partial refunds
        add up, up to what is left (pos_app.services.refundable)."""
        amount.require_positive("A refund")
        if not reason.strip():
            raise InvalidInput("Say why the money is given back.")
        with ledger_change(self._ledger, self._bus, actor(grant)) as change:
            supervisor_id = authorise(change.conn, grant, Action.REFUND).id
            record_refund(change, payment_id, amount, reason.strip(), supervisor_id, method)
            view = payment_view(load_payment(change.conn, payment_id), self._cipher)
        return view


def record_refund(
    change: Change, payment_id: str, amount: Money, reason: str, supervisor_id: str, method: str
) -> str:
    """Inside `change`: the refund row of `amount` given back on a paid payment (no more than
    is left: pos_app.services.refundable), its audit entry and outbox event; its id."""
    conn = change.conn
    row = load_payment(conn, payment_id)
    check_refund(conn, row, amount)
    total_refunded = Money(row.refunded_minor, row.currency) + amount
    target = status_after_refund(row, total_refunded.minor)
    refund_id = str(uuid.uuid4())
    conn.execute(
        refunds.insert().values(
            id=refund_id,
            payment_id=row.id,
            amount_minor=amount.minor,
            currency=amount.currency,
            reason=reason,
            by_user=supervisor_id,
            method=method,
            created_at=datetime.now(UTC),
        )
    )
    new = move(change, row, target, refunded_minor=total_refunded.minor)
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
            "reason": reason,
            "method": method,
            "status": new.value,
        },
    )
    change.publish(RefundRecorded(refund_id=refund_id, payment_id=row.id, amount=amount))
    return refund_id
