"""The terminal API's payments: tills start STK pushes and hosted-page links (Paystack,
Flutterwave, Stripe) here and ask their state.

Idempotency: the key (the till's payment id) is claimed in the database before the provider is
called, so concurrent duplicates wait for the first answer instead of prompting twice.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import Row

from sync.protocol import (
    IDEMPOTENCY_HEADER,
    PaymentLinkRequest,
    PaymentState,
    PaystackLinkRequest,
    Provider,
    ProviderErrorInfo,
    RelayPaymentView,
    StkPushRequest,
)
from sync.providers.base import PaymentRequest, ProviderError
from sync.providers.phones import InvalidPhone, mask_msisdn, normalise_msisdn
from sync.relay import idempotency
from sync.relay.auth import Till, TillDep
from sync.relay.context import RelayContext, relay
from sync.relay.credentials import test_mode_of
from sync.relay.errors import error, json_body
from sync.relay.observability import TERMINAL_CALLS
from sync.relay.store.store import utcnow
from sync.relay.webhook_paths import RETURN_PATH, stk_callback_path

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1/terminal/payments")


def view(row: Row[Any]) -> RelayPaymentView:
    return RelayPaymentView(
        payment_id=row.payment_id,
        provider=Provider(row.provider),
        state=PaymentState(row.state),
        amount_minor=row.amount_minor,
        currency=row.currency,
        reference=row.reference,
        test_mode=row.test_mode,
        checkout_request_id=row.checkout_request_id,
        authorization_url=row.authorization_url,
        customer_message=row.customer_message,
        receipt=row.receipt,
        error=ProviderErrorInfo(**row.error) if row.error else None,
        event_seq=row.event_seq,
        updated_at=row.updated_at,
    )


def _error_info(exc: ProviderError) -> dict[str, Any]:
    return {"code": exc.code, "cashier_message": exc.cashier_message, "retryable": exc.retryable}


async def _idempotent(
    request: Request,
    till: Till,
    operation: str,
    model: type[StkPushRequest] | type[PaymentLinkRequest] | type[PaystackLinkRequest],
) -> Response:
    ctx = relay(request)
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if not key or len(key) > 100:
        return error(400, "Idempotency-Key header (the payment id) is required", operation)
    body = await request.body()
    payload = json_body(model, body, operation)
    if isinstance(payload, Response):
        return payload
    payment_id = str(payload.payment_id)

    async def left_behind(first_is_dead: bool) -> dict[str, Any] | None:
        """The payment a first request recorded, once it has an outcome or that request died
        (the relay restarted after asking the provider)."""
        row = await ctx.store.run(ctx.store.payment, payment_id)
        if row is None or row.shop_id != till.shop_id:
            return None
        if row.state == PaymentState.PENDING.value and not first_is_dead:
            return None
        document: dict[str, Any] = json.loads(view(row).model_dump_json())
        return document

    answered = await idempotency.answered(ctx, till, key, body, operation, left_behind)
    if answered is not None:
        return answered
    try:
        if isinstance(payload, StkPushRequest):
            result = await _start_stk(ctx, till, payload)
        elif isinstance(payload, PaymentLinkRequest):
            result = await _start_link(ctx, till, payload)
        else:  # the route tills used before /link
            link = PaymentLinkRequest(**payload.model_dump(), provider=Provider.PAYSTACK)
            result = await _start_link(ctx, till, link)
    except _Unstarted as exc:
        await idempotency.release(ctx, till.shop_id, key)
        return error(exc.status, exc.detail, operation)
    except BaseException:
        await idempotency.release(ctx, till.shop_id, key)
        raise
    document = json.loads(result.model_dump_json())
    await idempotency.finish(ctx, till.shop_id, key, document)
    TERMINAL_CALLS.labels(operation, "200").inc()
    return Response(json.dumps(document), media_type="application/json")


async def _shop(ctx: RelayContext, till: Till) -> Row[Any]:
    shop = await ctx.store.run(ctx.store.shop, till.shop_id)
    assert shop is not None, "a till always belongs to a shop"
    return shop


async def _payment(ctx: RelayContext, payment_id: str) -> Row[Any]:
    row = await ctx.store.run(ctx.store.payment, payment_id)
    assert row is not None, "the payment row was written by this request"
    return row


class _Unstarted(Exception):
    """Nothing reached the customer: the key is released so that a retry may start it."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


@router.post("/mpesa-stk")
async def initiate_stk(request: Request, till: TillDep) -> Response:
    return await _idempotent(request, till, "initiate_mpesa", StkPushRequest)


@router.post("/link")
async def initiate_link(request: Request, till: TillDep) -> Response:
    return await _idempotent(request, till, "initiate_link", PaymentLinkRequest)


@router.post("/paystack-link")
async def initiate_paystack(request: Request, till: TillDep) -> Response:
    """Kept while tills still call it (sync.engine.relay_gateway); /link does the same."""
    return await _idempotent(request, till, "initiate_paystack", PaystackLinkRequest)


