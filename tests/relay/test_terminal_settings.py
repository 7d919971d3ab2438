"""GET /api/v1/terminal/settings (added by the sync engineer for the till's test-mode banner)."""

from __future__ import annotations

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
    }
    relay.store.set_test_mode(shop_id, Provider.PAYSTACK, False, "owner", "going live")
    reply = relay.http.get("/api/v1/terminal/settings", headers=relay.auth(till))
    assert reply.json()["test_mode"] == {"mpesa": True, "paystack": False}
    assert relay.http.get("/api/v1/terminal/settings").status_code == 401
