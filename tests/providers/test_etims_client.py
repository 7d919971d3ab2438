"""The eTIMS client against respx mocks of KRA, fed with the reference samples; the retry
after a lost reply signs every invoice exactly once."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx
from etims_cases import BASE, CMC_KEY, DEVICE, SDC_ID, TIN, etims_sample, golden, mixed_sale

from sync.providers.base import ProviderError
from sync.providers.etims import (
    Duplicate,
    EtimsClient,
    EtimsConfig,
    ItemRequest,
    Refused,
    Signed,
    Unavailable,
    parse_reply,
    tax_rates_bps,
)

pytestmark = pytest.mark.anyio

SALE_URL = f"{BASE}/saveTrnsSalesOsdc"
LOOKUP_URL = f"{BASE}/selectInvoiceDetails"
QR = (
    "https://etims-sbx.kra.go.ke/common/link/etims/receipt/indexEtimsReceiptData"
    "?Data=P000000001A00K7TQ2MXW5RZB3NVA"
)


@pytest.fixture
async def client() -> AsyncIterator[EtimsClient]:
    async with EtimsClient(DEVICE) as etims:
        yield etims


def found_reply(trader: str = "TILL1-000872", sign: str = "K7TQ2MXW5RZB3NVA") -> dict[str, Any]:
    """selectInvoiceDetails as ETIMS.md §8 describes it (no published sample): the signature
    under salesList[0].receipt, sdcDateTime in the lookup's own format."""
    return {
        "resultCd": "000",
        "resultMsg": "It is succeeded",
        "resultDt": "20260115143100",
        "data": {
            "salesList": [
                {
                    "trdInvcNo": trader,
                    "invcNo": 1042,
                    "receipt": {
                        "curRcptNo": "1012",
                        "totRcptNo": "1042",
                        "intrlData": "B4QZ7KXM2TLRWV5NJYDC3HPAEG",
                        "rcptSign": sign,
                        "sdcDateTime": "2026-01-15 14:30:06.0",
                    },
                }
            ]
        },
    }


NOT_FOUND = {"resultCd": "001", "resultMsg": "There is no search result", "data": None}


def reply(code: str, message: str = "") -> dict[str, Any]:
    return {"resultCd": code, "resultMsg": message, "resultDt": "20260115143006", "data": None}


# ----------------------------------------------------------------------------- config


def test_config_checks_pin_and_branch_and_hides_the_key() -> None:
    with pytest.raises(ValueError, match="KRA PIN"):
        EtimsConfig("P00000001A")
    with pytest.raises(ValueError, match="branch"):
        EtimsConfig(TIN, "0")
    assert CMC_KEY not in repr(DEVICE)
    assert CMC_KEY not in repr(EtimsClient(DEVICE))


# ----------------------------------------------------------------------------- initialise


async def test_initialise_sends_the_sample_body_and_reads_the_key() -> None:
    async with EtimsClient(EtimsConfig(TIN, base_url=BASE)) as fresh:
        with respx.mock() as mock:
            route = mock.post(f"{BASE}/selectInitOsdcInfo").respond(
                200, json=etims_sample("init_response.json")
            )
            device = await fresh.initialise("MYPOS-P000000001A-01")
    request = route.calls[0].request
    assert json.loads(request.content) == etims_sample("init_request.json")
    assert "cmckey" not in {k.lower() for k in request.headers}
    assert (device.sdc_id, device.mrc_no, device.cmc_key) == (
        "KRACU0100000123",
        "WIS01000123",
        "3f9c1a7e5b2d4c8f9a6e0b1d2c3f4a5b",
    )
    assert device.cmc_key not in repr(device)
    ready = fresh.config.with_device(device)
    assert (ready.cmc_key, ready.control_unit_id) == (device.cmc_key, "KRACU0100000123")


@pytest.mark.parametrize(
    ("code", "expected"),
    [("902", "etims_device_installed"), ("901", "etims_invalid_device"), ("910", "etims_refused")],
)
async def test_initialise_refusals_are_explained(code: str, expected: str) -> None:
    async with EtimsClient(EtimsConfig(TIN, base_url=BASE)) as fresh:
        with respx.mock() as mock:
            mock.post(f"{BASE}/selectInitOsdcInfo").respond(200, json=reply(code, "no"))
            with pytest.raises(ProviderError) as caught:
                await fresh.initialise("MYPOS-1")
    assert caught.value.code == expected and not caught.value.retryable


