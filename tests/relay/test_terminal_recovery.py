"""GET /api/v1/terminal/own-events: a till pages through the events it pushed itself."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from tests.relay.conftest import Relay

URL = "/api/v1/terminal/own-events"


def _event(seq: int) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "till_seq": seq,
        "type": "sale.cash",
        "occurred_at": datetime.now(UTC).isoformat(),
        "payload": {"payment": {"amount_minor": 1000 + seq, "currency": "KES"}},
    }


def test_a_till_pages_through_its_own_events_only(relay: Relay) -> None:
    shop_id, _ = relay.shop()
    till, other = relay.till(shop_id), relay.till(shop_id, "Till 2")
    pushed = [_event(seq) for seq in range(1, 6)]
    reply = relay.http.post(
        "/api/v1/terminal/events", json={"events": pushed}, headers=relay.auth(till)
    )
    assert reply.status_code == 200

    page = relay.http.get(URL, params={"after": 2, "limit": 2}, headers=relay.auth(till)).json()
    assert [e["till_seq"] for e in page["events"]] == [3, 4]
    assert [e["event_id"] for e in page["events"]] == [pushed[2]["event_id"], pushed[3]["event_id"]]
    assert page["events"][0]["payload"] == pushed[2]["payload"]
    assert page["next_till_seq"] == 6
    rest = relay.http.get(URL, params={"after": 4}, headers=relay.auth(till)).json()
    assert [e["till_seq"] for e in rest["events"]] == [5]

    theirs = relay.http.get(URL, headers=relay.auth(other)).json()
    assert theirs == {"events": [], "next_till_seq": 1}
    assert relay.http.get(URL).status_code == 401
    assert relay.http.get(URL, params={"limit": 0}, headers=relay.auth(till)).status_code == 400
