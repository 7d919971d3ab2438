"""GET /terminal/c2b/received: what a sale's paybill screen shows while the customer pays from
the SIM menu. A C2B confirmation is a claim ("confirming") until Daraja's Transaction Status
answers; a refused claim says so; another shop never sees it."""

from __future__ import annotations

import json

from sync.relay.webhook_paths import transaction_status_paths
from sync.sandbox.daraja_api import transaction_status_result
from tests.providers.provider_samples import sample
from tests.relay.c2b_support import JSON, confirm_claims
from tests.relay.conftest import Relay

RECEIVED = "/api/v1/terminal/c2b/received"


def _confirmation(trans_id: str, amount: str, bill_ref: str) -> bytes:
    body = sample("c2b_confirmation_masked_msisdn_v2_daraja3_doc.json")
    body.update(TransID=trans_id, TransAmount=amount, BillRefNumber=bill_ref)
    return json.dumps(body).encode()


def _received(relay: Relay, till: dict[str, object], reference: str) -> list[tuple[int, str]]:
    reply = relay.http.get(RECEIVED, params={"reference": reference}, headers=relay.auth(till))
    assert reply.status_code == 200, reply.text
    return [(r["amount_minor"], r["state"]) for r in reply.json()["received"]]


def test_a_claim_is_confirming_until_mpesa_answers(relay: Relay) -> None:
    shop_id, token = relay.shop()
    till = relay.till(shop_id)
    confirm = f"/api/v1/payments/webhook/mobile/{token}/c2b/confirm"
    for body in (_confirmation("QGR1A2B3C4", "700.00", "DK7F3A"),
                 _confirmation("QGR1A2B3C5", "50.00", "OTHER1")):  # fmt: skip
        assert relay.http.post(confirm, content=body, headers=JSON).status_code == 200
    # the customer's account reference, typed in any case and with spaces
    assert _received(relay, till, " dk7f3a ") == [(700_00, "confirming")]
    confirm_claims(relay, shop_id, token)
    assert _received(relay, till, "DK7F3A") == [(700_00, "confirmed")]
    assert _received(relay, till, "NOPE12") == []


def test_a_claim_mpesa_does_not_know_is_shown_refused(relay: Relay) -> None:
    shop_id, token = relay.shop()
    till = relay.till(shop_id)
    confirm = f"/api/v1/payments/webhook/mobile/{token}/c2b/confirm"
    body = _confirmation("QGR9Z9Z9Z9", "700.00", "DK7F3A")
    assert relay.http.post(confirm, content=body, headers=JSON).status_code == 200
    [claim] = relay.store.c2b_claims(shop_id)
    relay.store.update_c2b_claim(claim.id, request_id="f" * 48)
    # Daraja answers for another receipt than the one claimed: not this payment
    answer = transaction_status_result("QGR0000000", claim.amount_minor, claim.short_code)
    path = transaction_status_paths(token, "f" * 48)[0]
    assert relay.http.post(path, content=json.dumps(answer), headers=JSON).status_code == 200
    assert _received(relay, till, "DK7F3A") == [(700_00, "refused")]


def test_another_shop_never_sees_the_claim(relay: Relay) -> None:
    _, token = relay.shop()
    other = relay.till(relay.shop("Other")[0])
    confirm = f"/api/v1/payments/webhook/mobile/{token}/c2b/confirm"
    body = _confirmation("QGR1A2B3C4", "700.00", "DK7F3A")
    assert relay.http.post(confirm, content=body, headers=JSON).status_code == 200
    assert _received(relay, other, "DK7F3A") == []


def test_a_missing_or_long_reference_is_refused_clearly(relay: Relay) -> None:
    till = relay.till(relay.shop()[0])
    for params in ({}, {"reference": " "}, {"reference": "x" * 121}):
        reply = relay.http.get(RECEIVED, params=params, headers=relay.auth(till))
        assert reply.status_code == 422
        assert "reference" in reply.json()["detail"]
    assert relay.http.get(RECEIVED, params={"reference": "DK7F3A"}).status_code == 401
