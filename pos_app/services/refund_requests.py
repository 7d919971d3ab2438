"""Refunds the relay makes for the till (Paystack, Flutterwave, Stripe): recorded before the
relay is asked, so a customer is never refunded without the till knowing.

1. One transaction records the refund as `pending` with its request id (the relay's
   idempotency key), its outbox event and audit entry; it refuses more than was paid and not
   yet refunded or already asked for (pos_app.services.refundable).
2. The relay is asked with that request id (asking again can never refund twice).
3. One transaction marks it `done` (the payment moves to refunded / partially refunded) or
   `failed` (the relay or the provider refused it: the amount can be asked for again).

No answer (relay unreachable, reply lost, till stopped): the refund stays pending and
`RelayRefunds.retry_pending` (run by the sync engine's scheduler) asks again with the same
request id until it settles.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import select, update

from pos_app.core.errors import DukaError, InvalidInput, PaymentError
from pos_app.core.events import RefundRecorded
from pos_app.core.money import Money
from pos_app.services.bus import EventBus
from pos_app.services.gateway import (
    GatewayInProgress,
    GatewayRejected,
    GatewayUnavailable,
    OnlineGateway,
)
from pos_app.services.grants import Action, Grant, actor
from pos_app.services.payment_rows import load_payment, move
from pos_app.services.refundable import PENDING as PENDING  # a refund state, as DONE, FAILED
from pos_app.services.refundable import check_refund, status_after_refund
from pos_app.services.unit import ledger_change
from pos_app.services.users import authorise
from pos_app.store.db import Ledger
from pos_app.store.schema import refunds

log = logging.getLogger(__name__)

DONE: Final = "done"
FAILED: Final = "failed"


class RefundPending(PaymentError):
    """Asked for and recorded, but the provider's answer did not arrive: sent again by itself."""

    def __init__(self) -> None:
        super().__init__(
            "The refund is recorded as requested, but the relay did not answer. The till asks "
            "again by itself with the same request (it can never refund twice)."
        )


@dataclass(frozen=True, slots=True)
class RefundRequest:
    refund_id: str
    request_id: str
    payment_id: str
    amount: Money
    reason: str
    status: str
    method: str  # how it goes back: refunds.RefundMethod's value (paystack_refund...)


def _request_of(row: Any) -> RefundRequest:
    return RefundRequest(
        refund_id=row.id,
        request_id=row.request_id,
        payment_id=row.payment_id,
        amount=Money(row.amount_minor, row.currency),
        reason=row.reason,
        status=row.status,
        method=row.method,
    )


