"""Demo mode: the relay and the provider sandbox on 127.0.0.1, a demo shop whose M-Pesa,
Paystack, Flutterwave and Stripe hosts are the sandbox (test mode), and the till paired to it,
so a newcomer with no credentials sees every tender work, including a live STK push and the
hosted checkout pages. The demo shop's eTIMS device is the sandbox's KRA stand-in, so a
Kenyan demo till's sales come back signed, with the SCU block and QR code on the receipt.

    stack = start_demo_stack(settings.data_dir, till=(settings, ledger))
    ...  # start the till's SyncEngine as usual: it finds its terminal token in the ledger
    stack.stop()
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import uvicorn

from pos_app.config import TillSettings
from pos_app.services.sync_ledger import Ledger
from sync.engine import credentials, pairing
from sync.providers.africastalking import SANDBOX_USERNAME
from sync.providers.daraja import DarajaClient, DarajaConfig
from sync.providers.daraja_pull import register_pull
from sync.relay.app import create_app, open_store
from sync.relay.config import RelaySettings
from sync.relay.owner_actions import initialise_etims
from sync.relay.store.etims import EtimsBooks
from sync.relay.store.sms import CREDENTIAL_MODE as SMS_MODE
from sync.relay.store.sms import PROVIDER as SMS_PROVIDER
from sync.relay.store.store import Store
from sync.relay.webhook_paths import callback_paths
from sync.sandbox.etims_api import EtimsWorld
from sync.sandbox.server import SandboxServer
from sync.sandbox.state import SandboxConfig

log = logging.getLogger(__name__)

DEMO_SHOP = "Duka demo shop"
# The demo shop's KRA PIN and device serial: made up, known only to the sandbox's stand-in.
DEMO_KRA_PIN = "P000000001D"
DEMO_ETIMS_SERIAL = "DUKA-DEMO-01"
DEMO_NOMINATED_NUMBER = "0722000000"  # the Pull registration's contact (sandbox only)


class RelayServer:
    """The real relay (FastAPI + uvicorn) in a background thread on a loopback port."""

    def __init__(self, data_dir: Path, *, port: int = 0, **overrides: Any) -> None:
        self.data_dir = data_dir
        # bound now so the port (and the public URL providers call back) is known up front
        self._reserved: socket.socket | None = _bind("127.0.0.1", port)
        self.port = int(self._reserved.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.settings = RelaySettings(data_dir=data_dir, public_base_url=self.url, **overrides)
        self.store: Store = open_store(self.settings)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self, timeout_s: float = 15.0) -> str:
        app = create_app(self.settings, self.store)
        config = uvicorn.Config(
            app, log_level="warning", lifespan="on", access_log=False, log_config=None,
            timeout_graceful_shutdown=1,
        )  # fmt: skip
        server = uvicorn.Server(config)
        sock, self._reserved = self._reserved or _bind("127.0.0.1", self.port), None
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="relay", daemon=True
        )
        thread.start()
        deadline = time.monotonic() + timeout_s
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the local relay did not start")
            time.sleep(0.01)
        self._server, self._thread = server, thread
        return self.url

    def stop(self) -> None:
        """Stops serving (the port stays reserved for a restart); the store stays open."""
        if self._server is not None and self._thread is not None:
            # tills' long polls are cut short by the shutdown; uvicorn logs each as an error
            quiet = logging.getLogger("uvicorn.error")
            level = quiet.level
            quiet.setLevel(logging.CRITICAL)
            try:
                self._server.should_exit = True
                self._thread.join(timeout=10)
            finally:
                quiet.setLevel(level)
        self._server = self._thread = None

    def close(self) -> None:
        self.stop()
        if self._reserved is not None:
            self._reserved.close()
        self.store.close()


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


@dataclass
class DemoStack:
    relay: RelayServer
    sandbox: SandboxServer
    shop_id: str
    paired: pairing.PairingResult | None = None
    _closed: bool = field(default=False, repr=False)

    @property
    def relay_url(self) -> str:
        return self.relay.url

    @property
    def sandbox_url(self) -> str:
        return self.sandbox.base_url

    def pairing_code(self) -> str:
        return self.relay.store.create_pairing_code(
            self.shop_id, self.relay.settings.pairing_code_ttl_s
        )

    def stop(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.relay.close()
        self.sandbox.stop()


def start_demo_stack(
    data_dir: Path,
    *,
    till: tuple[TillSettings, Ledger] | None = None,
    sandbox_config: SandboxConfig | None = None,
    **relay_overrides: Any,
) -> DemoStack:
    """Start the local relay (SQLite in data_dir/demo-relay) and the sandbox, make sure the demo
    shop exists with the sandbox as its providers (test mode), and pair the till of
    `till` (its settings and ledger) unless it is already paired with this relay."""
    relay_dir = Path(data_dir) / "demo-relay"
    relay_dir.mkdir(parents=True, exist_ok=True)
    saved = credentials.load(*till) if till is not None else None
    port = _reusable_port(saved.relay_url) if saved else 0
    sandbox = SandboxServer(sandbox_config or SandboxConfig())
    sandbox_url = sandbox.start()
    try:
        try:
            relay = RelayServer(relay_dir, port=port, **relay_overrides)
        except OSError:  # the old port is taken now: a fresh one, and pair again below
            relay = RelayServer(relay_dir, **relay_overrides)
        relay.start()
    except BaseException:
        sandbox.stop()
        raise
    store = relay.store
    shops = [s for s in store.shops() if s.name == DEMO_SHOP]
    shop_id = shops[0].id if shops else store.create_shop(DEMO_SHOP)[0]
    cfg = sandbox.config
    store.set_credentials(
        shop_id,
        "mpesa",
        "test",
        # with the initiator: the Transaction Status API confirms C2B before tills hear of them
        cfg.daraja_credentials(),
        sandbox_url,
    )
    hosted = {
        "paystack": {"secret_key": cfg.paystack_secret_key},
        "flutterwave": {
            "secret_key": cfg.flutterwave_secret_key,
            "secret_hash": cfg.flutterwave_secret_hash,
        },
        "stripe": {
            "secret_key": cfg.stripe_secret_key,
            "webhook_secret": cfg.stripe_webhook_secret,
        },
    }
    for provider, secrets in hosted.items():
        store.set_credentials(shop_id, provider, "test", secrets, sandbox_url)
    # text receipts go to the sandbox's Africa's Talking stand-in (no real phone is reached)
    store.set_credentials(
        shop_id, SMS_PROVIDER, SMS_MODE,
        {"username": SANDBOX_USERNAME, "api_key": "demo-sandbox-key"}, sandbox_url,
    )  # fmt: skip
    paths = callback_paths(shop_id, store.webhook_token(shop_id))
    sandbox.state.config.paystack_webhook_url = relay.url + paths["paystack"]
    sandbox.state.config.flutterwave_webhook_url = relay.url + paths["flutterwave"]
    sandbox.state.config.stripe_webhook_url = relay.url + paths["stripe"]
    if _register_c2b(cfg, sandbox_url, relay.url + paths["mpesa_c2b_confirmation"],
                     relay.url + paths["mpesa_c2b_validation"]):  # fmt: skip
        shop = store.shop(shop_id)
        if shop is not None and shop.mpesa_pull_until is None:
            store.set_mpesa_pull(shop_id, True, "demo")
    _etims_device(store, shop_id, sandbox)
    stack = DemoStack(relay, sandbox, shop_id)
    if till is not None:
        still_valid = (
            saved is not None
            and saved.relay_url == relay.url
            and any(
                t.id == saved.terminal_id and t.revoked_at is None for t in store.tills(shop_id)
            )
        )
        if not still_valid:
            stack.paired = pairing.pair(*till, relay.url, stack.pairing_code(), "Demo till")
    log.info("demo stack: relay %s, sandbox %s, shop %s", relay.url, sandbox_url, shop_id)
    return stack


def _etims_device(store: Store, shop_id: str, sandbox: SandboxServer) -> None:
    """The demo shop signs with the sandbox's KRA stand-in: its device is set up on the first
    start, as an owner does with `duka-relay etims-init`; on later starts the fresh sandbox
    knows it again (the same key) and continues its invoice numbers where the relay is."""
    base_url = f"{sandbox.base_url}/etims-api"
    books = EtimsBooks(store)
    device = books.device(shop_id)
    if device is None:
        try:
            asyncio.run(
                initialise_etims(
                    store, shop_id, tin=DEMO_KRA_PIN, branch="00", serial=DEMO_ETIMS_SERIAL,
                    live=False, base_url=base_url, actor="demo",
                )
            )  # fmt: skip
        except Exception:
            log.warning("demo: could not set up the eTIMS device with the sandbox", exc_info=True)
        return
    next_number = books.move_device(shop_id, base_url)
    world: EtimsWorld = sandbox.app.state.etims
    world.reinstall(
        device.device.tin, device.device.bhf_id, device.device_serial, last_invoice=next_number - 1
    )


def _reusable_port(relay_url: str) -> int:
    parts = urlsplit(relay_url)
    if parts.hostname == "127.0.0.1" and parts.port:
        return parts.port
    return 0


def _register_c2b(cfg: SandboxConfig, sandbox_url: str, confirmation: str, validation: str) -> bool:
    """Tell the sandbox where paybill (SIM menu) payments go, as the owner does with Daraja;
    -> whether it took them."""

    async def register() -> None:
        client = DarajaClient(
            DarajaConfig(
                consumer_key=cfg.daraja_consumer_key,
                consumer_secret=cfg.daraja_consumer_secret,
                shortcode=cfg.daraja_shortcode,
                passkey=cfg.daraja_passkey,
                base_url=sandbox_url,
                test_mode=True,
            )
        )
        try:
            await client.register_c2b_urls(confirmation, validation)
            # and for Pull Transactions, so a lost callback is found as in a live shop
            await register_pull(client, DEMO_NOMINATED_NUMBER, confirmation)
        finally:
            with contextlib.suppress(Exception):
                await client.aclose()

    try:
        asyncio.run(register())
    except Exception:
        log.warning("demo: could not register the paybill URLs with the sandbox", exc_info=True)
        return False
    return True
