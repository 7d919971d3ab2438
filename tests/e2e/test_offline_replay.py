"""500 sales while the relay is down; once it is back, every one is on the relay exactly once."""

from __future__ import annotations

from e2e_support import Till, wait_for
from sqlalchemy import select

from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.services.sync_ledger import SyncLedger
from pos_app.store.schema import outbox
from sync.demo import DemoStack

SALES = 500


def test_sales_made_offline_reach_the_relay_exactly_once(till: Till, stack: DemoStack) -> None:
    wait_for(lambda: till.engine.status().online, what="the first contact with the relay")
    stack.relay.stop()
    sold: set[str] = set()
    for i in range(SALES):
        draft = till.orders.draft([OrderLine(f"Item {i}", Money(100_00 + i, "KES"))])
        sale = till.payments.record_cash_sale(draft, Money(1_000_00, "KES"))
        sold.add(sale.order_id)
    wait_for(lambda: not till.engine.status().online, what="the till to notice it is offline")
    assert SyncLedger(till.ledger).queue_counts().unsynced >= SALES

    stack.relay.start()
    wait_for(
        lambda: SyncLedger(till.ledger).queue_counts().unsynced == 0, 60, "the outbox to drain"
    )

    creds = till.engine.link.credentials
    assert creds is not None
    on_relay = stack.relay.store.till_events(creds.terminal_id)
    with till.ledger.read() as conn:
        local_ids = [r.event_id for r in conn.execute(select(outbox.c.event_id))]
    relay_ids = [r.event_id for r in on_relay]
    assert sorted(relay_ids) == sorted(local_ids)  # every event once, none twice
    assert [r.till_seq for r in on_relay] == list(range(1, len(on_relay) + 1))
    relay_sales = [r.payload["order"]["order_id"] for r in on_relay if r.type == "sale.cash"]
    assert len(relay_sales) == SALES and set(relay_sales) == sold
    assert SyncLedger(till.ledger).queue_counts().parked == 0
