from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import respx
from sqlalchemy import text

from pos_app.config import TillSettings
from pos_app.store.db import open_ledger
from sync.engine import credentials
from sync.engine.pairing import PairingError, pair


@respx.mock
def test_pairing_keeps_the_token_in_the_keyring_only(till_settings: TillSettings) -> None:
    credentials.clear(till_settings)
    respx.post("https://relay.test/api/v1/terminal/pair").respond(
        200,
        json={
            "terminal_id": str(uuid.uuid4()),
            "token": "very-secret-token",
            "shop_id": str(uuid.uuid4()),
            "shop_name": "Mama Mboga",
            "relay_time": datetime.now(UTC).isoformat(),
        },
    )
    result = pair(till_settings, "https://relay.test/", " ABCD-1234 ", "Till 1")
    assert result.shop_name == "Mama Mboga" and abs(result.clock_skew_s) < 5
    saved = credentials.load(till_settings)
    assert saved is not None and saved.token == "very-secret-token"
    assert saved.relay_url == "https://relay.test"
    assert "very-secret-token" not in repr(saved)
    ledger = open_ledger(till_settings)
    with ledger.read() as conn:
        dump = "\n".join(conn.connection.iterdump())
        assert conn.execute(text("select 1")).scalar() == 1
    ledger.close()
    assert "very-secret-token" not in dump
    credentials.clear(till_settings)


@pytest.mark.parametrize("url", ["http://relay.example.com", "http://192.168.1.10:8080"])
def test_plain_http_is_refused_with_a_clear_message(till_settings: TillSettings, url: str) -> None:
    with pytest.raises(PairingError, match="only over https"):
        pair(till_settings, url, "ABCD1234")


@respx.mock
def test_loopback_http_is_allowed_and_a_bad_code_explained(till_settings: TillSettings) -> None:
    respx.post("http://127.0.0.1:9/api/v1/terminal/pair").respond(404, json={"detail": "no"})
    with pytest.raises(PairingError, match="expired"):
        pair(till_settings, "http://127.0.0.1:9", "ABCD1234")


def test_unreachable_relay_is_explained(till_settings: TillSettings) -> None:
    with pytest.raises(PairingError, match="Cannot reach"):
        pair(till_settings, "http://127.0.0.1:9", "ABCD1234")
