"""A till rebuilding its lost ledger pages through the events it pushed itself.

GET /api/v1/terminal/own-events?after=N&limit=L: this till's events with till_seq > N,
oldest first, and the till_seq the relay expects next. Only the authenticated till's own
events: another till's or shop's are never listed.
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response

from sync.protocol import MAX_PULL_LIMIT, OutboxEvent, OwnEventsResponse
from sync.relay.auth import TillDep
from sync.relay.context import relay
from sync.relay.errors import error
from sync.relay.observability import TERMINAL_CALLS

router = APIRouter(prefix="/api/v1/terminal")


@router.get("/own-events")
async def own_events(request: Request, till: TillDep, after: int = 0, limit: int = 100) -> Response:
    if after < 0 or not 1 <= limit <= MAX_PULL_LIMIT:
        return error(400, f"need after >= 0 and 1 <= limit <= {MAX_PULL_LIMIT}", "own_events")
    ctx = relay(request)
    rows = await ctx.store.run(ctx.store.till_events, till.id)
    page = [r for r in rows if r.till_seq > after][:limit]
    next_seq = (rows[-1].till_seq + 1) if rows else 1
    TERMINAL_CALLS.labels("own_events", "200").inc()
    reply = OwnEventsResponse(
        events=[
            OutboxEvent(
                event_id=UUID(r.event_id),
                till_seq=r.till_seq,
                type=r.type,
                occurred_at=r.occurred_at,
                payload=r.payload,
            )
            for r in page
        ],
        next_till_seq=next_seq,
    )
    return Response(reply.model_dump_json(), media_type="application/json")
