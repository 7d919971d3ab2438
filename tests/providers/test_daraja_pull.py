"""Daraja Pull Transactions client against respx mocks in Daraja's shapes (the published
register samples; the query reply as the portal describes it)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx
from provider_samples import sample

from sync.providers.base import ProviderError
from sync.providers.daraja import OAUTH_PATH, SANDBOX_PASSKEY, DarajaClient, DarajaConfig
from sync.providers.daraja_pull import (
    PULL_QUERY_PATH,
    PULL_REGISTER_PATH,
    pull_window,
    query_pull,
    register_pull,
)

pytestmark = pytest.mark.anyio

BASE = "https://daraja.test"
CALLBACK = "https://relay.example.com/api/v1/payments/webhook/mobile/abc123/c2b/confirm"
START = datetime(2026, 12, 3, 5, 36, tzinfo=UTC)  # 08:36 in Nairobi
END = datetime(2026, 12, 3, 7, 10, tzinfo=UTC)


def row(**changes: Any) -> dict[str, Any]:
    found = {
        "transactionId": "tl4ba5m0pw",
        "trxDate": "2026-12-03T09:04:44+03:00",
        "msisdn": 254708374149,
        "sender": "JOHN DOE",
        "transactiontype": "c2b-pay-bill-debit",
        "billreference": "SALE42",
        "amount": "150.50",
        "organizationname": "Duka Shop",
    }
    found.update(changes)
    return found


def reply(*rows: dict[str, Any], code: str = "1000") -> dict[str, Any]:
    return {
        "ResponseRefID": "1dba-4b51-8d3c-6c4e2f1b8a90",
        "ResponseCode": code,
        "ResponseMessage": "Success",
        "Response": [list(rows)],
    }


@pytest.fixture
async def client() -> AsyncIterator[DarajaClient]:
    config = DarajaConfig(
        consumer_key="ck",
        consumer_secret="cs",
        shortcode="600000",
        passkey=SANDBOX_PASSKEY,
        base_url=BASE,
        test_mode=True,
        retry_backoff_s=0.0,
    )
    async with DarajaClient(config) as daraja:
        yield daraja


def mocked() -> respx.MockRouter:
    mock = respx.mock(assert_all_called=False)
    mock.get(f"{BASE}{OAUTH_PATH}").respond(200, json={"access_token": "tok", "expires_in": "3599"})
    return mock


async def test_register_sends_the_published_request_shape(client: DarajaClient) -> None:
    with mocked() as mock:
        route = mock.post(f"{BASE}{PULL_REGISTER_PATH}").respond(
            200, json=sample("pull_register_response_daraja3_doc.json")
        )
        registration = await register_pull(client, "+254 722 000 000", CALLBACK)
    sent = json.loads(route.calls.last.request.content)
    published = sample("pull_register_request_daraja3_doc.json")
    assert sent == {**published, "CallBackURL": CALLBACK}  # NominatedNumber as 0722000000
    assert route.calls.last.request.headers["Authorization"] == "Bearer tok"
    assert registration.response_code == "1000"
    assert registration.description == "Shortcode Registered Successfully"


async def test_register_refusals_are_errors(client: DarajaClient) -> None:
    with mocked() as mock:
        route = mock.post(f"{BASE}{PULL_REGISTER_PATH}")
        route.respond(200, json={"ResponseRefID": "x", "ResponseStatus": "1001",
                                 "ResponseDescription": "Shortcode not allowed"})  # fmt: skip
        with pytest.raises(ProviderError) as refused:
            await register_pull(client, "0722000000", CALLBACK)
        assert refused.value.code == "daraja_pull_refused"
        route.respond(200, json={"ResponseStatus": "1000"})  # no ResponseRefID
        with pytest.raises(ProviderError) as malformed:
            await register_pull(client, "0722000000", CALLBACK)
        assert malformed.value.code == "daraja_bad_pull_reply"
    with pytest.raises(ProviderError):
        await register_pull(client, "not a phone", CALLBACK)
    with pytest.raises(ProviderError):
        await register_pull(client, "0722000000", "https://x.example/mpesa/pull")


async def test_query_sends_the_window_in_nairobi_time_and_reads_rows(client: DarajaClient) -> None:
    with mocked() as mock:
        route = mock.post(f"{BASE}{PULL_QUERY_PATH}").respond(
            200, json=reply(row(), row(transactionId="QWE1234567", amount=20, billreference=None,
                                       trxDate="2026-12-03 09:05:00", msisdn="2547******149"))
        )  # fmt: skip
        page = await query_pull(client, START, END, 0)
    assert json.loads(route.calls.last.request.content) == {
        "ShortCode": "600000",
        "StartDate": "2026-12-03 08:36:00",
        "EndDate": "2026-12-03 10:10:00",
        "OffSetValue": "0",
    }
    first, second = page.transactions
    assert first.transaction_id == "TL4BA5M0PW"  # receipts are upper case everywhere
    assert first.amount_minor == 15_050 and first.currency == "KES"
    assert first.occurred_at == datetime(2026, 12, 3, 6, 4, 44, tzinfo=UTC)
    assert first.msisdn == "254708374149" and first.sender == "JOHN DOE"
    assert first.bill_reference == "SALE42"
    assert second.amount_minor == 2_000 and second.bill_reference is None
    assert second.occurred_at == datetime(2026, 12, 3, 6, 5, tzinfo=UTC)  # plain = Nairobi


@pytest.mark.parametrize(
    "body",
    [
        reply(row(amount="abc")),
        reply(row(amount="1e9")),
        reply(row(amount=None)),
        reply(row(trxDate="yesterday")),
        reply(row(transactionId="")),
        reply(row(transactionId="DROP TABLE")),
        {**reply(row()), "Response": "none"},
        {**reply(row()), "Response": [row()]},  # rows not wrapped in the inner list
        {"ResponseCode": "1000", "Response": [[row()]]},  # no ResponseRefID
        [reply(row())],
        {},
    ],
)
async def test_a_malformed_query_reply_is_an_error_never_money(
    client: DarajaClient, body: Any
) -> None:
    with mocked() as mock:
        mock.post(f"{BASE}{PULL_QUERY_PATH}").respond(200, json=body)
        with pytest.raises(ProviderError) as refused:
            await query_pull(client, START, END)
    assert refused.value.code == "daraja_bad_pull_reply"


async def test_query_errors_and_refusals(client: DarajaClient) -> None:
    with mocked() as mock:
        route = mock.post(f"{BASE}{PULL_QUERY_PATH}")
        route.respond(200, json=reply(row(), code="1001"))
        with pytest.raises(ProviderError) as refused:
            await query_pull(client, START, END)
        assert refused.value.code == "daraja_pull_refused"
        route.respond(400, json={"requestId": "r", "errorCode": "400.002.02",
                                 "errorMessage": "Bad Request - Invalid ShortCode"})  # fmt: skip
        with pytest.raises(ProviderError) as bad:
            await query_pull(client, START, END)
        assert bad.value.code == "daraja_bad_request"
        route.respond(200, content=b"<html>gateway</html>")
        with pytest.raises(ProviderError):
            await query_pull(client, START, END)


async def test_an_empty_window_in_either_shape(client: DarajaClient) -> None:
    for empty in ([], [[]]):
        with mocked() as mock:
            mock.post(f"{BASE}{PULL_QUERY_PATH}").respond(200, json={**reply(), "Response": empty})
            assert await pull_window(client, START, END) == []


async def test_the_window_is_read_page_after_page(client: DarajaClient) -> None:
    pages = [
        reply(row(transactionId="AAA1111111"), row(transactionId="BBB2222222")),
        reply(row(transactionId="CCC3333333")),
        reply(),
    ]
    with mocked() as mock:
        route = mock.post(f"{BASE}{PULL_QUERY_PATH}").mock(
            side_effect=[httpx.Response(200, json=p) for p in pages]
        )
        found = await pull_window(client, START, END)
    assert [r.transaction_id for r in found] == ["AAA1111111", "BBB2222222", "CCC3333333"]
    offsets = [json.loads(c.request.content)["OffSetValue"] for c in route.calls]
    assert offsets == ["0", "2", "3"]
