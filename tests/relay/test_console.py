"""The owner's console over real HTTP: sign-in (password, TOTP, lock-out), sessions (fixation,
cookie flags), CSRF, owners confined to their shops, owner actions audited under the owner and
refused to tills."""

from __future__ import annotations

import io
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from sync.relay.cli import main
from tests.relay.conftest import PAYSTACK_TEST_KEY, Relay
from tests.relay.console_helpers import PASSWORD, USED_CODES, csrf_of, make_owner, sign_in

PAGES = ("", "/payments", "/parked", "/tills", "/etims", "/providers", "/audit")


@pytest.fixture
def console(relay_factory: Any) -> Relay:
    relay: Relay = relay_factory(public_base_url="self")  # http on loopback: cookies not Secure
    return relay


def test_sign_in_with_password_and_totp_then_every_page(console: Relay) -> None:
    shop_id, _ = console.shop("Mama Njeri")
    owner = make_owner(console, "njeri@example.com", shop_id)
    client = sign_in(console, owner)
    assert client.get("/console/").headers["location"] == f"/console/shops/{shop_id}"
    for page in PAGES:
        reply = client.get(f"/console/shops/{shop_id}{page}")
        assert reply.status_code == 200, page
        assert "Mama Njeri" in reply.text
        assert reply.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in reply.headers["content-security-policy"]
        assert reply.headers["cache-control"] == "no-store"
    sign_in_entries = [e for e in console.store.audit_entries(shop_id) if e.action == "sign_in"]
    assert sign_in_entries == []  # sign-ins are audited without a shop, not in a shop's log


def test_pages_need_a_signed_in_owner(console: Relay) -> None:
    shop_id, _ = console.shop()
    anonymous = httpx.Client(base_url=console.url)
    for page in PAGES:
        reply = anonymous.get(f"/console/shops/{shop_id}{page}")
        assert reply.status_code == 303 and reply.headers["location"] == "/console/login"


def test_a_wrong_totp_code_or_a_used_one_is_refused(console: Relay) -> None:
    shop_id, _ = console.shop()
    owner = make_owner(console, "a@example.com", shop_id)
    client = httpx.Client(base_url=console.url)
    page = client.get("/console/login")
    client.post(
        "/console/login",
        data={"csrf": csrf_of(page.text), "email": owner.email, "password": PASSWORD},
    )
    page = client.get("/console/totp")
    wrong = str((int(owner.code()) + 1) % 1_000_000).zfill(6)
    reply = client.post("/console/totp", data={"csrf": csrf_of(page.text), "code": wrong})
    assert reply.status_code == 401
    assert client.get(f"/console/shops/{shop_id}").status_code == 303  # still signed out
    # A code seen over someone's shoulder is good once.
    signed = sign_in(console, owner)
    code_used = USED_CODES[owner.id][-1]
    page = signed.get(f"/console/shops/{shop_id}/tills")
    signed.post("/console/logout", data={"csrf": csrf_of(page.text)})
    again = httpx.Client(base_url=console.url)
    page = again.get("/console/login")
    again.post(
        "/console/login",
        data={"csrf": csrf_of(page.text), "email": owner.email, "password": PASSWORD},
    )
    page = again.get("/console/totp")
    reply = again.post("/console/totp", data={"csrf": csrf_of(page.text), "code": code_used})
    assert reply.status_code == 401


def test_lock_out_after_repeated_failures(console: Relay) -> None:
    shop_id, _ = console.shop()
    owner = make_owner(console, "b@example.com", shop_id)
    client = httpx.Client(base_url=console.url)
    csrf = csrf_of(client.get("/console/login").text)
    for _ in range(console.settings.console_max_failures):
        reply = client.post(
            "/console/login", data={"csrf": csrf, "email": owner.email, "password": "wrong one!"}
        )
        assert reply.status_code == 401
    right = client.post(
        "/console/login", data={"csrf": csrf, "email": owner.email, "password": PASSWORD}
    )
    assert right.status_code == 429  # even the right password, while locked
    unknown = client.post(
        "/console/login", data={"csrf": csrf, "email": "nobody@example.com", "password": "x"}
    )
    assert unknown.status_code == 401


def test_session_fixation_is_refused(console: Relay) -> None:
    shop_id, _ = console.shop()
    owner = make_owner(console, "c@example.com", shop_id)
    attacker = httpx.Client(base_url=console.url)
    attacker.get("/console/login")
    planted = [cookie.value for cookie in attacker.cookies.jar]
    assert planted, "the login page starts a session"
    victim = httpx.Client(base_url=console.url)
    for cookie in attacker.cookies.jar:  # e.g. set through a sibling site or a shared PC
        victim.cookies.jar.set_cookie(cookie)
    sign_in(console, owner, victim)
    assert [cookie.value for cookie in victim.cookies.jar] != planted
    # The planted id is worth nothing: the attacker is still signed out.
    reply = attacker.get(f"/console/shops/{shop_id}")
    assert reply.status_code == 303 and reply.headers["location"] == "/console/login"
    assert victim.get(f"/console/shops/{shop_id}").status_code == 200


