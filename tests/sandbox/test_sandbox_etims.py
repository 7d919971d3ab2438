"""The eTIMS client against the sandbox's OSCU stand-in over real HTTP: device set-up, code
lists, items, signing, credit notes, scripted duplicates / refusals / slow replies, and the
lookup after a lost reply."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pos_app.core.tax import KENYA
from sync.providers.base import ProviderError
from sync.providers.etims import (
    Duplicate,
    EtimsClient,
    EtimsConfig,
    ItemRequest,
    Refused,
    SaleRequest,
    Signed,
    Unavailable,
    tax_rates_bps,
)
from sync.sandbox import SandboxConfig, SandboxServer, ScriptedOutcome
from sync.sandbox.etims_api import EtimsWorld

pytestmark = pytest.mark.anyio

GOLDEN = Path(__file__).parents[1] / "providers" / "samples" / "etims" / "golden"
TIN = "P051234567X"


def golden(name: str, **changes: Any) -> SaleRequest:
    body = json.loads((GOLDEN / name).read_text())
    return SaleRequest.model_validate({**body, **changes})


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig()) as server:
        yield server


def world(sandbox: SandboxServer) -> EtimsWorld:
    found: EtimsWorld = sandbox.app.state.etims
    return found


@pytest.fixture(scope="module")
def device_config(sandbox: SandboxServer) -> EtimsConfig:
    """One device initialised for the whole module (KRA hands the key out once)."""

    async def initialise() -> EtimsConfig:
        config = EtimsConfig(TIN, base_url=f"{sandbox.base_url}/etims-api")
        async with EtimsClient(config) as fresh:
            return config.with_device(await fresh.initialise("DUKA-P051234567X-01"))

    return asyncio.run(initialise())


@pytest.fixture
async def client(device_config: EtimsConfig) -> AsyncIterator[EtimsClient]:
    async with EtimsClient(device_config) as etims:
        yield etims


class Numbers:
    """KRA's invcNo sequence as the till keeps it: one per signed document."""

    next = 1

    @classmethod
    def take(cls) -> int:
        cls.next += 1
        return cls.next - 1


def sale(receipt: str) -> SaleRequest:
    return golden("sale_mixed_basket.json", invcNo=Numbers.take(), trdInvcNo=receipt)


async def test_initialise_once_and_never_again(
    sandbox: SandboxServer, device_config: EtimsConfig
) -> None:
    assert device_config.cmc_key and device_config.control_unit_id
    assert device_config.control_unit_id.startswith("KRACU01")
    async with EtimsClient(without_key(device_config)) as again:
        with pytest.raises(ProviderError) as caught:
            await again.initialise("DUKA-P051234567X-01")
    assert caught.value.code == "etims_device_installed"


def without_key(config: EtimsConfig) -> EtimsConfig:
    return EtimsConfig(config.tin, config.bhf_id, base_url=config.base_url)


async def test_reference_data(client: EtimsClient) -> None:
    codes = await client.code_list()
    rates = tax_rates_bps(codes.classes)
    assert rates == {"A": 0, "B": 1600, "C": 0, "D": 0, "E": 800}
    assert KENYA.with_rates(rates) == KENYA
    assert len(codes.since) == 14
    assert (await client.code_list(codes.since)).classes == ()
    classes = await client.item_classes()
    assert classes.classes and classes.classes[0].item_cls_cd == "5000000000"


async def test_items(client: EtimsClient, sandbox: SandboxServer) -> None:
    item = ItemRequest(
        item_cd="KE2NTKG0000002",
        item_cls_cd="5000000001",
        item_ty_cd="2",
        item_nm="Rice (loose)",
        orgn_nat_cd="KE",
        pkg_unit_cd="NT",
        qty_unit_cd="KG",
        tax_ty_cd="A",
        dft_prc=180,  # type: ignore[arg-type]
        regr_id="till01",
        regr_nm="Till 1",
        modr_id="till01",
        modr_nm="Till 1",
    )
    await client.save_item(item)
    assert world(sandbox).items[(TIN, "KE2NTKG0000002")]["itemNm"] == "Rice (loose)"
    with pytest.raises(ProviderError, match="QtyUnitCd"):
        await client.save_item(item.model_copy(update={"qty_unit_cd": "NO"}))


