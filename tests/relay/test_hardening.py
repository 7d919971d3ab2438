"""The relay as an attacker meets it: transport settings, headers, /metrics, OpenAPI, the access
log, revocation during a long-poll, payer masking and owner actions refused to tills."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from sync.providers.phones import mask_payer
from sync.relay.cli import main
from sync.relay.config import RelaySettings
from tests.relay.c2b_support import confirm_claims
from tests.relay.conftest import MASTER_KEY, Relay, free_port, sample

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    "url", ["http://relay.example.com", "http://10.0.0.5:8080", "ftp://x", "relay.example.com"]
)
def test_a_public_base_url_must_be_https(url: str) -> None:
    with pytest.raises(ValidationError, match="must be an https URL"):
        RelaySettings(public_base_url=url)


@pytest.mark.parametrize(
    "url",
    ["https://pay.example.co.ke", "http://127.0.0.1:8080", "http://localhost:9", "http://[::1]:8"],
)
def test_https_or_loopback_is_accepted(url: str) -> None:
    assert RelaySettings(public_base_url=url).public_base_url == url


def test_serve_refuses_an_http_public_url_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DUKA_RELAY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DUKA_RELAY_PUBLIC_BASE_URL", "http://pay.example.co.ke")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "DUKA_RELAY_PUBLIC_BASE_URL" in err and "https" in err and "Traceback" not in err


def test_security_headers_on_every_response(relay: Relay) -> None:
    shop_id, _ = relay.shop()
    code = relay.store.create_pairing_code(shop_id, 60)
    paired = relay.http.post("/api/v1/terminal/pair", json={"pairing_code": code, "till_name": "T"})
    assert paired.status_code == 200 and "token" in paired.json()
    replies = [
        paired,  # carries the till's token
        relay.http.get("/healthz"),
        relay.http.get("/api/v1/terminal/settings"),  # 401
        relay.http.get("/no/such/path"),  # 404
        relay.http.post("/api/v1/terminal/pair", content=b"x" * 300_000),  # the Guard's 413
    ]
    for reply in replies:
        assert reply.headers["x-content-type-options"] == "nosniff", reply.request.url
        assert reply.headers["cache-control"] == "no-store"
        assert reply.headers["strict-transport-security"].startswith("max-age=")
        assert reply.headers["referrer-policy"] == "no-referrer"
    assert [r.status_code for r in replies[2:]] == [401, 404, 413]


def test_no_hsts_when_the_relay_is_only_on_loopback_http(relay_factory: Any) -> None:
    relay: Relay = relay_factory(public_base_url="self")
    reply = relay.http.get("/healthz")
    assert "strict-transport-security" not in reply.headers
    assert reply.headers["x-content-type-options"] == "nosniff"


def test_metrics_answer_loopback_but_not_a_caller_through_the_proxy(relay_factory: Any) -> None:
    relay: Relay = relay_factory(trusted_forwarded_for="X-Forwarded-For")
    assert relay.http.get("/metrics").status_code == 200
    outside = relay.http.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert outside.status_code == 403
    assert "duka_relay" not in outside.text


def test_metrics_behind_a_token(relay_factory: Any) -> None:
    relay: Relay = relay_factory(metrics_token="scrape-me-0123456789")
    assert relay.http.get("/metrics").status_code == 403
    wrong = relay.http.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    ok = relay.http.get("/metrics", headers={"Authorization": "Bearer scrape-me-0123456789"})
    assert ok.status_code == 200 and "duka_relay_long_polls" in ok.text


def test_no_openapi_pages_unless_configured(relay_factory: Any) -> None:
    production: Relay = relay_factory()
    for path in ("/openapi.json", "/docs", "/redoc"):
        assert production.http.get(path).status_code == 404
    development: Relay = relay_factory(openapi_docs=True)
    assert development.http.get("/openapi.json").status_code == 200
    assert development.http.get("/docs").status_code == 200


def test_a_refused_method_names_every_method_of_its_path(relay: Relay) -> None:
    for method in ("OPTIONS", "DELETE"):
        events = relay.http.request(method, "/api/v1/terminal/events")
        assert events.status_code == 405
        assert events.headers["allow"] == "GET, POST"
    assert relay.http.request("PUT", "/api/v1/terminal/pair").headers["allow"] == "POST"


def serve_and_call(tmp_path: Path, access_log: bool) -> str:
    """`duka-relay serve` in a child process; one request; what it wrote on stderr."""
    port = free_port()
    env = {
        **os.environ,
        "DUKA_RELAY_DATA_DIR": str(tmp_path),
        "DUKA_RELAY_MASTER_KEY": MASTER_KEY,
        "DUKA_RELAY_ACCESS_LOG": "true" if access_log else "false",
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "sync.relay", "serve", "--port", str(port)],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz?probe=1").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline and child.poll() is None, "relay did not start"
            time.sleep(0.1)
        time.sleep(0.3)
    finally:
        child.terminate()
        _, err = child.communicate(timeout=15)
    return err


def test_the_access_log_follows_the_setting(tmp_path: Path) -> None:
    assert "/healthz?probe=1" not in serve_and_call(tmp_path / "off", access_log=False)
    assert "/healthz?probe=1" in serve_and_call(tmp_path / "on", access_log=True)


def test_revocation_ends_an_open_long_poll(relay: Relay) -> None:
    shop_id, _ = relay.shop()
    till = relay.till(shop_id)
    got: dict[str, Any] = {}

    def long_poll() -> None:
        got["reply"] = relay.http.get(
            "/api/v1/terminal/events", params={"after": 0, "wait": 25}, headers=relay.auth(till)
        )
        got["at"] = time.monotonic()

    poller = threading.Thread(target=long_poll)
    poller.start()
    time.sleep(0.5)
    revoked_at = time.monotonic()
    # The CLI revokes from another process: no wake-up, the poll's fallback re-read sees it.
    assert relay.store.revoke_till(till["terminal_id"])
    poller.join(timeout=10)
    assert got["reply"].status_code == 401
    assert got["at"] - revoked_at < relay.settings.long_poll_fallback_s + 1.0


def test_a_hashed_msisdn_is_streamed_as_hashed(relay: Relay) -> None:
    shop_id, token = relay.shop()
    till = relay.till(shop_id)
    body = json.loads(sample("c2b_confirmation_2017_doc.json"))
    digest = hashlib.sha256(b"254708374149").hexdigest()
    body["MSISDN"] = digest
    url = f"/api/v1/payments/webhook/mobile/{token}/c2b/confirm"
    assert relay.http.post(url, content=json.dumps(body), headers=JSON).status_code == 200
    confirm_claims(relay, shop_id, token)  # Transaction Status confirms it: now it streams
    pulled = relay.http.get("/api/v1/terminal/events", headers=relay.auth(till))
    assert pulled.json()["events"][0]["payer"] == "hashed"
    assert digest not in pulled.text


def test_payer_masking() -> None:
    assert mask_payer("254708374149") == "2547*****149"
    assert mask_payer("+254708374149") == "2547*****149"
    assert mask_payer("2547 **** 149") == "2547 **** 149"
    assert mask_payer(hashlib.sha256(b"x").hexdigest().upper()) == "hashed"
    assert mask_payer("amina@example.com") == "amina@example.com"
    assert mask_payer("  ") is None and mask_payer(None) is None


def test_a_till_cannot_switch_test_mode(relay: Relay) -> None:
    """The terminal API has no test-mode switch any more: the owner's console or CLI only."""
    shop_id, _ = relay.shop()
    till = relay.till(shop_id)
    relay.store.set_credentials(shop_id, "paystack", "live", {"secret_key": "sk_live_x"}, None)
    reply = relay.http.post(
        "/api/v1/terminal/settings/test-mode",
        json={"provider": "paystack", "test_mode": False, "supervisor": "Made Up"},
        headers=relay.auth(till),
    )
    assert reply.status_code == 404
    assert relay.store.shop(shop_id).paystack_test_mode is True  # type: ignore[union-attr]
    assert not [e for e in relay.store.audit_entries(shop_id) if e.action == "set_test_mode"]
