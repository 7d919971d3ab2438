"""GET /api/v1/terminal/settings (added by the sync engineer for the till's test-mode banner)."""

from __future__ import annotations

import uuid

from sync.protocol import Provider
from tests.relay.conftest import Relay


def test_a_till_reads_its_shop_and_test_modes(relay: Relay) -> None:
    shop_id, _ = relay.shop("Mama Mboga")
    till = relay.till(shop_id)
    reply = relay.http.get("/api/v1/terminal/settings", headers=relay.auth(till))
    assert reply.status_code == 200, reply.text
    assert reply.json() == {
        "shop_id": shop_id,
        "shop_name": "Mama Mboga",
        "test_mode": {"mpesa": True, "paystack": True},
        "mpesa_pay_to": None,  # no M-Pesa credentials for the current mode
    }
    relay.store.set_test_mode(shop_id, Provider.PAYSTACK, False, "owner", "going live")
    reply = relay.http.get("/api/v1/terminal/settings", headers=relay.auth(till))
    assert reply.json()["test_mode"] == {"mpesa": True, "paystack": False}
    assert relay.http.get("/api/v1/terminal/settings").status_code == 401


MPESA = {"consumer_key": "ck", "consumer_secret": "cs", "passkey": "pk"}


def test_the_number_customers_pay_to_follows_the_mode_and_its_kind(relay: Relay) -> None:
    shop_id, _ = relay.shop("Mama Mboga")
    till = relay.till(shop_id)
    relay.store.set_credentials(shop_id, "mpesa", "test", {**MPESA, "shortcode": "174379"}, None)
    relay.store.set_credentials(
        shop_id, "mpesa", "live", {**MPESA, "shortcode": "600100", "till_number": "5566778"}, None
    )

    def pay_to() -> object:
        reply = relay.http.get("/api/v1/terminal/settings", headers=relay.auth(till))
        assert reply.status_code == 200, reply.text
        return reply.json()["mpesa_pay_to"]

    assert pay_to() == {"kind": "paybill", "number": "174379", "test_mode": True}
    relay.store.set_test_mode(shop_id, Provider.MPESA, False, "owner", "going live")
    # Buy Goods: the customer pays to the till; the shortcode only signs the STK push
    assert pay_to() == {"kind": "till", "number": "5566778", "test_mode": False}


def test_an_old_till_reads_the_new_reply() -> None:
    """The till's model ignores what it does not know; an old relay's reply leaves it unset."""
    from sync.protocol import TerminalSettings

    old = {"shop_id": str(uuid.uuid4()), "shop_name": "Duka", "test_mode": {"mpesa": True}}
    parsed = TerminalSettings.model_validate({**old, "future_field": 1})
    assert parsed.mpesa_pay_to is None and "mpesa_pay_to" not in parsed.model_fields_set