async def test_sign_a_sale_then_its_credit_note(client: EtimsClient) -> None:
    signed = await client.sign(sale("TILL1-000872"))
    assert isinstance(signed, Signed) and not signed.recovered
    assert len(signed.receipt_signature) == 16 and len(signed.internal_data) == 26
    assert signed.qr_url.endswith(f"?Data={TIN}00{signed.receipt_signature}")
    assert signed.cu_invoice_number == f"{client.config.control_unit_id}/{signed.invoice_number}"
    found = await client.find_invoice(signed.invoice_number)
    assert found is not None and found.receipt_signature == signed.receipt_signature
    assert found.signed_at == signed.signed_at

    credit = golden(
        "credit_note_one_sugar.json",
        invcNo=Numbers.take(),
        orgInvcNo=signed.invoice_number,
        trdInvcNo="TILL1-000873",
    )
    note = await client.sign(credit)
    assert isinstance(note, Signed) and note.receipt_number == 1  # first credit note
    assert note.total_receipt_number == (signed.total_receipt_number or 0) + 1


async def test_sandbox_checks_what_kra_checks(client: EtimsClient) -> None:
    skipped = await client.sign(golden("sale_mixed_basket.json", invcNo=Numbers.next + 5))
    assert isinstance(skipped, Refused)
    assert skipped.expected_invoice_number == Numbers.next
    body = golden("sale_mixed_basket.json", invcNo=Numbers.next).wire()
    body["itemList"][0]["taxblAmt"] = 480
    body["itemList"][0]["taxAmt"] = 0
    wrong = await client.sign(SaleRequest.model_validate(body))
    assert isinstance(wrong, Refused) and "Expected: 413.79" in wrong.message
    orphan = golden("credit_note_one_sugar.json", invcNo=Numbers.next, orgInvcNo=99_999)
    refused = await client.sign(orphan)
    assert isinstance(refused, Refused) and "orgInvcNo" in refused.message


async def test_an_invoice_sent_again_is_a_duplicate_with_its_signature(
    client: EtimsClient,
) -> None:
    first = sale("TILL1-000880")
    signed = await client.sign(first)
    again = await client.sign(first)
    assert isinstance(signed, Signed) and isinstance(again, Duplicate)
    assert again.signed is not None
    assert again.signed.receipt_signature == signed.receipt_signature


async def test_scripted_duplicate_and_refusal(client: EtimsClient, sandbox: SandboxServer) -> None:
    sandbox.script("etims_duplicate", reference="TILL1-000881")
    duplicate = await client.sign(sale("TILL1-000881"))
    assert isinstance(duplicate, Duplicate) and duplicate.signed is not None
    sandbox.script("etims_refused", reference="TILL1-000882")
    number = Numbers.next
    refused = await client.sign(sale("TILL1-000882"))
    assert isinstance(refused, Refused) and refused.code == "910"
    # a refusal does not use the number: the next document takes it
    Numbers.next = number
    assert isinstance(await client.sign(sale("TILL1-000883")), Signed)


async def test_slow_reply_is_looked_up_and_signed_once(
    client: EtimsClient, sandbox: SandboxServer, device_config: EtimsConfig
) -> None:
    sandbox.script(ScriptedOutcome(delay_s=1.0), reference="TILL1-000890")
    hasty = EtimsConfig(
        device_config.tin,
        base_url=device_config.base_url,
        cmc_key=device_config.cmc_key,
        control_unit_id=device_config.control_unit_id,
        timeout_s=0.3,
    )
    before = len(world(sandbox).signed(TIN, "00"))
    async with EtimsClient(hasty) as impatient:
        outcome = await impatient.sign(sale("TILL1-000890"))
    assert isinstance(outcome, Signed) and outcome.recovered
    assert len(world(sandbox).signed(TIN, "00")) == before + 1


async def test_unknown_device_is_refused(sandbox: SandboxServer) -> None:
    stranger = EtimsConfig(
        "P000000009Z",
        base_url=f"{sandbox.base_url}/etims-api",
        cmc_key="0" * 32,
        control_unit_id="KRACU0100000000",
    )
    async with EtimsClient(stranger) as client:
        outcome = await client.sign(golden("sale_mixed_basket.json", invcNo=1))
    assert isinstance(outcome, Refused) and outcome.code == "901"


async def test_wire_format_is_the_direct_api(sandbox: SandboxServer) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{sandbox.base_url}/etims-api/selectCodeList", json={})
    assert response.status_code == 200
    assert response.json()["resultCd"] == "900"


async def test_a_stopped_sandbox_is_unavailable_not_in_doubt(device_config: EtimsConfig) -> None:
    with SandboxServer(SandboxConfig()) as other:
        config = EtimsConfig(TIN, base_url=f"{other.base_url}/etims-api", retry_backoff_s=0)
        async with EtimsClient(config) as fresh:
            ready = config.with_device(await fresh.initialise("DUKA-P051234567X-02"))
    async with EtimsClient(ready) as client:
        outcome = await client.sign(golden("sale_mixed_basket.json", invcNo=1))
        assert isinstance(outcome, Unavailable) and not outcome.in_doubt
        with pytest.raises(ProviderError) as caught:
            await client.find_invoice(1)
    assert caught.value.code == "etims_unreachable" and caught.value.retryable
