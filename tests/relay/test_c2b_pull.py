"""M-Pesa Pull Transactions through the real relay and the provider sandbox over loopback: a
C2B payment whose confirmation callback was lost is recorded once from Daraja's list, and no
callback (late or early) doubles it."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from sync.protocol import PAYBILL_REFERENCE_SHOWN
from sync.providers.daraja import DarajaClient, DarajaConfig
from sync.providers.daraja_pull import register_pull
from sync.relay.store.store import utcnow
from sync.relay.webhook_paths import callback_paths
from sync.sandbox import SandboxConfig, SandboxServer
from tests.relay.conftest import Relay, run

JSON = {"Content-Type": "application/json"}
CUSTOMER = "254708374149"
Shop = tuple[Relay, SandboxServer, str, str, dict[str, Any]]


@pytest.fixture
def shop(relay_factory: Any) -> Iterator[Shop]:
    """A shop with M-Pesa credentials but no initiator: Transaction Status cannot confirm its
    C2B payments, so only Pull can."""
    relay: Relay = relay_factory(public_base_url="self", mpesa_pull_every_s=0)
    shop_id, token = relay.shop()
    config = SandboxConfig(callback_delay_s=0.1, c2b_validation=False)
    sandbox = SandboxServer(config)
    base = sandbox.start()
    daraja = config.daraja_credentials(initiator=False)
    relay.store.set_credentials(shop_id, "mpesa", "test", daraja, base)
    try:
        yield relay, sandbox, shop_id, token, relay.till(shop_id)
    finally:
        sandbox.stop()


def daraja_client(sandbox: SandboxServer) -> DarajaClient:
    config = sandbox.config
    return DarajaClient(
        DarajaConfig(
            consumer_key=config.daraja_consumer_key,
            consumer_secret=config.daraja_consumer_secret,
            shortcode=config.daraja_shortcode,
            passkey=config.daraja_passkey,
            base_url=sandbox.base_url,
            test_mode=True,
        )
    )


def wait_for(condition: Callable[[], object], timeout_s: float = 15) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def events(relay: Relay, till: dict[str, Any]) -> list[dict[str, Any]]:
    reply = relay.http.get("/api/v1/terminal/events", headers=relay.auth(till))
    assert reply.status_code == 200, reply.text
    found: list[dict[str, Any]] = reply.json()["events"]
    return found


def customers_pay(sandbox: SandboxServer, confirm_url: str, *payments: tuple[int, str]) -> None:
    """Register the C2B URLs (the confirmation URL given), pay from the SIM menu, and register
    the shortcode for Pull, all at the sandbox."""

    async def pay() -> None:
        async with daraja_client(sandbox) as client:
            await client.register_c2b_urls(confirm_url, confirm_url.replace("confirm", "validate"))
            for amount_minor, bill_ref in payments:
                await client.simulate_c2b(amount_minor, CUSTOMER, bill_ref)
            await register_pull(client, "0722000000", confirm_url)

    run(pay())


def pulled_rounds(relay: Relay, shop_id: str, rounds: int = 2) -> None:
    """Wait until the Pull job has reconciled `rounds` more windows."""
    for _ in range(rounds):
        shop = relay.store.shop(shop_id)
        assert shop is not None
        before = shop.mpesa_pull_until

        def moved(before: Any = before) -> bool:
            now = relay.store.shop(shop_id)
            return now is not None and now.mpesa_pull_until > before

        wait_for(moved)


def stored_bytes(relay: Relay) -> bytes:
    url = make_url(relay.settings.database_url)
    path = Path(str(url.database))
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_a_lost_callback_arrives_by_pull_once_and_the_late_one_doubles_nothing(shop: Shop) -> None:
    relay, sandbox, shop_id, token, till = shop
    shown = relay.http.post(
        "/api/v1/terminal/events",
        json={"events": [{"event_id": str(uuid.uuid4()), "till_seq": 1,
                          "type": PAYBILL_REFERENCE_SHOWN, "occurred_at": utcnow().isoformat(),
                          "payload": {"reference": "SALE42"}}]},
        headers=relay.auth(till),
    )  # fmt: skip
    assert shown.status_code == 200, shown.text
    # Daraja's confirmations go nowhere (a wrong token): both callbacks are lost.
    lost = f"{relay.url}/api/v1/payments/webhook/mobile/{'0' * 48}/c2b/confirm"
    customers_pay(sandbox, lost, (15_000, "sale42"), (5_000, "NOBODY"))
    wait_for(lambda: len([d for d in sandbox.state.deliveries if d.status_code == 404]) == 2)
    assert relay.store.last_seq(shop_id) == 0

    relay.store.set_mpesa_pull(shop_id, True, "owner:njeri@example.com")
    wait_for(lambda: relay.store.last_seq(shop_id) == 2)
    by_reference = {e["reference"]: e for e in events(relay, till)}
    matched, unmatched = by_reference["sale42"], by_reference["NOBODY"]
    assert (matched["status"], matched["channel"], matched["amount_minor"]) == (
        "paid", "mpesa_c2b", 15_000
    )  # fmt: skip
    assert matched["claimed_by_till"] == till["terminal_id"]  # the till that showed SALE42
    assert unmatched["claimed_by_till"] is None and unmatched["amount_minor"] == 5_000
    assert matched["payer"] != CUSTOMER and CUSTOMER[-9:] not in (matched["payer"] or "")
    receipts = {e["receipt"] for e in by_reference.values()}
    assert receipts == set(sandbox.state.c2b)

    # Daraja delivers the callbacks late after all, to the right URL; then more Pull rounds.
    confirm = callback_paths(shop_id, token)["mpesa_c2b_confirmation"]
    for receipt in receipts:
        body = sandbox.state.c2b[receipt]
        assert relay.http.post(confirm, json=body, headers=JSON).status_code == 200
    pulled_rounds(relay, shop_id)
    assert relay.store.last_seq(shop_id) == 2
    assert len(events(relay, till)) == 2
    assert sorted(c.state for c in relay.store.c2b_claims(shop_id)) == ["confirmed"] * 2
    if relay.store.sqlite:  # the customer's number and name are sealed at rest
        stored = stored_bytes(relay)
        assert CUSTOMER.encode() not in stored and CUSTOMER[-9:].encode() not in stored


def test_a_callback_that_came_first_is_confirmed_by_pull_not_doubled(shop: Shop) -> None:
    relay, sandbox, shop_id, token, till = shop
    confirm = relay.url + callback_paths(shop_id, token)["mpesa_c2b_confirmation"]
    customers_pay(sandbox, confirm, (20_000, "WALKIN"))
    wait_for(lambda: len(relay.store.c2b_claims(shop_id)) == 1)
    time.sleep(0.5)  # no initiator: the claim is not money, and no Pull yet
    [claim] = relay.store.c2b_claims(shop_id)
    assert claim.state == "claimed" and relay.store.last_seq(shop_id) == 0

    relay.store.set_mpesa_pull(shop_id, True, "owner:njeri@example.com")
    wait_for(lambda: relay.store.last_seq(shop_id) == 1)
    pulled_rounds(relay, shop_id)
    [event] = events(relay, till)
    assert (event["receipt"], event["amount_minor"], event["reference"]) == (
        claim.trans_id, 20_000, "WALKIN"
    )  # fmt: skip
    assert event["claimed_by_till"] is None  # no till showed WALKIN: unmatched, as other C2B
    [settled] = relay.store.c2b_claims(shop_id)
    assert settled.state == "confirmed" and relay.store.last_seq(shop_id) == 1


def test_a_shop_without_pull_is_never_queried(shop: Shop) -> None:
    relay, sandbox, shop_id, _token, _till = shop
    lost = f"{relay.url}/api/v1/payments/webhook/mobile/{'0' * 48}/c2b/confirm"
    relay.store.set_mpesa_pull(shop_id, True, "owner:njeri@example.com")
    relay.store.set_mpesa_pull(shop_id, False, "owner:njeri@example.com")
    # paid once Pull is off: a job round between the two calls above may query, but finds
    # nothing yet (paid before them, CI saw such a round take the payment)
    customers_pay(sandbox, lost, (15_000, "SALE9"))
    time.sleep(1)  # five job rounds
    assert relay.store.last_seq(shop_id) == 0
    assert [a.action for a in relay.store.audit_entries(shop_id)][-2:] == ["set_mpesa_pull"] * 2


def test_a_callback_that_disagrees_with_the_pull_row_is_parked_not_paid(shop: Shop) -> None:
    """Someone who knows the URL token posts a real receipt with a larger amount before Daraja's
    list is read: M-Pesa's own list wins, and a supervisor is told."""
    relay, sandbox, shop_id, token, till = shop
    lost = f"{relay.url}/api/v1/payments/webhook/mobile/{'0' * 48}/c2b/confirm"
    customers_pay(sandbox, lost, (15_000, "SALE7"))
    [(receipt, notice)] = sandbox.state.c2b.items()
    forged = {**notice, "TransAmount": "1500.00"}
    confirm = callback_paths(shop_id, token)["mpesa_c2b_confirmation"]
    assert relay.http.post(confirm, json=forged, headers=JSON).status_code == 200
    wait_for(lambda: len(relay.store.c2b_claims(shop_id)) == 1)

    relay.store.set_mpesa_pull(shop_id, True, "owner:njeri@example.com")
    wait_for(lambda: any(p.reason == "amount_mismatch" for p in relay.store.parked(shop_id)))
    pulled_rounds(relay, shop_id)
    [claim] = relay.store.c2b_claims(shop_id)
    assert (claim.trans_id, claim.state) == (receipt, "refused")
    assert relay.store.last_seq(shop_id) == 0 and events(relay, till) == []
    [parked] = [p for p in relay.store.parked(shop_id) if p.reason == "amount_mismatch"]
    assert parked.summary["confirmed_amount_minor"] == 15_000
