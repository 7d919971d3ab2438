from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import httpx
import pytest
import respx

from pos_app.core.money import Money
from pos_app.services.gateway import (
    GatewayInProgress,
    GatewayRejected,
    GatewayUnavailable,
    OnlineGateway,
)
from sync.engine.credentials import TerminalCredentials
from sync.engine.link import RelayLink
from sync.engine.relay_gateway import RelayGateway

RELAY = "https://relay.test"
CREDS = TerminalCredentials(RELAY, "tok-secret", str(uuid.uuid4()), str(uuid.uuid4()), "Duka")


def _view(payment_id: str, **extra: object) -> dict[str, object]:
    return {
        "payment_id": payment_id,
        "provider": "mpesa",
        "state": "pending",
        "amount_minor": 100_00,
        "currency": "KES",
        "reference": "A1",
        "test_mode": True,
        "checkout_request_id": "ws_CO_1",
        "customer_message": "Success. Request accepted for processing",
        "updated_at": datetime.now(UTC).isoformat(),
        **extra,
    }


@pytest.fixture
def gateway() -> RelayGateway:
    return RelayGateway(RelayLink(CREDS), backoff_s=0.01)


def test_it_is_an_online_gateway(gateway: RelayGateway) -> None:
    typed: OnlineGateway = gateway
    assert typed is gateway


@respx.mock
def test_stk_push_sends_the_payment_id_as_idempotency_key(gateway: RelayGateway) -> None:
    pid = str(uuid.uuid4())
    route = respx.post(f"{RELAY}/api/v1/terminal/payments/mpesa-stk").respond(200, json=_view(pid))
    started = gateway.start_stk_push(pid, "0712345678", Money(100_00, "KES"), "A1")
    assert started.checkout_request_id == "ws_CO_1"
    request = route.calls.last.request
    assert request.headers["Idempotency-Key"] == pid
    assert request.headers["Authorization"] == "Bearer tok-secret"
    body = json.loads(request.content)
    assert body["amount_minor"] == 100_00 and body["account_reference"] == "A1"
    assert gateway.is_online()


@respx.mock
def test_a_lost_reply_is_retried_with_the_same_key(gateway: RelayGateway) -> None:
    pid = str(uuid.uuid4())
    route = respx.post(f"{RELAY}/api/v1/terminal/payments/mpesa-stk").mock(
        side_effect=[
            httpx.ReadTimeout("lost"),
            httpx.Response(502, json={"detail": "x"}),
            httpx.Response(200, json=_view(pid)),
        ]
    )
    gateway.start_stk_push(pid, "0712345678", Money(100_00, "KES"), "A1")
    assert route.call_count == 3
    keys = {call.request.headers["Idempotency-Key"] for call in route.calls}
    bodies = {call.request.content for call in route.calls}
    assert keys == {pid} and len(bodies) == 1


@respx.mock
def test_relay_down_means_unavailable_not_rejected(gateway: RelayGateway) -> None:
    respx.post(f"{RELAY}/api/v1/terminal/payments/link").mock(
        side_effect=httpx.ConnectError("refused")
    )
    with pytest.raises(GatewayUnavailable):
        gateway.start_payment_link(str(uuid.uuid4()), "paystack", Money(500_00, "NGN"), "R1", None)
    assert not gateway.is_online()


@respx.mock
def test_provider_refusal_shows_the_cashier_message(gateway: RelayGateway) -> None:
    pid = str(uuid.uuid4())
    error = {"code": "1", "cashier_message": "Customer has too little money.", "retryable": False}
    respx.post(f"{RELAY}/api/v1/terminal/payments/mpesa-stk").respond(
        200, json=_view(pid, state="error", error=error)
    )
    with pytest.raises(GatewayRejected, match="too little money"):
        gateway.start_stk_push(pid, "0712345678", Money(100_00, "KES"), "A1")


@respx.mock
def test_a_4xx_is_not_retried(gateway: RelayGateway) -> None:
    route = respx.post(f"{RELAY}/api/v1/terminal/payments/mpesa-stk").respond(
        422, json={"detail": "bad phone"}
    )
    with pytest.raises(GatewayRejected, match="bad phone"):
        gateway.start_stk_push(str(uuid.uuid4()), "0700000000x", Money(100_00, "KES"), "A1")
    assert route.call_count == 1


def test_stk_refuses_cents_before_calling_the_relay(gateway: RelayGateway) -> None:
    with pytest.raises(GatewayRejected, match="phone number"):
        gateway.start_stk_push(str(uuid.uuid4()), "07", Money(100_00, "KES"), "A1")
    with pytest.raises(GatewayRejected, match="whole shillings"):
        gateway.start_stk_push(str(uuid.uuid4()), "0712345678", Money(100_50, "KES"), "A1")


@respx.mock
@pytest.mark.parametrize("provider", ["paystack", "flutterwave", "stripe"])
def test_a_payment_link_returns_the_checkout_address(gateway: RelayGateway, provider: str) -> None:
    pid = str(uuid.uuid4())
    route = respx.post(f"{RELAY}/api/v1/terminal/payments/link").respond(
        200,
        json=_view(pid, provider=provider, reference="R-9", authorization_url="https://pay/x"),
    )
    started = gateway.start_payment_link(pid, provider, Money(500_00, "NGN"), "R-9", None)
    assert started.url == "https://pay/x" and started.reference == "R-9"
    sent = json.loads(route.calls.last.request.content)
    assert sent["provider"] == provider and sent["amount_minor"] == 500_00
    assert route.calls.last.request.headers["Idempotency-Key"] == pid


