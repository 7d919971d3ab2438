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

import httpx
import pytest
import respx
from cryptography.exceptions import InvalidTag
from sqlalchemy import insert, select, update

from sync.protocol import EventStatus, PaymentChannel, Provider
from sync.providers.phones import mask_payer
from sync.relay.app import open_store
from sync.relay.store import schema as t
from sync.relay.store.at_rest import open_payload
from sync.relay.store.store import EventDraft, ParkDraft
from tests.relay.conftest import Relay, make_settings, sample
from tests.relay.test_webhooks import add_stk_payment, paystack_post

PHONE = "254712345678"
MPESA_CODE = "SLK4H5J6K7"
PROOF_REF = "PROOF-REF-77123"
NOTE = "customer Wanjiku paid by friend"
SAMPLE_MSISDN = "254708374149"  # the 2017 C2B confirmation sample's full number
C2B_RECEIPT = "LGR219G3EY"  # ... and its receipt (its account reference, "xyz", is too short
# to look for in raw bytes)
SALE_REF = "SALE-SECRET-4711"
STK_REF = "INV-SECRET-0088"
STK_CHECKOUT = "ws_CO_27072017154747416"  # the 2017 STK callback sample's push ...
STK_RECEIPT = "LGR7OWQX0R"  # ... its receipt ...
STK_PHONE = "254721566839"  # ... and payer
OTHER_CHECKOUT = "ws_CO_191220191020363925"  # the Daraja 3 sample: a push the relay never made
OTHER_RECEIPT = "NLJ7RT61SV"
PARKED_REF = "qTPrJoy9Bx"  # the Paystack sample's reference: no such sale
PAYSTACK = "https://api.paystack.co"
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


def stored_values(relay: Relay) -> bytes:
    """Every value of every table as the database hands it out: what a stolen copy (or a
    pg_dump) of the database shows."""
    parts: list[bytes] = []
    with relay.store.read() as conn:
        for table in t.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                for value in row:
                    is_bytes = isinstance(value, bytes | memoryview)
                    text = bytes(value) if is_bytes else json.dumps(value, default=str).encode()
                    parts.append(text)
    return b"\n".join(parts)


def a_day_of_payments(relay: Relay, shop_id: str, token: str, till: dict[str, Any]) -> str:
    """A Paystack sale verified and streamed, an STK push answered and settled, webhooks parked
    for an unknown reference and an unknown push. -> the STK payment's id."""
    with respx.mock(assert_all_called=False) as providers:
        providers.route(host="127.0.0.1").pass_through()
        providers.post(f"{PAYSTACK}/transaction/initialize").mock(
            return_value=httpx.Response(200, content=sample("paystack_initialize_response.json"))
        )
        verified = json.loads(sample("paystack_verify_success.json"))
        verified["data"].update(
            reference=SALE_REF, amount=150_000, currency="KES", requested_amount=150_000
        )
        providers.get(f"{PAYSTACK}/transaction/verify/{SALE_REF}").mock(
            return_value=httpx.Response(200, json=verified)
        )
        assert relay.paystack_link(till, str(uuid.uuid4()), SALE_REF).status_code == 200
        webhook = json.loads(sample("paystack_charge_success_webhook.json"))
        webhook["data"].update(reference=SALE_REF, amount=150_000, currency="KES")
        assert paystack_post(relay, shop_id, json.dumps(webhook).encode()) == 200
        auth = relay.auth(till)
        pulled = relay.http.get("/api/v1/terminal/events", params={"wait": 5}, headers=auth)
        assert [e["reference"] for e in pulled.json()["events"]] == [SALE_REF]
    assert paystack_post(relay, shop_id, sample("paystack_charge_success_webhook.json")) == 200
    stk_id = add_stk_payment(relay, shop_id, till["terminal_id"], STK_CHECKOUT, 100)
    relay.store.update_payment(stk_id, reference=STK_REF)
    url = f"/api/v1/payments/webhook/mobile/{token}/stk"
    for name in ("stk_callback_success_2017_doc.json", "stk_callback_success_daraja3_doc.json"):
        assert relay.http.post(url, content=sample(name), headers=JSON).status_code == 200
    paid = EventDraft(
        dedup_key=f"payment:{stk_id}", provider=Provider.MPESA,
        channel=PaymentChannel.MPESA_STK, status=EventStatus.PAID, occurred_at=datetime.now(UTC),
        test_mode=True, payment_id=stk_id, reference=STK_REF, amount_minor=100, currency="KES",
        receipt=STK_RECEIPT, payer=mask_payer(STK_PHONE),
    )  # fmt: skip
    assert relay.store.record_outcome(shop_id, paid, None).verdict == "event"
    return stk_id


