"""The owner's console in a real browser (Debian's chromium through chromium-driver and
Selenium) against a running relay: sign in with TOTP, switch test mode, pair a till, replay a
parked webhook, be refused another owner's shop; and screenshots of every page."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sync.protocol import Provider
from sync.providers.paystack import sign
from sync.relay.store.owners import Owners
from sync.relay.store.store import utcnow
from tests.relay.conftest import PAYSTACK_TEST_KEY, Relay, sample
from tests.relay.console_helpers import PASSWORD, USED_CODES, Owner, fresh_code, make_owner

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium "
    "chromium-driver); .ci/run installs them",
)
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
JSON = {"Content-Type": "application/json"}
STK_CHECKOUT = "ws_CO_27072017154747416"  # the STK success sample's CheckoutRequestID
DESKTOP, PHONE = (1280, 800), (390, 844)
MPESA_CREDENTIALS = {
    "consumer_key": "k",
    "consumer_secret": "s",
    "shortcode": "174379",
    "passkey": "p",
}


@pytest.fixture
def console(relay_factory: Any) -> Relay:
    relay: Relay = relay_factory(public_base_url="self")
    return relay


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--lang=en-GB",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(driver: Any, css: str, text: str | None = None, timeout: float = 10) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(driver, timeout)
    if text is not None:
        wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))
    return wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def click(driver: Any, css: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, css).click()


def browser_sign_in(driver: Any, relay: Relay, owner: Owner) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{relay.url}/console/login")
    driver.find_element(By.ID, "email").send_keys(owner.email)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    click(driver, "#sign-in")
    code_field = wait_for(driver, "#code")
    code_field.send_keys(fresh_code(owner, USED_CODES.setdefault(owner.id, [])))
    click(driver, "#verify")
    wait_for(driver, "#sign-out")


def park_an_stk_callback(relay: Relay, token: str) -> int:
    """An STK callback arriving before the relay knows its payment is parked."""
    url = f"/api/v1/payments/webhook/mobile/{token}/stk"
    body = sample("stk_callback_success_2017_doc.json")
    assert relay.http.post(url, content=body, headers=JSON).status_code == 200
    shop = relay.store.shop_by_webhook_token(token)
    assert shop is not None
    (item,) = [p for p in relay.store.parked(shop.id) if p.provider == "mpesa"]
    return int(item.id)


def add_stk_payment(relay: Relay, shop_id: str, till_id: str) -> str:
    payment_id = str(uuid.uuid4())
    relay.store.insert_payment(
        payment_id=payment_id,
        shop_id=shop_id,
        till_id=till_id,
        provider="mpesa",
        test_mode=True,
        reference="INV-1",
        checkout_request_id=STK_CHECKOUT,
        amount_minor=100,
        currency="KES",
        state="pending",
        next_check_at=utcnow() + timedelta(hours=1),
    )
    return payment_id


def test_owner_signs_in_switches_mode_pairs_a_till_and_replays(
    console: Relay, browser: Any
) -> None:
    from selenium.webdriver.common.by import By

    shop_id, token = console.shop("Mama Njeri")
    theirs, _ = console.shop("Someone Else")
    console.store.set_credentials(shop_id, "paystack", "live", {"secret_key": "sk_live_x"}, None)
    owner = make_owner(console, "njeri@example.com", shop_id)
    make_owner(console, "other@example.com", theirs)
    browser_sign_in(browser, console, owner)
    assert browser.current_url.endswith(f"/console/shops/{shop_id}")

    # Test mode: from test to live money, audited under the owner.
    click(browser, "#nav-providers")
    wait_for(browser, "#mode-paystack", "Test")
    click(browser, "#switch-paystack")
    wait_for(browser, "#mode-paystack", "Live")
    assert console.store.shop(shop_id).paystack_test_mode is False  # type: ignore[union-attr]
    audit = [e for e in console.store.audit_entries(shop_id) if e.action == "set_test_mode"]
    assert audit[-1].actor == "owner:njeri@example.com"

    # Pair a till with the code the console shows; it appears in the list.
    click(browser, "#nav-tills")
    wait_for(browser, "#pair")
    click(browser, "#pair")
    code = wait_for(browser, "#pairing-code").text
    assert browser.find_elements(By.CSS_SELECTOR, ".qr svg")
    paired = console.http.post(
        "/api/v1/terminal/pair", json={"pairing_code": code, "till_name": "Counter 3"}
    )
    assert paired.status_code == 200
    click(browser, "#nav-tills")
    wait_for(browser, ".till-name", "Counter 3")

    # A parked STK callback, replayed once the payment it belongs to is known.
    parked_id = park_an_stk_callback(console, token)
    payment_id = add_stk_payment(console, shop_id, paired.json()["terminal_id"])
    click(browser, "#nav-parked")
    wait_for(browser, f"#replay-{parked_id}")
    click(browser, f"#replay-{parked_id}")
    wait_for(browser, "#no-parked")
    assert console.store.parked(shop_id) == []
    # replayed, the callback is a claim again: the payment waits for the relay's own STK
    # Query (no Daraja here), never paid on the callback's word
    assert console.store.payment(payment_id).state == "pending"  # type: ignore[union-attr]
    assert console.store.count_raw("pending") == 1

    # Another owner's shop: refused.
    browser.get(f"{console.url}/console/shops/{theirs}/providers")
    refused = wait_for(browser, "#refused")
    assert "may not" in refused.text and "Someone Else" not in browser.page_source
    # Nothing the page needed was blocked (the CSP allows only the relay's own files).
    problems = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert [p for p in problems if "403" not in p] == []


def seed_a_day(relay: Relay) -> tuple[str, Owner]:
    shop_id, token = relay.shop("Mama Njeri Duka")
    second, _ = relay.shop("Njeri Wholesale")
    relay.store.set_credentials(shop_id, "mpesa", "test", MPESA_CREDENTIALS, None)
    owner = make_owner(relay, "njeri@example.com", shop_id, second)
    front = relay.till(shop_id, "Front counter")
    relay.till(shop_id, "Back store")
    old = relay.till(shop_id, "Old tablet")
    relay.store.revoke_till(old["terminal_id"], "owner:njeri@example.com")
    add_stk_payment(relay, shop_id, front["terminal_id"])
    relay.store.insert_payment(
        payment_id=str(uuid.uuid4()), shop_id=shop_id, till_id=front["terminal_id"],
        provider="paystack", test_mode=False, reference="SALE-2041", amount_minor=480_000,
        currency="KES", state="paid",
    )  # fmt: skip
    # Above the tills' refund limit: the owner refunds it (the Payments page's refund form).
    Owners(relay.store).set_refund_limit(shop_id, 200_000, "owner:njeri@example.com")
    stk = f"/api/v1/payments/webhook/mobile/{token}/stk"
    relay.http.post(stk, content=sample("stk_callback_success_2017_doc.json"), headers=JSON)
    c2b = f"/api/v1/payments/webhook/mobile/{token}/c2b/confirm"
    relay.http.post(
        c2b,
        content=sample("c2b_confirmation_masked_msisdn_v2_daraja3_doc.json"),
        headers=JSON,
    )
    body = sample("paystack_charge_success_webhook.json")
    relay.http.post(
        f"/api/v1/payments/webhook/paystack/{shop_id}",
        content=body,
        headers={**JSON, "x-paystack-signature": sign(body, PAYSTACK_TEST_KEY)},
    )  # no such reference: parked for the owner
    for n, (amount, live) in enumerate([("350.00", False), ("1200.00", True), ("80.00", True)]):
        if live and relay.store.shop(shop_id).mpesa_test_mode:  # type: ignore[union-attr]
            relay.store.set_credentials(shop_id, "mpesa", "live", MPESA_CREDENTIALS, None)
            relay.store.set_test_mode(
                shop_id, Provider.MPESA, False, "owner:njeri@example.com", None
            )
        relay.http.post(c2b, content=c2b_now(f"TST{n}ABCDE", amount), headers=JSON)
    sales = [
        {
            "event_id": str(uuid.uuid4()),
            "till_seq": n,
            "type": "sale.cash",
            "occurred_at": datetime.now(UTC).isoformat(),
            "payload": {
                "payment": {"payment_id": str(uuid.uuid4()), "amount_minor": amount,
                            "currency": "KES"}
            },
        }
        for n, amount in ((1, 45_000), (2, 12_050), (3, 230_000))
    ]  # fmt: skip
    relay.http.post("/api/v1/terminal/events", json={"events": sales}, headers=relay.auth(front))
    relay.http.get("/api/v1/terminal/events", params={"after": 1}, headers=relay.auth(front))
    return shop_id, owner


def c2b_now(trans_id: str, amount: str) -> bytes:
    """A C2B confirmation paid just now to the shop's shortcode."""
    body = json.loads(sample("c2b_confirmation_2017_doc.json"))
    now = datetime.now(ZoneInfo("Africa/Nairobi")).strftime("%Y%m%d%H%M%S")
    body.update(TransID=trans_id, TransTime=now, TransAmount=amount, BusinessShortCode="174379")
    return json.dumps(body).encode()


