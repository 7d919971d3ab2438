"""Refunds of hosted-page payments (Paystack, Flutterwave, Stripe) a till initiated: the relay
holds the secret keys, so the till asks here. Idempotent on the refund id, which is also
Stripe's Idempotency-Key (Paystack and Flutterwave themselves would refund twice)."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request, Response

from sync.protocol import (
    IDEMPOTENCY_HEADER,
    LINK_PROVIDERS,
    PaymentState,
    Provider,
    RefundView,
    RelayRefundRequest,
)
from sync.providers.base import ProviderError
from sync.relay import idempotency
from sync.relay.auth import TillDep
from sync.relay.context import relay
from sync.relay.errors import error, json_body
from sync.relay.observability import TERMINAL_CALLS

router = APIRouter(prefix="/api/v1/terminal/payments")
OPERATION = "refund"


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
    row = await ctx.store.run(ctx.store.payment, payment_id)
    if row is None or row.shop_id != till.shop_id:
        return error(404, "unknown payment", OPERATION)
    provider = Provider(row.provider)
    if provider not in LINK_PROVIDERS or row.state != PaymentState.PAID.value:
        return error(409, "only paid card or hosted-page payments can be refunded here",
                     OPERATION)  # fmt: skip
    if parsed.currency.upper() != row.currency or parsed.amount_minor > row.amount_minor:
        return error(422, "the refund is larger than the payment or in another currency",
                     OPERATION)  # fmt: skip
    scoped = f"refund:{key}"
    answered = await idempotency.answered(ctx, till, scoped, body, OPERATION)
    if answered is not None:
        return answered
    try:
        client = await ctx.store.run(ctx.credentials.client, till.shop_id, provider, row.test_mode)
        if client is None:
            await idempotency.release(ctx, till.shop_id, scoped)
            return error(409, f"the shop has no {provider.value} credentials for this "
                         "payment's mode", OPERATION)  # fmt: skip
        result = await client.refund_payment(
            row.provider_reference or row.reference,
            parsed.amount_minor,
            currency=row.currency,
            idempotency_key=f"duka-refund-{key}",
        )
    except ProviderError as exc:
        if exc.retryable:  # the provider did not get it: the same key may try again
            await idempotency.release(ctx, till.shop_id, scoped)
            return error(502, exc.cashier_message, OPERATION)
        # refused, nothing refunded: asking again is harmless and gets the same answer
        await idempotency.release(ctx, till.shop_id, scoped)
        return error(422, exc.cashier_message, OPERATION)
    except BaseException:
        await idempotency.release(ctx, till.shop_id, scoped)
        raise
    view = RefundView(
        payment_id=row.payment_id,
        refund_id=parsed.refund_id,
        amount_minor=result.amount_minor or parsed.amount_minor,
        currency=result.currency or row.currency,
        status=result.status,
        provider_refund_id=result.refund_id,
    )
    document = json.loads(view.model_dump_json())
    await idempotency.finish(ctx, till.shop_id, scoped, document)
    TERMINAL_CALLS.labels(OPERATION, "200").inc()
    return Response(json.dumps(document), media_type="application/json")
