"""The terminal API: pairing, push of outbox events, long-poll pull. Owner actions (test mode,
pairing codes, revoking, parked webhooks) are not here: they need the owner's console or CLI."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid

from fastapi import APIRouter, Request, Response

from sync.protocol import (
    ETIMS_ITEM_CHANGED,
    ETIMS_SIGN_REQUESTED,
    MAX_INT64,
    MAX_PULL_LIMIT,
    MAX_PULL_WAIT_S,
    SMS_RECEIPT_REQUESTED,
    PairRequest,
    PairResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    SeqGap,
)
from sync.providers.phones import mask_payer
from sync.relay.auth import AuthError, TillDep
from sync.relay.context import relay
from sync.relay.errors import error, json_body
from sync.relay.observability import LONG_POLLS, TERMINAL_CALLS
from sync.relay.store.store import utcnow

router = APIRouter(prefix="/api/v1/terminal")


@router.post("/pair")
async def pair(request: Request) -> Response:
    ctx = relay(request)
    parsed = json_body(PairRequest, await request.body(), "pair")
    if isinstance(parsed, Response):
        return parsed
    paired = await ctx.store.run(ctx.store.pair, parsed.pairing_code, parsed.till_name)
    if paired is None:
        return error(404, "unknown, used or expired pairing code", "pair")
    till_id, token, shop = paired
    TERMINAL_CALLS.labels("pair", "200").inc()
    reply = PairResponse(
        terminal_id=uuid.UUID(till_id),
        token=token,
        shop_id=uuid.UUID(shop.id),
        shop_name=shop.name,
        relay_time=utcnow(),
    )
    return Response(reply.model_dump_json(), media_type="application/json")


@router.post("/events")
async def push(request: Request, till: TillDep) -> Response:
    ctx = relay(request)
    parsed = json_body(PushRequest, await request.body(), "push")
    if isinstance(parsed, Response):
        return parsed
    outcome = await ctx.store.run(ctx.store.push, till.id, till.shop_id, list(parsed.events))
    if outcome.gap_expected is not None:
        TERMINAL_CALLS.labels("push", "409").inc()
        body = SeqGap(expected_till_seq=outcome.gap_expected).model_dump_json()
        return Response(body, status_code=409, media_type="application/json")
    TERMINAL_CALLS.labels("push", "200").inc()
    etims_work = {ETIMS_SIGN_REQUESTED, ETIMS_ITEM_CHANGED}
    if ctx.etims_signer is not None and any(e.type in etims_work for e in parsed.events):
        ctx.etims_signer.kick()
    if ctx.sms_sender is not None and any(e.type == SMS_RECEIPT_REQUESTED for e in parsed.events):
        ctx.sms_sender.kick()
    reply = PushResponse(results=outcome.results, next_till_seq=outcome.next_till_seq)
    return Response(reply.model_dump_json(), media_type="application/json")


@router.get("/events")
async def pull(
    request: Request, till: TillDep, after: str = "0", wait: float = 0.0, limit: int = 100
) -> Response:
    ctx = relay(request)
    try:
        cursor = int(after or "0")
    except ValueError:
        return error(422, "bad cursor", "pull")
    in_range = 0 <= cursor <= MAX_INT64 and 1 <= limit <= MAX_PULL_LIMIT
    if not in_range or not 0 <= wait <= MAX_PULL_WAIT_S:
        return error(
            422,
            f"need 0 <= after < 2^63, 1 <= limit <= {MAX_PULL_LIMIT}, "
            f"0 <= wait <= {MAX_PULL_WAIT_S}",
            "pull",
        )
    if cursor > ctx.pulled.get(till.id, 0):  # the till holds everything up to `after`
        await ctx.store.run(ctx.owners.note_pulled, till.id, cursor)
        ctx.pulled[till.id] = cursor
    deadline = time.monotonic() + wait
    LONG_POLLS.inc()
    try:
        while True:
            woken = ctx.hub.waiter(till.shop_id)  # before the read: no lost wake-up
            events = await ctx.store.run(ctx.store.events_after, till.shop_id, cursor, limit)
            etims = await ctx.store.run(ctx.etims.events_after, till.shop_id, cursor, limit)
            sms = await ctx.store.run(ctx.sms.events_after, till.shop_id, cursor, limit)
            remaining = deadline - time.monotonic()
            if events or etims or sms or remaining <= 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    woken.wait(), min(remaining, ctx.settings.long_poll_fallback_s)
                )
            # A revocation wakes the shop's waiters (or another process's, within the
            # fallback): a poll opened before it must not deliver what follows.
            if not await ctx.store.run(ctx.owners.till_active, till.id):
                raise AuthError
    finally:
        LONG_POLLS.dec()
    TERMINAL_CALLS.labels("pull", "200").inc()
    # One sequence, three tables: deliver the first `limit` numbers of them together.
    last = sorted([e.seq for e in events] + [e.seq for e in etims] + [e.seq for e in sms])[:limit]
    upto = last[-1] if last else cursor
    shown = [e.model_copy(update={"payer": mask_payer(e.payer)}) for e in events if e.seq <= upto]
    reply = PullResponse(
        events=shown,
        etims=[e for e in etims if e.seq <= upto],
        sms=[e for e in sms if e.seq <= upto],
        cursor=str(upto),
    )
    # a shop without eTIMS or texts gets the stream's reply exactly as before
    empty = {name for name in ("etims", "sms") if not getattr(reply, name)}
    body = reply.model_dump_json(exclude=empty or None)
    return Response(body, media_type="application/json")
