"""Idempotency-Key claims shared by every terminal call that talks to a provider."""

from __future__ import annotations

import asyncio
from typing import Any

from sync.relay.context import RelayContext

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
