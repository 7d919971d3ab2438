"""`duka-relay` / `python -m sync.relay`: serve, and the shop owner's admin commands.

Every command runs without prompts when its inputs come from flags, the environment or stdin;
secrets are never taken from argv (shell history): they come from the environment variables the
product guide names, from `--stdin` (KEY=VALUE lines), or from a hidden prompt.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

import uvicorn
from pydantic import ValidationError

from sync.protocol import Provider
from sync.providers.daraja import DarajaClient
from sync.relay.config import RelaySettings
from sync.relay.credentials import (
    OPTIONAL_MPESA_FIELDS,
    Credentials,
    credential_fields,
    env_names,
    test_mode_of,
)
from sync.relay.store.store import Store, utcnow

T = TypeVar("T")

SECRET_FIELDS = {
    "consumer_key",
    "consumer_secret",
    "passkey",
    "secret_key",
    "security_credential",
    "secret_hash",
    "webhook_secret",
    "api_key",
}
# Africa's Talking (SMS receipts): the field -> the environment variable read for it
SMS_ENV_NAMES = {"username": "AT_USERNAME", "api_key": "AT_API_KEY"}


def app_factory() -> Any:
    """uvicorn --factory entry (each worker builds its own app from the environment)."""
    from sync.relay.app import create_app
    from sync.relay.observability import configure_logging

    settings = RelaySettings()
    configure_logging(settings.log_level, settings.access_log)
    return create_app(settings)


def _settings(args: argparse.Namespace) -> RelaySettings:
    if getattr(args, "database_url", None):
        os.environ["DUKA_RELAY_DATABASE_URL"] = args.database_url
    return RelaySettings()


def _store(args: argparse.Namespace) -> Store:
    from sync.relay.app import open_store

    return open_store(_settings(args))


def _print(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))


def cmd_serve(args: argparse.Namespace) -> int:
    settings = _settings(args)
    store = _store(args)  # migrate (and create the master key) once, before the workers start
    sqlite = store.sqlite
    store.close()
    if sqlite and args.workers > 1:
        print("SQLite serves one process; use PostgreSQL for --workers > 1", file=sys.stderr)
        return 2
    uvicorn.run(
        "sync.relay.cli:app_factory",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        loop="uvloop",
        http="httptools",
        access_log=settings.access_log,  # off by default: lines carry the shops' URL tokens
        log_config=None,
        proxy_headers=False,
        timeout_keep_alive=30,
    )
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    store = _store(args)
    _print({"database": store.engine.url.render_as_string(hide_password=True), "ready": True})
    return 0


def cmd_create_shop(args: argparse.Namespace) -> int:
    store = _store(args)
    shop_id, token = store.create_shop(args.name)
    _print({"shop_id": shop_id, "callback_urls": _callback_urls(store, shop_id, token)})
    return 0


def cmd_list_shops(args: argparse.Namespace) -> int:
    store = _store(args)
    _print(
        [
            {
                "shop_id": s.id,
                "name": s.name,
                **{f"{p.value}_test_mode": test_mode_of(s, p) for p in Provider},
                "last_seq": s.last_seq,
            }
            for s in store.shops()
        ]
    )
    return 0


def _callback_urls(store: Store, shop_id: str, token: str | None = None) -> dict[str, str]:
    from sync.relay.webhook_paths import callback_paths

    base = RelaySettings().public_base_url.rstrip("/")
    token = token or store.webhook_token(shop_id)
    return {name: base + path for name, path in callback_paths(shop_id, token).items()}


def cmd_callback_urls(args: argparse.Namespace) -> int:
    _print(_callback_urls(_store(args), args.shop))
    return 0


def _read_secrets(
    args: argparse.Namespace, fields: Sequence[str], names: dict[str, str]
) -> dict[str, str]:
    given: dict[str, str] = {}
    if args.stdin:
        for line in sys.stdin:
            key, sep, value = line.strip().partition("=")
            if sep:
                given[key.strip().lower()] = value.strip()
    values: dict[str, str] = {}
    for name in fields:
        value = (
            getattr(args, name, None)  # non-secret fields may come as flags
            or given.get(name)
            or given.get(names[name].lower())
            or os.environ.get(names[name])
        )
        if (
            not value
            and name not in OPTIONAL_MPESA_FIELDS
            and sys.stdin.isatty()
            and not args.stdin
        ):
            prompt = f"{names[name]}: "
            value = getpass.getpass(prompt) if name in SECRET_FIELDS else input(prompt)
        if value:
            values[name] = value.strip()
    return values


def _acting_owner(store: Store, email: str, *shop_ids: str | None) -> str:
    """An owner action from the CLI is done as a named owner of every shop it touches, and
    audited under that owner, as in the console."""
    from sync.relay.owner_actions import owner_actor
    from sync.relay.store.owners import Owners

    owners = Owners(store)
    owner = owners.owner_by_email(email)
    if owner is None or not all(s is not None and owners.owns(owner.id, s) for s in shop_ids):
        raise SystemExit("unknown owner, or the owner does not have that shop (grant-shop)")
    return owner_actor(owner.email)


def cmd_set_credentials(args: argparse.Namespace) -> int:
    from sync.relay.owner_actions import MissingCredentials, OwnerActionRefused, store_credentials

    store = _store(args)
    actor = _acting_owner(store, args.owner, args.shop)
    names = env_names(Provider(args.provider))
    secrets = _read_secrets(args, credential_fields(args.provider), names)
    try:
        store_credentials(store, args.shop, args.provider, args.mode, secrets, args.base_url, actor)
    except MissingCredentials as exc:
        print(f"missing: {', '.join(names[n] for n in exc.fields)}", file=sys.stderr)
        return 2
    except OwnerActionRefused as exc:
        print(str(exc), file=sys.stderr)
        return 2
    _print(
        {
            "shop_id": args.shop,
            "provider": args.provider,
            "mode": args.mode,
            "stored_fields": sorted(secrets),
        }
    )
    return 0


def cmd_sms_credentials(args: argparse.Namespace) -> int:
    """Store the shop's Africa's Talking account for text receipts, sealed like the payment
    providers' keys. Username "sandbox" uses Africa's Talking's sandbox host."""
    from sync.relay.store.sms import CREDENTIAL_MODE, PROVIDER

    store = _store(args)
    actor = _acting_owner(store, args.owner, args.shop)
    secrets = _read_secrets(args, tuple(SMS_ENV_NAMES), SMS_ENV_NAMES)
    missing = [SMS_ENV_NAMES[name] for name in SMS_ENV_NAMES if not secrets.get(name)]
    if missing:
        print(f"missing: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.sender_id:
        secrets["sender_id"] = args.sender_id.strip()
    store.set_credentials(args.shop, PROVIDER, CREDENTIAL_MODE, secrets, args.base_url, actor)
    _print(
        {
            "shop_id": args.shop,
            "provider": PROVIDER,
            "username": secrets["username"],
            "sender_id": secrets.get("sender_id"),
            "stored_fields": sorted(secrets),
        }
    )
    return 0


def cmd_etims_init(args: argparse.Namespace) -> int:
    """Initialise the shop's KRA eTIMS (OSCU) device: once, because KRA hands out the
    communication key once. Prints what identifies the device, never the key."""
    from sync.relay.owner_actions import OwnerActionRefused, initialise_etims

    store = _store(args)
    actor = _acting_owner(store, args.owner, args.shop)
    try:
        device = asyncio.run(
            initialise_etims(
                store, args.shop, tin=args.tin, branch=args.branch, serial=args.serial,
                live=args.live, base_url=args.base_url, actor=actor,
            )
        )  # fmt: skip
    except OwnerActionRefused as exc:
        print(str(exc), file=sys.stderr)
        return 2
    _print(
        {
            "shop_id": args.shop,
            "tin": device.tin,
            "branch": device.bhf_id,
            "control_unit_id": device.sdc_id,
            "serial": args.serial,
            "mode": "live" if args.live else "sandbox",
        }
    )
    return 0


def cmd_set_mode(args: argparse.Namespace) -> int:
    store = _store(args)
    actor = _acting_owner(store, args.owner, args.shop)
    changed = store.set_test_mode(
        args.shop, Provider(args.provider), args.mode == "test", actor, args.reason
    )
    _print(
        {"shop_id": args.shop, "provider": args.provider, "mode": args.mode, "changed_at": changed}
    )
    return 0


def cmd_pair_till(args: argparse.Namespace) -> int:
    store = _store(args)
    actor = _acting_owner(store, args.owner, args.shop)
    ttl = RelaySettings().pairing_code_ttl_s
    code = store.create_pairing_code(args.shop, ttl, actor)
    _print({"pairing_code": code, "expires_in_s": ttl})
    return 0


def cmd_list_tills(args: argparse.Namespace) -> int:
    store = _store(args)
    _print(
        [
            {
                "terminal_id": r.id,
                "name": r.name,
                "created_at": r.created_at,
                "revoked_at": r.revoked_at,
                "last_seen_at": r.last_seen_at,
                "next_till_seq": r.next_till_seq,
            }
            for r in store.tills(args.shop)
        ]
    )
    return 0


def cmd_revoke_till(args: argparse.Namespace) -> int:
    store = _store(args)
    till = store.till(args.terminal_id)
    actor = _acting_owner(store, args.owner, till.shop_id if till is not None else None)
    revoked = store.revoke_till(args.terminal_id, actor)
    _print({"terminal_id": args.terminal_id, "revoked": revoked})
    return 0 if revoked else 1


def _with_daraja(
    store: Store, shop_id: str, test_mode: bool, call: Callable[[DarajaClient], Awaitable[T]]
) -> T:
    """`call` with the shop's Daraja client for its current mode, closed afterwards."""

    async def run() -> T:
        creds = Credentials(store, RelaySettings())
        try:
            client = creds.daraja(shop_id, test_mode)
            if client is None:
                raise SystemExit("the shop has no M-Pesa credentials for its current mode")
            return await call(client)
        finally:
            await creds.aclose()

    return asyncio.run(run())


def cmd_register_c2b(args: argparse.Namespace) -> int:
    store = _store(args)
    shop = store.shop(args.shop)
    if shop is None:
        print("unknown shop", file=sys.stderr)
        return 1
    urls = _callback_urls(store, args.shop)

    result = _with_daraja(store, args.shop, bool(shop.mpesa_test_mode), lambda client: (
        client.register_c2b_urls(
            urls["mpesa_c2b_confirmation"], urls["mpesa_c2b_validation"], args.response_type
        )
    ))
    _print(
        {
            "registered": True,
            "response": result.description,
            "confirmation_url": urls["mpesa_c2b_confirmation"],
        }
    )
    return 0


def cmd_mpesa_pull(args: argparse.Namespace) -> int:
    """Turn M-Pesa Pull Transactions on (registering the shortcode with Daraja first) or off."""
    from sync.providers.base import ProviderError
    from sync.providers.daraja_pull import register_pull

    store = _store(args)
    actor = _acting_owner(store, args.owner, args.shop)
    shop = store.shop(args.shop)
    assert shop is not None, "the acting owner has the shop"
    if args.off:
        store.set_mpesa_pull(args.shop, False, actor)
        _print({"shop_id": args.shop, "mpesa_pull": False})
        return 0
    if not args.nominated_number:
        print("--nominated-number is needed to turn Pull on", file=sys.stderr)
        return 2
    # Daraja wants a callback address; the relay reads Pull by querying, not by callback.
    callback = _callback_urls(store, args.shop)["mpesa_c2b_confirmation"]

    try:
        registration = _with_daraja(
            store, args.shop, bool(shop.mpesa_test_mode),
            lambda client: register_pull(client, args.nominated_number, callback),
        )  # fmt: skip
    except ProviderError as exc:
        print(exc.cashier_message, file=sys.stderr)
        return 1
    since = store.set_mpesa_pull(args.shop, True, actor)
    _print(
        {
            "shop_id": args.shop,
            "mpesa_pull": True,
            "response": registration.description,
            "reconciled_from": since,
        }
    )
    return 0


def cmd_list_parked(args: argparse.Namespace) -> int:
    store = _store(args)
    _print(
        [
            {
                "id": r.id,
                "shop_id": r.shop_id,
                "provider": r.provider,
                "reason": r.reason,
                "summary": r.summary,
                "created_at": r.created_at,
                "resolved_at": r.resolved_at,
                "resolution": r.resolution,
            }
            for r in store.parked(args.shop, include_resolved=args.all)
        ]
    )
    return 0


def replay(store: Store, parked_id: int, to_shop: str | None, owner: str) -> dict[str, Any]:
    """The CLI's replay: a fresh app in this process runs the webhook handlers."""
    from sync.relay.app import create_app
    from sync.relay.context import RelayContext
    from sync.relay.notify import Hub
    from sync.relay.owner_actions import OwnerActionRefused, replay_parked

    item = store.parked_item(parked_id)
    if item is None:
        raise SystemExit("no such parked item")
    # A webhook that reached no shop may be sent to one: the owner must own where it goes.
    actor = _acting_owner(store, owner, *{s for s in (item.shop_id, to_shop) if s is not None})
    settings = RelaySettings()
    app = create_app(settings, store)
    app.state.relay = RelayContext(settings, store, Hub(), Credentials(store, settings))
    try:
        return asyncio.run(replay_parked(app, store, parked_id, to_shop, actor))
    except OwnerActionRefused as exc:
        raise SystemExit(str(exc)) from None


def cmd_replay_parked(args: argparse.Namespace) -> int:
    _print(replay(_store(args), args.parked_id, None, args.owner))
    return 0


def cmd_reroute_parked(args: argparse.Namespace) -> int:
    _print(replay(_store(args), args.parked_id, args.to_shop, args.owner))
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if args.stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise SystemExit("the two passwords differ")
    return first


def cmd_create_owner(args: argparse.Namespace) -> int:
    """The password comes from a hidden prompt or stdin (never argv); the TOTP secret is shown
    once, as a provisioning URI and a QR code to scan with an authenticator app."""
    import segno

    from sync.relay.console.security import hash_password, new_totp_secret, provisioning_uri
    from sync.relay.store.owners import Owners

    owners = Owners(_store(args))
    if owners.owner_by_email(args.email) is not None:
        print("an owner with that e-mail exists", file=sys.stderr)
        return 1
    try:
        password_hash = hash_password(_read_password(args))
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    secret = new_totp_secret()
    owner_id = owners.create_owner(args.email, password_hash, secret)
    uri = provisioning_uri(secret, args.email.strip().lower())
    _print({"owner_id": owner_id, "email": args.email.strip().lower(), "totp_uri": uri})
    if not args.no_qr:
        segno.make(uri, error="m").terminal(out=sys.stdout, compact=True)
    return 0


def cmd_grant_shop(args: argparse.Namespace) -> int:
    from sync.relay.store.owners import Owners

    store = _store(args)
    owners = Owners(store)
    owner = owners.owner_by_email(args.owner)
    if owner is None or store.shop(args.shop) is None:
        print("unknown owner or shop", file=sys.stderr)
        return 1
    if not owners.owns(owner.id, args.shop):
        owners.grant_shop(owner.id, args.shop)
    _print({"owner": owner.email, "shop_id": args.shop, "granted": True})
    return 0


def cmd_openapi(_args: argparse.Namespace) -> int:
    from sync.relay.api_doc import document

    print(json.dumps(document(), indent=2, sort_keys=True))
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    store = _store(args)
    days = args.days if args.days is not None else RelaySettings().retention_days
    _print(store.purge(utcnow() - timedelta(days=days)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="duka-relay", description=__doc__)
    parser.add_argument("--database-url", help="default: DUKA_RELAY_DATABASE_URL or SQLite")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, fn: Any, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.set_defaults(fn=fn)
        return p

    def owner_command(name: str, fn: Any, help_text: str) -> argparse.ArgumentParser:
        p = command(name, fn, help_text)
        p.add_argument("--owner", required=True, help="the e-mail of the shop's owner acting")
        return p

    p = command("serve", cmd_serve, "run the relay (uvicorn, uvloop, httptools)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--workers", type=int, default=1)
    command("init", cmd_init, "create the master key (if missing) and migrate the database")
    p = command("create-shop", cmd_create_shop, "create a shop; prints its id and callback URLs")
    p.add_argument("name")
    command("list-shops", cmd_list_shops, "list shops")
    p = owner_command(
        "set-credentials", cmd_set_credentials, "store provider credentials (encrypted)"
    )
    p.add_argument("--shop", required=True)
    p.add_argument("--provider", choices=[x.value for x in Provider], required=True)
    p.add_argument("--mode", choices=["test", "live"], required=True)
    p.add_argument("--shortcode", help="M-Pesa paybill / store number (not a secret)")
    p.add_argument("--till-number", help="M-Pesa Buy Goods till number (not a secret)")
    p.add_argument("--initiator", help="M-Pesa API operator name, to confirm C2B payments")
    p.add_argument("--base-url", help="provider host override (sandbox / tests)")
    p.add_argument("--stdin", action="store_true", help="read NAME=VALUE lines from stdin")
    p = owner_command(
        "sms-credentials", cmd_sms_credentials,
        "store the shop's Africa's Talking account for SMS receipts (encrypted)",
    )  # fmt: skip
    p.add_argument("--shop", required=True)
    p.add_argument("--username", help="the Africa's Talking app's username (sandbox: sandbox)")
    p.add_argument("--sender-id", help="a registered short code or alphanumeric sender ID")
    p.add_argument("--base-url", help="Africa's Talking host override (tests, the demo sandbox)")
    p.add_argument("--stdin", action="store_true", help="read NAME=VALUE lines from stdin")
    p = owner_command("set-mode", cmd_set_mode, "use test or live credentials for a provider")
    p.add_argument("--shop", required=True)
    p.add_argument("--provider", choices=[x.value for x in Provider], required=True)
    p.add_argument("--mode", choices=["test", "live"], required=True)
    p.add_argument("--reason")
    p = owner_command(
        "etims-init", cmd_etims_init, "set up the shop's KRA eTIMS device (once; key sealed)"
    )
    p.add_argument("--shop", required=True)
    p.add_argument("--tin", required=True, help="the shop's KRA PIN, e.g. P051234567X")
    p.add_argument("--branch", default="00", help="KRA's branch id (00: head office)")
    p.add_argument("--serial", required=True, help="the device serial KRA approved")
    p.add_argument("--live", action="store_true", help="KRA's live eTIMS (default: sandbox)")
    p.add_argument("--base-url", help="eTIMS host override (the sandbox stand-in, tests)")
    p = owner_command("pair-till", cmd_pair_till, "print a one-time pairing code for a new till")
    p.add_argument("--shop", required=True)
    p = command("list-tills", cmd_list_tills, "list a shop's tills")
    p.add_argument("--shop", required=True)
    p = owner_command("revoke-till", cmd_revoke_till, "revoke a till's terminal token")
    p.add_argument("terminal_id")
    p = command("callback-urls", cmd_callback_urls, "print the shop's provider callback URLs")
    p.add_argument("--shop", required=True)
    p = command("register-c2b", cmd_register_c2b, "register the C2B URLs with Daraja")
    p.add_argument("--shop", required=True)
    p.add_argument("--response-type", choices=["Completed", "Cancelled"], default="Completed")
    p = owner_command(
        "mpesa-pull", cmd_mpesa_pull, "reconcile C2B payments with Daraja's Pull Transactions"
    )
    p.add_argument("--shop", required=True)
    p.add_argument("--nominated-number", help="the Safaricom number Daraja names for the shortcode")
    p.add_argument("--off", action="store_true", help="stop reconciling with Pull")
    p = command("list-parked", cmd_list_parked, "list webhooks parked for the owner")
    p.add_argument("--shop")
    p.add_argument("--all", action="store_true", help="include resolved items")
    p = owner_command("replay-parked", cmd_replay_parked, "process a parked webhook again")
    p.add_argument("parked_id", type=int)
    p = owner_command(
        "reroute-parked", cmd_reroute_parked, "process a parked webhook for another shop"
    )
    p.add_argument("parked_id", type=int)
    p.add_argument("--to-shop", required=True)
    p = command("create-owner", cmd_create_owner, "create a console owner (password + TOTP)")
    p.add_argument("--email", required=True)
    p.add_argument("--stdin", action="store_true", help="read the password from stdin")
    p.add_argument("--no-qr", action="store_true", help="print the TOTP URI only")
    p = command("grant-shop", cmd_grant_shop, "let an owner see and run a shop in the console")
    p.add_argument("--owner", required=True, help="the owner's e-mail")
    p.add_argument("--shop", required=True)
    command("openapi", cmd_openapi, "print the terminal API's OpenAPI document (docs/openapi.json)")
    p = command("purge", cmd_purge, "delete raw webhooks etc. older than the retention")
    p.add_argument("--days", type=int)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result: int = args.fn(args)
    except ValidationError as exc:  # a bad setting: say which, without a traceback
        for problem in exc.errors(include_url=False):
            name = "DUKA_RELAY_" + "_".join(str(p) for p in problem["loc"]).upper()
            print(f"{name}: {problem['msg']}", file=sys.stderr)
        return 2
    return result
