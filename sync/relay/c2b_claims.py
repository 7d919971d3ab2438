"""One shop, one claim: a till asks for an unmatched C2B payment (a supervisor matched it to
a sale); the relay grants each payment to one till only and tells the next who has it."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from sync.protocol import C2BClaimRequest, C2BClaimView
from sync.relay.auth import TillDep
from sync.relay.context import relay
from sync.relay.errors import error, json_body
from sync.relay.observability import TERMINAL_CALLS

router = APIRouter(prefix="/api/v1/terminal/c2b")
OPERATION = "claim_c2b"


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
