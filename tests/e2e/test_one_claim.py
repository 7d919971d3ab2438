"""One shop, one claim, over real HTTP on 127.0.0.1: two headless tills paired with one relay
(and the sandbox as Daraja). A SIM-menu (C2B) payment is counted by one till of the shop only;
the second till's supervisor is refused, told which till has it; a forged C2B confirmation
never pays a sale."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from e2e_support import Till, make_till, wait_for
from sqlalchemy import func, select

from pos_app.config import TillSettings
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.services import build_services
from pos_app.services.approvals import ClaimNeedsRelay
from pos_app.services.counter import PAYBILL_KEY, Counter, account_reference
from pos_app.services.gateway import C2BTaken
from pos_app.services.provider_events import ProviderEventService
from pos_app.services.supervisor_desk import SupervisorDesk
from pos_app.services.users import UserView
from pos_app.store import state
from pos_app.store.db import open_ledger
from pos_app.store.schema import inbox, payments
from sync.demo import DemoStack
from sync.engine import pairing
from sync.providers.daraja import DarajaClient, DarajaConfig
from sync.relay.webhook_paths import callback_paths
from tests.providers.provider_samples import sample

PIN = "2468"


@pytest.fixture
def till_b(stack: DemoStack, tmp_path: Path) -> Iterator[Till]:
    """A second till of the demo shop ("Till B"), paired with the same relay."""
    settings = TillSettings(data_dir=tmp_path / "till-b", keyring="memory", till_id="e2e-till-b")
    ledger = open_ledger(settings)
    pairing.pair(settings, ledger, stack.relay.url, stack.pairing_code(), "Till B")
    ledger.close()
    made = make_till(settings)
    yield made
    made.close()


def _supervisor(till: Till, name: str) -> tuple[SupervisorDesk, UserView]:
    desk = SupervisorDesk.over(till.ledger, till.bus, gateway=lambda: till.engine.gateway)
    return desk, desk.users.create_user(name, "supervisor", PIN)


def _pay_from_the_sim_menu(stack: DemoStack, minor: int, reference: str) -> None:
    cfg = stack.sandbox.config
    daraja = DarajaClient(
        DarajaConfig(
            consumer_key=cfg.daraja_consumer_key, consumer_secret=cfg.daraja_consumer_secret,
            shortcode=cfg.daraja_shortcode, passkey=cfg.daraja_passkey,
            base_url=stack.sandbox_url, test_mode=True,
        )
    )  # fmt: skip

    async def pay() -> None:
        try:
            await daraja.simulate_c2b(minor, "254712345678", reference)
        finally:
            await daraja.aclose()

    asyncio.run(pay())


def _show_paybill(till: Till, order_id: str) -> None:
    """The cashier opens the paybill fallback: the reference is on the customer's screen and
    the till has told the relay so (its outbox is pushed)."""
    counter = Counter(build_services(till.ledger, till.bus))

    def paybill_known() -> str | None:
        # a fresh read each time: one read transaction would keep polling the same snapshot
        with till.ledger.read() as conn:
            return state.get(conn, PAYBILL_KEY)

    wait_for(paybill_known, what="the shop's paybill on the till")
    assert counter.paybill_details(order_id).account_reference == account_reference(order_id)
    wait_for(lambda: counter.unsynced_count() == 0, what="the reference to reach the relay")


def _paid_in_shop(*tills: Till) -> int:
    """Money the shop's tills count as paid (any method), over all their ledgers."""
    total = 0
    for till in tills:
        with till.ledger.read() as conn:
            total += conn.execute(
                select(func.coalesce(func.sum(payments.c.amount_minor), 0)).where(
                    payments.c.status.in_(["succeeded", "verified"])
                )
            ).scalar_one()
    return total


def _proof(till: Till, minor: int, receipt: str) -> str:
    """A cashier rings up a sale and types the customer's M-Pesa receipt code."""
    order = till.orders.create_order([OrderLine("Sukari 1kg", Money(minor, "KES"))])
    till.payments.submit_manual_payment_proof(order.id, "mpesa_receipt", receipt)
    [payment] = till.payments.payments_for_order(order.id)
    return payment.id


def test_two_tills_count_one_sim_menu_payment_once(
    till: Till, till_b: Till, stack: DemoStack
) -> None:
    """Till A shows its sale's paybill reference; the customer pays it. A's sale is paid; on
    B the payment is taken: never a match, and B's supervisor cannot accept it against a
    proof with its receipt code."""
    order = till.orders.create_order([OrderLine("Unga 2kg", Money(500_00, "KES"))])
    _show_paybill(till, order.id)
    _pay_from_the_sim_menu(stack, 500_00, account_reference(order.id))
    wait_for(lambda: till.orders.get_order(order.id).status == "paid", 15, "A's sale paid")
    [payment] = till.payments.payments_for_order(order.id)
    receipt = payment.receipt_number
    assert receipt
    on_b = ProviderEventService(till_b.ledger)
    wait_for(lambda: on_b.taken_elsewhere(receipt), 15, "the payment, taken, on till B")
    assert on_b.matching(receipt, Money(500_00, "KES")) == []

    desk_b, juma = _supervisor(till_b, "Juma")
    proof_payment = _proof(till_b, 500_00, receipt)
    [item] = [i for i in desk_b.approvals.queue() if i.reference == receipt]
    assert item.matches == () and [e.receipt for e in item.taken] == [receipt]
    with pytest.raises(C2BTaken):
        desk_b.approvals.decide(item, juma.id, PIN, True, "")
    assert till_b.payments.get_payment(proof_payment).status == "awaiting_verification"
    assert _paid_in_shop(till, till_b) == 500_00  # counted once in the shop