def test_a_day_leaves_no_personal_data_in_the_database(relay: Relay, tmp_path: Path) -> None:
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
    stk_id = a_day_of_payments(relay, shop_id, token, till)
    secrets = (
        PHONE, MPESA_CODE, PROOF_REF, NOTE, SAMPLE_MSISDN, SALE_REF, STK_REF, STK_CHECKOUT,
        STK_RECEIPT, STK_PHONE, OTHER_CHECKOUT, OTHER_RECEIPT, PARKED_REF, C2B_RECEIPT,
    )  # fmt: skip
    stored = stored_values(relay)
    files = database_bytes(tmp_path) if relay.store.sqlite else b""
    assert stored and (files or not relay.store.sqlite), "the relay wrote its rows"
    for secret in secrets:
        assert secret.encode() not in stored, secret
        assert secret.encode() not in files, secret
    # ... and the relay itself still reads them, and finds them by their blind indexes.
    (first, _) = relay.store.till_events(till["terminal_id"])
    assert first.payload["note"] == NOTE
    with relay.store.read() as conn:
        raw_id = conn.execute(
            select(t.raw_webhooks.c.id).where(t.raw_webhooks.c.kind == "c2b_confirmation")
        ).scalar_one()
    raw = relay.store.raw_webhook(raw_id)
    assert raw is not None and json.loads(raw.body)["MSISDN"] == SAMPLE_MSISDN
    (claim,) = relay.store.c2b_claims(shop_id)
    assert (claim.trans_id, claim.bill_ref) == (C2B_RECEIPT, "xyz")
    payment = relay.store.payment(stk_id)
    assert payment is not None
    assert (payment.reference, payment.checkout_request_id, payment.receipt) == (
        STK_REF, STK_CHECKOUT, STK_RECEIPT,
    )  # fmt: skip
    assert [e.receipt for e in relay.store.events_after(shop_id, 0, 10)][-1] == STK_RECEIPT
    summaries = {p.reason: p.summary for p in relay.store.parked(shop_id)}
    assert summaries["unknown_reference"]  # the Paystack sample or the unknown push
    assert {PARKED_REF, OTHER_RECEIPT} <= {
        str(v) for p in relay.store.parked(shop_id) for v in p.summary.values()
    }
    with relay.store.read() as conn:
        assert relay.store.payment_by_checkout(conn, shop_id, STK_CHECKOUT) == payment
    # A repeat of the settled outcome is still a duplicate: the keys are found blind.
    assert relay.store.record_outcome(shop_id, replace_receipt(stk_id), None).verdict == (
        "duplicate"
    )


def replace_receipt(stk_id: str) -> EventDraft:
    return EventDraft(
        dedup_key=f"payment:{stk_id}", provider=Provider.MPESA, channel=PaymentChannel.MPESA_STK,
        status=EventStatus.PAID, occurred_at=datetime.now(UTC), test_mode=True,
        payment_id=stk_id, receipt=STK_RECEIPT,
    )  # fmt: skip


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


