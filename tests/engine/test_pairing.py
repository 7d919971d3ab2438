from __future__ import annotations

import json
import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
import respx
from sqlalchemy import text

from pos_app.config import TillSettings
from pos_app.core.errors import KeyUnavailable
from pos_app.services.secrets import SERVICE
from pos_app.store.db import Ledger, open_ledger
from pos_app.store.keys import DEMO_KEY_FILE, DemoKeyStore, memory_keyring
from sync.engine import credentials
from sync.engine.pairing import PairingError, pair


@respx.mock
def test_pairing_keeps_the_token_encrypted_in_the_ledger(
    till_settings: TillSettings, ledger: Ledger
) -> None:
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
    result = pair(till_settings, ledger, "https://relay.test/", " ABCD-1234 ", "Till 1")
    assert result.shop_name == "Mama Mboga" and abs(result.clock_skew_s) < 5
    saved = credentials.load(till_settings, ledger)
    assert saved is not None and saved.token == "very-secret-token"
    assert saved.relay_url == "https://relay.test"
    assert "very-secret-token" not in repr(saved)
    assert memory_keyring().get_password(SERVICE, credentials.ENTRY) is None
    with ledger.read() as conn:
        dump = "\n".join(conn.connection.iterdump())
        assert conn.execute(text("select count(*) from sync_state")).scalar()
    assert "very-secret-token" not in dump and "Mama Mboga" not in dump
    credentials.clear(ledger)
    assert credentials.load(till_settings, ledger) is None


def test_a_token_an_older_till_kept_in_the_keyring_moves_into_the_ledger(
    till_settings: TillSettings, ledger: Ledger
) -> None:
    old = credentials.TerminalCredentials("https://relay.test", "old-token", "t1", "s1", "Duka")
    memory_keyring().set_password(SERVICE, credentials.ENTRY, json.dumps(asdict(old)))
    assert credentials.load(till_settings, ledger) == old
    assert memory_keyring().get_password(SERVICE, credentials.ENTRY) is None
    assert credentials.load(till_settings, ledger) == old  # now from the ledger
    credentials.clear(ledger)


def test_a_demo_key_till_never_pairs_with_a_real_relay(tmp_path: Path) -> None:
    settings = TillSettings(data_dir=tmp_path / "demo", till_id="demo")
    demo = open_ledger(settings, keys=DemoKeyStore(tmp_path / "demo" / DEMO_KEY_FILE))
    try:
        real = credentials.TerminalCredentials("https://relay.test", "t", "t1", "s1", "Duka")
        with pytest.raises(KeyUnavailable, match="cannot pair with a real relay"):
            credentials.save(demo, real)
        local = credentials.TerminalCredentials("http://127.0.0.1:8", "t", "t1", "s1", "Demo")
        credentials.save(demo, local)
        assert credentials.load(settings, demo) == local
    finally:
        demo.close()


@pytest.mark.parametrize("url", ["http://relay.example.com", "http://192.168.1.10:8080"])
def test_plain_http_is_refused_with_a_clear_message(
    till_settings: TillSettings, ledger: Ledger, url: str
) -> None:
    with pytest.raises(PairingError, match="only over https"):
        pair(till_settings, ledger, url, "ABCD1234")


@respx.mock
def test_loopback_http_is_allowed_and_a_bad_code_explained(
    till_settings: TillSettings, ledger: Ledger
) -> None:
    respx.post("http://127.0.0.1:9/api/v1/terminal/pair").respond(404, json={"detail": "no"})
    with pytest.raises(PairingError, match="expired"):
        pair(till_settings, ledger, "http://127.0.0.1:9", "ABCD1234")


def test_unreachable_relay_is_explained(till_settings: TillSettings, ledger: Ledger) -> None:
    with pytest.raises(PairingError, match="Cannot reach"):
        pair(till_settings, ledger, "http://127.0.0.1:9", "ABCD1234")
