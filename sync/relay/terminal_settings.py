"""GET /api/v1/terminal/settings: the shop's name, the test mode of each provider the shop has
(the till shows the TEST MODE banner, with the provider's test cards, before its first payment)
and the M-Pesa number customers pay to from the SIM menu in the current mode (the till's
paybill/till fallback)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from sync.protocol import MpesaNumberKind, MpesaPayTo, Provider, TerminalSettings
from sync.relay.auth import TillDep
from sync.relay.context import RelayContext, relay
from sync.relay.credentials import test_mode_of
from sync.relay.observability import TERMINAL_CALLS

router = APIRouter(prefix="/api/v1/terminal")


def pay_to(secrets: dict[str, str], test_mode: bool) -> MpesaPayTo | None:
    """Where a customer pays from the SIM menu: a Buy Goods till when the shop has one (the
    shortcode is then only the store number that signs STK pushes), else the paybill."""
    till = (secrets.get("till_number") or "").strip()
    kind = MpesaNumberKind.TILL if till else MpesaNumberKind.PAYBILL
    number = till or (secrets.get("shortcode") or "").strip()
    if not (number.isdigit() and 5 <= len(number) <= 10):
        return None  # nothing a customer could type: better no number than a wrong one
    return MpesaPayTo(kind=kind, number=number, test_mode=test_mode)


@router.get("/settings")
async def terminal_settings(request: Request, till: TillDep) -> Response:
    ctx = relay(request)
    shop = await ctx.store.run(ctx.store.shop, till.shop_id)
    assert shop is not None, "a till always belongs to a shop"
    mpesa_test_mode = test_mode_of(shop, Provider.MPESA)
    mpesa = await ctx.store.run(ctx.credentials.get, shop.id, Provider.MPESA, mpesa_test_mode)
    enabled = await ctx.store.run(_enabled, ctx, shop.id)
    reply = TerminalSettings(
        shop_id=shop.id,
        shop_name=shop.name,
        test_mode={provider: test_mode_of(shop, provider) for provider in enabled},
        mpesa_pay_to=None if mpesa is None else pay_to(mpesa.secrets, mpesa_test_mode),
    )
    TERMINAL_CALLS.labels("settings", "200").inc()
    return Response(reply.model_dump_json(), media_type="application/json")


def _enabled(ctx: RelayContext, shop_id: str) -> list[Provider]:
    """M-Pesa always (its SIM-menu fallback works without credentials on the relay), every
    other provider once the shop has credentials for it in either mode."""
    return [
        provider
        for provider in Provider
        if provider is Provider.MPESA
        or any(ctx.credentials.get(shop_id, provider, mode) for mode in (True, False))
    ]
