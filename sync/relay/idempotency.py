"""Idempotency-Key claims shared by every terminal call that talks to a provider."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Response

from sync.protocol import ErrorCode
from sync.relay.auth import Till
from sync.relay.context import RelayContext
from sync.relay.errors import error
from sync.relay.observability import TERMINAL_CALLS
from sync.relay.store.store import request_hash, utcnow

WAIT_FOR_FIRST_S = 30.0
# A waiting duplicate is woken in-process when the first request finishes; it looks at the
# database this often too, for a first request running in another relay process.
LOOK_EVERY_S = 0.5
# Longer than any provider call with its retries: a key still running after this belongs to a
# request that died (the relay restarted under it).
FIRST_REQUEST_DEAD_AFTER_S = 120.0

# Given "the first request is dead", the answer the key should have had (from what the first
# request left behind), or None when there is none to give.
Recover = Callable[[bool], Awaitable[dict[str, Any] | None]]


def _hub_name(shop_id: str, key: str) -> str:
    return f"idempotency:{shop_id}:{key}"


async def claim(
    ctx: RelayContext,
    shop_id: str,
    key: str,
    till_id: str,
    digest: str,
    settled: Callable[[], Awaitable[dict[str, Any] | None]] | None = None,
) -> tuple[str, dict[str, Any] | None]:
    """Claim `key` for this request. A concurrent duplicate waits (up to 30 s) for the first
    request's answer instead of calling the provider again, holding no transaction while it
    waits; `settled` may find that answer sooner, in what the first request left behind (the
    payment has its outcome though that request never finished). -> ("new"|"done"|"running"|
    "conflict"|"settled", first response or None); see Store.claim_idempotency_key."""
    store = ctx.store
    state, response = await store.run(store.claim_idempotency_key, shop_id, key, till_id, digest)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_FOR_FIRST_S
    while state == "running" and loop.time() < deadline:
        woken = ctx.hub.waiter(_hub_name(shop_id, key))  # before the read: no lost wake-up
        state, response, _ = await store.run(store.idempotency_key_state, shop_id, key, digest)
        if state == "gone":  # released: the provider never got the first one; this one may
            state, response = await store.run(
                store.claim_idempotency_key, shop_id, key, till_id, digest
            )
        if state == "running" and settled is not None:
            # Asked once, not on every look: hundreds of waiting duplicates must not each
            # read the payment twice a second.
            document = await settled()
            if document is not None:
                return "settled", document
            settled = None
        if state == "running":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), LOOK_EVERY_S)
    return state, response


async def finish(ctx: RelayContext, shop_id: str, key: str, document: dict[str, Any]) -> None:
    await ctx.store.run(ctx.store.finish_idempotency_key, shop_id, key, document)
    ctx.hub.wake(_hub_name(shop_id, key))


async def release(ctx: RelayContext, shop_id: str, key: str) -> None:
    """The provider certainly did not get the request: a retry (or a waiting duplicate) may
    own the key."""
    await ctx.store.run(ctx.store.release_idempotency_key, shop_id, key)
    ctx.hub.wake(_hub_name(shop_id, key))


async def answered(
    ctx: RelayContext,
    till: Till,
    key: str,
    body: bytes,
    operation: str,
    recover: Recover | None = None,
) -> Response | None:
    """None when this request owns `key` and must do the work; otherwise the answer: the
    first request's reply again, 409 `in_progress` while that one is still running (the till
    asks again later), or 409 when the key came with another body. With `recover`, a key left
    running by a request that died is settled from what that request left behind."""
    digest = request_hash(body)
    settled = (lambda: recover(False)) if recover is not None else None
    state, first = await claim(ctx, till.shop_id, key, till.id, digest, settled)
    if state == "settled" and first is not None:
        await finish(ctx, till.shop_id, key, first)
        state = "done"
    if state == "running" and recover is not None:
        _, _, claimed_at = await ctx.store.run(
            ctx.store.idempotency_key_state, till.shop_id, key, digest
        )
        dead = (
            claimed_at is not None
            and (utcnow() - claimed_at).total_seconds() > FIRST_REQUEST_DEAD_AFTER_S
        )
        document = await recover(dead)
        if document is not None:
            await finish(ctx, till.shop_id, key, document)
            state, first = "done", document
        elif dead:
            await release(ctx, till.shop_id, key)
            state, first = await claim(ctx, till.shop_id, key, till.id, digest)
    if state == "conflict":
        return error(409, "Idempotency-Key reused with a different request", operation)
    if state == "running":
        return error(
            409, "the first request with this key is still running", operation,
            ErrorCode.IN_PROGRESS,
        )  # fmt: skip
    if state == "done":
        TERMINAL_CALLS.labels(operation, "200").inc()
        return Response(json.dumps(first), media_type="application/json")
    return None