async def test_initialise_is_never_sent_twice() -> None:
    async with EtimsClient(EtimsConfig(TIN, base_url=BASE, retry_backoff_s=0)) as fresh:
        with respx.mock() as mock:
            route = mock.post(f"{BASE}/selectInitOsdcInfo").mock(
                side_effect=httpx.ReadTimeout("slow")
            )
            with pytest.raises(ProviderError) as caught:
                await fresh.initialise("MYPOS-1")
    assert caught.value.code == "etims_init_no_answer" and route.call_count == 1


# ----------------------------------------------------------------------------- reference data


async def test_code_list_gives_rates_and_the_next_pull_date(client: EtimsClient) -> None:
    with respx.mock() as mock:
        route = mock.post(f"{BASE}/selectCodeList").respond(
            200, json=etims_sample("code_list_response_excerpt.json")
        )
        update = await client.code_list()
    request = route.calls[0].request
    assert json.loads(request.content) == {"lastReqDt": "20180101000000"}
    assert (request.headers["tin"], request.headers["bhfId"]) == (TIN, "00")
    assert request.headers["cmcKey"] == CMC_KEY
    assert update.since == "20260112091610"
    assert [c.cd_cls for c in update.classes] == ["04", "07", "37", "32"]
    assert tax_rates_bps(update.classes) == {"A": 0, "B": 1600, "C": 0, "E": 800, "D": 0}


async def test_nothing_new_is_001_not_an_error(client: EtimsClient) -> None:
    with respx.mock() as mock:
        mock.post(f"{BASE}/selectCodeList").respond(200, json=NOT_FOUND)
        mock.post(f"{BASE}/selectItemClsList").respond(200, json=NOT_FOUND)
        codes = await client.code_list("20260112091610")
        classes = await client.item_classes("20260112091610")
    assert codes.classes == () and codes.since == "20260112091610"
    assert classes.classes == () and classes.since == "20260112091610"


async def test_a_refused_list_fetch_raises_instead_of_looking_unchanged(
    client: EtimsClient,
) -> None:
    with respx.mock() as mock:
        mock.post(f"{BASE}/selectCodeList").respond(200, json=reply("899", "Invalid cmcKey"))
        mock.post(f"{BASE}/selectItemClsList").respond(200, json=reply("910", "bad lastReqDt"))
        with pytest.raises(ProviderError) as codes:
            await client.code_list("20260112091610")
        with pytest.raises(ProviderError) as classes:
            await client.item_classes("20260112091610")
    assert codes.value.detail == "selectCodeList: 899 Invalid cmcKey"
    assert classes.value.code == "etims_refused"


async def test_item_classes_are_read(client: EtimsClient) -> None:
    body = {
        "resultCd": "000",
        "resultMsg": "Successful",
        "resultDt": "20260112091700",
        "data": {
            "itemClsList": [
                {"itemClsCd": "5000000000", "itemClsNm": "Water", "itemClsLvl": 4, "taxTyCd": "B"},
                {"itemClsCd": 5020230100, "itemClsNm": "Flour", "itemClsLvl": "5", "taxTyCd": None},
            ]
        },
    }
    with respx.mock() as mock:
        mock.post(f"{BASE}/selectItemClsList").respond(200, json=body)
        update = await client.item_classes()
    assert [(c.item_cls_cd, c.item_cls_lvl, c.tax_ty_cd) for c in update.classes] == [
        ("5000000000", 4, "B"),
        ("5020230100", 5, None),
    ]
    assert update.since == "20260112091700"


ITEM = ItemRequest(
    item_cd="KE2NTNO0000001",
    item_cls_cd="5000000000",
    item_ty_cd="2",
    item_nm="Drinking water 500ml",
    orgn_nat_cd="KE",
    pkg_unit_cd="NT",
    qty_unit_cd="NO",
    tax_ty_cd="B",
    dft_prc=50,  # type: ignore[arg-type]
    regr_id="till01",
    regr_nm="Till 1",
    modr_id="till01",
    modr_nm="Till 1",
)


