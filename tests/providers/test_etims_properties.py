"""Property tests: whatever JSON eTIMS answers, the parsers raise only EtimsPayloadError and
signing ends in one of its four outcomes."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

import httpx
import respx
from etims_cases import BASE, DEVICE, etims_sample, mixed_sale
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.providers.etims import (
    Duplicate,
    EtimsClient,
    EtimsPayloadError,
    Refused,
    Signed,
    Unavailable,
    parse_code_list,
    parse_device,
    parse_item_classes,
    parse_lookup,
    parse_reply,
    parse_signature,
    tax_rates_bps,
)

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(
        ["000", "001", "994", "902", "910", "999", "0", "16", "B", "sNaN", "1E+999999", "x" * 30]
    )
)
KEYS = st.sampled_from(
    [
        "resultCd",
        "resultMsg",
        "resultDt",
        "data",
        "info",
        "responseBody",
        "responseHeader",
        "clsList",
        "dtlList",
        "cdCls",
        "cd",
        "userDfnCd1",
        "itemClsList",
        "itemClsCd",
        "salesList",
        "receipt",
        "trdInvcNo",
        "curRcptNo ",
        "intrlData",
        "rcptSign",
        "sdcDateTime",
        "sdcId",
        "cmcKey",
        "tin",
        "bhfId",
    ]
) | st.text(max_size=8)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=6),
    max_leaves=30,
)


def _all_parsers(raw: bytes) -> None:
    reply = parse_reply(raw)
    for parse in (parse_device, parse_code_list, parse_item_classes, parse_lookup):
        with contextlib.suppress(EtimsPayloadError):
            parse(reply)
    with contextlib.suppress(EtimsPayloadError):
        tax_rates_bps(parse_code_list(reply))
    parse_signature(reply.data)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_parsers_raise_only_their_declared_error(value: Any) -> None:
    raw = json.dumps(value).encode()
    try:
        _all_parsers(raw)
    except EtimsPayloadError as exc:
        assert "cmcKey" not in str(exc) or "cmcKey" in raw.decode()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=64) | st.text(max_size=64).map(str.encode))
def test_parsers_take_any_bytes(raw: bytes) -> None:
    with contextlib.suppress(EtimsPayloadError):
        _all_parsers(raw)


def test_the_samples_parse() -> None:
    reply = parse_reply(json.dumps(etims_sample("save_sales_response.json")).encode())
    assert parse_signature(reply.data).rcpt_sign == "K7TQ2MXW5RZB3NVA"
    assert parse_device(parse_reply(json.dumps(etims_sample("init_response.json")))).tin


async def _sign_against(sale_reply: Any, lookup_reply: Any, status: int) -> object:
    async with EtimsClient(DEVICE) as client:
        with respx.mock(assert_all_called=False) as mock:  # the lookup only after a doubt
            mock.post(f"{BASE}/saveTrnsSalesOsdc").mock(
                return_value=httpx.Response(status, content=json.dumps(sale_reply).encode())
            )
            mock.post(f"{BASE}/selectInvoiceDetails").mock(
                return_value=httpx.Response(200, content=json.dumps(lookup_reply).encode())
            )
            return await client.sign(mixed_sale())


@settings(max_examples=80, deadline=None)
@given(JSON, JSON, st.sampled_from([200, 400, 500, 502]))
def test_signing_ends_in_an_outcome_whatever_kra_says(
    sale_reply: Any, lookup_reply: Any, status: int
) -> None:
    outcome = asyncio.run(_sign_against(sale_reply, lookup_reply, status))
    assert isinstance(outcome, Signed | Duplicate | Refused | Unavailable)
    assert outcome.invoice_number == 1042
