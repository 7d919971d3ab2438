"""The owner's console shows the shop's eTIMS over real HTTP: the device not set up yet with
the invoices it keeps waiting, then set up (the sandbox's KRA stand-in) with the last
signature, and an invoice KRA refused with KRA's code and message."""

from __future__ import annotations

import re
from typing import Any

from sync.relay.owner_actions import initialise_etims
from sync.sandbox import SandboxConfig, SandboxServer
from tests.relay.conftest import Relay, run
from tests.relay.console_helpers import csrf_of, make_owner, sign_in
from tests.relay.test_etims_signing import SERIAL, TIN, Shop


def shown(page: str, field: str) -> str:
    found = re.search(rf'id="{field}">([^<]*)<', page)
    assert found, field
    return found.group(1).strip()


def test_the_console_shows_the_device_the_queue_and_kras_refusals(relay_factory: Any) -> None:
    relay: Relay = relay_factory(public_base_url="self", etims_timeout_s=1.0, etims_retry_s=0.2)
    with SandboxServer(SandboxConfig()) as sandbox:
        shop_id, _ = relay.shop("Mama Njeri")
        shop = Shop(relay, sandbox, shop_id)
        client = sign_in(relay, make_owner(relay, "njeri@example.com", shop_id))
        shop.push("TILL1-000001")  # kept until the device is set up
        page = client.get(f"/console/shops/{shop_id}/etims").text
        assert shown(page, "etims-state") == "Not set up"
        assert shown(page, "etims-waiting") == "1" and shown(page, "etims-last-signed") == "never"

        run(
            initialise_etims(
                relay.store, shop_id, tin=TIN, branch="00", serial=SERIAL, live=False,
                base_url=f"{sandbox.base_url}/etims-api", actor="owner:test",
            )
        )  # fmt: skip
        sandbox.script("etims_refused", reference="TILL1-000002")
        shop.push("TILL1-000002")
        shop.outcomes(2)
        page = client.get(f"/console/shops/{shop_id}/etims").text
        assert shown(page, "etims-state") == "Set up (Test)"
        assert TIN in page and SERIAL in page
        assert (shown(page, "etims-waiting"), shown(page, "etims-signed")) == ("0", "1")
        assert shown(page, "etims-last-signed") != "never"
        refused = page.split('id="refused-TILL1-000002"', 1)[1].split("</article>", 1)[0]
        assert "Till 1" in refused and 'class="code">910<' in refused
        assert 'class="message">Scripted refusal 910<' in refused  # KRA's words, as given
        assert "TILL1-000001" not in page.split("Invoices KRA refused", 1)[1]
        back = f"/console/shops/{shop_id}/etims"
        client.post(
            "/console/language", data={"csrf": csrf_of(page), "language": "sw", "back": back}
        )
        assert "Ankara ambazo KRA imekataa" in client.get(back).text