async def test_save_item(client: EtimsClient) -> None:
    with respx.mock() as mock:
        route = mock.post(f"{BASE}/saveItem").respond(200, json=reply("000", "It is succeeded"))
        await client.save_item(ITEM)
        body = json.loads(route.calls[0].request.content)
        assert body["itemCd"] == "KE2NTNO0000001" and body["dftPrc"] == 50
        assert body["useYn"] == "Y" and body["isrcAplcbYn"] == "N"
        mock.post(f"{BASE}/saveItem").respond(200, json=reply("910", "itemClsCd is invalid"))
        with pytest.raises(ProviderError) as caught:
            await client.save_item(ITEM)
    assert caught.value.code == "etims_refused" and "itemClsCd" in caught.value.cashier_message


async def test_lookups_are_resent_on_network_errors(client: EtimsClient) -> None:
    with respx.mock() as mock:
        route = mock.post(f"{BASE}/selectCodeList").mock(
            side_effect=[
                httpx.ConnectError("down"),
                httpx.Response(503),
                httpx.Response(200, json=NOT_FOUND),
            ]
        )
        await client.code_list()
    assert route.call_count == 3


# ----------------------------------------------------------------------------- signing


async def test_a_sale_is_signed_from_the_sample_reply(client: EtimsClient) -> None:
    with respx.mock() as mock:
        route = mock.post(SALE_URL).respond(200, json=etims_sample("save_sales_response.json"))
        outcome = await client.sign(mixed_sale())
    assert json.loads(route.calls[0].request.content) == golden("sale_mixed_basket.json")
    assert route.calls[0].request.headers["cmcKey"] == CMC_KEY
    assert outcome == Signed(
        invoice_number=1042,
        trader_invoice_number="TILL1-000872",
        control_unit_id=SDC_ID,
        receipt_number=1012,
        total_receipt_number=1042,
        internal_data="B4QZ7KXM2TLRWV5NJYDC3HPAEG",
        receipt_signature="K7TQ2MXW5RZB3NVA",
        signed_at=datetime(2026, 1, 15, 11, 30, 6, tzinfo=UTC),
        qr_url=QR,
    )
    assert outcome.cu_invoice_number == "KRACU0100000123/1042"


async def test_loose_replies_are_read(client: EtimsClient) -> None:
    # counters as strings, a key with a trailing blank (§5.6), wrapped as the gateway does
    data = {
        "curRcptNo ": " 1012 ",
        "totRcptNo": "1042",
        "intrlData": "B4QZ7KXM2TLRWV5NJYDC3HPAEG",
        "rcptSign": "K7TQ2MXW5RZB3NVA",
        "sdcDateTime": 20260115143006,
    }
    wrapped = {
        "responseHeader": {"responseCode": "200", "customerMessage": "ok"},
        "responseBody": {"resultCd": "000", "resultMsg": "ok", "data": data},
    }
    with respx.mock() as mock:
        mock.post(SALE_URL).respond(200, json=wrapped)
        outcome = await client.sign(mixed_sale())
    assert isinstance(outcome, Signed)
    assert (outcome.receipt_number, outcome.total_receipt_number) == (1012, 1042)
    assert outcome.signed_at == datetime(2026, 1, 15, 11, 30, 6, tzinfo=UTC)


async def test_gateway_validation_failure_is_a_refusal(client: EtimsClient) -> None:
    why = "Invalid taxblAmt on item: 1. Expected: 86.21, But Found: 100.00"
    body = {"responseHeader": {"responseCode": "400", "debugMessage": why}, "responseBody": None}
    with respx.mock() as mock:
        mock.post(SALE_URL).respond(400, json=body)
        outcome = await client.sign(mixed_sale())
    assert outcome == Refused(1042, "400", why, None)


async def test_duplicate_fetches_the_signature(client: EtimsClient) -> None:
    with respx.mock() as mock:
        mock.post(SALE_URL).respond(200, json=reply("994", "Overlapped data"))
        lookup = mock.post(LOOKUP_URL).respond(200, json=found_reply())
        outcome = await client.sign(mixed_sale())
    assert json.loads(lookup.calls[0].request.content) == golden("invoice_lookup_request.json")
    assert isinstance(outcome, Duplicate) and outcome.signed is not None
    assert outcome.signed.receipt_signature == "K7TQ2MXW5RZB3NVA" and outcome.signed.recovered
    assert outcome.signed.signed_at == datetime(2026, 1, 15, 11, 30, 6, tzinfo=UTC)