@respx.mock
def test_an_older_relay_without_link_still_makes_paystack_links(gateway: RelayGateway) -> None:
    pid = str(uuid.uuid4())
    respx.post(f"{RELAY}/api/v1/terminal/payments/link").respond(404, json={"detail": "Not Found"})
    old = respx.post(f"{RELAY}/api/v1/terminal/payments/paystack-link").respond(
        200,
        json=_view(pid, provider="paystack", reference="R-7", authorization_url="https://pay/y"),
    )
    started = gateway.start_payment_link(pid, "paystack", Money(500_00, "NGN"), "R-7", None)
    assert started.url == "https://pay/y"
    assert "provider" not in json.loads(old.calls.last.request.content)


@respx.mock
def test_an_older_relay_makes_no_stripe_links(gateway: RelayGateway) -> None:
    respx.post(f"{RELAY}/api/v1/terminal/payments/link").respond(404, json={"detail": "Not Found"})
    old = respx.post(f"{RELAY}/api/v1/terminal/payments/paystack-link")
    with pytest.raises(GatewayRejected, match="no stripe links"):
        gateway.start_payment_link(str(uuid.uuid4()), "stripe", Money(5_00, "KES"), "R-8", None)
    assert old.call_count == 0  # never a Paystack page for a Stripe tender


def test_mpesa_has_no_payment_link(gateway: RelayGateway) -> None:
    with pytest.raises(GatewayRejected, match="cannot go to mpesa"):
        gateway.start_payment_link(str(uuid.uuid4()), "mpesa", Money(5_00, "KES"), "R-8", None)


def test_unpaired_till_is_offline() -> None:
    gateway = RelayGateway(RelayLink(None))
    assert not gateway.is_online()
    with pytest.raises(GatewayUnavailable, match="not paired"):
        gateway.request_status_check(str(uuid.uuid4()))


@respx.mock
def test_refund_uses_the_refund_id_as_idempotency_key(gateway: RelayGateway) -> None:
    pid, rid = str(uuid.uuid4()), str(uuid.uuid4())
    route = respx.post(f"{RELAY}/api/v1/terminal/payments/{pid}/refund").mock(
        side_effect=[
            httpx.ReadTimeout("lost"),
            httpx.Response(
                200,
                json={
                    "payment_id": pid,
                    "refund_id": rid,
                    "amount_minor": 5_00,
                    "currency": "KES",
                    "status": "pending",
                },
            ),
        ]
    )
    gateway.refund_payment(pid, Money(5_00, "KES"), "wrong size", refund_id=rid)
    assert [c.request.headers["Idempotency-Key"] for c in route.calls] == [rid, rid]
    assert json.loads(route.calls.last.request.content)["amount_minor"] == 5_00


@respx.mock
def test_a_refund_the_relay_is_still_handling_is_in_progress_not_refused(
    gateway: RelayGateway,
) -> None:
    pid, rid = str(uuid.uuid4()), str(uuid.uuid4())
    route = respx.post(f"{RELAY}/api/v1/terminal/payments/{pid}/refund").mock(
        side_effect=[
            httpx.Response(409, json={"detail": "still running", "code": "in_progress"}),
            httpx.Response(409, json={"detail": "only paid Paystack payments can be refunded"}),
        ]
    )
    with pytest.raises(GatewayInProgress):
        gateway.refund_payment(pid, Money(5_00, "KES"), "wrong size", refund_id=rid)
    with pytest.raises(GatewayRejected) as refused:
        gateway.refund_payment(pid, Money(5_00, "KES"), "wrong size", refund_id=rid)
    assert not isinstance(refused.value, GatewayInProgress)
    assert route.call_count == 2  # neither is retried by the gateway itself


def test_a_plain_http_relay_elsewhere_leaves_the_till_offline_with_the_reason() -> None:
    link = RelayLink(TerminalCredentials("http://relay.example.com", "t", "x", "y", "z"))
    assert link.credentials is None
    assert link.state.offline_reason is not None and "https" in link.state.offline_reason
    assert not RelayGateway(link).is_online()


@respx.mock
def test_the_relays_settings_name_the_shops_providers(gateway: RelayGateway) -> None:
    shop = {"shop_id": str(uuid.uuid4()), "shop_name": "Duka"}
    route = respx.get(f"{RELAY}/api/v1/terminal/settings")
    route.respond(200, json={**shop, "test_mode": {"mpesa": False, "stripe": True,
                                                   "flutterwave": False}})  # fmt: skip
    link = gateway._link
    assert link.state.providers is None  # not said yet: the till keeps its default tenders
    gateway.refresh_test_modes()
    assert link.state.providers == ("flutterwave", "mpesa", "stripe")
    assert link.state.test_mode_providers == ("stripe",)
    route.respond(200, json={**shop, "test_mode": {"mpesa": True}})  # Stripe's keys removed
    gateway.refresh_test_modes()
    assert link.state.providers == ("mpesa",)
    assert link.state.test_mode_providers == ("mpesa",)  # Stripe's test banner goes with it
