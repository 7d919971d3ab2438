"""Issue 11, as the attacker: forged callbacks against the relay wired to the provider sandbox
over real HTTP on 127.0.0.1. Knowing a shop's callback URL token must not make money."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from sync.engine.client import C2BTaken, RelayClient
from sync.protocol import PAYBILL_REFERENCE_SHOWN, C2BClaimRequest, Provider
from sync.providers.daraja import DarajaClient, DarajaConfig
from sync.relay.store.store import request_hash, utcnow
from sync.relay.webhook_paths import callback_paths, stk_callback_path
from sync.sandbox import SandboxConfig, SandboxServer
from tests.relay.conftest import Relay, run, sample

JSON = {"Content-Type": "application/json"}
PAID_PHONE = "0712345678"
CANCELLING_PHONE = "0712341032"  # the sandbox's script: the customer cancels (1032)


@pytest.fixture
def shop(relay_factory: Any) -> Iterator[tuple[Relay, SandboxServer, str, str, dict[str, Any]]]:
    relay: Relay = relay_factory(public_base_url="self", payment_give_up_after_s=2)
    shop_id, token = relay.shop()
    config = SandboxConfig(callback_delay_s=0.3)
    sandbox = SandboxServer(config)
    base = sandbox.start()
    daraja = config.daraja_credentials()
    relay.store.set_credentials(shop_id, "mpesa", "test", daraja, base)
    try:
        yield relay, sandbox, shop_id, token, relay.till(shop_id)
    finally:
        sandbox.stop()


def start_stk(relay: Relay, till: dict[str, Any], phone: str, amount_minor: int) -> dict[str, Any]:
    payment_id = str(uuid.uuid4())
    reply = relay.http.post(
        "/api/v1/terminal/payments/mpesa-stk",
        json={
            "payment_id": payment_id,
            "phone": phone,
            "amount_minor": amount_minor,
            "currency": "KES",
            "account_reference": "INV-7",
        },
        headers={**relay.auth(till), "Idempotency-Key": payment_id},
    )
    assert reply.status_code == 200, reply.text
    view: dict[str, Any] = reply.json()
    return view


def daraja_client(sandbox: SandboxServer) -> DarajaClient:
    config = sandbox.config
    return DarajaClient(
        DarajaConfig(
            consumer_key=config.daraja_consumer_key,
            consumer_secret=config.daraja_consumer_secret,
            shortcode=config.daraja_shortcode,
            passkey=config.daraja_passkey,
            base_url=sandbox.base_url,
            test_mode=True,
        )
    )


def forged_paid_callback(checkout_id: str, amount_minor: int) -> bytes:
    body = json.loads(sample("stk_callback_success_2017_doc.json"))
    stk = body["Body"]["stkCallback"]
    stk["CheckoutRequestID"] = checkout_id
    for item in stk["CallbackMetadata"]["Item"]:
        if item["Name"] == "Amount":
            item["Value"] = amount_minor // 100
    return json.dumps(body).encode()


def events(relay: Relay, till: dict[str, Any], wait: float = 0) -> list[dict[str, Any]]:
    reply = relay.http.get(
        "/api/v1/terminal/events", params={"wait": wait}, headers=relay.auth(till)
    )
    found: list[dict[str, Any]] = reply.json()["events"]
    return found


def test_forged_stk_paid_callback_never_yields_a_paid_event(shop: Any) -> None:
    """The customer cancels on the phone; the attacker, knowing the URL token, the payment id
    and the CheckoutRequestID, posts ResultCode 0 for the right amount, twice, first."""
    relay, _sandbox, shop_id, token, till = shop
    view = start_stk(relay, till, CANCELLING_PHONE, 50_000)
    forged = forged_paid_callback(view["checkout_request_id"], 50_000)
    shop_path = callback_paths(shop_id, token)["mpesa_stk"]
    for path in (stk_callback_path(token, view["payment_id"]), shop_path):
        assert relay.http.post(path, content=forged, headers=JSON).status_code == 200
    outcome = events(relay, till, wait=15)
    assert [(e["payment_id"], e["status"]) for e in outcome] == [(view["payment_id"], "cancelled")]
    time.sleep(1)
    assert [e["status"] for e in events(relay, till)] == ["cancelled"]


def test_forged_callback_for_a_push_daraja_refused_is_not_paid(shop: Any) -> None:
    relay, _sandbox, shop_id, token, till = shop
    payment_id = str(uuid.uuid4())
    relay.store.insert_payment(  # what a push Daraja refused to start leaves
        payment_id=payment_id, shop_id=shop_id, till_id=till["terminal_id"], provider="mpesa",
        test_mode=True, reference="INV-8", amount_minor=10_000, currency="KES", state="error",
        error={"code": "daraja_refused", "cashier_message": "no", "retryable": False},
    )  # fmt: skip
    forged = forged_paid_callback("ws_CO_000000000000001", 10_000)
    path = stk_callback_path(token, payment_id)
    assert relay.http.post(path, content=forged, headers=JSON).status_code == 200
    time.sleep(1)
    assert events(relay, till) == []
    view = relay.http.get(f"/api/v1/terminal/payments/{payment_id}", headers=relay.auth(till))
    assert view.json()["state"] == "error"


def test_push_whose_id_was_never_saved_ends_paid(shop: Any) -> None:
    """The relay dies after Daraja accepted the push, before saving the CheckoutRequestID:
    the pending row and the running idempotency key are all that is left. The callback (to
    the URL carrying the payment id) is confirmed by STK Query and the sale ends paid."""
    relay, sandbox, shop_id, token, till = shop
    payment_id = str(uuid.uuid4())
    body = {"payment_id": payment_id, "phone": PAID_PHONE, "amount_minor": 30_000,
            "currency": "KES", "account_reference": "INV-9"}  # fmt: skip
    raw = json.dumps(body).encode()
    assert relay.store.claim_idempotency_key(
        shop_id, payment_id, till["terminal_id"], request_hash(raw)
    ) == ("new", None)
    relay.store.insert_payment(
        payment_id=payment_id, shop_id=shop_id, till_id=till["terminal_id"], provider="mpesa",
        test_mode=True, reference="INV-9", amount_minor=30_000, currency="KES", state="pending",
        next_check_at=utcnow() + timedelta(seconds=1),
    )  # fmt: skip
    client = daraja_client(sandbox)
    run(client.stk_push("254712345678", 30_000, "INV-9", "INV-9",
                        relay.url + stk_callback_path(token, payment_id)))  # fmt: skip
    outcome = events(relay, till, wait=15)
    assert [(e["payment_id"], e["status"], e["amount_minor"]) for e in outcome] == [
        (payment_id, "paid", 30_000)
    ]
    assert not [p for p in relay.store.parked(shop_id) if p.reason == "outcome_unknown"]
    # The till's retry with the same key gets the payment, not "still running" forever.
    retry = relay.http.post(
        "/api/v1/terminal/payments/mpesa-stk",
        content=raw,
        headers={**relay.auth(till), "Idempotency-Key": payment_id, **JSON},
    )
    assert retry.status_code == 200, retry.text
    assert retry.json()["state"] == "paid"


def test_no_outcome_is_unknown_for_a_supervisor_never_expired(shop: Any) -> None:
    """Paid on the phone, no callback, and the push's id was never saved: the relay cannot
    ask. It must not tell the till "expired"; a supervisor sees the outcome is unknown."""
    relay, _sandbox, shop_id, _token, till = shop
    payment_id = str(uuid.uuid4())
    relay.store.insert_payment(
        payment_id=payment_id, shop_id=shop_id, till_id=till["terminal_id"], provider="mpesa",
        test_mode=True, reference="INV-10", amount_minor=30_000, currency="KES",
        state="pending", next_check_at=utcnow(),
    )  # fmt: skip
    deadline = time.monotonic() + 15
    while not relay.store.parked(shop_id) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [p.reason for p in relay.store.parked(shop_id)] == ["outcome_unknown"]
    assert events(relay, till) == []
    view = relay.http.get(f"/api/v1/terminal/payments/{payment_id}", headers=relay.auth(till))
    assert view.json()["state"] == "pending"


def forged_c2b(trans_id: str, amount_minor: int, bill_ref: str, short_code: str) -> bytes:
    body = json.loads(sample("c2b_confirmation_2017_doc.json"))
    body |= {"TransID": trans_id, "TransAmount": f"{amount_minor // 100}.00",
             "BillRefNumber": bill_ref, "BusinessShortCode": short_code}  # fmt: skip
    return json.dumps(body).encode()


def wait_for(condition: Any, timeout_s: float = 15) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_forged_c2b_confirmation_never_yields_a_paid_event(shop: Any) -> None:
    """Knowing the URL token, an attacker posts a C2B confirmation for an open sale's account
    reference and amount; then a genuine payment's TransID with a larger amount; then a
    forged Transaction Status result. Only the genuine SIM-menu payment is streamed, for the
    amount the customer really paid."""
    relay, sandbox, shop_id, token, till = shop
    paths = callback_paths(shop_id, token)
    short_code = sandbox.config.daraja_shortcode
    confirm = paths["mpesa_c2b_confirmation"]
    forged = forged_c2b("QFA1B2C3D4", 50_000, "SALE42", short_code)
    assert relay.http.post(confirm, content=forged, headers=JSON).status_code == 200

    async def customer_pays_from_the_sim_menu() -> None:
        client = daraja_client(sandbox)
        await client.register_c2b_urls(
            relay.url + confirm, relay.url + paths["mpesa_c2b_validation"]
        )
        await client.simulate_c2b(20_000, "254712345678", "SALE43")

    run(customer_pays_from_the_sim_menu())
    outcome = events(relay, till, wait=15)
    assert [(e["channel"], e["reference"], e["amount_minor"]) for e in outcome] == [
        ("mpesa_c2b", "SALE43", 20_000)
    ]
    genuine = outcome[0]["receipt"]
    inflated = forged_c2b(genuine, 90_000, "SALE43", short_code)
    assert relay.http.post(confirm, content=inflated, headers=JSON).status_code == 200
    result = json.loads(sample("transaction_status_result_daraja3_doc.json"))
    result["Result"]["ResultParameters"]["ResultParameter"][-1]["Value"] = "QFA1B2C3D4"
    status_path = confirm.replace("/c2b/confirm", f"/status/{'0' * 48}")
    assert relay.http.post(status_path, json=result).status_code == 200
    wait_for(lambda: any(p.reason == "c2b_not_confirmed" for p in relay.store.parked(shop_id)))
    time.sleep(1)
    assert [e["receipt"] for e in events(relay, till)] == [genuine]
    states = {c.trans_id: c.state for c in relay.store.c2b_claims(shop_id)}
    assert states == {"QFA1B2C3D4": "refused", genuine: "confirmed"}


def test_live_shops_take_daraja_callbacks_only_from_safaricom(relay_factory: Any) -> None:
    """By default (no setting), a shop in M-Pesa live mode refuses callbacks from outside
    Safaricom's published addresses; a forwarded header counts only from a trusted proxy."""
    relay: Relay = relay_factory(trusted_forwarded_for="X-Forwarded-For")
    shop_id, token = relay.shop()
    url = f"/api/v1/payments/webhook/mobile/{token}/c2b/confirm"
    body = sample("c2b_confirmation_2017_doc.json")

    def post(**headers: str) -> int:
        return relay.http.post(url, content=body, headers={**JSON, **headers}).status_code

    relay.store.set_test_mode(shop_id, Provider.MPESA, False, "owner", "going live")
    assert post() == 403  # 127.0.0.1 is not Safaricom
    assert post(**{"X-Forwarded-For": "196.201.214.200"}) == 200  # via the local proxy
    assert relay.store.count_raw("rejected") == 1

    untrusting: Relay = relay_factory(
        trusted_forwarded_for="X-Forwarded-For", trusted_proxies=["10.9.9.9"]
    )
    shop_b, token_b = untrusting.shop()
    untrusting.store.set_test_mode(shop_b, Provider.MPESA, False, "owner", "going live")
    forged_source = untrusting.http.post(
        f"/api/v1/payments/webhook/mobile/{token_b}/c2b/confirm",
        content=body,
        headers={**JSON, "X-Forwarded-For": "196.201.214.200"},
    )
    assert forged_source.status_code == 403  # 127.0.0.1 is not a trusted proxy here


