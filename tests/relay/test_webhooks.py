"""Provider webhooks against the real relay: published samples, real signatures, bad input."""

from __future__ import annotations

import json
import threading
import time
import uuid
from datetime import timedelta

import httpx

from sync.providers.paystack import sign
from sync.relay.store.store import utcnow
from tests.relay.c2b_support import asked_paths, confirm_claims
from tests.relay.conftest import PAYSTACK_TEST_KEY, Relay, sample

JSON = {"Content-Type": "application/json"}
PAYSTACK_SAMPLE = "paystack_charge_success_webhook.json"


def paystack_post(relay: Relay, shop_id: str, body: bytes, key: str = PAYSTACK_TEST_KEY) -> int:
    headers = {**JSON, "x-paystack-signature": sign(body, key)}
    return relay.http.post(
        f"/api/v1/payments/webhook/paystack/{shop_id}", content=body, headers=headers
    ).status_code


def pull(relay: Relay, till: dict[str, str], after: int = 0, wait: float = 0) -> dict[str, object]:
    reply = relay.http.get(
        "/api/v1/terminal/events", params={"after": after, "wait": wait}, headers=relay.auth(till)
    )
    assert reply.status_code == 200, reply.text
    data: dict[str, object] = reply.json()
    return data


def add_stk_payment(
    relay: Relay, shop_id: str, till_id: str, checkout_id: str, amount_minor: int
) -> str:
    payment_id = str(uuid.uuid4())
    relay.store.insert_payment(
        payment_id=payment_id,
        shop_id=shop_id,
        till_id=till_id,
        provider="mpesa",
        test_mode=True,
        reference="INV-1",
        checkout_request_id=checkout_id,
        amount_minor=amount_minor,
        currency="KES",
        state="pending",
        next_check_at=utcnow() + timedelta(hours=1),
    )
    return payment_id


def test_paystack_sample_with_unknown_reference_is_parked_not_streamed(relay: Relay) -> None:
    shop_id, _ = relay.shop()
    till = relay.till(shop_id)
    body = sample(PAYSTACK_SAMPLE)
    assert paystack_post(relay, shop_id, body) == 200
    assert paystack_post(relay, shop_id, body) == 200  # Paystack retries: same answer
    parked = relay.store.parked(shop_id)
    assert [(p.reason, p.summary["reference"]) for p in parked] == [
        ("unknown_reference", "qTPrJoy9Bx")
    ]
    assert pull(relay, till)["events"] == []
    assert relay.store.count_raw("duplicate") == 1


def test_forged_and_missing_signatures_are_401_and_kept_raw(relay: Relay) -> None:
    shop_id, _ = relay.shop()
    till = relay.till(shop_id)
    body = sample(PAYSTACK_SAMPLE)
    assert paystack_post(relay, shop_id, body, key="sk_test_attacker") == 401
    unsigned = relay.http.post(
        f"/api/v1/payments/webhook/paystack/{shop_id}", content=body, headers=JSON
    )
    assert unsigned.status_code == 401
    tampered = body.replace(b"10000", b"99999")
    headers = {**JSON, "x-paystack-signature": sign(body, PAYSTACK_TEST_KEY)}
    assert (
        relay.http.post(
            f"/api/v1/payments/webhook/paystack/{shop_id}", content=tampered, headers=headers
        ).status_code
        == 401
    )
    assert relay.store.count_raw("rejected") == 3
    assert relay.store.parked(shop_id) == []
    assert pull(relay, till)["events"] == []


