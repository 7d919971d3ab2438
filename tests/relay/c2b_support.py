"""Playing Daraja's Transaction Status answers for C2B claims, where a test has no sandbox:
the relay streams a C2B payment only once such an answer confirms its claim."""

from __future__ import annotations

import json
import secrets

from sync.relay.webhook_paths import transaction_status_paths
from sync.sandbox.daraja_api import transaction_status_result
from tests.relay.conftest import Relay

JSON = {"Content-Type": "application/json"}


def asked_paths(relay: Relay, shop_id: str, token: str) -> list[tuple[str, bytes]]:
    """As the checker would: a request id for every open claim; -> its result URL and the
    answer Daraja would post there."""
    found = []
    for claim in relay.store.c2b_claims(shop_id):
        if claim.state == "claimed":
            request_id = secrets.token_hex(24)
            relay.store.update_c2b_claim(claim.id, request_id=request_id)
            path = transaction_status_paths(token, request_id)[0]
            result = transaction_status_result(claim.trans_id, claim.amount_minor, claim.short_code)
            found.append((path, json.dumps(result).encode()))
    return found


def confirm_claims(relay: Relay, shop_id: str, token: str) -> None:
    for path, body in asked_paths(relay, shop_id, token):
        assert relay.http.post(path, content=body, headers=JSON).status_code == 200