def test_csrf_is_refused(console: Relay) -> None:
    shop_id, _ = console.shop()
    console.store.set_credentials(shop_id, "paystack", "live", {"secret_key": "sk_live_x"}, None)
    owner = make_owner(console, "d@example.com", shop_id)
    client = sign_in(console, owner)
    url = f"/console/shops/{shop_id}/providers/paystack/mode"
    assert client.post(url, data={"mode": "live"}).status_code == 403
    assert client.post(url, data={"mode": "live", "csrf": "guessed"}).status_code == 403
    other = sign_in(console, make_owner(console, "e@example.com", shop_id))
    someone_elses = csrf_of(other.get(f"/console/shops/{shop_id}/providers").text)
    assert client.post(url, data={"mode": "live", "csrf": someone_elses}).status_code == 403
    assert console.store.shop(shop_id).paystack_test_mode is True  # type: ignore[union-attr]
    mine = csrf_of(client.get(f"/console/shops/{shop_id}/providers").text)
    assert client.post(url, data={"mode": "live", "csrf": mine}).status_code == 303
    assert console.store.shop(shop_id).paystack_test_mode is False  # type: ignore[union-attr]
    audit = [e for e in console.store.audit_entries(shop_id) if e.action == "set_test_mode"]
    assert audit[-1].actor == "owner:d@example.com"


def test_the_owner_sets_credentials_and_never_sees_them_again(console: Relay) -> None:
    shop_id, _ = console.shop()  # with Paystack test credentials
    client = sign_in(console, make_owner(console, "k@example.com", shop_id))
    page = client.get(f"/console/shops/{shop_id}/providers").text
    url = f"/console/shops/{shop_id}/providers/paystack/credentials"
    live_key, test_key = "sk_live_rightdrawer456", "sk_test_wrongdrawer123"
    assert client.post(url, data={"mode": "live", "secret_key": live_key}).status_code == 403
    for mode, key in (("live", test_key), ("test", live_key)):
        refused = client.post(url, data={"csrf": csrf_of(page), "mode": mode, "secret_key": key})
        assert refused.status_code == 422 and f"not a {mode} key" in refused.text
        assert key not in refused.text
    missing = client.post(url, data={"csrf": csrf_of(page), "mode": "live"})
    assert missing.status_code == 422 and "Still missing: Secret key" in missing.text
    assert console.store.credentials(shop_id, "paystack", "live") is None
    saved = client.post(url, data={"csrf": csrf_of(page), "mode": "live", "secret_key": live_key})
    assert saved.status_code == 303
    assert console.store.credentials(shop_id, "paystack", "live") == (
        {"secret_key": live_key},
        None,
    )
    shown = client.get(f"/console/shops/{shop_id}/providers").text
    assert "rightdrawer" not in shown and PAYSTACK_TEST_KEY not in shown
    audit = [e for e in console.store.audit_entries(shop_id) if e.action == "set_credentials"]
    assert [(e.actor, e.detail["fields"]) for e in audit][-1] == (
        "owner:k@example.com",
        ["secret_key"],
    )
    # M-Pesa: a field left empty keeps what is stored.
    mpesa = f"/console/shops/{shop_id}/providers/mpesa/credentials"
    first = {"consumer_key": "ck", "consumer_secret": "cs", "shortcode": "174379", "passkey": "pk"}
    client.post(mpesa, data={"csrf": csrf_of(page), "mode": "live", **first})
    client.post(mpesa, data={"csrf": csrf_of(page), "mode": "live", "passkey": "pk2"})
    stored = console.store.credentials(shop_id, "mpesa", "live")
    assert stored is not None and stored[0] == {**first, "passkey": "pk2"}


