"""Items registered with KRA (saveItem) by the real relay over real HTTP, KRA mocked with
respx: a till's etims.item_changed reaches KRA as the golden body, an unchanged product is not
sent again while a changed price is, and an invoice naming an item nobody registered has it
registered from its own line before it is signed (or refused when KRA refuses the item)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import respx

from pos_app.core.money import Money
from sync.protocol import ETIMS_ITEM_CHANGED, ETIMS_SIGN_REQUESTED
from sync.providers.etims import DeviceInfo
from sync.providers.etims_sale import EtimsItem, item_request
from sync.relay.store.etims import EtimsBooks
from sync.relay.store.etims_overview import etims_overview
from tests.providers.etims_cases import ETIMS_SAMPLES, GOLDEN
from tests.relay.conftest import Relay
from tests.relay.test_etims_signing import sale_body

KRA = "https://etims.test/etims-api"
TIN = "P051234567X"
CMC_KEY = "5c1d9e7a3b2f4a6c8e0d1f3a5b7c9e2d"
RICE = EtimsItem("KE2NTKG0000002", "5000000001", "KG")


def rice(price_minor: int, user: str = "Amina") -> dict[str, Any]:
    """The body the till builds for its rice product (services.etims_items)."""
    return item_request(
        RICE, "Rice (loose)", "A", Money(price_minor, "KES"), active=True, user_id="till01",
        user_name=user,
    ).wire()  # fmt: skip


class KraShop:
    def __init__(self, relay: Relay, kra: respx.MockRouter) -> None:
        self.relay = relay
        self.shop_id, _ = relay.shop()
        self.till = relay.till(self.shop_id)
        self.till_seq = 0
        self.cursor = "0"
        EtimsBooks(relay.store).set_device(
            self.shop_id, "DUKA-01",
            DeviceInfo(tin=TIN, bhf_id="00", sdc_id="KRACU0100000001", cmc_key=CMC_KEY),
            KRA, None, "owner:test",
        )  # fmt: skip
        self.items = kra.post(f"{KRA}/saveItem")
        self.items.respond(200, json={"resultCd": "000", "resultMsg": "It is succeeded"})
        self.sales = kra.post(f"{KRA}/saveTrnsSalesOsdc")
        self.sales.respond(200, content=(ETIMS_SAMPLES / "save_sales_response.json").read_bytes())
        self.kra = kra

    @property
    def calls(self) -> list[str]:
        """KRA's paths, in the order KRA heard them."""
        return [
            call.request.url.path.rsplit("/", 1)[-1]
            for call in self.kra.calls
            if call.request.url.host == "etims.test"
        ]

    def push(self, event_type: str, payload: dict[str, Any]) -> None:
        self.till_seq += 1
        event = {
            "event_id": str(uuid.uuid4()), "till_seq": self.till_seq, "type": event_type,
            "occurred_at": datetime.now(UTC).isoformat(), "payload": payload,
        }  # fmt: skip
        reply = self.relay.http.post(
            "/api/v1/terminal/events", json={"events": [event]}, headers=self.relay.auth(self.till)
        )
        assert reply.status_code == 200, reply.text
        assert reply.json()["results"][0]["status"] == "accepted"

    def sign(self, receipt: str) -> dict[str, Any]:
        """Push a sale and wait for its outcome on the pull stream."""
        self.push(ETIMS_SIGN_REQUESTED, {"receipt_number": receipt, "kind": "sale",
                                         "body": sale_body(receipt)})  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            reply = self.relay.http.get(
                "/api/v1/terminal/events",
                params={"after": self.cursor, "wait": 2},
                headers=self.relay.auth(self.till),
            ).json()
            self.cursor = reply["cursor"]
            if reply["etims"]:
                (outcome,) = reply["etims"]
                return dict(outcome)
        raise AssertionError(f"{receipt} was not settled")

    def item_bodies(self) -> list[dict[str, Any]]:
        return [json.loads(call.request.content) for call in self.items.calls]


@pytest.fixture
def kra_shop(relay_factory: Callable[..., Relay]) -> Iterator[KraShop]:
    relay = relay_factory(etims_retry_s=0.2, etims_timeout_s=5.0)
    with respx.mock(assert_all_called=False) as kra:
        kra.route(host="127.0.0.1").pass_through()
        yield KraShop(relay, kra)