def test_screenshots_of_every_page(console: Relay, browser: Any, tmp_path: Path) -> None:
    """Into docs/screenshots with DUKA_SCREENSHOTS=1 (to refresh the committed ones), else
    into a temporary folder: a test run leaves the work tree as it found it."""
    if not console.store.sqlite:
        pytest.skip("the pictures are the same on PostgreSQL")
    shots = DOCS_SCREENSHOTS if os.environ.get("DUKA_SCREENSHOTS") else tmp_path / "shots"
    shop_id, owner = seed_a_day(console)
    shots.mkdir(parents=True, exist_ok=True)
    browser.set_window_size(*DESKTOP)
    browser.get(f"{console.url}/console/login")
    wait_for(browser, "#email")
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        browser.set_window_size(*size)
        browser.save_screenshot(str(shots / f"console-login-{name}.png"))
    browser_sign_in(browser, console, owner)
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        browser.set_window_size(*size)
        browser.save_screenshot(str(shots / f"console-shops-{name}.png"))
    pages = {
        "overview": "",
        "payments": "/payments",
        "parked": "/parked",
        "tills": "/tills",
        "providers": "/providers",
        "audit": "/audit",
        "etims": "/etims",
    }
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        browser.set_window_size(*size)
        for page, path in pages.items():
            browser.get(f"{console.url}/console/shops/{shop_id}{path}")
            wait_for(browser, "nav.tabs")
            browser.save_screenshot(str(shots / f"console-{page}-{name}.png"))
        # The forms behind "Change credentials" and "Refund", opened.
        browser.get(f"{console.url}/console/shops/{shop_id}/providers")
        click(browser, "#credentials-paystack-live summary")
        wait_for(browser, "#save-paystack-live")
        browser.save_screenshot(str(shots / f"console-credentials-{name}.png"))
        browser.get(f"{console.url}/console/shops/{shop_id}/payments")
        click(browser, "details.refund summary")
        wait_for(browser, "details.refund button")
        browser.save_screenshot(str(shots / f"console-refund-{name}.png"))
        browser.get(f"{console.url}/console/shops/{shop_id}/tills")
        click(browser, "#pair")
        wait_for(browser, "#pairing-code")
        browser.save_screenshot(str(shots / f"console-pairing-{name}.png"))
    written = sorted(p.name for p in shots.glob("console-*.png"))
    assert len(written) >= 24