async def test_sequence_errors(client: EtimsClient) -> None:
    with respx.mock() as mock:
        mock.post(SALE_URL).respond(
            200, json=reply("910", "Invalid invcNo sequence, expected: 1043 but found: 1042")
        )
        mock.post(LOOKUP_URL).respond(200, json=found_reply())
        behind = await client.sign(mixed_sale())
        mock.post(SALE_URL).respond(
            200, json=reply("910", "Invc No: 1042 is invalid, use the expected value: 1040")
        )
        ahead = await client.sign(mixed_sale())
    # KRA is past 1042: it was used (by this sale, the lookup says)
    assert isinstance(behind, Duplicate) and behind.signed is not None
    # KRA expects 1040: 1042 was not used; the caller renumbers
    assert isinstance(ahead, Refused) and ahead.expected_invoice_number == 1040


@pytest.mark.parametrize(
    ("code", "in_doubt"), [("999", True), ("990", False), ("896", True), ("891", False)]
)
async def test_transient_codes_ask_for_later(
    client: EtimsClient, code: str, in_doubt: bool
) -> None:
    with respx.mock() as mock:
        mock.post(SALE_URL).respond(200, json=reply(code, "busy"))
        outcome = await client.sign(mixed_sale())
    assert outcome == Unavailable(1042, "busy", in_doubt, code)


async def test_refused_and_unreached(client: EtimsClient) -> None:
    with respx.mock() as mock:
        mock.post(SALE_URL).respond(200, json=reply("910", "rfdRsnCd is missing"))
        refused = await client.sign(mixed_sale())
        mock.post(SALE_URL).mock(side_effect=httpx.ConnectError("no route"))
        unreached = await client.sign(mixed_sale())
        mock.post(SALE_URL).respond(429)
        slow_down = await client.sign(mixed_sale())
    assert refused == Refused(1042, "910", "rfdRsnCd is missing")
    assert isinstance(unreached, Unavailable) and not unreached.in_doubt
    assert isinstance(slow_down, Unavailable) and not slow_down.in_doubt


async def test_signing_needs_an_initialised_device() -> None:
    async with EtimsClient(EtimsConfig(TIN, base_url=BASE)) as fresh:
        with respx.mock(assert_all_called=False) as mock:
            route = mock.route()
            with pytest.raises(ProviderError) as caught:
                await fresh.sign(mixed_sale())
    assert caught.value.code == "etims_not_initialised" and route.call_count == 0


# ----------------------------------------------------------------------------- lost replies