def wait_for(check: Callable[[], bool], within_s: float = 10) -> None:
    deadline = time.monotonic() + within_s
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_product_change_reaches_kra_as_the_golden_body(kra_shop: KraShop) -> None:
    kra_shop.push(ETIMS_ITEM_CHANGED, {"product_id": "p1", "item": rice(18000)})
    wait_for(lambda: kra_shop.items.call_count == 1)
    (request,) = [call.request for call in kra_shop.items.calls]
    assert json.loads(request.content) == json.loads((GOLDEN / "save_item_rice.json").read_text())
    assert (request.headers["tin"], request.headers["bhfId"]) == (TIN, "00")
    assert request.headers["cmcKey"] == CMC_KEY


def test_a_changed_price_is_registered_again_an_unchanged_product_is_not(
    kra_shop: KraShop,
) -> None:
    kra_shop.push(ETIMS_ITEM_CHANGED, {"product_id": "p1", "item": rice(18000)})
    wait_for(lambda: kra_shop.items.call_count == 1)
    # edited again by someone else, nothing KRA knows of changed (a colour, say)
    kra_shop.push(ETIMS_ITEM_CHANGED, {"product_id": "p1", "item": rice(18000, user="Kofi")})
    kra_shop.push(ETIMS_ITEM_CHANGED, {"product_id": "p1", "item": rice(19500)})
    wait_for(lambda: kra_shop.items.call_count == 2)
    kra_shop.push(ETIMS_ITEM_CHANGED, {"product_id": "p1", "item": rice(19500, user="Kofi")})
    # a sale naming the rice (and three items no till registered): a full signing round
    assert kra_shop.sign("TILL1-000001")["type"] == "etims.signed"
    bodies = kra_shop.item_bodies()
    assert [(b["itemCd"], b["dftPrc"]) for b in bodies[:2]] == [
        ("KE2NTKG0000002", 180), ("KE2NTKG0000002", 195),
    ]  # fmt: skip
    assert "KE2NTKG0000002" not in [b["itemCd"] for b in bodies[2:]]
    assert len(bodies) == 5 and kra_shop.calls[-1] == "saveTrnsSalesOsdc"


def test_an_invoice_registers_the_items_it_names_before_it_is_signed(kra_shop: KraShop) -> None:
    outcome = kra_shop.sign("TILL1-000001")
    assert outcome["type"] == "etims.signed" and outcome["invoice_number"] == 1
    assert kra_shop.calls == ["saveItem"] * 4 + ["saveTrnsSalesOsdc"]
    lines = sale_body("TILL1-000001")["itemList"]
    for body, line in zip(kra_shop.item_bodies(), lines, strict=True):
        assert (body["itemCd"], body["itemClsCd"], body["itemNm"], body["taxTyCd"]) == (
            line["itemCd"], line["itemClsCd"], line["itemNm"], line["taxTyCd"],
        )  # fmt: skip
        assert (body["qtyUnitCd"], body["dftPrc"], body["orgnNatCd"]) == (
            line["qtyUnitCd"], line["prc"], "KE",
        )  # fmt: skip
    # the next sale names the same items: KRA holds them, nothing is sent again
    assert kra_shop.sign("TILL1-000002")["type"] == "etims.signed"
    assert kra_shop.calls[5:] == ["saveTrnsSalesOsdc"]


def test_an_invoice_whose_item_kra_refuses_is_refused_unnumbered(kra_shop: KraShop) -> None:
    kra_shop.items.respond(200, json={"resultCd": "910", "resultMsg": "itemClsCd is invalid"})
    outcome = kra_shop.sign("TILL1-000001")
    assert outcome["type"] == "etims.refused" and outcome["code"] == "item_refused"
    assert "910" in outcome["message"] and "KE2NTNO0000001" in outcome["message"]
    assert "saveTrnsSalesOsdc" not in kra_shop.calls
    (shown,) = etims_overview(kra_shop.relay.store, kra_shop.shop_id).refused_items
    assert shown.startswith("KE2NTNO0000001: ") and "910" in shown
    # the next invoice still gets KRA's number 1: the refused one never used it
    kra_shop.items.respond(200, json={"resultCd": "000", "resultMsg": "It is succeeded"})
    assert kra_shop.sign("TILL1-000002")["invoice_number"] == 1