def test_clear_books_of_an_older_relay_are_sealed_and_found_at_start(relay: Relay) -> None:
    shop_id, _ = relay.shop()
    payment_id, event_id, now = str(uuid.uuid4()), str(uuid.uuid4()), datetime.now(UTC)
    with relay.store.write() as conn:  # as a relay before migration 0005 wrote them
        conn.execute(
            insert(t.payments).values(
                payment_id=payment_id, shop_id=shop_id, till_id="t", provider="mpesa",
                test_mode=True, reference=STK_REF, checkout_request_id=STK_CHECKOUT,
                amount_minor=100, currency="KES", state="paid", receipt=STK_RECEIPT,
                created_at=now, updated_at=now,
            )
        )  # fmt: skip
        conn.execute(
            insert(t.canonical_events).values(
                shop_id=shop_id, seq=1, event_id=event_id, provider="mpesa", channel="mpesa_stk",
                payment_id=payment_id, reference=STK_REF, status="paid", amount_minor=100,
                currency="KES", receipt=STK_RECEIPT, payer="2547 **** 839", occurred_at=now,
                received_at=now, test_mode=True, dedup_key=f"mpesa:stk:{STK_CHECKOUT}",
            )
        )  # fmt: skip
        conn.execute(
            insert(t.parked).values(
                shop_id=shop_id, provider="paystack", reason="unknown_reference",
                dedup_key=f"paystack:charge.success:{PARKED_REF}",
                summary={"reference": PARKED_REF}, created_at=now,
            )
        )  # fmt: skip
        conn.execute(update(t.shops).where(t.shops.c.id == shop_id).values(last_seq=1))
        conn.execute(
            insert(t.c2b_claims).values(
                shop_id=shop_id, trans_id=C2B_RECEIPT, test_mode=True, amount_minor=100,
                currency="KES", short_code="600984", bill_ref="ACC-SECRET-9", payer=None,
                trans_time=now, state="claimed", attempts=0, created_at=now,
            )
        )  # fmt: skip
        conn.execute(
            insert(t.c2b_references).values(
                shop_id=shop_id, reference="ACC-SECRET-9", till_id="t", shown_at=now
            )
        )
        conn.execute(
            insert(t.c2b_grants).values(
                shop_id=shop_id, receipt=C2B_RECEIPT, till_id="t", how="reference",
                granted_at=now,
            )
        )  # fmt: skip
    reopened = open_store(relay.settings)
    try:
        stored = stored_values(relay)
        for secret in (STK_REF, STK_CHECKOUT, STK_RECEIPT, PARKED_REF, C2B_RECEIPT, "ACC-SECRET"):
            assert secret.encode() not in stored, secret
        payment = reopened.payment(payment_id)
        assert payment is not None and (payment.reference, payment.receipt) == (
            STK_REF, STK_RECEIPT,
        )  # fmt: skip
        with reopened.read() as conn:
            assert reopened.payment_by_checkout(conn, shop_id, STK_CHECKOUT) == payment
            by_reference = reopened.payment_by_reference(conn, shop_id, "mpesa", STK_REF)
            assert by_reference == payment
        (event,) = reopened.events_after(shop_id, 0, 10)
        assert (event.reference, event.receipt, event.payer) == (
            STK_REF, STK_RECEIPT, "2547 **** 839",
        )  # fmt: skip
        assert [p.summary for p in reopened.parked(shop_id)] == [{"reference": PARKED_REF}]
        parked_again = ParkDraft(
            "unknown_reference", f"paystack:charge.success:{PARKED_REF}", {"again": True}
        )
        assert reopened.record_outcome(shop_id, parked_again, None).verdict == "duplicate"
        (claim,) = reopened.c2b_claims(shop_id)
        assert (claim.trans_id, claim.bill_ref) == (C2B_RECEIPT, "ACC-SECRET-9")
        with reopened.read() as conn:
            assert reopened.reference_owner(conn, shop_id, "acc-secret-9 ") == "t"
            held = reopened.grant_c2b(conn, shop_id, C2B_RECEIPT, "other till", "manual")
            assert (held.till_id, held.receipt) == ("t", C2B_RECEIPT)
        assert open_store(relay.settings).payment(payment_id) == payment  # idempotent
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


def test_a_reference_that_looks_sealed_is_sealed_too(relay: Relay) -> None:
    shop_id, _ = relay.shop()
    till = relay.till(shop_id)
    payment_id = add_stk_payment(relay, shop_id, till["terminal_id"], STK_CHECKOUT, 100)
    relay.store.update_payment(payment_id, reference="s1:typed-by-a-customer")
    payment = relay.store.payment(payment_id)
    assert payment is not None and payment.reference == "s1:typed-by-a-customer"
    assert b"typed-by-a-customer" not in stored_values(relay)
