"""GET /api/v1/terminal/settings: the shop's name and per-provider test mode, so the till can
show the TEST MODE banner before its first payment (added by the sync engineer)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from sync.protocol import Provider, TerminalSettings
from sync.relay.context import relay
from sync.relay.observability import TERMINAL_CALLS
from sync.relay.terminal import TillDep

router = APIRouter(prefix="/api/v1/terminal")


@router.get("/settings")
async def terminal_settings(request: Request, till: TillDep) -> Response:
    ctx = relay(request)
    shop = await ctx.store.run(ctx.store.shop, till.shop_id)
    assert shop is not None, "a till always belongs to a shop"
    reply = TerminalSettings(
        shop_id=shop.id,
        shop_name=shop.name,
        test_mode={
            Provider.MPESA: bool(shop.mpesa_test_mode),
            Provider.PAYSTACK: bool(shop.paystack_test_mode),
        },
    )
    TERMINAL_CALLS.labels("settings", "200").inc()
    return Response(reply.model_dump_json(), media_type="application/json")
