"""Text receipts through the real relay over HTTP on 127.0.0.1: a till pushes
sms.receipt_requested, the relay sends it once through Africa's Talking (mocked with respx at
the relay's HTTP boundary, in its documented shapes) and streams sent / failed / unknown back
on the pull; the number is sealed at rest and never on the stream (docs/sms.md)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from sync.protocol import SMS_RECEIPT_REQUESTED
from sync.relay.sms_sender import NO_ACCOUNT
from sync.relay.store.sms import SmsBooks
from tests.relay.conftest import Relay

AT = "https://api.africastalking.com/version1/messaging"
PHONE = "+254712345678"
KEY = "atsk_relay_key_0001"
TEXT = "Duka la Baraka\nReceipt TILL1-000007\nTotal KES 830.00\nPaid M-Pesa KES 830.00"
SENT = {
    "SMSMessageData": {
        "Message": "Sent to 1/1 Total Cost: KES 0.8000",
        "Recipients": [{
            "statusCode": 101, "number": PHONE, "status": "Success", "cost": "KES 0.8000",
            "messageId": "ATXid_0001",
        }],
    }
}  # fmt: skip


@pytest.fixture
def africastalking() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        router.route(host="127.0.0.1").pass_through()
        yield router


class Till:
    def __init__(self, relay: Relay, shop_id: str) -> None:
        self.relay = relay
        self.till = relay.till(shop_id)
        self.till_seq = 0
        self.cursor = "0"

    def push(self, request_id: str, event_id: str | None = None, seq: int | None = None) -> str:
        if seq is None:
            self.till_seq += 1
        event_id = event_id or str(uuid.uuid4())
        event = {
            "event_id": event_id,
            "till_seq": seq or self.till_seq,
            "type": SMS_RECEIPT_REQUESTED,
            "occurred_at": datetime.now(UTC).isoformat(),
            "payload": {"request_id": request_id, "to": PHONE, "message": TEXT},
        }
        reply = self.relay.http.post(
            "/api/v1/terminal/events", json={"events": [event]}, headers=self.relay.auth(self.till)
        )
        assert reply.status_code == 200, reply.text
        return event_id

    def outcomes(self, count: int, within_s: float = 15) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        deadline = time.monotonic() + within_s
        while len(found) < count and time.monotonic() < deadline:
            reply = self.relay.http.get(
                "/api/v1/terminal/events",
                params={"after": self.cursor, "wait": 2},
                headers=self.relay.auth(self.till),
            )
            assert PHONE not in reply.text and "712345678" not in reply.text
            body = reply.json()
            found += body.get("sms", [])
            self.cursor = body["cursor"]
        assert len(found) == count, found
        return found


def sms_shop(relay: Relay, with_account: bool = True) -> Till:
    shop_id, _ = relay.shop()
    if with_account:
        relay.store.set_credentials(
            shop_id, "africastalking", "live",
            {"username": "duka", "api_key": KEY, "sender_id": "DUKA"}, None,
        )  # fmt: skip
    return Till(relay, shop_id)


def test_a_text_is_sent_once_and_its_number_stays_sealed(
    relay: Relay, africastalking: respx.MockRouter
) -> None:
    route = africastalking.post(AT).respond(201, json=SENT)
    till = sms_shop(relay)
    request_id = str(uuid.uuid4())
    event_id = till.push(request_id)
    [outcome] = till.outcomes(1)
    assert outcome["type"] == "sms.sent" and outcome["request_id"] == request_id
    assert outcome["till_id"] == till.till["terminal_id"]
    assert route.call_count == 1
    sent = route.calls.last.request
    assert sent.headers["apiKey"] == KEY and sent.headers["Accept"] == "application/json"
    assert parse_qs(sent.content.decode()) == {
        "username": ["duka"], "to": [PHONE], "message": [TEXT], "from": ["DUKA"]
    }  # fmt: skip
    # the same event pushed again (a lost push reply) sends nothing more
    till.push(request_id, event_id=event_id, seq=till.till_seq)
    time.sleep(0.6)  # three rounds of the sender
    assert route.call_count == 1
    if relay.settings.database_url.startswith("sqlite"):
        database = Path(relay.settings.database_url.removeprefix("sqlite:///"))
        files = list(database.parent.glob(database.name + "*"))
        assert database in files
        for path in files:
            stored = path.read_bytes()
            assert b"712345678" not in stored and KEY.encode() not in stored


def test_a_timeout_after_sending_is_unknown_and_never_resent(
    relay: Relay, africastalking: respx.MockRouter
) -> None:
    route = africastalking.post(AT).mock(side_effect=httpx.ReadTimeout("lost reply"))
    till = sms_shop(relay)
    request_id = str(uuid.uuid4())
    till.push(request_id)
    [outcome] = till.outcomes(1)
    assert outcome["type"] == "sms.unknown" and "no answer" in outcome["reason"]
    time.sleep(0.6)
    assert route.call_count == 1
    assert SmsBooks(relay.store).state_of(till.till["terminal_id"], request_id) == "unknown"


def test_a_refused_number_fails_with_a_reason(
    relay: Relay, africastalking: respx.MockRouter
) -> None:
    refused = {
        "SMSMessageData": {
            "Message": "Sent to 0/1 Total Cost: 0",
            "Recipients": [{
                "statusCode": 406, "number": PHONE, "status": "UserInBlacklist", "cost": "0",
                "messageId": "None",
            }],
        }
    }  # fmt: skip
    africastalking.post(AT).respond(201, json=refused)
    till = sms_shop(relay)
    till.push(str(uuid.uuid4()))
    [outcome] = till.outcomes(1)
    assert outcome["type"] == "sms.failed"
    assert outcome["reason"] == "the customer has blocked messages from this sender"


def test_a_connection_never_made_is_tried_again(
    relay_factory: Any, africastalking: respx.MockRouter
) -> None:
    relay: Relay = relay_factory(sms_retry_s=0.1)
    route = africastalking.post(AT)
    route.side_effect = [httpx.ConnectError("no route"), httpx.Response(201, json=SENT)]
    till = sms_shop(relay)
    till.push(str(uuid.uuid4()))
    [outcome] = till.outcomes(1)
    assert outcome["type"] == "sms.sent" and route.call_count == 2


def test_a_shop_without_an_sms_account_is_told(
    relay: Relay, africastalking: respx.MockRouter
) -> None:
    route = africastalking.post(AT).respond(201, json=SENT)
    till = sms_shop(relay, with_account=False)
    till.push(str(uuid.uuid4()))
    [outcome] = till.outcomes(1)
    assert outcome == {**outcome, "type": "sms.failed", "reason": NO_ACCOUNT}
    assert route.call_count == 0
