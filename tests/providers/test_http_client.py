"""sync.providers.http: what every provider client does over HTTP."""

from __future__ import annotations

import httpx
import pytest
import respx

from sync.providers.daraja import DarajaClient, DarajaConfig
from sync.providers.http import overloaded
from sync.providers.paystack import PaystackClient, PaystackConfig

pytestmark = pytest.mark.anyio


async def test_a_shared_http_client_outlives_the_provider_clients() -> None:
    # the relay hands one pool to every shop's clients: closing one must not close it
    async with httpx.AsyncClient() as shared:
        async with PaystackClient(PaystackConfig("sk_test_x"), http=shared):
            pass
        async with DarajaClient(DarajaConfig("k", "s", "174379", "p"), http=shared):
            pass
        assert not shared.is_closed
        with respx.mock() as mock:
            mock.get("https://api.paystack.co/ping").respond(200)
            assert (await shared.get("https://api.paystack.co/ping")).status_code == 200


async def test_a_client_of_its_own_is_closed_with_the_provider_client() -> None:
    async with PaystackClient(PaystackConfig("sk_test_x")) as client:
        own = client._http
    assert own.is_closed


@pytest.mark.parametrize(
    ("status", "code", "retryable"),
    [(429, "paystack_rate_limited", True), (503, "paystack_unavailable", True), (400, None, None)],
)
def test_overloaded_is_only_429_and_5xx(status: int, code: str | None, retryable: bool) -> None:
    error = overloaded("paystack", "Paystack", status, "verify: HTTP", then=", or use cash")
    assert (error.code if error else None) == code
    if error is not None:
        assert error.retryable is retryable and error.http_status == status
        assert error.cashier_message.startswith("Paystack ")