def test_one_sim_menu_payment_is_given_to_one_till_only(shop: Any) -> None:
    """Two tills in one shop. Till A shows a sale's paybill reference; the customer pays it
    from the SIM menu. The payment is A's; till B sees it taken, and B's supervisor cannot
    accept it against a proof. A payment nobody showed goes to the first till that asks."""
    relay, sandbox, shop_id, token, till_a = shop
    till_b = relay.till(shop_id, "Till B")
    shown = relay.http.post(
        "/api/v1/terminal/events",
        json={"events": [{"event_id": str(uuid.uuid4()), "till_seq": 1,
                          "type": PAYBILL_REFERENCE_SHOWN, "occurred_at": utcnow().isoformat(),
                          "payload": {"reference": "SALE43"}}]},
        headers=relay.auth(till_a),
    )  # fmt: skip
    assert shown.status_code == 200, shown.text
    paths = callback_paths(shop_id, token)

    async def customers_pay_from_the_sim_menu() -> None:
        client = daraja_client(sandbox)
        await client.register_c2b_urls(
            relay.url + paths["mpesa_c2b_confirmation"], relay.url + paths["mpesa_c2b_validation"]
        )
        await client.simulate_c2b(20_000, "254712345678", "sale43")  # typed in lower case
        await client.simulate_c2b(5_000, "254712345678", "NOBODY")

    run(customers_pay_from_the_sim_menu())
    wait_for(lambda: relay.store.last_seq(shop_id) == 2)
    by_reference = {e["reference"].upper(): e for e in events(relay, till_b)}
    assert by_reference["SALE43"]["claimed_by_till"] == till_a["terminal_id"]
    assert by_reference["NOBODY"]["claimed_by_till"] is None

    def claim(till: dict[str, Any], receipt: str) -> Any:
        return relay.http.post(
            "/api/v1/terminal/c2b/claims",
            json={"receipt": receipt, "supervisor": "Amina"},
            headers=relay.auth(till),
        )

    taken = claim(till_b, by_reference["SALE43"]["receipt"])
    assert taken.status_code == 409
    assert (taken.json()["till_name"], taken.json()["how"]) == ("Till 1", "reference")
    assert claim(till_a, by_reference["SALE43"]["receipt"]).status_code == 200
    unowned = by_reference["NOBODY"]["receipt"]
    assert claim(till_b, unowned).status_code == 200
    second = claim(till_a, unowned)
    assert second.status_code == 409 and second.json()["till_id"] == till_b["terminal_id"]
    assert claim(till_b, unowned).status_code == 200  # asking again is harmless
    assert claim(till_a, "QZZZZZZZZZ").status_code == 404
    # The till's client says the same: the second till is refused, told who has it.
    with RelayClient(relay.url, till_a["token"]) as client_a:
        with pytest.raises(C2BTaken) as refused:
            client_a.claim_c2b(C2BClaimRequest(receipt=unowned, supervisor="Amina"))
        assert refused.value.holder.till_name == "Till B"
    with RelayClient(relay.url, till_b["token"]) as client_b:
        granted = client_b.claim_c2b(C2BClaimRequest(receipt=unowned, supervisor="Juma"))
        assert (granted.receipt, granted.how) == (unowned, "manual")
