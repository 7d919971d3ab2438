"""Africa's Talking SMS client against respx mocks of the documented request and reply shapes
(docs/sms.md): what is sent, and how each reply becomes sent / failed / not sent / unknown."""

from __future__ import annotations

from urllib.parse import parse_qs

import httpx
import pytest
import respx
from provider_samples import sample

from sync.providers.africastalking import (
    LIVE_BASE_URL,
    SANDBOX_BASE_URL,
    SmsClient,
    SmsConfig,
    SmsFailed,
    SmsNotSent,
    SmsSent,
    SmsUnknown,
)

pytestmark = pytest.mark.anyio

KEY = "atsk_0123456789abcdef"
TO = "+254712345678"
URL = f"{LIVE_BASE_URL}/version1/messaging"


def client(**overrides: object) -> SmsClient:
    return SmsClient(SmsConfig(**{"username": "duka", "api_key": KEY, **overrides}))  # type: ignore[arg-type]


async def test_sends_the_documented_form_and_reads_the_recipient() -> None:
    with respx.mock() as mock:
        route = mock.post(URL).respond(201, json=sample("africastalking/send_success.json"))
        async with client(sender_id="DUKA") as sms:
            outcome = await sms.send(TO, "Duka\nReceipt TILL1-000001")
    assert outcome == SmsSent("ATPid_SampleTxnId123", "KES 0.8000", "Success")
    request = route.calls.last.request
    assert request.headers["apiKey"] == KEY
    assert request.headers["Accept"] == "application/json"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = parse_qs(request.content.decode())
    assert form == {
        "username": ["duka"], "to": [TO], "message": ["Duka\nReceipt TILL1-000001"],
        "from": ["DUKA"],
    }  # fmt: skip


async def test_the_sandbox_app_goes_to_the_sandbox_host() -> None:
    assert SmsConfig("sandbox", KEY).base_url == SANDBOX_BASE_URL
    assert SmsConfig("duka", KEY).base_url == LIVE_BASE_URL
    assert KEY not in repr(SmsConfig("duka", KEY))


async def test_a_refused_recipient_is_a_failure_with_a_reason() -> None:
    with respx.mock() as mock:
        mock.post(URL).respond(201, json=sample("africastalking/send_invalid_number.json"))
        async with client() as sms:
            outcome = await sms.send(TO, "x")
    assert outcome == SmsFailed("403", "the phone number is not valid")


async def test_a_bad_key_is_a_failure_not_a_retry() -> None:
    with respx.mock() as mock:
        mock.post(URL).respond(401, text="The supplied authentication is invalid")
        async with client() as sms:
            outcome = await sms.send(TO, "x")
    assert isinstance(outcome, SmsFailed) and "API key" in outcome.reason


async def test_a_timeout_after_sending_is_unknown_and_sent_once() -> None:
    with respx.mock() as mock:
        route = mock.post(URL).mock(side_effect=httpx.ReadTimeout("slow"))
        async with client() as sms:
            outcome = await sms.send(TO, "x")
    assert isinstance(outcome, SmsUnknown)
    assert route.call_count == 1  # never resent by the plumbing


async def test_a_connection_never_made_was_not_sent() -> None:
    with respx.mock() as mock:
        mock.post(URL).mock(side_effect=httpx.ConnectError("refused"))
        async with client() as sms:
            outcome = await sms.send(TO, "x")
    assert isinstance(outcome, SmsNotSent)


async def test_a_gateway_error_is_unknown_and_rate_limit_not_sent() -> None:
    with respx.mock() as mock:
        route = mock.post(URL)
        route.side_effect = [httpx.Response(502), httpx.Response(429)]
        async with client() as sms:
            assert isinstance(await sms.send(TO, "x"), SmsUnknown)
            assert isinstance(await sms.send(TO, "x"), SmsNotSent)
        assert route.call_count == 2
