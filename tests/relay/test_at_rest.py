"""Personal data at rest on the relay: the raw database and WAL bytes after a day of pushes and
webhooks hold no phone number, M-Pesa code, proof reference or note of a till's events nor the
webhooks' full MSISDNs; rows are bound to their place; older clear rows get sealed; the files
are private."""

from __future__ import annotations

import json
import stat
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from sqlalchemy import insert, select, update

from sync.relay.app import open_store
from sync.relay.store import schema as t
from sync.relay.store.at_rest import open_payload
from tests.relay.conftest import Relay, make_settings, sample

PHONE = "254712345678"
MPESA_CODE = "SLK4H5J6K7"
PROOF_REF = "PROOF-REF-77123"
NOTE = "customer Wanjiku paid by friend"
SAMPLE_MSISDN = "254708374149"  # the 2017 C2B confirmation sample's full number
JSON = {"Content-Type": "application/json"}


def pushed_event(seq: int) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "till_seq": seq,
        "type": "payment.recorded",
        "occurred_at": datetime.now(UTC).isoformat(),
        "payload": {
            "amount_minor": 1500,
            "currency": "KES",
            "phone": PHONE,
            "mpesa_code": MPESA_CODE,
            "proof_reference": PROOF_REF,
            "note": NOTE,
        },
    }


def database_bytes(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in directory.glob("relay.sqlite3*"))


def test_a_day_leaves_no_personal_data_in_the_raw_files(relay: Relay, tmp_path: Path) -> None:
    if not relay.store.sqlite:
        pytest.skip("reads the SQLite file and its WAL")
    shop_id, token = relay.shop()
    till = relay.till(shop_id)
    pushed = relay.http.post(
        "/api/v1/terminal/events",
        json={"events": [pushed_event(1), pushed_event(2)]},
        headers=relay.auth(till),
    )
    assert pushed.status_code == 200
    body = json.loads(sample("c2b_confirmation_2017_doc.json"))
    url = f"/api/v1/payments/webhook/mobile/{token}/c2b/confirm"
    reply = relay.http.post(url, content=json.dumps(body), headers=JSON)
    assert reply.status_code == 200
    raw_bytes = database_bytes(tmp_path)
    assert raw_bytes, "the relay wrote its files"
    for secret in (PHONE, MPESA_CODE, PROOF_REF, NOTE, SAMPLE_MSISDN):
        assert secret.encode() not in raw_bytes, secret
    # ... and the relay itself still reads them.
    (first, _) = relay.store.till_events(till["terminal_id"])
    assert first.payload["note"] == NOTE
    with relay.store.read() as conn:
        raw_id = conn.execute(select(t.raw_webhooks.c.id)).scalar_one()
    raw = relay.store.raw_webhook(raw_id)
    assert raw is not None and json.loads(raw.body)["MSISDN"] == SAMPLE_MSISDN


def test_a_sealed_payload_copied_to_another_row_does_not_open(relay: Relay) -> None:
    shop_id, _ = relay.shop()
    till = relay.till(shop_id)
    relay.http.post(
        "/api/v1/terminal/events",
        json={"events": [pushed_event(1), pushed_event(2)]},
        headers=relay.auth(till),
    )
    with relay.store.write() as conn:
        first, second = conn.execute(select(t.till_events).order_by(t.till_events.c.till_seq))
        conn.execute(
            update(t.till_events)
            .where(t.till_events.c.id == second.id)
            .values(payload=first.payload)
        )
    with pytest.raises(InvalidTag):
        relay.store.till_events(till["terminal_id"])


def test_clear_rows_of_an_older_relay_are_sealed_at_start(relay: Relay, tmp_path: Path) -> None:
    shop_id, _ = relay.shop()
    till = relay.till(shop_id)
    event_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    with relay.store.write() as conn:  # as an older relay wrote them
        conn.execute(
            insert(t.till_events).values(
                till_id=till["terminal_id"], shop_id=shop_id, event_id=event_id, till_seq=1,
                type="payment.recorded", occurred_at=now, payload={"note": NOTE}, received_at=now,
            )
        )  # fmt: skip
        conn.execute(
            insert(t.raw_webhooks).values(
                shop_id=shop_id, provider="mpesa", kind="c2b_confirmation", received_at=now,
                source_ip="127.0.0.1", headers={}, body=f'{{"MSISDN":"{PHONE}"}}'.encode(),
                verdict="parked",
            )
        )  # fmt: skip
    reopened = open_store(relay.settings)
    try:
        with reopened.read() as conn:
            row = conn.execute(select(t.till_events)).one()
            raw_row = conn.execute(select(t.raw_webhooks)).one()
        assert NOTE not in json.dumps(row.payload)
        assert PHONE.encode() not in bytes(raw_row.body)
        assert open_payload(reopened.box, row) == {"note": NOTE}
        opened = reopened.raw_webhook(raw_row.id)
        assert opened is not None and PHONE.encode() in opened.body
        assert open_store(relay.settings).raw_webhook(raw_row.id) == opened  # idempotent
    finally:
        reopened.close()


def test_database_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "relay-data"
    settings = make_settings(data, f"sqlite:///{data / 'relay.sqlite3'}")
    store = open_store(settings)
    try:
        store.create_shop("Private")
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        files = list(data.glob("relay.sqlite3*"))
        assert any(p.name.endswith("-wal") for p in files)
        for path in files:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    finally:
        store.close()
