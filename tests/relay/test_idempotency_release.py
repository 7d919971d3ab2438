"""Found by the schemathesis run: a key released after a refusal must be free at once."""

from __future__ import annotations

import time
import uuid

from tests.relay.conftest import Relay


def test_a_refused_initiate_frees_its_key_for_the_retry(relay: Relay) -> None:
    shop_id, _ = relay.shop()
    till = relay.till(shop_id)
    payment_id = str(uuid.uuid4())
    body = {
        "payment_id": payment_id,
        "phone": "0712345678",
        "amount_minor": 150,  # not whole shillings: refused before M-Pesa is asked
        "currency": "KES",
        "account_reference": "INV-1",
    }
    headers = {**relay.auth(till), "Idempotency-Key": payment_id}
    url = "/api/v1/terminal/payments/mpesa-stk"
    assert relay.http.post(url, json=body, headers=headers).status_code == 422
    started = time.monotonic()
    again = relay.http.post(url, json=body, headers=headers)
    assert again.status_code == 422  # not 409 "still running" after a 30 s wait
    assert time.monotonic() - started < 10  # far under the 30 s a held key would wait
