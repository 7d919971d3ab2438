"""The relay's eTIMS signing queue against the sandbox's OSCU stand-in, over real HTTP on
127.0.0.1 both ways: a till pushes etims.sign_requested, the background signer has it signed,
and the outcome comes back on the till's pull stream. Accepted, duplicate, refused with a code,
and a lost reply looked up and signed once."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from sync.protocol import ETIMS_SIGN_REQUESTED
from sync.providers.etims import EtimsClient, SaleRequest, Signed
from sync.relay.owner_actions import OwnerActionRefused, initialise_etims
from sync.relay.store import schema as t
from sync.relay.store.etims import EtimsBooks
from sync.sandbox import SandboxConfig, SandboxServer, ScriptedOutcome
from sync.sandbox.etims_api import EtimsWorld
from tests.relay.conftest import Relay, run

GOLDEN = Path(__file__).parents[1] / "providers" / "samples" / "etims" / "golden"
TIN = "P051234567X"
SERIAL = "DUKA-P051234567X-01"


def sale_body(receipt: str, golden: str = "sale_mixed_basket.json") -> dict[str, Any]:
    """A golden body as a till sends it: no invcNo, no orgInvcNo."""
    body = json.loads((GOLDEN / golden).read_text())
    body.pop("invcNo")
    body.pop("orgInvcNo")
    return {**body, "trdInvcNo": receipt}


class Shop:
    def __init__(self, relay: Relay, sandbox: SandboxServer, shop_id: str) -> None:
        self.relay = relay
        self.sandbox = sandbox
        self.shop_id = shop_id
        self.till = relay.till(shop_id)
        self.till_seq = 0
        self.cursor = "0"

    def push(self, receipt: str, body: dict[str, Any] | None = None, **extra: Any) -> None:
        self.till_seq += 1
        payload = {
            "receipt_number": receipt, "kind": "sale", "body": body or sale_body(receipt),
            **extra,
        }  # fmt: skip
        event = {
            "event_id": str(uuid.uuid4()),
            "till_seq": self.till_seq,
            "type": ETIMS_SIGN_REQUESTED,
            "occurred_at": datetime.now(UTC).isoformat(),
            "payload": payload,
        }
        reply = self.relay.http.post(
            "/api/v1/terminal/events", json={"events": [event]}, headers=self.relay.auth(self.till)
        )
        assert reply.status_code == 200, reply.text
        assert reply.json()["results"][0]["status"] == "accepted"

    def outcomes(self, count: int, within_s: float = 20) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        deadline = time.monotonic() + within_s
        while len(found) < count and time.monotonic() < deadline:
            reply = self.relay.http.get(
                "/api/v1/terminal/events",
                params={"after": self.cursor, "wait": 2},
                headers=self.relay.auth(self.till),
            ).json()
            found += reply["etims"]
            self.cursor = reply["cursor"]
        assert len(found) == count, found
        return found

    @property
    def world(self) -> EtimsWorld:
        world: EtimsWorld = self.sandbox.app.state.etims
        return world

    def signed_by_kra(self) -> list[str]:
        return [s.body["trdInvcNo"] for s in self.world.signed(TIN, "00")]


@pytest.fixture
def shop(relay_factory: Any) -> Iterator[Shop]:
    # a signing call waits 1 s at most here, so that a scripted slow reply is a lost one
    relay: Relay = relay_factory(etims_timeout_s=1.0, etims_retry_s=0.2)
    with SandboxServer(SandboxConfig()) as sandbox:
        shop_id, _ = relay.shop()
        run(
            initialise_etims(
                relay.store, shop_id, tin=TIN, branch="00", serial=SERIAL, live=False,
                base_url=f"{sandbox.base_url}/etims-api", actor="owner:test",
            )
        )  # fmt: skip
        yield Shop(relay, sandbox, shop_id)


def test_the_device_key_is_sealed_and_asked_for_once(shop: Shop) -> None:
    kra_key = shop.world.devices[(TIN, "00")].cmc_key
    with shop.relay.store.read() as conn:
        row = conn.execute(select(t.etims_devices)).one()
    assert kra_key not in row.device_enc and row.device_serial == SERIAL
    device = EtimsBooks(shop.relay.store).device(shop.shop_id)
    assert device is not None and device.device.cmc_key == kra_key
    with pytest.raises(OwnerActionRefused, match="only once"):
        run(
            initialise_etims(
                shop.relay.store, shop.shop_id, tin=TIN, branch="00", serial=SERIAL,
                live=False, base_url=f"{shop.sandbox.base_url}/etims-api", actor="owner:test",
            )
        )  # fmt: skip


def test_an_accepted_sale_is_signed_once_and_streamed(shop: Shop) -> None:
    shop.push("TILL1-000001")
    shop.push("TILL1-000001")  # the till pushed it again (new event, same receipt)
    shop.push("TILL1-000002")
    first, second = shop.outcomes(2)
    assert first["type"] == "etims.signed" and first["receipt_number"] == "TILL1-000001"
    assert (first["invoice_number"], second["invoice_number"]) == (1, 2)
    assert first["till_id"] == shop.till["terminal_id"]
    kra = shop.world.devices[(TIN, "00")]
    assert first["cu_invoice_number"] == f"{kra.sdc_id}/1"
    assert len(first["internal_data"]) == 26 and len(first["receipt_signature"]) == 16
    assert first["qr_url"].endswith(f"Data={TIN}00{first['receipt_signature']}")
    assert first["recovered"] is False
    assert shop.signed_by_kra() == ["TILL1-000001", "TILL1-000002"]


def test_a_duplicate_is_answered_with_the_stored_signature(shop: Shop) -> None:
    shop.sandbox.script("etims_duplicate", reference="TILL1-000003")
    shop.push("TILL1-000003")
    (outcome,) = shop.outcomes(1)
    assert outcome["type"] == "etims.signed" and outcome["invoice_number"] == 1
    assert outcome["recovered"] is True
    assert shop.signed_by_kra() == ["TILL1-000003"]


def test_a_refusal_is_streamed_with_its_code_and_frees_the_number(shop: Shop) -> None:
    shop.sandbox.script("etims_refused", reference="TILL1-000004")
    shop.push("TILL1-000004")
    shop.push("TILL1-000005")
    refused, signed = shop.outcomes(2)
    assert (refused["type"], refused["code"]) == ("etims.refused", "910")
    assert refused["invoice_number"] is None
    assert (signed["type"], signed["invoice_number"]) == ("etims.signed", 1)
    assert shop.signed_by_kra() == ["TILL1-000005"]


def test_a_lost_reply_is_looked_up_and_signed_once(shop: Shop) -> None:
    shop.sandbox.script(ScriptedOutcome(delay_s=2.5), reference="TILL1-000006")
    shop.push("TILL1-000006")
    (outcome,) = shop.outcomes(1)
    assert outcome["type"] == "etims.signed" and outcome["recovered"] is True
    assert outcome["invoice_number"] == 1
    assert shop.signed_by_kra() == ["TILL1-000006"]
    doc = EtimsBooks(shop.relay.store).document(
        shop.shop_id, shop.till["terminal_id"], "TILL1-000006"
    )
    assert doc is not None and doc.state == "signed" and doc.invoice_number == 1


def test_a_credit_note_is_signed_against_its_sales_invoice(shop: Shop) -> None:
    note = sale_body("TILL1-000008-R1", "credit_note_one_sugar.json")
    # queued with its sale: it is numbered after it, with the sale's invcNo as orgInvcNo
    shop.push("TILL1-000008")
    shop.push(
        "TILL1-000008-R1", note, kind="credit_note", original_receipt_number="TILL1-000008"
    )
    shop.push("TILL1-000009-R1", note, kind="credit_note", original_receipt_number="TILL1-9")
    sale, credit, orphan = shop.outcomes(3)
    assert (sale["invoice_number"], credit["invoice_number"]) == (1, 2)
    assert credit["kind"] == "credit_note" and credit["type"] == "etims.signed"
    assert (orphan["type"], orphan["code"]) == ("etims.refused", "original_refused")
    (_, signed_note) = shop.world.signed(TIN, "00")
    assert (signed_note.body["rcptTyCd"], signed_note.body["orgInvcNo"]) == ("R", 1)


def device_counter(shop: Shop, next_number: int) -> None:
    """The relay's copy of KRA's sequence, wrong (a relay restored from an old backup)."""
    with shop.relay.store.write() as conn:
        conn.execute(update(t.etims_devices).values(next_invoice_number=next_number))


def test_a_number_kra_does_not_expect_is_given_again_not_refused(shop: Shop) -> None:
    device_counter(shop, 5)  # KRA expects 1
    shop.push("TILL1-000010")
    (outcome,) = shop.outcomes(1)
    assert (outcome["type"], outcome["invoice_number"]) == ("etims.signed", 1)
    assert shop.signed_by_kra() == ["TILL1-000010"]


def test_a_number_kra_expects_that_the_relay_already_gave_is_refused_not_looped(
    shop: Shop,
) -> None:
    shop.push("TILL1-000014")
    shop.outcomes(1)
    shop.world.devices[(TIN, "00")].last_invoice = 0  # KRA lost invoice 1 (it never does)
    shop.push("TILL1-000015")
    (outcome,) = shop.outcomes(1)
    assert (outcome["type"], outcome["code"]) == ("etims.refused", "910")
    assert "expected: 1" in outcome["message"]


def test_a_number_the_relay_gave_is_never_given_again(shop: Shop) -> None:
    shop.push("TILL1-000011")
    shop.outcomes(1)
    device_counter(shop, 1)  # set back by hand
    shop.push("TILL1-000012")
    (outcome,) = shop.outcomes(1)
    assert (outcome["type"], outcome["invoice_number"]) == ("etims.signed", 2)
    assert shop.signed_by_kra() == ["TILL1-000011", "TILL1-000012"]


def test_a_number_kra_holds_for_another_receipt_is_skipped(shop: Shop) -> None:
    """Another program signed with the shop's device: KRA holds 1 for its receipt. The
    relay's 1 is answered 994, the lookup names the other receipt, and the sale is signed
    under 2; nothing is signed twice."""
    device = EtimsBooks(shop.relay.store).device(shop.shop_id)
    assert device is not None

    async def elsewhere() -> None:
        async with EtimsClient(device.config()) as other:
            body = {**sale_body("OTHER-1"), "invcNo": 1, "orgInvcNo": 0}
            assert isinstance(await other.sign(SaleRequest.model_validate(body)), Signed)

    run(elsewhere())
    shop.push("TILL1-000013")
    (outcome,) = shop.outcomes(1)
    assert (outcome["type"], outcome["invoice_number"]) == ("etims.signed", 2)
    assert shop.signed_by_kra() == ["OTHER-1", "TILL1-000013"]


def test_a_shop_without_a_device_keeps_its_stream_as_it_was(relay_factory: Any) -> None:
    relay: Relay = relay_factory(etims_retry_s=0.2)
    shop_id, _ = relay.shop()
    with SandboxServer(SandboxConfig()) as sandbox:
        quiet = Shop(relay, sandbox, shop_id)
        quiet.push("TILL1-000007")
        time.sleep(0.6)  # three signer rounds
        reply = relay.http.get(
            "/api/v1/terminal/events", headers=relay.auth(quiet.till)
        ).json()
    assert reply == {"events": [], "cursor": "0"}  # the reply tills had before eTIMS
    assert quiet.signed_by_kra() == []