def test_bad_input_gets_the_right_status(relay: Relay) -> None:
    shop_id, token = relay.shop()
    base = "/api/v1/payments/webhook"
    stk = sample("stk_callback_success_2017_doc.json")
    assert (
        relay.http.post(f"{base}/mobile/{'0' * 48}/stk", content=stk, headers=JSON).status_code
        == 404
    )
    assert (
        relay.http.post(f"{base}/paystack/{uuid.uuid4()}", content=b"{}", headers=JSON).status_code
        == 404
    )
    assert (
        relay.http.post(
            f"{base}/mobile/{token}/stk", content=b"{not json", headers=JSON
        ).status_code
        == 400
    )
    assert paystack_post(relay, shop_id, b"[1, 2") == 400  # signed, but not JSON
    assert (
        relay.http.post(
            f"{base}/mobile/{token}/stk", content=stk, headers={"Content-Type": "text/plain"}
        ).status_code
        == 415
    )
    huge = b'{"pad": "' + b"x" * (relay.settings.max_body_bytes + 10) + b'"}'
    assert (
        relay.http.post(f"{base}/mobile/{token}/stk", content=huge, headers=JSON).status_code == 413
    )

    def chunks() -> object:
        yield b'{"pad": "'
        for _ in range(40):
            yield b"x" * 10_000
        yield b'"}'

    assert (
        relay.http.post(
            f"{base}/mobile/{token}/stk",
            content=chunks(),  # type: ignore[arg-type]
            headers=JSON,
        ).status_code
        == 413
    )


def test_stk_callback_samples_are_claims_until_daraja_confirms(relay: Relay) -> None:
    """Daraja signs nothing: a callback only makes the relay ask STK Query. With no Daraja
    to ask (this shop has no M-Pesa credentials), nothing reaches the tills."""
    shop_id, token = relay.shop()
    till = relay.till(shop_id)
    paid_id = add_stk_payment(relay, shop_id, till["terminal_id"], "ws_CO_27072017154747416", 100)
    cancelled_id = add_stk_payment(
        relay, shop_id, till["terminal_id"], "ws_CO_21072024125243250722943992", 5000
    )
    url = f"/api/v1/payments/webhook/mobile/{token}/stk"
    success = sample("stk_callback_success_2017_doc.json")
    for _ in range(2):  # a replayed callback is acknowledged too
        reply = relay.http.post(url, content=success, headers=JSON)
        assert reply.status_code == 200
        assert reply.json() == {"ResultCode": 0, "ResultDesc": "Accepted"}
    cancelled = sample("stk_callback_cancelled_1032_daraja3_doc.json")
    assert relay.http.post(url, content=cancelled, headers=JSON).status_code == 200
    time.sleep(0.5)  # a checker round
    assert pull(relay, till)["events"] == []
    assert relay.store.count_raw("pending") == 3
    for payment_id in (paid_id, cancelled_id):
        view = relay.http.get(f"/api/v1/terminal/payments/{payment_id}", headers=relay.auth(till))
        assert view.json()["state"] == "pending" and view.json()["event_seq"] is None


def test_stk_callback_for_wrong_amount_or_unknown_checkout_is_parked(relay: Relay) -> None:
    shop_id, token = relay.shop()
    till = relay.till(shop_id)
    add_stk_payment(relay, shop_id, till["terminal_id"], "ws_CO_27072017154747416", 50_000)
    url = f"/api/v1/payments/webhook/mobile/{token}/stk"
    relay.http.post(url, content=sample("stk_callback_success_2017_doc.json"), headers=JSON)
    relay.http.post(url, content=sample("stk_callback_success_daraja3_doc.json"), headers=JSON)
    assert sorted(p.reason for p in relay.store.parked(shop_id)) == [
        "amount_mismatch",
        "unknown_reference",
    ]
    assert pull(relay, till)["events"] == []


def test_c2b_confirmation_and_validation(relay: Relay) -> None:
    shop_id, token = relay.shop()
    till = relay.till(shop_id)
    base = f"/api/v1/payments/webhook/mobile/{token}/c2b"
    validation = relay.http.post(
        f"{base}/validate",
        content=sample("c2b_validation_request_2017_doc.json"),
        headers=JSON,
    )
    assert validation.json() == {"ResultCode": "0", "ResultDesc": "Accepted"}
    confirmation = sample("c2b_confirmation_masked_msisdn_v2_daraja3_doc.json")
    for _ in range(2):
        reply = relay.http.post(f"{base}/confirm", content=confirmation, headers=JSON)
        assert reply.status_code == 200
    assert pull(relay, till)["events"] == []  # a claim, until Daraja confirms it
    assert [c.state for c in relay.store.c2b_claims(shop_id)] == ["claimed"]
    assert relay.store.count_raw("duplicate") == 1
    confirm_claims(relay, shop_id, token)
    events = pull(relay, till)["events"]
    assert isinstance(events, list) and len(events) == 1
    event = events[0]
    assert (event["channel"], event["receipt"], event["amount_minor"], event["reference"]) == (
        "mpesa_c2b",
        "RKL51ZDR4F",
        500,
        "Sample Transaction",
    )
    assert event["payment_id"] is None
    assert "126" in event["payer"] and "*" in event["payer"]


