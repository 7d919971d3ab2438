"""A real relay on 127.0.0.1 (uvicorn in a thread), on SQLite and on PostgreSQL.

PostgreSQL runs when DUKA_TEST_PG_URL is set (CI sets it, with DUKA_REQUIRE_PG=1 so that a
missing server fails instead of skipping). Each test gets its own fresh database.
"""

from __future__ import annotations

import asyncio
import base64
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import uvicorn
from sqlalchemy.engine import make_url

from sync.relay.app import create_app, open_store
from sync.relay.config import RelaySettings
from sync.relay.store.store import Store
from tests.providers.provider_samples import sample_bytes as sample

__all__ = ["sample"]  # the relay tests post the providers' published samples byte for byte

PAYSTACK_TEST_KEY = "sk_test_relaytests0000000000000000000000"
MASTER_KEY = base64.b64encode(b"k" * 32).decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pg_admin_url() -> str | None:
    url = os.environ.get("DUKA_TEST_PG_URL")
    if not url and os.environ.get("DUKA_REQUIRE_PG"):
        pytest.fail("DUKA_REQUIRE_PG is set but DUKA_TEST_PG_URL is not")
    return url


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    admin = pg_admin_url()
    if admin is None:
        pytest.skip("DUKA_TEST_PG_URL not set")
    name = f"duka_relay_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(admin).set(database=name).render_as_string(hide_password=False)
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'relay.sqlite3'}"
    return str(request.getfixturevalue("pg_database"))


class ServerThread:
    def __init__(self, app: Any, port: int) -> None:
        # proxy_headers off, as `duka-relay serve` runs it: the relay itself decides which
        # forwarded header to trust (DUKA_RELAY_TRUSTED_FORWARDED_FOR).
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            loop="asyncio",
            log_level="warning",
            access_log=False,
            proxy_headers=False,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("relay did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@dataclass
class Relay:
    url: str
    settings: RelaySettings
    store: Store
    http: httpx.Client

    def shop(self, name: str = "Duka") -> tuple[str, str]:
        shop_id, token = self.store.create_shop(name)
        self.store.set_credentials(
            shop_id, "paystack", "test", {"secret_key": PAYSTACK_TEST_KEY}, None
        )
        return shop_id, token

    def till(self, shop_id: str, name: str = "Till 1") -> dict[str, Any]:
        code = self.store.create_pairing_code(shop_id, 60)
        reply = self.http.post(
            "/api/v1/terminal/pair", json={"pairing_code": code, "till_name": name}
        )
        assert reply.status_code == 200, reply.text
        data: dict[str, Any] = reply.json()
        return data

    def auth(self, till: dict[str, Any]) -> dict[str, str]:
        return {"Authorization": f"Bearer {till['token']}"}

    def paystack_link(
        self,
        till: dict[str, Any],
        payment_id: str,
        reference: str,
        amount_minor: int = 150_000,
        route: str = "link",
    ) -> httpx.Response:
        """Ask for a Paystack link as a till does (the payment id is the idempotency key);
        `route="paystack-link"`: the route tills used before /link."""
        body = {
            "payment_id": payment_id,
            "amount_minor": amount_minor,
            "currency": "KES",
            "email": None,
            "reference": reference,
        }
        return self.http.post(
            f"/api/v1/terminal/payments/{route}",
            json=body if route == "paystack-link" else {**body, "provider": "paystack"},
            headers={**self.auth(till), "Idempotency-Key": payment_id},
        )


def make_settings(tmp_path: Path, database_url: str, **overrides: Any) -> RelaySettings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "database_url": database_url,
        "master_key": MASTER_KEY,
        "public_base_url": "https://relay.example.com",
        "job_interval_s": 0.2,
        "stk_requery_after_s": 1,
        "paystack_verify_after_s": 1,
        **overrides,
    }
    return RelaySettings(**values)


@pytest.fixture
def relay_factory(tmp_path: Path, database_url: str) -> Iterator[Any]:
    started: list[tuple[ServerThread, Store, httpx.Client]] = []

    def start(**overrides: Any) -> Relay:
        """`public_base_url="self"` makes providers (the sandbox) call this relay back."""
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        if overrides.get("public_base_url") == "self":
            overrides["public_base_url"] = url
        settings = make_settings(tmp_path, database_url, **overrides)
        store = open_store(settings)
        server = ServerThread(create_app(settings, store), port)
        server.start()
        http = httpx.Client(base_url=url, timeout=40)
        started.append((server, store, http))
        return Relay(url, settings, store, http)

    yield start
    for server, store, http in started:
        http.close()
        server.stop()
        store.close()


@pytest.fixture
def relay(relay_factory: Any) -> Relay:
    result: Relay = relay_factory()
    return result


def run(coro: Any) -> Any:
    return asyncio.run(coro)
