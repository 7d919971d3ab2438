"""Daraja client against respx mocks built from the published samples."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx
from provider_samples import sample

from sync.providers.base import PaymentOutcome, PaymentRequest, ProviderError
from sync.providers.daraja import (
    C2B_REGISTER_PATH,
    OAUTH_PATH,
    SANDBOX_PASSKEY,
    SANDBOX_URL,
    STK_PUSH_PATH,
    STK_QUERY_PATH,
    TRANSACTION_STATUS_PATH,
    DarajaClient,
    DarajaConfig,
)
from sync.providers.wire import NAIROBI

pytestmark = pytest.mark.anyio

BASE = "https://daraja.test"
CALLBACK = "https://relay.example.com/hooks/stk/tok123"
PUSH_OK = sample("stk_push_response_daraja3_doc.json")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_config(**overrides: object) -> DarajaConfig:
    values: dict[str, object] = {
        "consumer_key": "ck-visible-nowhere",
        "consumer_secret": "cs-super-secret",
        "shortcode": "174379",
        "passkey": SANDBOX_PASSKEY,
        "base_url": BASE,
        "test_mode": True,
        "retry_backoff_s": 0.0,
    }
    values.update(overrides)
    return DarajaConfig(**values)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def client(clock: FakeClock) -> AsyncIterator[DarajaClient]:
    async with DarajaClient(make_config(), clock=clock) as daraja:
        yield daraja


def token_route(mock: respx.MockRouter, expires_in: object = "3599") -> respx.Route:
    return mock.get(f"{BASE}{OAUTH_PATH}").mock(
        side_effect=[
            httpx.Response(200, json={"access_token": f"tok{i}", "expires_in": expires_in})
            for i in range(1, 6)
        ]
    )


# ----------------------------------------------------------------------------- config


def test_default_hosts_follow_test_mode() -> None:
    assert make_config(base_url=None).base_url == SANDBOX_URL
    assert make_config(base_url=None, test_mode=False).base_url == "https://api.safaricom.co.ke"


def test_config_repr_hides_secrets() -> None:
    text = repr(make_config())
    assert "cs-super-secret" not in text and SANDBOX_PASSKEY not in text


# ----------------------------------------------------------------------------- token


@pytest.mark.parametrize(
    "name", ["oauth_token_response_daraja2_doc.json", "oauth_token_response_daraja3_doc.json"]
)
async def test_token_from_both_published_shapes(name: str, clock: FakeClock) -> None:
    with respx.mock(assert_all_called=True) as mock:
        route = mock.get(f"{BASE}{OAUTH_PATH}").respond(200, json=sample(name))
        async with DarajaClient(make_config(), clock=clock) as daraja:
            assert await daraja.get_token() == "c9SQxWWhmdVRlyh0zh8gZDTkubVF"
            assert await daraja.get_token() == "c9SQxWWhmdVRlyh0zh8gZDTkubVF"
        assert route.call_count == 1
        request = route.calls[0].request
        assert request.url.params["grant_type"] == "client_credentials"
        expected = base64.b64encode(b"ck-visible-nowhere:cs-super-secret").decode()
        assert request.headers["Authorization"] == f"Basic {expected}"


@pytest.mark.parametrize("expires_in", ["3599", 3599, 3599.0])
async def test_token_refreshed_a_minute_before_expiry(
    expires_in: object, client: DarajaClient, clock: FakeClock
) -> None:
    with respx.mock() as mock:
        route = token_route(mock, expires_in)
        assert await client.get_token() == "tok1"
        clock.now += 3599 - 61
        assert await client.get_token() == "tok1"
        clock.now += 2  # now inside the last minute
        assert await client.get_token() == "tok2"
        assert route.call_count == 2


async def test_concurrent_callers_share_one_refresh(client: DarajaClient) -> None:
    with respx.mock() as mock:

        async def slow_token(request: httpx.Request) -> httpx.Response:
            await asyncio.sleep(0.05)
            return httpx.Response(200, json={"access_token": "only", "expires_in": "3599"})

        route = mock.get(f"{BASE}{OAUTH_PATH}").mock(side_effect=slow_token)
        tokens = await asyncio.gather(*(client.get_token() for _ in range(10)))
        assert set(tokens) == {"only"} and route.call_count == 1


@pytest.mark.parametrize("status", [400, 401])
async def test_bad_credentials_say_what_to_fix_without_leaking(
    status: int, client: DarajaClient
) -> None:
    with respx.mock() as mock:
        mock.get(f"{BASE}{OAUTH_PATH}").respond(status, text="")
        with pytest.raises(ProviderError) as caught:
            await client.get_token()
    err = caught.value
    assert err.code == "daraja_auth_failed" and not err.retryable and err.http_status == status
    assert "MPESA_CONSUMER_KEY" in err.cashier_message
    assert "cs-super-secret" not in str(err) and "ck-visible-nowhere" not in str(err)


async def test_token_reply_without_expiry_is_refused(client: DarajaClient) -> None:
    with respx.mock() as mock:
        mock.get(f"{BASE}{OAUTH_PATH}").respond(200, json={"access_token": "x"})
        with pytest.raises(ProviderError, match="daraja_bad_token_reply"):
            await client.get_token()


async def test_token_fetch_retries_network_errors(client: DarajaClient) -> None:
    with respx.mock() as mock:
        route = mock.get(f"{BASE}{OAUTH_PATH}").mock(
            side_effect=[
                httpx.ConnectError("down"),
                httpx.Response(503),
                httpx.Response(200, json={"access_token": "t", "expires_in": "3599"}),
            ]
        )
        assert await client.get_token() == "t"
        assert route.call_count == 3


# ----------------------------------------------------------------------------- STK push


async def test_stk_push_paybill_request_and_reply(client: DarajaClient) -> None:
    with respx.mock() as mock:
        token_route(mock)
        push = mock.post(f"{BASE}{STK_PUSH_PATH}").respond(200, json=PUSH_OK)
        before = datetime.now(UTC)
        accepted = await client.stk_push(
            "0712 345-678", 1500_00, "INV-000123", "Duka sale 123 of many items", CALLBACK
        )
    assert accepted.checkout_request_id == "ws_CO_1007202409152617172396192"
    assert accepted.merchant_request_id == "2654-4b64-97ff-b827b542881d3130"
    assert accepted.customer_message == "Success. Request accepted for processing"
    request = push.calls[0].request
    assert request.headers["Authorization"] == "Bearer tok1"
    body = json.loads(request.content)
    stamp = body["Timestamp"]
    local = datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=NAIROBI)
    assert abs(local - before) < timedelta(seconds=5)
    assert base64.b64decode(body["Password"]).decode() == f"174379{SANDBOX_PASSKEY}{stamp}"
    assert body["TransactionType"] == "CustomerPayBillOnline"
    assert body["PartyB"] == "174379" and body["BusinessShortCode"] == "174379"
    assert body["Amount"] == 1500 and isinstance(body["Amount"], int)
    assert body["PartyA"] == body["PhoneNumber"] == "254712345678"
    assert body["AccountReference"] == "INV-000123"
    assert body["TransactionDesc"] == "Duka sale 123"  # cut to 13 characters
    assert body["CallBackURL"] == CALLBACK


async def test_stk_push_till_uses_buy_goods_with_till_as_party_b(clock: FakeClock) -> None:
    with respx.mock() as mock:
        token_route(mock)
        push = mock.post(f"{BASE}{STK_PUSH_PATH}").respond(200, json=PUSH_OK)
        async with DarajaClient(make_config(till_number="5123456"), clock=clock) as daraja:
            await daraja.stk_push("+254110123456", 100, "A1", "d", CALLBACK)
    body = json.loads(push.calls[0].request.content)
    assert body["TransactionType"] == "CustomerBuyGoodsOnline"
    assert body["PartyB"] == "5123456" and body["BusinessShortCode"] == "174379"
    assert body["PhoneNumber"] == "254110123456"


@pytest.mark.parametrize(
    ("amount_minor", "code"),
    [
        (150, "daraja_bad_amount"),  # KES 1.50: not whole shillings
        (50, "daraja_bad_amount"),  # under KES 1
        (0, "daraja_bad_amount"),
        (250_001_00, "daraja_amount_over_limit"),
    ],
)
async def test_stk_push_refuses_bad_amounts_before_any_call(
    amount_minor: int, code: str, client: DarajaClient
) -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.route()
        with pytest.raises(ProviderError) as caught:
            await client.stk_push("0712345678", amount_minor, "A1", "d", CALLBACK)
        assert caught.value.code == code and route.call_count == 0


async def test_stk_push_accepts_the_limit_exactly(client: DarajaClient) -> None:
    with respx.mock() as mock:
        token_route(mock)
        push = mock.post(f"{BASE}{STK_PUSH_PATH}").respond(200, json=PUSH_OK)
        await client.stk_push("0712345678", 250_000_00, "A1", "d", CALLBACK)
        assert json.loads(push.calls[0].request.content)["Amount"] == 250_000


@pytest.mark.parametrize(
    ("phone", "reference", "url", "code"),
    [
        ("0201234567", "A1", CALLBACK, "invalid_phone"),  # a Nairobi landline
        ("0712345678", "THIRTEEN-CHAR", CALLBACK, "daraja_bad_account_reference"),
        ("0712345678", "  ", CALLBACK, "daraja_bad_account_reference"),
        ("0712345678", "A1", "https://relay.example.com/mpesa/cb", "daraja_bad_callback_url"),
    ],
)
async def test_stk_push_refuses_bad_input_before_any_call(
    phone: str, reference: str, url: str, code: str, client: DarajaClient
) -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.route()
        with pytest.raises(ProviderError) as caught:
            await client.stk_push(phone, 100, reference, "d", url)
        assert caught.value.code == code and route.call_count == 0
        assert caught.value.cashier_message


async def test_stk_push_error_reply_from_sample(client: DarajaClient) -> None:
    with respx.mock() as mock:
        token_route(mock)
        mock.post(f"{BASE}{STK_PUSH_PATH}").respond(
            400, json=sample("stk_push_error_400_invalid_businessshortcode_daraja3_doc.json")
        )
        with pytest.raises(ProviderError) as caught:
            await client.stk_push("0712345678", 100, "A1", "d", CALLBACK)
    err = caught.value
    assert err.code == "daraja_bad_request" and err.http_status == 400 and not err.retryable
    assert "Invalid BusinessShortCode" in err.cashier_message


@pytest.mark.parametrize(
    ("failure", "code", "retryable"),
    [
        (httpx.ReadTimeout("slow"), "daraja_push_unknown", False),
        (httpx.RemoteProtocolError("cut"), "daraja_push_unknown", False),
        (httpx.ConnectError("refused"), "daraja_unreachable", True),
        (httpx.Response(503), "daraja_unavailable", True),
        (httpx.Response(504), "daraja_push_unknown", False),
        (httpx.Response(500, text="<html>error</html>"), "daraja_push_unknown", False),
        (httpx.Response(429), "daraja_rate_limited", True),
        (
            httpx.Response(
                500,
                json={
                    "requestId": "r",
                    "errorCode": "500.001.1001",
                    "errorMessage": "Unable to lock subscriber",
                },
            ),
            "daraja_not_started",
            False,
        ),
    ],
)
async def test_stk_push_is_never_resent(
    failure: httpx.Response | Exception, code: str, retryable: bool, client: DarajaClient
) -> None:
    with respx.mock() as mock:
        token_route(mock)
        push = mock.post(f"{BASE}{STK_PUSH_PATH}").mock(
            side_effect=[failure, httpx.Response(200, json=PUSH_OK)]
        )
        with pytest.raises(ProviderError) as caught:
            await client.stk_push("0712345678", 100, "A1", "d", CALLBACK)
        assert push.call_count == 1
    assert caught.value.code == code and caught.value.retryable is retryable


async def test_invalid_token_is_refreshed_once_then_push_succeeds(client: DarajaClient) -> None:
    with respx.mock() as mock:
        tokens = token_route(mock)
        push = mock.post(f"{BASE}{STK_PUSH_PATH}").mock(
            side_effect=[
                httpx.Response(
                    404,
                    json={
                        "requestId": "r",
                        "errorCode": "404.001.03",
                        "errorMessage": "Invalid Access Token",
                    },
                ),
                httpx.Response(200, json=PUSH_OK),
            ]
        )
        accepted = await client.stk_push("0712345678", 100, "A1", "d", CALLBACK)
    assert accepted.checkout_request_id.startswith("ws_CO_")
    assert tokens.call_count == 2
    assert [c.request.headers["Authorization"] for c in push.calls] == [
        "Bearer tok1",
        "Bearer tok2",
    ]


async def test_token_rejected_twice_is_reported(client: DarajaClient) -> None:
    invalid = {"requestId": "r", "errorCode": "404.001.03", "errorMessage": "Invalid Access Token"}
    with respx.mock() as mock:
        token_route(mock)
        push = mock.post(f"{BASE}{STK_PUSH_PATH}").respond(404, json=invalid)
        with pytest.raises(ProviderError, match="daraja_token_rejected"):
            await client.stk_push("0712345678", 100, "A1", "d", CALLBACK)
        assert push.call_count == 2


async def test_initialize_payment_goes_through_stk_push(client: DarajaClient) -> None:
    with respx.mock() as mock:
        token_route(mock)
        mock.post(f"{BASE}{STK_PUSH_PATH}").respond(200, json=PUSH_OK)
        started = await client.initialize_payment(
            PaymentRequest(
                reference="S-1",
                amount_minor=100,
                currency="KES",
                callback_url=CALLBACK,
                phone="0712345678",
            )
        )
    assert started.provider == "mpesa"
    assert started.provider_reference == "ws_CO_1007202409152617172396192"


async def test_initialize_payment_refuses_other_currencies(client: DarajaClient) -> None:
    with pytest.raises(ProviderError, match="daraja_currency"):
        await client.initialize_payment(
            PaymentRequest(
                reference="S",
                amount_minor=100,
                currency="NGN",
                callback_url=CALLBACK,
                phone="0712345678",
            )
        )


# ----------------------------------------------------------------------------- STK query


@pytest.mark.parametrize(
    ("name", "outcome", "code"),
    [
        ("stk_query_response_success_daraja3_doc.json", PaymentOutcome.PAID, "0"),
        ("stk_query_response_1032_2017_doc.json", PaymentOutcome.CANCELLED, "1032"),
    ],
)
async def test_stk_query_final_results(
    name: str, outcome: PaymentOutcome, code: str, client: DarajaClient
) -> None:
    with respx.mock() as mock:
        token_route(mock)
        query = mock.post(f"{BASE}{STK_QUERY_PATH}").respond(200, json=sample(name))
        result = await client.stk_query("ws_CO_X")
    assert result.outcome is outcome and result.result_code == code
    body = json.loads(query.calls[0].request.content)
    assert body["CheckoutRequestID"] == "ws_CO_X"
    assert base64.b64decode(body["Password"]).decode().endswith(body["Timestamp"])


async def test_stk_query_being_processed_is_pending(client: DarajaClient) -> None:
    with respx.mock() as mock:
        token_route(mock)
        query = mock.post(f"{BASE}{STK_QUERY_PATH}").respond(
            500,
            json={
                "requestId": "r",
                "errorCode": "500.001.1001",
                "errorMessage": "The transaction is being processed",
            },
        )
        result = await client.stk_query("ws_CO_X")
        assert query.call_count == 1  # an answer, not a failure to retry
    assert result.outcome is PaymentOutcome.PENDING and result.result_code is None


async def test_stk_query_4999_is_pending(client: DarajaClient) -> None:
    reply = dict(sample("stk_query_response_success_daraja3_doc.json"))
    reply.update(ResultCode="4999", ResultDesc="The transaction is still under processing")
    with respx.mock() as mock:
        token_route(mock)
        mock.post(f"{BASE}{STK_QUERY_PATH}").respond(200, json=reply)
        result = await client.stk_query("ws_CO_X")
    assert result.outcome is PaymentOutcome.PENDING and result.result_code == "4999"


async def test_stk_query_is_retried_on_network_errors(client: DarajaClient) -> None:
    with respx.mock() as mock:
        token_route(mock)
        query = mock.post(f"{BASE}{STK_QUERY_PATH}").mock(
            side_effect=[
                httpx.ReadTimeout("slow"),
                httpx.Response(502),
                httpx.Response(200, json=sample("stk_query_response_success_daraja3_doc.json")),
            ]
        )
        result = await client.stk_query("ws_CO_X")
    assert result.outcome is PaymentOutcome.PAID and query.call_count == 3


async def test_stk_query_unknown_id(client: DarajaClient) -> None:
    with respx.mock() as mock:
        token_route(mock)
        mock.post(f"{BASE}{STK_QUERY_PATH}").respond(
            400,
            json={
                "requestId": "r",
                "errorCode": "400.002.02",
                "errorMessage": "Bad Request - Invalid CheckoutRequestID",
            },
        )
        with pytest.raises(ProviderError, match="daraja_bad_request"):
            await client.stk_query("ws_CO_nope")


async def test_verify_payment_maps_the_query(client: DarajaClient) -> None:
    with respx.mock() as mock:
        token_route(mock)
        mock.post(f"{BASE}{STK_QUERY_PATH}").respond(
            200, json=sample("stk_query_response_1032_2017_doc.json")
        )
        status = await client.verify_payment("ws_CO_27072017151044001")
    assert status.outcome is PaymentOutcome.CANCELLED and status.result_code == "1032"


# ----------------------------------------------------------------------------- C2B


async def test_register_c2b_urls(client: DarajaClient) -> None:
    with respx.mock() as mock:
        token_route(mock)
        route = mock.post(f"{BASE}{C2B_REGISTER_PATH}").respond(
            200, json=sample("c2b_register_response_v2_daraja3_doc.json")
        )
        result = await client.register_c2b_urls(
            "https://relay.example.com/c2b/confirm/t1", "https://relay.example.com/c2b/check/t1"
        )
    assert result.response_code == "0"
    assert result.originator_conversation_id == "6e86-45dd-91ac-fd5d4178ab523408729"
    body = json.loads(route.calls[0].request.content)
    assert body == {
        "ShortCode": "174379",
        "ResponseType": "Completed",
        "ConfirmationURL": "https://relay.example.com/c2b/confirm/t1",
        "ValidationURL": "https://relay.example.com/c2b/check/t1",
    }


async def test_register_c2b_refuses_forbidden_words(client: DarajaClient) -> None:
    with pytest.raises(ProviderError, match="daraja_bad_callback_url"):
        await client.register_c2b_urls(
            "https://relay.example.com/safaricom/confirm", "https://relay.example.com/v"
        )
    with pytest.raises(ValueError):
        await client.register_c2b_urls("https://a.example/c", "https://a.example/v", "Maybe")


# ----------------------------------------------------------------------------- transaction status


async def test_transaction_status_request_and_reply(clock: FakeClock) -> None:
    config = make_config(initiator="testapiuser", security_credential="ClONZiMYBpc65lmpJ7nv")
    with respx.mock() as mock:
        token_route(mock)
        route = mock.post(f"{BASE}{TRANSACTION_STATUS_PATH}").mock(
            side_effect=[
                httpx.ReadTimeout("slow"),  # read-only: a lost reply may be asked again
                httpx.Response(200, json=sample("transaction_status_response_daraja3_doc.json")),
            ]
        )
        async with DarajaClient(config, clock=clock) as daraja:
            accepted = await daraja.transaction_status(
                "nef61h8j60",
                "https://relay.example.com/ts/result",
                "https://relay.example.com/ts/t",
            )
    assert accepted.conversation_id == "AG_20210709_1234409f86436c583e3f"
    assert accepted.originator_conversation_id == "1236-7134259-1"
    assert route.call_count == 2
    body = json.loads(route.calls[1].request.content)
    assert body["TransactionID"] == "NEF61H8J60" and body["CommandID"] == "TransactionStatusQuery"
    assert body["Initiator"] == "testapiuser" and body["PartyA"] == "174379"
    assert body["IdentifierType"] == "4"
    assert "ClONZiMYBpc65lmpJ7nv" not in repr(config)


async def test_transaction_status_needs_an_initiator_and_a_receipt(client: DarajaClient) -> None:
    with pytest.raises(ProviderError, match="daraja_no_initiator"):
        await client.transaction_status("NEF61H8J60", "https://a.example/r", "https://a.example/t")
    config = make_config(initiator="op", security_credential="cred")
    async with DarajaClient(config) as daraja:
        with pytest.raises(ProviderError, match="daraja_bad_receipt"):
            await daraja.transaction_status(
                "NOT A CODE", "https://a.example/r", "https://a.example/t"
            )
