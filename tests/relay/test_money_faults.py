"""Issue 11, as the attacker and the fault injector: money is never forged, lost or doubled.

Every test talks to the real relay over HTTP on 127.0.0.1 and asserts what happens to money.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from sync.relay.store.engine import IMMEDIATE
from sync.sandbox import SandboxConfig, SandboxServer
from tests.relay.c2b_support import confirm_claims
from tests.relay.conftest import Relay, free_port, sample

JSON = {"Content-Type": "application/json"}


def c2b_bodies(count: int, prefix: str = "QF") -> list[bytes]:
    template = json.loads(sample("c2b_confirmation_2017_doc.json"))
    return [json.dumps({**template, "TransID": f"{prefix}{i:08d}"}).encode() for i in range(count)]


async def post_all(relay: Relay, path: str, bodies: list[bytes]) -> list[int]:
    """All at once, as a burst from Daraja."""
    async with httpx.AsyncClient(base_url=relay.url, timeout=30) as client:
        replies = await asyncio.gather(
            *(client.post(path, content=body, headers=JSON) for body in bodies)
        )
    return [reply.status_code for reply in replies]


def stored_confirmations(relay: Relay) -> int:
    with relay.store.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT count(*) FROM raw_webhooks WHERE kind = 'c2b_confirmation'"
        )
        return int(rows.scalar_one())


def is_write(conn: Any) -> bool:
    """Reads commit too; a full disk fails only the commits that write."""
    return bool(conn.get_execution_options().get(IMMEDIATE, False))


def test_failed_commits_under_load_are_never_acknowledged(relay: Relay) -> None:
    """Disk full / database gone mid-burst: every webhook acknowledged is stored, and the ones
    that were not stored are answered 5xx so that Daraja delivers them again."""
    _shop_id, token = relay.shop()
    path = f"/api/v1/payments/webhook/mobile/{token}/c2b/confirm"
    failing = {"on": True}

    def disk_full(conn: Any) -> None:
        if failing["on"] and is_write(conn):
            raise OperationalError("COMMIT", {}, Exception("database or disk is full"))

    event.listen(relay.store.engine, "commit", disk_full)
    bodies = c2b_bodies(40)
    statuses = asyncio.run(post_all(relay, path, bodies))
    acknowledged = statuses.count(200)
    failing["on"] = False
    assert stored_confirmations(relay) == acknowledged == 0
    assert set(statuses) == {503}
    # Daraja redelivers: now every one is stored exactly once.
    assert set(asyncio.run(post_all(relay, path, bodies))) == {200}
    assert stored_confirmations(relay) == 40


def test_commits_failing_for_part_of_a_burst(relay: Relay) -> None:
    """Commits fail for a while during a burst: acknowledged == stored at every count."""
    _shop_id, token = relay.shop()
    path = f"/api/v1/payments/webhook/mobile/{token}/c2b/confirm"
    commits = {"n": 0}

    def every_third_fails(conn: Any) -> None:
        if not is_write(conn):
            return
        commits["n"] += 1
        if commits["n"] % 3 == 0:
            raise OperationalError("COMMIT", {}, Exception("could not write to file"))

    event.listen(relay.store.engine, "commit", every_third_fails)
    statuses = asyncio.run(post_all(relay, path, c2b_bodies(120, "QP")))
    event.remove(relay.store.engine, "commit", every_third_fails)
    assert set(statuses) <= {200, 503}
    assert stored_confirmations(relay) == statuses.count(200)


def stk_request(relay: Relay, till: dict[str, Any], payment_id: str, **body: Any) -> httpx.Response:
    return relay.http.post(
        "/api/v1/terminal/payments/mpesa-stk",
        json={
            "payment_id": payment_id,
            "phone": "0712345678",
            "amount_minor": 10_000,
            "currency": "KES",
            "account_reference": "INV-1",
            **body,
        },
        headers={**relay.auth(till), "Idempotency-Key": payment_id},
    )


def daraja_credentials() -> dict[str, str]:
    return SandboxConfig().daraja_credentials(initiator=False)


def test_retry_after_502_with_the_same_key_starts_the_payment(relay: Relay) -> None:
    """Daraja not reached (502): nothing was sent, so the documented retry with the same key
    must start the payment, not get 409 in_progress until the 90-day purge."""
    shop_id, _ = relay.shop()
    till = relay.till(shop_id)
    nowhere = f"http://127.0.0.1:{free_port()}"
    relay.store.set_credentials(shop_id, "mpesa", "test", daraja_credentials(), nowhere)
    payment_id = str(uuid.uuid4())
    assert stk_request(relay, till, payment_id).status_code == 502
    sandbox = SandboxServer(SandboxConfig(callback_delay_s=0.2))
    base = sandbox.start()
    try:
        relay.store.set_credentials(shop_id, "mpesa", "test", daraja_credentials(), base)
        retry = stk_request(relay, till, payment_id)
        assert retry.status_code == 200, retry.text
        assert retry.json()["state"] == "pending" and retry.json()["checkout_request_id"]
    finally:
        sandbox.stop()


def test_another_shops_payment_id_is_409_not_500(relay: Relay) -> None:
    sandbox = SandboxServer(SandboxConfig(callback_delay_s=0.2))
    base = sandbox.start()
    try:
        tills = []
        for name in ("A", "B"):
            shop_id, _ = relay.shop(name)
            relay.store.set_credentials(shop_id, "mpesa", "test", daraja_credentials(), base)
            tills.append(relay.till(shop_id))
        till_a, till_b = tills
        payment_id = str(uuid.uuid4())
        assert stk_request(relay, till_a, payment_id).status_code == 200
        reused = stk_request(relay, till_b, payment_id, amount_minor=20_000)
        assert reused.status_code == 409, reused.text
        assert till_a["shop_id"] not in reused.text
        view = relay.http.get(f"/api/v1/terminal/payments/{payment_id}", headers=relay.auth(till_b))
        assert view.status_code == 404  # B learns nothing of A's payment
        kept = relay.store.payment(payment_id)
        assert kept is not None and kept.amount_minor == 10_000  # A's is untouched
    finally:
        sandbox.stop()


def test_numbers_past_2_63_are_422_not_500(relay: Relay) -> None:
    shop_id, token = relay.shop()
    till = relay.till(shop_id)
    huge = 2**63
    assert stk_request(relay, till, str(uuid.uuid4()), amount_minor=huge).status_code == 422
    assert relay.paystack_link(till, str(uuid.uuid4()), "S-1", huge).status_code == 422
    pull = relay.http.get(
        "/api/v1/terminal/events", params={"after": str(huge)}, headers=relay.auth(till)
    )
    assert pull.status_code == 422
    push = relay.http.post(
        "/api/v1/terminal/events",
        json={"events": [{"event_id": str(uuid.uuid4()), "till_seq": huge, "type": "x",
                          "occurred_at": "2026-12-01T10:00:00+00:00", "payload": {}}]},
        headers=relay.auth(till),
    )  # fmt: skip
    assert push.status_code == 422
    body = json.loads(sample("c2b_confirmation_2017_doc.json"))
    body["TransAmount"] = str(huge)
    c2b = relay.http.post(
        f"/api/v1/payments/webhook/mobile/{token}/c2b/confirm", json=body, headers=JSON
    )
    assert c2b.status_code == 400
    assert relay.http.get("/healthz").status_code == 200


def test_a_trans_id_seen_at_shop_a_does_not_drop_shop_bs_payment(relay: Relay) -> None:
    """Someone posts shop B's M-Pesa transaction id to shop A first (A's token is theirs);
    B's genuine confirmation must still reach B."""
    _shop_a, token_a = relay.shop("A")
    shop_b, token_b = relay.shop("B")
    till_b = relay.till(shop_b)
    body = c2b_bodies(1, "QB")[0]
    for token in (token_a, token_b):
        path = f"/api/v1/payments/webhook/mobile/{token}/c2b/confirm"
        assert relay.http.post(path, content=body, headers=JSON).status_code == 200
    assert relay.store.count_raw("duplicate") == 0
    confirm_claims(relay, shop_b, token_b)  # Daraja confirms B's claim
    pulled = relay.http.get(
        "/api/v1/terminal/events", params={"wait": 10}, headers=relay.auth(till_b)
    ).json()["events"]
    assert [e["receipt"] for e in pulled] == ["QB00000000"]