def test_an_owner_is_refused_another_owners_shop(console: Relay) -> None:
    mine, _ = console.shop("Mine")
    theirs, _ = console.shop("Theirs")
    console.store.set_credentials(theirs, "paystack", "live", {"secret_key": "sk_live_x"}, None)
    owner = make_owner(console, "f@example.com", mine)
    make_owner(console, "g@example.com", theirs)
    client = sign_in(console, owner)
    csrf = csrf_of(client.get(f"/console/shops/{mine}").text)
    for page in PAGES:
        reply = client.get(f"/console/shops/{theirs}{page}")
        assert reply.status_code == 403 and "Theirs" not in reply.text
    refused = client.post(
        f"/console/shops/{theirs}/providers/paystack/mode", data={"mode": "live", "csrf": csrf}
    )
    assert refused.status_code == 403
    assert (
        client.post(f"/console/shops/{theirs}/tills/pair", data={"csrf": csrf}).status_code == 403
    )
    planted = client.post(
        f"/console/shops/{theirs}/providers/paystack/credentials",
        data={"csrf": csrf, "mode": "live", "secret_key": "sk_live_planted"},
    )
    assert planted.status_code == 403
    assert console.store.credentials(theirs, "paystack", "live") == (
        {"secret_key": "sk_live_x"},
        None,
    )
    assert console.store.shop(theirs).paystack_test_mode is True  # type: ignore[union-attr]


def test_a_till_token_is_refused_every_owner_action(console: Relay) -> None:
    shop_id, _ = console.shop()
    till = console.till(shop_id)
    bearer = console.auth(till)
    actions = [
        f"/console/shops/{shop_id}/providers/paystack/mode",
        f"/console/shops/{shop_id}/tills/pair",
        f"/console/shops/{shop_id}/tills/{till['terminal_id']}/revoke",
        f"/console/shops/{shop_id}/parked/1/replay",
        f"/console/shops/{shop_id}/refund-limit",
        f"/console/shops/{shop_id}/providers/paystack/credentials",
    ]
    for url in actions:
        reply = console.http.post(url, headers=bearer, data={"mode": "live", "limit": "1"})
        assert reply.status_code == 403, url


def test_console_revocation_ends_a_long_poll_at_once(relay_factory: Any) -> None:
    # A fallback re-read far away: a poll that ends soon after the revocation was woken.
    console: Relay = relay_factory(public_base_url="self", long_poll_fallback_s=30.0)
    shop_id, _ = console.shop()
    till = console.till(shop_id, "Counter 2")
    owner = make_owner(console, "h@example.com", shop_id)
    client = sign_in(console, owner)
    page = client.get(f"/console/shops/{shop_id}/tills")
    assert "Counter 2" in page.text
    got: dict[str, Any] = {}

    def long_poll() -> None:
        got["reply"] = console.http.get(
            "/api/v1/terminal/events", params={"wait": 25}, headers=console.auth(till)
        )
        got["at"] = time.monotonic()

    poller = threading.Thread(target=long_poll)
    poller.start()
    time.sleep(0.4)
    reply = client.post(
        f"/console/shops/{shop_id}/tills/{till['terminal_id']}/revoke",
        data={"csrf": csrf_of(page.text)},
    )
    answered = time.monotonic()
    assert reply.status_code == 303
    poller.join(timeout=30)
    assert got["reply"].status_code == 401
    assert got["at"] - answered < 5.0  # woken, not found by the fallback re-read
    audit = [e for e in console.store.audit_entries(shop_id) if e.action == "revoke_till"]
    assert audit[-1].actor == "owner:h@example.com"


def test_refunds_above_the_owners_limit_need_the_owner(console: Relay) -> None:
    shop_id, _ = console.shop()
    till = console.till(shop_id)
    owner = make_owner(console, "i@example.com", shop_id)
    client = sign_in(console, owner)
    csrf = csrf_of(client.get(f"/console/shops/{shop_id}/providers").text)
    saved = client.post(
        f"/console/shops/{shop_id}/refund-limit", data={"csrf": csrf, "limit": "500"}
    )
    assert saved.status_code == 303
    refund_id = str(uuid.uuid4())
    refund = {"refund_id": refund_id, "amount_minor": 50_001, "currency": "KES"}
    reply = console.http.post(
        f"/api/v1/terminal/payments/{uuid.uuid4()}/refund",
        json=refund,
        headers={**console.auth(till), "Idempotency-Key": refund_id},
    )
    assert reply.status_code == 403 and "owner" in reply.json()["detail"]
    within = {**refund, "amount_minor": 50_000}
    reply = console.http.post(
        f"/api/v1/terminal/payments/{uuid.uuid4()}/refund",
        json=within,
        headers={**console.auth(till), "Idempotency-Key": refund_id},
    )
    assert reply.status_code == 404  # past the limit check: the payment is unknown


def test_session_cookie_flags_on_an_https_relay(relay: Relay) -> None:
    reply = relay.http.get("/console/login")
    cookie = reply.headers["set-cookie"]
    assert cookie.startswith("__Host-duka_console=")
    lowered = cookie.lower()
    assert "httponly" in lowered and "secure" in lowered and "samesite=strict" in lowered
    assert "path=/" in lowered and "domain" not in lowered


