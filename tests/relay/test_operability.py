"""Logs scrubbed of secrets and phones; per-source rate limits."""

from __future__ import annotations

import json
import logging
from typing import Any

from sync.relay.observability import JsonFormatter, scrub
from tests.relay.conftest import sample


def test_scrub_removes_secrets_tokens_and_phone_numbers() -> None:
    line = (
        "key sk_live_abcDEF123 auth Bearer Zm9vYmFy.token url /api/v1/payments/webhook/mobile/"
        + "ab" * 24
        + "/stk phone 254712345678 and 0712345678 passkey=bfb279f9 amount 1500"
    )
    cleaned = scrub(line)
    for secret in ("abcDEF123", "Zm9vYmFy", "ab" * 24, "254712345678", "0712345678", "bfb279f9"):
        assert secret not in cleaned
    assert "2547*****678" in cleaned and "amount 1500" in cleaned


def test_log_records_are_json_and_scrubbed() -> None:
    record = logging.LogRecord(
        "sync.relay", logging.INFO, __file__, 1, "STK push to %s", ("254708374149",), None
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "INFO" and entry["msg"] == "STK push to 2547*****149"


def test_rate_limit_per_source(relay_factory: Any) -> None:
    relay = relay_factory(webhook_rate_per_s=0.001, webhook_burst=5)
    _, token = relay.shop()
    url = f"/api/v1/payments/webhook/mobile/{token}/c2b/confirm"
    body = sample("c2b_confirmation_2017_doc.json")
    codes = [
        relay.http.post(url, content=body, headers={"Content-Type": "application/json"}).status_code
        for _ in range(8)
    ]
    assert codes[:5] == [200] * 5 and codes[5:] == [429] * 3
    assert relay.http.get("/healthz").status_code == 200  # not a webhook path: not limited


def test_ip_allow_list_trusts_only_the_configured_forwarded_header(relay_factory: Any) -> None:
    relay = relay_factory(ip_allowlist=True, trusted_forwarded_for="X-Real-Client")
    _, token = relay.shop()
    url = f"/api/v1/payments/webhook/mobile/{token}/c2b/confirm"
    body = sample("c2b_confirmation_2017_doc.json")

    def post(**headers: str) -> int:
        return int(
            relay.http.post(
                url, content=body, headers={"Content-Type": "application/json", **headers}
            ).status_code
        )

    assert post() == 403  # 127.0.0.1 is not Safaricom
    assert post(**{"X-Forwarded-For": "196.201.214.200"}) == 403  # not the trusted header
    assert post(**{"X-Real-Client": "196.201.214.200"}) == 200
    assert relay.store.count_raw("rejected") == 2