class RelayRefunds:
    def __init__(
        self, ledger: Ledger, bus: EventBus, gateway: Callable[[], OnlineGateway | None]
    ) -> None:
        self._ledger = ledger
        self._bus = bus
        self._gateway = gateway

    # --- 1. record the request ------------------------------------------------------------
    def request(
        self,
        payment_id: str,
        amount: Money,
        reason: str,
        *,
        method: str,
        grant: Grant,
        request_id: str | None = None,
    ) -> RefundRequest:
        """Record the refund as pending (one transaction); `method` is how it goes back
        (refunds.RefundMethod's value for the payment's provider). The same `request_id` again
        is the same refund: pending or done, it is returned as it is; failed, it is asked for
        anew."""
        request_id = request_id or str(uuid.uuid4())
        with ledger_change(self._ledger, self._bus, actor(grant)) as change:
            conn = change.conn
            supervisor_id = authorise(conn, grant, Action.REFUND).id
            existing = conn.execute(
                select(refunds).where(refunds.c.request_id == request_id)
            ).first()
            if existing is not None and (
                existing.payment_id != payment_id
                or Money(existing.amount_minor, existing.currency) != amount
            ):
                raise InvalidInput("This request id belongs to another refund.")
            if existing is not None and existing.status != FAILED:
                change.nothing_changed()
                return _request_of(existing)
            row = load_payment(conn, payment_id)
            check_refund(conn, row, amount)
            refund_id = existing.id if existing is not None else str(uuid.uuid4())
            if existing is None:
                conn.execute(
                    refunds.insert().values(
                        id=refund_id,
                        payment_id=payment_id,
                        amount_minor=amount.minor,
                        currency=amount.currency,
                        reason=reason,
                        by_user=supervisor_id,
                        method=method,
                        created_at=datetime.now(UTC),
                        status=PENDING,
                        request_id=request_id,
                    )
                )
            else:
                conn.execute(
                    update(refunds)
                    .where(refunds.c.id == refund_id)
                    .values(status=PENDING, reason=reason, by_user=supervisor_id)
                )
            change.record(
                "refund.requested",
                entity="refund",
                entity_id=refund_id,
                details={
                    "payment_id": payment_id,
                    "amount_minor": amount.minor,
                    "currency": amount.currency,
                    "request_id": request_id,
                },
                payload={
                    "refund_id": refund_id,
                    "request_id": request_id,
                    "payment_id": payment_id,
                    "amount_minor": amount.minor,
                    "currency": amount.currency,
                    "reason": reason,
                    "method": method,
                    "status": PENDING,
                },
            )
            stored = conn.execute(select(refunds).where(refunds.c.id == refund_id)).one()
        return _request_of(stored)

    # --- 2. ask the relay, 3. settle ------------------------------------------------------
    def send(self, request: RefundRequest, *, actor_id: str | None) -> str:
        """Ask the relay (idempotent on the request id) and settle the refund: returns its
        status. Raises RefundPending when no answer came, GatewayRejected when refused."""
        if request.status != PENDING:
            return request.status
        gateway = self._gateway()
        if gateway is None:
            raise RefundPending()
        try:
            gateway.refund_payment(
                request.payment_id, request.amount, request.reason, refund_id=request.request_id
            )
        except GatewayInProgress:  # outcome unknown: a "failed" here could refund twice
            raise RefundPending() from None
        except GatewayRejected as exc:
            self._settle(request, FAILED, actor_id, error=type(exc).__name__)
            raise
        except GatewayUnavailable:
            raise RefundPending() from None
        return self._settle(request, DONE, actor_id)

    def _settle(
        self, request: RefundRequest, outcome: str, actor_id: str | None, error: str | None = None
    ) -> str:
        """Pending -> done (the payment moves) or failed (the amount is free again), once."""
        with ledger_change(self._ledger, self._bus, actor_id) as change:
            conn = change.conn
            moved = conn.execute(
                update(refunds)
                .where(refunds.c.id == request.refund_id, refunds.c.status == PENDING)
                .values(status=outcome)
            )
            if moved.rowcount != 1:  # settled meanwhile (the screen and the scheduler raced)
                change.nothing_changed()
                return str(
                    conn.execute(
                        select(refunds.c.status).where(refunds.c.id == request.refund_id)
                    ).scalar_one()
                )
            amount = request.amount
            common = {
                "refund_id": request.refund_id,
                "request_id": request.request_id,
                "payment_id": request.payment_id,
                "amount_minor": amount.minor,
                "currency": amount.currency,
            }
            if outcome == FAILED:
                change.record(
                    "refund.failed",
                    entity="refund",
                    entity_id=request.refund_id,
                    details={**_details(common), "error": error},
                    payload={**common, "status": FAILED},
                )
                return FAILED
            row = load_payment(conn, request.payment_id)
            total = row.refunded_minor + amount.minor
            new = move(change, row, status_after_refund(row, total), refunded_minor=total)
            change.record(
                "payment.refunded",
                entity="refund",
                entity_id=request.refund_id,
                details={**_details(common), "status": new.value},
                payload={
                    **common,
                    "reason": request.reason,
                    "method": request.method,
                    "status": new.value,
                },
            )
            change.publish(
                RefundRecorded(
                    refund_id=request.refund_id, payment_id=request.payment_id, amount=amount
                )
            )
        return DONE

    # --- after a lost answer or a restart -------------------------------------------------
    def pending(self) -> list[RefundRequest]:
        with self._ledger.read() as conn:
            rows = conn.execute(
                select(refunds).where(refunds.c.status == PENDING).order_by(refunds.c.created_at)
            )
            return [_request_of(r) for r in rows]

    def retry_pending(self) -> int:
        """Ask the relay again about every pending refund, each with its own request id;
        returns how many settled (done or failed). Meant for a scheduler job."""
        settled = 0
        for request in self.pending():
            try:
                self.send(request, actor_id=None)
            except RefundPending:
                break  # the relay is not answering: the next run tries again
            except DukaError as exc:
                log.info("relay refund %s refused: %s", request.refund_id, exc.message)
                settled += 1
            else:
                settled += 1
        return settled


def _details(payload: dict[str, Any]) -> dict[str, Any]:
    """The audit log's copy: ids and amounts only."""
    return {k: v for k, v in payload.items() if k != "refund_id"}
