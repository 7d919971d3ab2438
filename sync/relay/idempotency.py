"""Idempotency-Key claims shared by every terminal call that talks to a provider."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import Response

from sync.protocol import ErrorCode
from sync.relay.auth import Till
from sync.relay.context import RelayContext
from sync.relay.errors import error
from sync.relay.observability import TERMINAL_CALLS
from sync.relay.store.store import request_hash

WAIT_FOR_FIRST_S = 30.0
POLL_S = 0.05


async def claim(
    ctx: RelayContext, shop_id: str, key: str, till_id: str, digest: str
) -> tuple[str, dict[str, Any] | None]:
    """Claim `key` for this request. A concurrent duplicate waits (up to 30 s) for the first
    request's answer instead of calling the provider again. -> ("new"|"done"|"running"|
    "conflict", first response or None); see Store.claim_idempotency_key."""
    waited = 0.0
    while True:
        state, response = await ctx.store.run(
            ctx.store.claim_idempotency_key, shop_id, key, till_id, digest
        )
        if state != "running" or waited >= WAIT_FOR_FIRST_S:
            return state, response
        await asyncio.sleep(POLL_S)
        waited += POLL_S


async def answered(
    ctx: RelayContext, till: Till, key: str, body: bytes, operation: str
) -> Response | None:
    """None when this request owns `key` and must do the work; otherwise the answer: the
    first request's reply again, 409 `in_progress` while that one is still running (the till
    asks again later), or 409 when the key came with another body."""
    state, first = await claim(ctx, till.shop_id, key, till.id, request_hash(body))
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
