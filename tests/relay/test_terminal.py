"""Terminal API against the real relay: pairing, auth, push sequence, long-poll."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from tests.relay.c2b_support import asked_paths
from tests.relay.conftest import Relay, sample

JSON = {"Content-Type": "application/json"}


def outbox(seq: int, event_id: str | None = None) -> dict[str, Any]:
    return {
        "event_id": event_id or str(uuid.uuid4()),
        "till_seq": seq,
        "type": "payment.recorded",
        "occurred_at": datetime.now(UTC).isoformat(),
        "payload": {"amount_minor": 1500, "currency": "KES"},
    }


def test_pairing_code_is_one_time_and_revocation_locks_out(relay: Relay) -> None:
    shop_id, _ = relay.shop()
    code = relay.store.create_pairing_code(shop_id, 60)
    first = relay.http.post("/api/v1/terminal/pair", json={"pairing_code": code, "till_name": "A"})
    assert first.status_code == 200
    assert first.json()["shop_id"] == shop_id
    again = relay.http.post("/api/v1/terminal/pair", json={"pairing_code": code, "till_name": "B"})
    assert again.status_code == 404
    expired = relay.store.create_pairing_code(shop_id, -1)
    late = relay.http.post(
        "/api/v1/terminal/pair", json={"pairing_code": expired, "till_name": "C"}
    )
    assert late.status_code == 404
    till = first.json()
    assert relay.http.get("/api/v1/terminal/events", headers=relay.auth(till)).status_code == 200
    assert relay.http.get("/api/v1/terminal/events").status_code == 401
    assert (
        relay.http.get(
            "/api/v1/terminal/events", headers={"Authorization": "Bearer nope"}
        ).status_code
        == 401
    )
    assert relay.store.revoke_till(till["terminal_id"])
    assert relay.http.get("/api/v1/terminal/events", headers=relay.auth(till)).status_code == 401


def test_push_is_idempotent_and_refuses_gaps(relay: Relay) -> None:
    shop_id, _ = relay.shop()
    till = relay.till(shop_id)
    url, auth = "/api/v1/terminal/events", relay.auth(till)
    e1, e2, e3 = outbox(1), outbox(2), outbox(3)
    first = relay.http.post(url, json={"events": [e1, e2]}, headers=auth)
    assert first.status_code == 200
    assert [r["status"] for r in first.json()["results"]] == ["accepted", "accepted"]
    assert first.json()["next_till_seq"] == 3
    gap = relay.http.post(url, json={"events": [outbox(5)]}, headers=auth)
    assert gap.status_code == 409
    assert gap.json() == {"detail": "till_seq_gap", "expected_till_seq": 3}
    resent = relay.http.post(url, json={"events": [e2, e3]}, headers=auth)
    results = resent.json()["results"]
    assert [r["status"] for r in results] == ["duplicate", "accepted"]
    assert results[0]["first_received_at"] is not None
    reused = relay.http.post(url, json={"events": [outbox(2)]}, headers=auth)
    assert reused.json()["results"][0]["status"] == "rejected"
    stored = relay.store.till_events(till["terminal_id"])
    assert [(r.till_seq, r.event_id) for r in stored] == [
        (1, e1["event_id"]),
        (2, e2["event_id"]),
        (3, e3["event_id"]),
    ]
    bad = relay.http.post(url, json={"events": [{"till_seq": 4}]}, headers=auth)
    assert bad.status_code == 422


def test_long_poll_is_woken_by_the_event_not_by_its_fallback(relay_factory: Any) -> None:
    # The fallback re-read is pushed far out, so a poll that returns soon after the commit
    # was woken by the hub; a wall-clock bound of a few hundred ms flaked on a loaded CI.
    relay: Relay = relay_factory(long_poll_fallback_s=30.0)
    shop_id, token = relay.shop()
    till = relay.till(shop_id)
    got: dict[str, Any] = {}

    def wait_for_event() -> None:
        reply = relay.http.get(
            "/api/v1/terminal/events", params={"after": 0, "wait": 25}, headers=relay.auth(till)
        )
        got["at"] = time.monotonic()
        got["body"] = reply.json()

    relay.http.post(
        f"/api/v1/payments/webhook/mobile/{token}/c2b/confirm",
        content=sample("c2b_confirmation_2017_doc.json"),
        headers=JSON,
    )
    [(path, result)] = asked_paths(relay, shop_id, token)
    waiter = threading.Thread(target=wait_for_event)
    waiter.start()
    time.sleep(0.5)
    relay.http.post(path, content=result, headers=JSON)  # Daraja confirms the C2B claim
    answered = time.monotonic()
    waiter.join(timeout=30)
    assert got["body"]["cursor"] == "1"
    assert got["body"]["events"][0]["receipt"] == "LGR219G3EY"
    assert got["at"] - answered < 5.0, "the poll waited for its fallback, not the wake-up"
    again = relay.http.get("/api/v1/terminal/events", params={"after": 1}, headers=relay.auth(till))
    assert again.json() == {"events": [], "cursor": "1"}