async def _start_stk(ctx: RelayContext, till: Till, req: StkPushRequest) -> RelayPaymentView:
    if req.amount_minor % 100:
        raise _Unstarted(422, "M-Pesa takes whole shillings: amount_minor must be whole hundreds")
    try:
        msisdn = normalise_msisdn(req.phone, "KE")
    except InvalidPhone:
        raise _Unstarted(422, "not a Kenyan mobile number") from None
    test_mode = test_mode_of(await _shop(ctx, till), Provider.MPESA)
    client = await ctx.store.run(ctx.credentials.daraja, till.shop_id, test_mode)
    if client is None:
        raise _no_credentials("M-Pesa", test_mode)
    payment_id = str(req.payment_id)
    token = await ctx.store.run(ctx.store.webhook_token, till.shop_id)
    callback = ctx.public_url(stk_callback_path(token, payment_id))
    await _record_pending(
        ctx, till, payment_id, Provider.MPESA, test_mode, ctx.settings.stk_requery_after_s,
        reference=req.account_reference, amount_minor=req.amount_minor, currency=req.currency,
    )  # fmt: skip
    try:
        accepted = await client.stk_push(
            msisdn,
            req.amount_minor,
            req.account_reference,
            req.description or req.account_reference,
            callback,
        )
    except ProviderError as exc:
        await _not_started(ctx, payment_id, exc)
    else:
        await ctx.store.run(
            ctx.store.update_payment,
            payment_id,
            checkout_request_id=accepted.checkout_request_id,
            customer_message=accepted.customer_message[:200],
        )
    log.info("STK push for payment %s to %s", payment_id, mask_msisdn(msisdn))
    return view(await _payment(ctx, payment_id))


async def _start_link(ctx: RelayContext, till: Till, req: PaymentLinkRequest) -> RelayPaymentView:
    provider = req.provider
    test_mode = test_mode_of(await _shop(ctx, till), provider)
    client = await ctx.store.run(ctx.credentials.client, till.shop_id, provider, test_mode)
    if client is None:
        raise _no_credentials(provider.value.capitalize(), test_mode)
    payment_id = str(req.payment_id)
    currency = req.currency.upper()
    await _record_pending(
        ctx, till, payment_id, provider, test_mode, ctx.settings.paystack_verify_after_s,
        reference=req.reference, amount_minor=req.amount_minor, currency=currency,
    )  # fmt: skip
    try:
        started = await client.initialize_payment(
            PaymentRequest(
                reference=req.reference,
                amount_minor=req.amount_minor,
                currency=currency,
                callback_url=ctx.public_url(RETURN_PATH),
                email=req.email,
                metadata={"payment_id": payment_id},
                # a resend after a lost reply gets the same checkout (Stripe honours it)
                idempotency_key=f"duka-link-{payment_id}",
            )
        )
    except ProviderError as exc:
        await _not_started(ctx, payment_id, exc)
    else:
        await ctx.store.run(
            ctx.store.update_payment,
            payment_id,
            authorization_url=started.checkout_url,
            provider_reference=(
                None if started.provider_reference == req.reference else started.provider_reference
            ),
            customer_message=started.customer_message and started.customer_message[:200],
        )
    return view(await _payment(ctx, payment_id))


def _no_credentials(provider: str, test_mode: bool) -> _Unstarted:
    mode = "test" if test_mode else "live"
    return _Unstarted(409, f"the shop has no {provider} {mode} credentials on the relay")


async def _record_pending(
    ctx: RelayContext,
    till: Till,
    payment_id: str,
    provider: Provider,
    test_mode: bool,
    check_after_s: float,
    **fields: Any,
) -> None:
    """The attempt, before the provider is asked: a crash after asking still leaves a row
    for PaymentChecker to ask about after `check_after_s`."""
    inserted = await ctx.store.run(
        ctx.store.insert_payment,
        payment_id=payment_id,
        shop_id=till.shop_id,
        till_id=till.id,
        provider=provider.value,
        test_mode=test_mode,
        state=PaymentState.PENDING.value,
        next_check_at=utcnow() + timedelta(seconds=check_after_s),
        **fields,
    )
    if not inserted:  # payment ids are the tills' UUIDs: a reuse is a client's mistake
        raise _Unstarted(409, "this payment id is already used")


async def _not_started(ctx: RelayContext, payment_id: str, exc: ProviderError) -> None:
    """The provider was not reached (retryable: nothing was sent, so the attempt is forgotten
    and the till may ask again, 502) or refused (kept as the payment's error)."""
    if exc.retryable:
        await ctx.store.run(ctx.store.delete_payment, payment_id)
        raise _Unstarted(502, exc.cashier_message) from None
    log.info("starting payment %s refused: %s", payment_id, exc.code)
    await ctx.store.run(
        ctx.store.update_payment,
        payment_id,
        state=PaymentState.ERROR.value,
        error=_error_info(exc),
        next_check_at=None,
    )


@router.get("/{payment_id}")
async def payment_state(request: Request, payment_id: str, till: TillDep) -> Response:
    ctx = relay(request)
    row = await ctx.store.run(ctx.store.payment, payment_id)
    if row is None or row.shop_id != till.shop_id:
        return error(404, "unknown payment", "payment_state")
    late = row.next_check_at is not None and row.next_check_at <= utcnow()
    if row.state == PaymentState.PENDING.value and late and ctx.checker is not None:
        await ctx.checker.check(row)
        row = await _payment(ctx, payment_id)
    TERMINAL_CALLS.labels("payment_state", "200").inc()
    return Response(view(row).model_dump_json(), media_type="application/json")