class FakeKra:
    """KRA's side of signing: invoices it holds by number, and which replies never arrive."""

    def __init__(self, *, lose: list[str]) -> None:
        # per sale call, in order: "after" = KRA signs, the reply is lost; "before" = the
        # request dies on the way; "ok" = signed and answered
        self.plan = list(lose)
        self.signed: dict[int, dict[str, Any]] = {}
        self.sale_bodies: list[dict[str, Any]] = []
        self.lookups = 0

    def sale(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.sale_bodies.append(body)
        step = self.plan.pop(0) if self.plan else "ok"
        if step == "before":
            raise httpx.ReadTimeout("lost on the way", request=request)
        number = body["invcNo"]
        if number in self.signed:
            return httpx.Response(200, json=reply("994", "Overlapped data"))
        self.signed[number] = body
        if step == "after":
            raise httpx.ReadTimeout("reply lost", request=request)
        return httpx.Response(200, json=etims_sample("save_sales_response.json"))

    def lookup(self, request: httpx.Request) -> httpx.Response:
        self.lookups += 1
        number = json.loads(request.content)["invcNo"]
        if number not in self.signed:
            return httpx.Response(200, json=NOT_FOUND)
        return httpx.Response(200, json=found_reply(self.signed[number]["trdInvcNo"]))


async def test_reply_lost_after_signing_is_found_not_resent(client: EtimsClient) -> None:
    kra = FakeKra(lose=["after"])
    with respx.mock() as mock:
        mock.post(SALE_URL).mock(side_effect=kra.sale)
        lookup = mock.post(LOOKUP_URL).mock(side_effect=kra.lookup)
        outcome = await client.sign(mixed_sale())
    assert kra.sale_bodies == [golden("sale_mixed_basket.json")]  # sent once
    assert json.loads(lookup.calls[0].request.content) == golden("invoice_lookup_request.json")
    assert isinstance(outcome, Signed) and outcome.recovered
    assert outcome.trader_invoice_number == "TILL1-000872" and outcome.qr_url == QR
    assert list(kra.signed) == [1042]


async def test_request_lost_before_kra_is_sent_again_once(client: EtimsClient) -> None:
    kra = FakeKra(lose=["before"])
    with respx.mock() as mock:
        mock.post(SALE_URL).mock(side_effect=kra.sale)
        mock.post(LOOKUP_URL).mock(side_effect=kra.lookup)
        outcome = await client.sign(mixed_sale())
    assert kra.sale_bodies == [golden("sale_mixed_basket.json")] * 2  # the same body, same number
    assert kra.lookups == 1 and list(kra.signed) == [1042]
    assert isinstance(outcome, Signed) and not outcome.recovered


async def test_lost_twice_leaves_it_in_doubt_and_the_next_call_asks_first(
    client: EtimsClient,
) -> None:
    kra = FakeKra(lose=["before", "after"])
    with respx.mock() as mock:
        mock.post(SALE_URL).mock(side_effect=kra.sale)
        mock.post(LOOKUP_URL).mock(side_effect=kra.lookup)
        first = await client.sign(mixed_sale())
        assert first == Unavailable(1042, "KRA eTIMS did not answer twice", in_doubt=True)
        again = await client.sign(mixed_sale(), in_doubt=True)
    assert isinstance(again, Signed) and again.recovered
    assert len(kra.sale_bodies) == 2 and list(kra.signed) == [1042]


async def test_lookup_unreachable_after_a_lost_reply_sends_nothing_more(
    client: EtimsClient,
) -> None:
    kra = FakeKra(lose=["after"])
    with respx.mock() as mock:
        mock.post(SALE_URL).mock(side_effect=kra.sale)
        mock.post(LOOKUP_URL).mock(side_effect=httpx.ConnectError("down"))
        outcome = await client.sign(mixed_sale())
    assert isinstance(outcome, Unavailable) and outcome.in_doubt
    assert len(kra.sale_bodies) == 1


async def test_a_5xx_or_garbage_reply_is_treated_as_lost(client: EtimsClient) -> None:
    kra = FakeKra(lose=[])
    with respx.mock() as mock:
        bad = [httpx.Response(502, text="<html>Bad gateway</html>")]
        mock.post(SALE_URL).mock(side_effect=lambda r: bad.pop() if bad else kra.sale(r))
        mock.post(LOOKUP_URL).mock(side_effect=kra.lookup)
        outcome = await client.sign(mixed_sale())
    assert isinstance(outcome, Signed) and kra.lookups == 1 and list(kra.signed) == [1042]


async def test_a_number_holding_another_receipt_is_refused(client: EtimsClient) -> None:
    with respx.mock() as mock:
        mock.post(SALE_URL).mock(side_effect=httpx.ReadTimeout("lost"))
        mock.post(LOOKUP_URL).respond(200, json=found_reply(trader="TILL2-000009"))
        outcome = await client.sign(mixed_sale())
    assert isinstance(outcome, Refused) and outcome.code == "invoice_number_taken"


async def test_find_invoice(client: EtimsClient) -> None:
    with respx.mock() as mock:
        mock.post(LOOKUP_URL).respond(200, json=NOT_FOUND)
        assert await client.find_invoice(7) is None
        mock.post(LOOKUP_URL).respond(200, json=found_reply())
        found = await client.find_invoice(1042)
    assert found is not None and found.cu_invoice_number == "KRACU0100000123/1042"
    assert replace(found, recovered=False).receipt_number == 1012


def test_parse_reply_rejects_what_is_not_an_envelope() -> None:
    for raw in (b"", b"[]", b'{"resultMsg": "x"}', b'{"resultCd": ""}', b'{"resultCd": null}'):
        with pytest.raises(ProviderError) as caught:
            parse_reply(raw)
        assert caught.value.code == "etims_payload_invalid"
