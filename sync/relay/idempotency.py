"""Idempotency-Key claims shared by every terminal call that talks to a provider."""

from __future__ import annotations

import asyncio
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
POLL_S = (0.05, 0.5)  # first and longest pause between two looks at the first request
# Longer than any provider call with its retries: a key still running after this belongs to a
# request that died (the relay restarted under it).
FIRST_REQUEST_DEAD_AFTER_S = 120.0

# Given "the first request is dead", the answer the key should have had (from what the first
# request left behind), or None when there is none to give.
Recover = Callable[[bool], Awaitable[dict[str, Any] | None]]


async def claim(
    ctx: RelayContext, shop_id: str, key: str, till_id: str, digest: str
) -> tuple[str, dict[str, Any] | None]:
    """Claim `key` for this request. A concurrent duplicate waits (up to 30 s) for the first
    request's answer instead of calling the provider again, looking with reads only: a waiting
    duplicate holds no write transaction. -> ("new"|"done"|"running"|"conflict", first
    response or None); see Store.claim_idempotency_key."""
    store = ctx.store
    state, response = await store.run(store.claim_idempotency_key, shop_id, key, till_id, digest)
    waited, pause = 0.0, POLL_S[0]
    while state == "running" and waited < WAIT_FOR_FIRST_S:
        await asyncio.sleep(pause)
        waited, pause = waited + pause, min(pause * 2, POLL_S[1])
        state, response, _ = await store.run(store.idempotency_key_state, shop_id, key, digest)
        if state == "gone":  # released: the provider never got the first one; this one may
            state, response = await store.run(
                store.claim_idempotency_key, shop_id, key, till_id, digest
            )
    return state, response


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
    state, first = await claim(ctx, till.shop_id, key, till.id, digest)
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
            await ctx.store.run(ctx.store.finish_idempotency_key, till.shop_id, key, document)
            state, first = "done", document
        elif dead:
            await ctx.store.run(ctx.store.release_idempotency_key, till.shop_id, key)
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
