"""The admin CLI, non-interactive, on a real SQLite file."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from sync.relay.app import open_store
from sync.relay.cli import main
from sync.relay.config import RelaySettings
from sync.relay.store.store import RawWebhook, utcnow
from sync.relay.webhook_paths import callback_paths
from tests.relay.conftest import sample


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DUKA_RELAY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DUKA_RELAY_PUBLIC_BASE_URL", "https://relay.example.com")
    monkeypatch.delenv("DUKA_RELAY_MASTER_KEY", raising=False)
    monkeypatch.delenv("DUKA_RELAY_DATABASE_URL", raising=False)
    for name in (
        "PAYSTACK_SECRET_KEY",
        "FLUTTERWAVE_SECRET_KEY",
        "FLUTTERWAVE_SECRET_HASH",
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "MPESA_CONSUMER_KEY",
        "MPESA_CONSUMER_SECRET",
        "MPESA_SHORTCODE",
        "MPESA_PASSKEY",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return tmp_path


OWNER = "njeri@example.com"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def owner_of(
    shop_id: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shop's owner, made and granted the shop with the CLI, as docs/hosting.md does."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("a long enough passphrase\n"))
    assert main(["create-owner", "--email", OWNER, "--stdin", "--no-qr"]) == 0
    assert main(["grant-shop", "--owner", OWNER, "--shop", shop_id]) == 0
    capsys.readouterr()


def test_owner_flow_without_prompts(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = run_cli(capsys, "create-shop", "Mama Njeri Shop")
    key_file = env / "master.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    shop_id = shop["shop_id"]
    urls = shop["callback_urls"]
    assert (
        urls["paystack"] == f"https://relay.example.com/api/v1/payments/webhook/paystack/{shop_id}"
    )
    for name in ("mpesa_stk", "mpesa_c2b_validation", "mpesa_c2b_confirmation"):
        assert "mpesa" not in urls[name].lower()  # Daraja refuses such URLs
    assert run_cli(capsys, "callback-urls", "--shop", shop_id) == urls
    owner_of(shop_id, capsys, monkeypatch)

    lines = "MPESA_CONSUMER_KEY=ck\nMPESA_CONSUMER_SECRET=cs-hush-4711\nMPESA_PASSKEY=pk\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    stored = run_cli(
        capsys,
        "set-credentials",
        "--owner",
        OWNER,
        "--shop",
        shop_id,
        "--provider",
        "mpesa",
        "--mode",
        "test",
        "--shortcode",
        "174379",
        "--stdin",
    )
    assert stored["stored_fields"] == ["consumer_key", "consumer_secret", "passkey", "shortcode"]
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", "sk_live_fromenvironment")
    owned = ["--owner", OWNER, "--shop", shop_id, "--provider", "paystack", "--mode", "live"]
    run_cli(capsys, "set-credentials", *owned)
    run_cli(capsys, "set-mode", *owned)

    store = open_store(RelaySettings())
    creds = store.credentials(shop_id, "mpesa", "test")
    assert creds is not None and creds[0]["passkey"] == "pk"
    files = b"".join(p.read_bytes() for p in env.glob("relay.sqlite3*"))  # with the WAL
    assert b"consumer_key" in files  # the audit names the fields...
    assert b"sk_live_fromenvironment" not in files and b"cs-hush-4711" not in files  # ...not values

    code = run_cli(capsys, "pair-till", "--owner", OWNER, "--shop", shop_id)["pairing_code"]
    paired = store.pair(code, "Counter 1")
    assert paired is not None
    tills = run_cli(capsys, "list-tills", "--shop", shop_id)
    assert [t["name"] for t in tills] == ["Counter 1"]
    revoked = run_cli(capsys, "revoke-till", "--owner", OWNER, tills[0]["terminal_id"])
    assert revoked["revoked"] is True
    assert store.till_by_token(paired[1]) is None
    owner_actions = {"set_credentials", "set_test_mode", "pairing_code", "revoke_till"}
    actors = {e.actor for e in store.audit_entries(shop_id) if e.action in owner_actions}
    assert actors == {f"owner:{OWNER}"}
    assert run_cli(capsys, "purge", "--days", "30") == {
        "raw_webhooks": 0,
        "idempotency_keys": 0,
        "parked": 0,
        "pairing_codes": 0,
    }
    store.close()


def test_parked_webhook_is_replayed_after_the_payment_appears(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(RelaySettings())
    shop_id, token = store.create_shop("Shop")
    owner_of(shop_id, capsys, monkeypatch)
    body = sample("stk_callback_success_2017_doc.json")
    raw = RawWebhook(
        "mpesa",
        "stk_callback",
        shop_id,
        "196.201.214.200",
        {"content-type": "application/json"},
        body,
    )
    from sync.relay.store.store import ParkDraft

    store.ingest(raw, lambda _c: ParkDraft("unknown_reference", "mpesa:stk:x", {"k": 1}))
    parked = run_cli(capsys, "list-parked", "--shop", shop_id)
    assert [p["reason"] for p in parked] == ["unknown_reference"]
    payment_id = str(uuid.uuid4())
    store.insert_payment(
        payment_id=payment_id,
        shop_id=shop_id,
        till_id="t",
        provider="mpesa",
        test_mode=True,
        reference="INV",
        checkout_request_id="ws_CO_27072017154747416",
        amount_minor=100,
        currency="KES",
        state="pending",
        next_check_at=utcnow() + timedelta(hours=1),
    )
    result = run_cli(capsys, "replay-parked", "--owner", OWNER, str(parked[0]["id"]))
    assert result["status"] == 200 and result["open_parked_now"] == []
    # The replayed callback is a claim like any other: the payment is due for an STK Query.
    assert store.events_after(shop_id, 0, 10) == []
    assert store.count_raw("pending") == 1
    replayed = store.payment(payment_id)
    assert replayed is not None and replayed.next_check_at <= utcnow()
    assert run_cli(capsys, "list-parked", "--shop", shop_id) == []
    resolved = [e for e in store.audit_entries(shop_id) if e.action == "resolve_parked"]
    assert [e.actor for e in resolved] == [f"owner:{OWNER}"]
    assert callback_paths(shop_id, token)["mpesa_stk"].endswith(f"/mobile/{token}/stk")
    store.close()


def test_module_entry_point_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sync.relay", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=60,
    )
    assert done.returncode == 0
    assert "replay-parked" in done.stdout and "serve" in done.stdout


def test_serve_refuses_several_workers_on_sqlite(env: Path) -> None:
    assert main(["serve", "--workers", "2"]) == 2


def test_a_live_paystack_key_is_refused_for_test_mode(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shop_id = run_cli(capsys, "create-shop", "Duka la Baraka")["shop_id"]
    owner_of(shop_id, capsys, monkeypatch)
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", "sk_live_wrongdrawer")
    argv = ["set-credentials", "--owner", OWNER, "--shop", shop_id, "--provider", "paystack"]
    argv += ["--mode", "test"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "a Paystack test secret key starts with sk_test_" in err
    assert "sk_live_wrongdrawer" not in err  # the key itself is never echoed
    assert open_store(RelaySettings()).credentials(shop_id, "paystack", "test") is None


def test_an_owner_action_needs_an_owner_of_the_shop(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = run_cli(capsys, "create-shop", "Mine")["shop_id"]
    theirs = run_cli(capsys, "create-shop", "Theirs")["shop_id"]
    owner_of(mine, capsys, monkeypatch)
    for owner, shop in ((OWNER, theirs), ("nobody@example.com", mine)):
        with pytest.raises(SystemExit, match="does not have that shop"):
            main(["pair-till", "--owner", owner, "--shop", shop])
    with pytest.raises(SystemExit):  # argparse: --owner is required
        main(["set-mode", "--shop", mine, "--provider", "paystack", "--mode", "test"])
    audit = open_store(RelaySettings()).audit_entries(theirs)
    assert [e.action for e in audit] == ["create_shop"]


@pytest.mark.parametrize(
    ("provider", "lines", "wrong_mode", "told"),
    [
        (
            "flutterwave",
            "FLUTTERWAVE_SECRET_KEY=FLWSECK_TEST-abc-X\nFLUTTERWAVE_SECRET_HASH=my-hash\n",
            "live",
            "a Flutterwave live secret key starts with FLWSECK-",
        ),
        (
            "stripe",
            "STRIPE_SECRET_KEY=sk_test_abc\nSTRIPE_WEBHOOK_SECRET=whsec_abc\n",
            "live",
            "a Stripe live secret key starts with sk_live_ or rk_live_",
        ),
    ],
)
def test_flutterwave_and_stripe_credentials_and_their_mode(
    env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    provider: str,
    lines: str,
    wrong_mode: str,
    told: str,
) -> None:
    shop_id = run_cli(capsys, "create-shop", "Duka la Baraka")["shop_id"]
    owner_of(shop_id, capsys, monkeypatch)
    argv = [
        "set-credentials",
        "--owner",
        OWNER,
        "--shop",
        shop_id,
        "--provider",
        provider,
        "--stdin",
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    assert main([*argv, "--mode", wrong_mode]) == 2  # a test key for live mode
    assert told in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    stored = run_cli(capsys, *argv, "--mode", "test")
    assert stored["stored_fields"] == sorted(
        {"flutterwave": ["secret_key", "secret_hash"], "stripe": ["secret_key", "webhook_secret"]}[
            provider
        ]
    )
    store = open_store(RelaySettings())
    assert store.credentials(shop_id, provider, "test") is not None
    assert store.credentials(shop_id, provider, "live") is None
    run_cli(
        capsys,
        "set-mode",
        "--owner",
        OWNER,
        "--shop",
        shop_id,
        "--provider",
        provider,
        "--mode",
        "live",
    )
    [shop] = run_cli(capsys, "list-shops")
    assert shop[f"{provider}_test_mode"] is False and shop["mpesa_test_mode"] is True
    urls = run_cli(capsys, "callback-urls", "--shop", shop_id)
    assert urls[provider].endswith(f"/api/v1/payments/webhook/{provider}/{shop_id}")


def test_etims_init_keeps_the_key_sealed_and_runs_once(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync.sandbox import SandboxConfig, SandboxServer

    shop_id = run_cli(capsys, "create-shop", "Mama Njeri Shop")["shop_id"]
    owner_of(shop_id, capsys, monkeypatch)
    with SandboxServer(SandboxConfig()) as sandbox:
        argv = [
            "etims-init", "--owner", OWNER, "--shop", shop_id, "--tin", "P051234567X",
            "--serial", "DUKA-01", "--base-url", f"{sandbox.base_url}/etims-api",
        ]  # fmt: skip
        shown = run_cli(capsys, *argv)
        key = sandbox.app.state.etims.devices[("P051234567X", "00")].cmc_key
        assert main(argv) == 2  # KRA gives the key once: the relay does not ask twice
        refused = capsys.readouterr()
    assert shown["control_unit_id"] and shown["mode"] == "sandbox"
    assert key not in json.dumps(shown) and "only once" in refused.err
    store = open_store(RelaySettings())
    try:
        with store.read() as conn:
            sealed = conn.exec_driver_sql("SELECT device_enc FROM etims_devices").scalar_one()
    finally:
        store.close()
    assert key not in sealed


def test_sms_credentials_are_stored_sealed(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shop_id = run_cli(capsys, "create-shop", "Duka la SMS")["shop_id"]
    owner_of(shop_id, capsys, monkeypatch)
    argv = ["sms-credentials", "--owner", OWNER, "--shop", shop_id, "--stdin"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("AT_USERNAME=sandbox\n"))
    assert main(argv) == 2  # no API key
    assert "AT_API_KEY" in capsys.readouterr().err
    lines = "AT_USERNAME=sandbox\nAT_API_KEY=atsk_secret42\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    stored = run_cli(capsys, *argv, "--sender-id", "DUKA")
    assert stored["stored_fields"] == ["api_key", "sender_id", "username"]
    assert "atsk_secret42" not in json.dumps(stored)
    store = open_store(RelaySettings())
    assert store.credentials(shop_id, "africastalking", "live") == (
        {"username": "sandbox", "api_key": "atsk_secret42", "sender_id": "DUKA"}, None
    )
    database = next(env.rglob("*.db*"), None) or next(env.rglob("*.sqlite*"))
    assert b"atsk_secret42" not in database.read_bytes()


def test_mpesa_pull_registers_with_daraja_then_turns_on_and_off(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync.sandbox import SandboxConfig, SandboxServer

    shop_id = run_cli(capsys, "create-shop", "Mama Njeri Shop")["shop_id"]
    owner_of(shop_id, capsys, monkeypatch)
    owned = ["--owner", OWNER, "--shop", shop_id]
    config = SandboxConfig()
    with SandboxServer(config) as sandbox:
        lines = (
            f"MPESA_CONSUMER_KEY={config.daraja_consumer_key}\n"
            f"MPESA_CONSUMER_SECRET={config.daraja_consumer_secret}\n"
            f"MPESA_PASSKEY={config.daraja_passkey}\n"
        )
        monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
        run_cli(capsys, "set-credentials", *owned, "--provider", "mpesa", "--mode", "test",
                "--shortcode", config.daraja_shortcode, "--base-url", sandbox.base_url,
                "--stdin")  # fmt: skip
        assert main(["mpesa-pull", *owned]) == 2  # turning it on needs the nominated number
        assert "--nominated-number" in capsys.readouterr().err
        assert main(["mpesa-pull", *owned, "--nominated-number", "12"]) == 1
        assert "mobile number" in capsys.readouterr().err
        on = run_cli(capsys, "mpesa-pull", *owned, "--nominated-number", "0722000000")
        assert sandbox.state.pull_registered == {config.daraja_shortcode}
    assert on["mpesa_pull"] is True and on["reconciled_from"]
    store = open_store(RelaySettings())
    try:
        assert [s.id for s in store.mpesa_pull_shops()] == [shop_id]
        assert run_cli(capsys, "mpesa-pull", *owned, "--off")["mpesa_pull"] is False
        assert store.mpesa_pull_shops() == []
        audit = [e for e in store.audit_entries(shop_id) if e.action == "set_mpesa_pull"]
        assert [(e.actor, e.detail) for e in audit] == [
            (f"owner:{OWNER}", {"enabled": True}),
            (f"owner:{OWNER}", {"enabled": False}),
        ]
    finally:
        store.close()