def test_a_till_sees_only_its_own_shop(relay: Relay) -> None:
    shop_a, token_a = relay.shop("A")
    shop_b, _ = relay.shop("B")
    till_a, till_b = relay.till(shop_a), relay.till(shop_b)
    url = f"/api/v1/payments/webhook/mobile/{token_a}/c2b/confirm"
    relay.http.post(url, content=sample("c2b_confirmation_2017_doc.json"), headers=JSON)
    confirm_claims(relay, shop_a, token_a)
    assert len(pull(relay, till_a)["events"]) == 1  # type: ignore[arg-type]
    assert pull(relay, till_b)["events"] == []
    started = time.monotonic()
    assert pull(relay, till_b, wait=0.5)["events"] == []  # A's event does not wake B
    assert time.monotonic() - started >= 0.45
    payment_of_a = relay.http.get(
        f"/api/v1/terminal/payments/{uuid.uuid4()}", headers=relay.auth(till_b)
    )
    assert payment_of_a.status_code == 404


def test_metrics_and_health(relay: Relay) -> None:
    shop_id, _ = relay.shop()
    paystack_post(relay, shop_id, sample(PAYSTACK_SAMPLE))
    assert relay.http.get("/healthz").json() == {"status": "ok"}
    metrics = relay.http.get("/metrics").text
    assert (
        'duka_relay_webhooks_total{kind="webhook",provider="paystack",verdict="parked"}' in metrics
    )


def test_raw_body_is_kept_byte_for_byte(relay: Relay) -> None:
    shop_id, _ = relay.shop()
    body = sample(PAYSTACK_SAMPLE)
    paystack_post(relay, shop_id, body)
    parked = relay.store.parked(shop_id)[0]
    raw = relay.store.raw_webhook(parked.raw_id)
    assert raw is not None and bytes(raw.body) == body
    assert raw.source_ip == "127.0.0.1"
    assert json.loads(raw.body)["data"]["reference"] == "qTPrJoy9Bx"


def test_concurrent_webhooks_get_gap_free_unique_seqs(relay: Relay) -> None:
    shop_id, token = relay.shop()
    till = relay.till(shop_id)
    template = json.loads(sample("c2b_confirmation_2017_doc.json"))
    url = f"/api/v1/payments/webhook/mobile/{token}/c2b/confirm"
    bodies = [json.dumps({**template, "TransID": f"QX{i:08d}"}).encode() for i in range(60)]

    def post_all(chunk: list[tuple[str, bytes]]) -> None:
        with httpx.Client(base_url=relay.url) as client:
            for path, body in chunk:
                assert client.post(path, content=body, headers=JSON).status_code == 200

    def race(posts: list[tuple[str, bytes]]) -> None:
        """Every post twice, from different threads at once: duplicates race each other."""
        chunks = [posts[i::4] for i in range(4)] + [posts[i::4][::-1] for i in range(4)]
        threads = [threading.Thread(target=post_all, args=(chunk,)) for chunk in chunks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    race([(url, body) for body in bodies])  # the claims
    assert len(relay.store.c2b_claims(shop_id)) == 60
    assert relay.store.count_raw("duplicate") == 60
    race(asked_paths(relay, shop_id, token))  # Daraja's Transaction Status answers
    events = relay.http.get(
        "/api/v1/terminal/events", params={"limit": 500}, headers=relay.auth(till)
    ).json()["events"]
    assert [e["seq"] for e in events] == list(range(1, 61))
    assert sorted(e["receipt"] for e in events) == sorted(f"QX{i:08d}" for i in range(60))
