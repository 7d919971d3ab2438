"""What only the shop's owner may do, shared by the console and the CLI, each audited under the
owner's identity: test or live money, provider credentials, pairing and revoking tills, parked
webhooks, the shop's KRA eTIMS device."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.types import ASGIApp

from sync.protocol import Provider
from sync.providers.base import ProviderError
from sync.providers.etims import (
    PRODUCTION_BASE_URL,
    PRODUCTION_RECEIPT_HOST,
    SANDBOX_BASE_URL,
    SANDBOX_RECEIPT_HOST,
    DeviceInfo,
    EtimsClient,
    EtimsConfig,
)
from sync.providers.testmode import key_matches_mode, key_prefixes
from sync.relay.context import RelayContext
from sync.relay.credentials import missing_fields, mode_name
from sync.relay.store.store import Store
from sync.relay.webhook_paths import callback_paths


class OwnerActionRefused(Exception):
    """The action cannot be done as asked; str() says why, for the owner."""


class KeyOfTheOtherMode(OwnerActionRefused):
    pass


class MissingCredentials(OwnerActionRefused):
    def __init__(self, fields: list[str]) -> None:
        super().__init__(f"missing: {', '.join(fields)}")
        self.fields = fields


def owner_actor(email: str) -> str:
    """How the audit log names an owner, from the console and from the CLI alike."""
    return f"owner:{email}"


def store_credentials(
    store: Store,
    shop_id: str,
    provider: str,
    mode: str,
    secrets: dict[str, str],
    base_url: str | None,
    actor: str,
) -> None:
    """A key of the other mode is refused: a live key stored as test would take real money
    while the till shows "test", and a test key stored as live would take none."""
    missing = missing_fields(provider, secrets)
    if missing:
        raise MissingCredentials(missing)
    key = secrets.get("secret_key")
    if key is not None and not key_matches_mode(provider, key, mode == "test"):
        starts = " or ".join(key_prefixes(provider, mode == "test"))
        raise KeyOfTheOtherMode(f"a {provider.capitalize()} {mode} secret key starts with {starts}")
    store.set_credentials(shop_id, provider, mode, secrets, base_url, actor)


def set_test_mode(
    ctx: RelayContext,
    shop_id: str,
    provider: Provider,
    test_mode: bool,
    actor: str,
    reason: str | None = None,
) -> None:
    found = ctx.credentials.get(shop_id, provider, test_mode)
    if found is None:
        raise OwnerActionRefused(
            f"the shop has no {provider.value} {mode_name(test_mode)} credentials on the relay"
        )
    key = found.secrets.get("secret_key")
    if key is not None and not key_matches_mode(provider.value, key, test_mode):
        # the relay would not use it: switching would stop this provider's payments
        raise OwnerActionRefused(
            f"the shop's {provider.value} {mode_name(test_mode)} key is not a "
            f"{mode_name(test_mode)} key"
        )
    ctx.store.set_test_mode(shop_id, provider, test_mode, actor, reason)


def revoke_till(ctx: RelayContext, shop_id: str, till_id: str, actor: str) -> bool:
    """Revoke, then wake the shop's long-polls so that one opened before ends now."""
    if not any(row.id == till_id for row in ctx.store.tills(shop_id)):
        return False
    revoked = ctx.store.revoke_till(till_id, actor)
    ctx.wake(shop_id)
    return revoked


async def replay_parked(
    app: ASGIApp, store: Store, parked_id: int, to_shop: str | None, actor: str
) -> dict[str, Any]:
    """Run a parked webhook through the webhook handlers again (after the owner fixed what made
    it park, e.g. a late payment row), optionally for another shop (re-route). The original
    raw row stays; the replay is stored as a new raw webhook."""
    item = store.parked_item(parked_id)
    if item is None or item.resolved_at is not None or item.raw_id is None:
        raise OwnerActionRefused("no such open parked item with a stored webhook")
    raw = store.raw_webhook(item.raw_id)
    assert raw is not None, "a parked item's raw webhook is kept until it is resolved"
    shop_id = to_shop or raw.shop_id
    if shop_id is None:
        raise OwnerActionRefused("the webhook reached no shop: send it to one")
    paths = callback_paths(shop_id, store.webhook_token(shop_id))
    path = {
        "stk_callback": paths["mpesa_stk"],
        "c2b_confirmation": paths["mpesa_c2b_confirmation"],
    }.get(raw.kind) or paths.get(raw.provider)  # a hosted page's "webhook"
    if path is None:  # e.g. a Pull Transactions row or a Transaction Status answer
        raise OwnerActionRefused("this item came from an M-Pesa query, not a callback to replay")
    resolution = f"replayed to shop {shop_id}" if to_shop else "replayed"
    store.resolve_parked(parked_id, resolution, actor)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 0))
    async with httpx.AsyncClient(transport=transport, base_url="http://relay") as client:
        response = await client.post(path, content=bytes(raw.body), headers=dict(raw.headers))
    return {
        "parked_id": parked_id,
        "status": response.status_code,
        "resolution": resolution,
        "open_parked_now": [p.id for p in store.parked(shop_id)],
    }


async def initialise_etims(
    store: Store,
    shop_id: str,
    *,
    tin: str,
    branch: str,
    serial: str,
    live: bool,
    base_url: str | None,
    actor: str,
) -> DeviceInfo:
    """Ask KRA once for the shop's OSCU device key and keep all of it sealed before anything
    else: KRA gives the key only once (a second call answers 902). Never logged."""
    from sync.relay.store.etims import EtimsBooks

    if store.shop(shop_id) is None:
        raise OwnerActionRefused("unknown shop")
    if EtimsBooks(store).device(shop_id) is not None:
        raise OwnerActionRefused(
            "the shop's eTIMS device is already set up; KRA gives its key only once"
        )
    host = PRODUCTION_BASE_URL if live else SANDBOX_BASE_URL
    receipt_host = PRODUCTION_RECEIPT_HOST if live else SANDBOX_RECEIPT_HOST
    try:
        config = EtimsConfig(tin, branch, base_url=base_url or host, receipt_host=receipt_host)
    except ValueError as exc:
        raise OwnerActionRefused(str(exc)) from None
    async with EtimsClient(config) as client:
        try:
            device = await client.initialise(serial)
        except ProviderError as exc:
            raise OwnerActionRefused(exc.cashier_message) from None
    EtimsBooks(store).set_device(shop_id, serial, device, base_url or host, receipt_host, actor)
    return device
