"""The one refund path for a paid hosted-page payment (Paystack, Flutterwave, Stripe), shared
by the terminal API (a till, within the owner's refund limit) and the owner's console (above
it)."""

from __future__ import annotations

import json

from fastapi import Response

from sync.protocol import LINK_PROVIDERS, PaymentState, Provider, RefundView, RelayRefundRequest
from sync.providers.base import ProviderError
from sync.relay import idempotency
from sync.relay.auth import Till
from sync.relay.context import RelayContext
from sync.relay.errors import error
from sync.relay.observability import TERMINAL_CALLS

OPERATION = "refund"


async def refund_payment(
    ctx: RelayContext,
    till: Till,
    payment_id: str,
    parsed: RelayRefundRequest,
    body: bytes,
    key: str,
    owner: str | None = None,
) -> Response:
    """One refund of a paid hosted-page payment of `till`'s shop, idempotent on `key`: for a
    till (within the owner's limit) and for the owner's console (above it) alike. An owner's
    refund is audited under `owner` when the provider took it (not again for a repeat)."""
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
    if owner is not None:
        await ctx.store.run(ctx.owners.audit_action, till.shop_id, owner, "owner_refund", document)
    await idempotency.finish(ctx, till.shop_id, scoped, document)
    TERMINAL_CALLS.labels(OPERATION, "200").inc()
    return Response(json.dumps(document), media_type="application/json")
