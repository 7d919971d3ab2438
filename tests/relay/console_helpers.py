"""Owners and signed-in console clients for the console tests (httpx and browser)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import httpx
import pyotp

from sync.relay.console.security import hash_password, new_totp_secret
from sync.relay.store.owners import Owners
from tests.relay.conftest import Relay

PASSWORD = "correct horse battery"


@dataclass
class Owner:
    id: str
    email: str
    secret: str

    def code(self) -> str:
        return pyotp.TOTP(self.secret).now()


def make_owner(relay: Relay, email: str, *shop_ids: str) -> Owner:
    owners = Owners(relay.store)
    secret = new_totp_secret()
    owner_id = owners.create_owner(email, hash_password(PASSWORD), secret)
    for shop_id in shop_ids:
        owners.grant_shop(owner_id, shop_id)
    return Owner(owner_id, email, secret)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def fresh_code(owner: Owner, used: list[str]) -> str:
    """A TOTP code not used yet (each is good once): waits for the next step if needed."""
    while (code := owner.code()) in used:
        time.sleep(0.5)
    used.append(code)
    return code


USED_CODES: dict[str, list[str]] = {}  # owner id -> codes signed in with, in order


def sign_in(relay: Relay, owner: Owner, client: httpx.Client | None = None) -> httpx.Client:
    client = client or httpx.Client(base_url=relay.url, timeout=30)
    page = client.get("/console/login")
    reply = client.post(
        "/console/login",
        data={"csrf": csrf_of(page.text), "email": owner.email, "password": PASSWORD},
    )
    assert reply.status_code == 303 and reply.headers["location"] == "/console/totp", reply.text
    page = client.get("/console/totp")
    code = fresh_code(owner, USED_CODES.setdefault(owner.id, []))
    reply = client.post("/console/totp", data={"csrf": csrf_of(page.text), "code": code})
    assert reply.status_code == 303 and reply.headers["location"] == "/console/", reply.text
    return client
