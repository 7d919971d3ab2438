"""Refunds of hosted-page payments (Paystack, Flutterwave, Stripe) a till initiated: the relay
holds the secret keys, so the till asks here. Idempotent on the refund id, which is also
Stripe's Idempotency-Key (Paystack and Flutterwave themselves would refund twice)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from sync.protocol import IDEMPOTENCY_HEADER, RelayRefundRequest
from sync.relay.auth import TillDep
from sync.relay.context import relay
from sync.relay.errors import error, json_body
from sync.relay.refunding import OPERATION, refund_payment

router = APIRouter(prefix="/api/v1/terminal/payments")


@router.post("/{payment_id}/refund")
async def refund(request: Request, payment_id: str, till: TillDep) -> Response:
    ctx = relay(request)
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if not key or len(key) > 100:
        return error(400, "Idempotency-Key header (the refund id) is required", OPERATION)
    body = await request.body()
    parsed = json_body(RelayRefundRequest, body, OPERATION)
    if isinstance(parsed, Response):
        return parsed
    limit = await ctx.store.run(ctx.owners.refund_limit, till.shop_id)
    if limit is not None and parsed.amount_minor > limit:
        return error(403, "a refund this large needs the shop's owner", OPERATION)
    return await refund_payment(ctx, till, payment_id, parsed, body, key)
