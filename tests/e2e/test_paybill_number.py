"""The paybill/till number of the SIM-menu fallback comes from the real relay: the engine reads
the terminal settings and keeps the number of the shop's current M-Pesa mode, which is what the
cashier's fallback shows."""

from __future__ import annotations

from e2e_support import Till, wait_for

from pos_app.services import build_services
from pos_app.services.bus import EventBus
from pos_app.services.counter import PAYBILL_KEY, TILL_KEY, Counter
from pos_app.store import state
from sync.demo import DemoStack
from sync.protocol import Provider


def _kept(till: Till) -> dict[str, str | None]:
    with till.ledger.read() as conn:
        return {key: state.get(conn, key) for key in (PAYBILL_KEY, TILL_KEY)}


def test_the_relay_tells_the_till_its_paybill_then_its_live_till(
    till: Till, stack: DemoStack
) -> None:
    shortcode = stack.sandbox.config.daraja_shortcode
    wait_for(lambda: _kept(till)[PAYBILL_KEY] == shortcode, what="the sandbox paybill on the till")
    assert _kept(till)[TILL_KEY] is None
    counter = Counter(build_services(till.ledger, EventBus()))
    details = counter.paybill_details("0c1d2e3f-0000-4000-8000-000000000000")
    assert (details.paybill, details.till) == (shortcode, None)
    assert details.account_reference

    # the owner goes live with a Buy Goods till: the fallback follows, the sandbox paybill goes
    store = stack.relay.store
    secrets = {"consumer_key": "ck", "consumer_secret": "cs", "passkey": "pk"}
    live = {**secrets, "shortcode": "600100", "till_number": "5566778"}
    store.set_credentials(stack.shop_id, "mpesa", "live", live, None)
    store.set_test_mode(stack.shop_id, Provider.MPESA, False, "owner", "going live")
    # the engine asks again each time its long-poll loop restarts (every few seconds here)
    wait_for(
        lambda: _kept(till) == {PAYBILL_KEY: None, TILL_KEY: "5566778"},
        timeout_s=20,
        what="the live till number on the till",
    )