def test_swahili_by_accept_language(console: Relay) -> None:
    reply = console.http.get("/console/login", headers={"Accept-Language": "sw-KE,sw;q=0.9"})
    assert "Ingia" in reply.text and 'lang="sw"' in reply.text


def test_the_owner_chooses_swahili(console: Relay) -> None:
    shop_id, _ = console.shop()
    client = sign_in(console, make_owner(console, "sw@example.com", shop_id))
    page = client.get(f"/console/shops/{shop_id}/tills")
    assert "Pair a new till" in page.text
    chosen = client.post(
        "/console/language",
        data={
            "csrf": csrf_of(page.text),
            "language": "sw",
            "back": f"/console/shops/{shop_id}/tills",
        },
    )
    assert chosen.headers["location"] == f"/console/shops/{shop_id}/tills"
    assert "Unganisha mashine mpya" in client.get(chosen.headers["location"]).text


def test_create_owner_and_grant_shop_from_the_cli(
    console: Relay, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shop_id, _ = console.shop()
    monkeypatch.setenv("DUKA_RELAY_DATABASE_URL", console.settings.resolved_database_url())
    monkeypatch.setenv("DUKA_RELAY_DATA_DIR", str(console.settings.data_dir))
    monkeypatch.setenv("DUKA_RELAY_MASTER_KEY", console.settings.master_key.get_secret_value())  # type: ignore[union-attr]
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["create-owner", "--email", "Owner@Example.com", "--stdin"]) == 0
    out = capsys.readouterr().out
    assert "otpauth://totp/" in out and PASSWORD not in out and "█" in out
    assert main(["grant-shop", "--owner", "owner@example.com", "--shop", shop_id]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(["create-owner", "--email", "x@example.com", "--stdin"]) == 2


def till_event(seq: int, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "till_seq": seq,
        "type": kind,
        "occurred_at": datetime.now(UTC).isoformat(),
        "payload": payload,
    }


def test_the_overview_adds_the_tills_cash_less_voids(console: Relay) -> None:
    shop_id, _ = console.shop()
    till = console.till(shop_id)
    cash = [str(uuid.uuid4()) for _ in range(3)]
    events = [
        till_event(
            n + 1,
            "sale.cash",
            {"payment": {"payment_id": p, "amount_minor": 25_000, "currency": "KES"}},
        )
        for n, p in enumerate(cash)
    ]
    events.append(
        till_event(4, "sale.voided", {"payments": [{"payment_id": cash[0], "amount_minor": 1}]})
    )
    pushed = console.http.post(
        "/api/v1/terminal/events", json={"events": events}, headers=console.auth(till)
    )
    assert pushed.status_code == 200
    client = sign_in(console, make_owner(console, "cash@example.com", shop_id))
    page = client.get(f"/console/shops/{shop_id}").text
    assert "Cash (less voids)" in page and "KES 500.00" in page and "KES 750.00" not in page


def test_the_owner_switches_flutterwave_and_stripe_to_live(console: Relay) -> None:
    shop_id, _ = console.shop()
    live = {
        "flutterwave": {"secret_key": "FLWSECK-live-X", "secret_hash": "hash"},
        "stripe": {"secret_key": "sk_live_x", "webhook_secret": "whsec_x"},
    }
    client = sign_in(console, make_owner(console, "f@example.com", shop_id))
    page = client.get(f"/console/shops/{shop_id}/providers").text
    assert "Flutterwave" in page and "Stripe" in page and "5531 8866 5214 2950" in page
    for provider, secrets in live.items():
        url = f"/console/shops/{shop_id}/providers/{provider}/mode"
        csrf = csrf_of(client.get(f"/console/shops/{shop_id}/providers").text)
        refused = client.post(url, data={"mode": "live", "csrf": csrf})
        assert refused.status_code == 409  # no live credentials yet
        test_key = {
            **secrets,
            "secret_key": {"flutterwave": "FLWSECK_TEST-x-X"}.get(provider, "sk_test_x"),
        }
        console.store.set_credentials(shop_id, provider, "live", test_key, None)
        csrf = csrf_of(client.get(f"/console/shops/{shop_id}/providers").text)
        wrong = client.post(url, data={"mode": "live", "csrf": csrf})
        assert wrong.status_code == 409 and "is not a live key" in wrong.text
        console.store.set_credentials(shop_id, provider, "live", secrets, None)
        csrf = csrf_of(client.get(f"/console/shops/{shop_id}/providers").text)
        assert client.post(url, data={"mode": "live", "csrf": csrf}).status_code == 303
        assert getattr(console.store.shop(shop_id), f"{provider}_test_mode") is False
