"""C2B at the till: what Daraja reported for a sale's account reference (a claim until M-Pesa
confirms it), and one shop, one claim: a till asks for an unmatched C2B payment (a supervisor
matched it to a sale); the relay grants each payment to one till only and tells the next who
has it."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request, Response

from sync.protocol import (
    C2BClaimRequest,
    C2BClaimView,
    C2BReceived,
    C2BReceivedList,
    C2BReceivedState,
)
from sync.relay.auth import TillDep
from sync.relay.context import relay
from sync.relay.errors import error, json_body
from sync.relay.observability import TERMINAL_CALLS
from sync.relay.store.store import utcnow

router = APIRouter(prefix="/api/v1/terminal/c2b")
OPERATION = "claim_c2b"
RECEIVED = "c2b_received"
RECEIVED_FOR = timedelta(days=1)  # a paybill screen is about today's sale
# the relay's claim states, in the words the till shows
STATES: dict[str, C2BReceivedState] = {
    "claimed": "confirming",
    "confirmed": "confirmed",
    "refused": "refused",
}


@router.post("/claims")
async def claim(request: Request, till: TillDep) -> Response:
    ctx = relay(request)
    body = json_body(C2BClaimRequest, await request.body(), OPERATION)
    if isinstance(body, Response):
        return body
    found = await ctx.store.run(
        ctx.store.claim_c2b_payment, till.shop_id, till.id, body.receipt, body.supervisor
    )
    if found is None:
        return error(404, "no confirmed M-Pesa payment with this receipt", OPERATION)
    grant, till_name = found
    view = C2BClaimView(
        receipt=grant.receipt,
        till_id=grant.till_id,
        till_name=till_name,
        granted_at=grant.granted_at,
        how=grant.how,
    )
    status = 200 if grant.till_id == till.id else 409  # 409: another till has it (see body)
    TERMINAL_CALLS.labels(OPERATION, str(status)).inc()
    return Response(view.model_dump_json(), status_code=status, media_type="application/json")


@router.get("/received")
async def received(request: Request, till: TillDep, reference: str = "") -> Response:
    """What Daraja reported for this account reference: the paybill screen says "received,
    confirming with M-Pesa" before the paid event arrives, or that M-Pesa refused it."""
    ctx = relay(request)
    if not 1 <= len(reference.strip()) <= 120:
        return error(422, "reference: 1 to 120 characters", RECEIVED)
    since = utcnow() - RECEIVED_FOR
    rows = await ctx.store.run(ctx.store.c2b_received, till.shop_id, reference, since)
    reply = C2BReceivedList(
        received=[
            C2BReceived(
                amount_minor=row.amount_minor,
                currency=row.currency,
                state=STATES[row.state],
                received_at=row.created_at,
                test_mode=row.test_mode,
            )
            for row in rows
        ]
    )
    TERMINAL_CALLS.labels(RECEIVED, "200").inc()
    return Response(reply.model_dump_json(), media_type="application/json")