def test_the_second_tills_supervisor_match_is_refused(
    till: Till, till_b: Till, stack: DemoStack
) -> None:
    """Nobody showed the reference the customer typed: both tills hold the payment as open.
    The first supervisor to match it gets it from the relay; the second is refused and told
    which till has it; offline, a match is refused before anything is written."""
    _pay_from_the_sim_menu(stack, 300_00, "NOBODY1")
    events_a, events_b = ProviderEventService(till.ledger), ProviderEventService(till_b.ledger)
    wait_for(lambda: events_a.unmatched() and events_b.unmatched(), 15, "the payment on both")
    [seen] = events_a.unmatched()
    receipt = seen.receipt
    assert receipt and not seen.taken

    desk_a, amina = _supervisor(till, "Amina")
    desk_b, juma = _supervisor(till_b, "Juma")
    proof_a, proof_b = _proof(till, 300_00, receipt), _proof(till_b, 300_00, receipt)
    offline = SupervisorDesk.over(till_b.ledger, till_b.bus, gateway=lambda: None)
    [item_b] = [i for i in offline.approvals.queue() if i.reference == receipt]
    with pytest.raises(ClaimNeedsRelay):
        offline.approvals.accept_match(item_b, item_b.matches[0].event_id, juma.id, PIN)
    assert till_b.payments.get_payment(proof_b).status == "awaiting_verification"

    [item_a] = [i for i in desk_a.approvals.queue() if i.reference == receipt]
    desk_a.approvals.accept_match(item_a, item_a.matches[0].event_id, amina.id, PIN)
    assert till.payments.get_payment(proof_a).status == "verified"
    with pytest.raises(C2BTaken) as refused:
        desk_b.approvals.accept_match(item_b, item_b.matches[0].event_id, juma.id, PIN)
    assert refused.value.till_name == "Demo till"
    assert till_b.payments.get_payment(proof_b).status == "awaiting_verification"
    assert [e.receipt for e in events_b.taken_elsewhere(receipt)] == [receipt]
    [again] = [i for i in desk_b.approvals.queue() if i.reference == receipt]
    assert again.matches == () and again.taken  # never offered again as money to accept
    assert _paid_in_shop(till, till_b) == 300_00


def test_a_forged_c2b_confirmation_never_pays_the_sale(till: Till, stack: DemoStack) -> None:
    """Knowing the shop's callback URL, an attacker posts a C2B confirmation with the open
    sale's reference and amount. It stays a claim (M-Pesa never confirms it): the paybill
    screen says it is refused, the till records nothing, and the sale stays open."""
    order = till.orders.create_order([OrderLine("Mafuta 1L", Money(700_00, "KES"))])
    _show_paybill(till, order.id)
    with till.ledger.read() as conn:
        applied_before = conn.execute(select(func.count()).select_from(inbox)).scalar_one()
    store = stack.relay.store
    body = sample("c2b_confirmation_2017_doc.json") | {
        "TransID": "QFA1B2C3D4", "TransAmount": "700.00",
        "BillRefNumber": account_reference(order.id),
        "BusinessShortCode": stack.sandbox.config.daraja_shortcode,
    }  # fmt: skip
    confirm = callback_paths(stack.shop_id, store.webhook_token(stack.shop_id))[
        "mpesa_c2b_confirmation"
    ]
    posted = httpx.post(stack.relay.url + confirm, content=json.dumps(body).encode(),
                        headers={"Content-Type": "application/json"})  # fmt: skip
    assert posted.status_code == 200  # acknowledged: stored as a claim
    wait_for(
        lambda: [c.state for c in store.c2b_claims(stack.shop_id)] == ["refused"],
        15,
        "the relay to learn M-Pesa never had it",
    )
    time.sleep(1.0)  # room for a wrongly streamed event to arrive
    assert till.orders.get_order(order.id).status == "open"
    assert till.payments.payments_for_order(order.id) == []
    with till.ledger.read() as conn:
        assert conn.execute(select(func.count()).select_from(inbox)).scalar_one() == applied_before
    assert ProviderEventService(till.ledger).unmatched() == []
    counter = Counter(build_services(till.ledger, till.bus), till.engine.gateway)
    [reported] = counter.paybill_payments(order.id)  # what the cashier's paybill screen reads
    assert (reported.amount, reported.state) == (Money(700_00, "KES"), "refused")
