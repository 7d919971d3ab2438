"""POST /api/v1/terminal/payments/{payment_id}/refund: Paystack refunds through the relay
(added by the sync engineer for RelayGateway.refund_paystack), against the sandbox."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sync.protocol import ErrorCode
from sync.relay import idempotency
from sync.relay.store.store import request_hash
from sync.relay.webhook_paths import callback_paths
from sync.sandbox import SandboxConfig, SandboxServer
from tests.relay.conftest import Relay
from tests.relay.console_helpers import csrf_of, make_owner, sign_in


@pytest.fixture
def paid(relay_factory: Any) -> Iterator[tuple[Relay, SandboxServer, dict[str, Any], str]]:
    relay: Relay = relay_factory(public_base_url="self")
    shop_id, token = relay.shop()
    paystack_url = relay.url + callback_paths(shop_id, token)["paystack"]
    sandbox = SandboxServer(SandboxConfig(paystack_webhook_url=paystack_url, callback_delay_s=0))
    base = sandbox.start()
    secret = {"secret_key": sandbox.config.paystack_secret_key}
    relay.store.set_credentials(shop_id, "paystack", "test", secret, base)
    till = relay.till(shop_id)
    payment_id = str(uuid.uuid4())
    reply = relay.paystack_link(till, payment_id, "SALE-77")
    assert httpx.post(f"{reply.json()['authorization_url']}/pay").status_code == 200
    deadline = time.monotonic() + 15
    while relay.store.payment(payment_id).state != "paid":  # type: ignore[union-attr]
        assert time.monotonic() < deadline, "the payment never became paid"
        time.sleep(0.05)
    try:
        yield relay, sandbox, till, payment_id
    finally:
        sandbox.stop()


def _refund(relay: Relay, till: dict[str, Any], payment_id: str, key: str, **body: Any) -> Any:
    return relay.http.post(
        f"/api/v1/terminal/payments/{payment_id}/refund",
        json={"refund_id": key, "amount_minor": 50_000, "currency": "KES", **body},
        headers={**relay.auth(till), "Idempotency-Key": key},
    )


def test_a_refund_is_sent_once_per_refund_id(paid: Any) -> None:
    relay, sandbox, till, payment_id = paid
    key = str(uuid.uuid4())
    first = _refund(relay, till, payment_id, key, reason="damaged")
    again = _refund(relay, till, payment_id, key, reason="damaged")
    assert first.status_code == 200, first.text
    assert again.json() == first.json()
    assert first.json()["amount_minor"] == 50_000 and first.json()["refund_id"] == key
    assert sandbox.state.paystack["SALE-77"].refunded == 50_000
    other = _refund(relay, till, payment_id, key, reason="another body")
    assert other.status_code == 409


def test_refusals(paid: Any) -> None:
    relay, _sandbox, till, payment_id = paid
    assert _refund(relay, till, str(uuid.uuid4()), str(uuid.uuid4())).status_code == 404
    too_much = _refund(relay, till, payment_id, str(uuid.uuid4()), amount_minor=150_001)
    assert too_much.status_code == 422
    no_key = relay.http.post(
        f"/api/v1/terminal/payments/{payment_id}/refund",
        json={"refund_id": str(uuid.uuid4()), "amount_minor": 1, "currency": "KES"},
        headers=relay.auth(till),
    )
    assert no_key.status_code == 400
    unauthenticated = relay.http.post(f"/api/v1/terminal/payments/{payment_id}/refund", json={})
    assert unauthenticated.status_code == 401


def test_a_refund_still_being_handled_says_so_in_a_code(
    paid: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    relay, sandbox, till, payment_id = paid
    monkeypatch.setattr(idempotency, "WAIT_FOR_FIRST_S", 0.2)
    key = str(uuid.uuid4())
    body = json.dumps({"refund_id": key, "amount_minor": 50_000, "currency": "KES"}).encode()
    # the first request with this key has claimed it and not answered yet
    claim = relay.store.claim_idempotency_key(
        till["shop_id"], f"refund:{key}", till["terminal_id"], request_hash(body)
    )
    assert claim == ("new", None)
    reply = relay.http.post(
        f"/api/v1/terminal/payments/{payment_id}/refund",
        content=body,
        headers={**relay.auth(till), "Idempotency-Key": key, "Content-Type": "application/json"},
    )
    assert reply.status_code == 409
    assert reply.json()["code"] == ErrorCode.IN_PROGRESS == "in_progress"
    assert sandbox.state.paystack["SALE-77"].refunded == 0
    # a plain refusal carries no code
    assert "code" not in _refund(relay, till, payment_id, key, amount_minor=1).json()


def test_the_owner_refunds_above_the_tills_limit_from_the_console(paid: Any) -> None:
    relay, sandbox, till, payment_id = paid
    shop_id = relay.store.payment(payment_id).shop_id  # type: ignore[union-attr]
    client = sign_in(relay, make_owner(relay, "refunds@example.com", shop_id))
    csrf = csrf_of(client.get(f"/console/shops/{shop_id}/providers").text)
    client.post(f"/console/shops/{shop_id}/refund-limit", data={"csrf": csrf, "limit": "500"})
    assert _refund(
        relay, till, payment_id, str(uuid.uuid4()), amount_minor=100_000
    ).status_code == (403)
    page = client.get(f"/console/shops/{shop_id}/payments").text
    refund_id = re.search(r'name="refund_id" value="([^"]+)"', page)
    assert refund_id is not None and f"refund-{payment_id}" in page
    url = f"/console/shops/{shop_id}/payments/{payment_id}/refund"
    form = {"csrf": csrf_of(page), "refund_id": refund_id.group(1), "reason": "returned"}
    assert client.post(url, data={**form, "amount": "1000"} | {"csrf": "x"}).status_code == 403
    assert relay.http.post(url, data=form, headers=relay.auth(till)).status_code == 403
    too_much = client.post(url, data={**form, "amount": "1500.01"})
    assert too_much.status_code == 422 and "larger than the payment" in too_much.text
    for _ in range(2):  # the same form sent twice refunds once
        done = client.post(url, data={**form, "amount": "1,000"})
        assert done.status_code == 303, done.text
    assert sandbox.state.paystack["SALE-77"].refunded == 100_000
    audit = [e for e in relay.store.audit_entries(shop_id) if e.action == "owner_refund"]
    assert [(e.actor, e.detail["amount_minor"], e.detail["refund_id"]) for e in audit] == [
        ("owner:refunds@example.com", 100_000, refund_id.group(1))
    ]
