from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from sqlalchemy import select

from pos_app.services.sync_ledger import SyncLedger
from pos_app.store import outbox
from pos_app.store.db import Ledger
from pos_app.store.schema import outbox as outbox_table
from sync.engine.client import RelayRefused, RelayUnavailable
from sync.engine.credentials import TerminalCredentials
from sync.engine.link import RelayLink
from sync.engine.push import PARKED_TYPE, PushBlocked, Pusher

RELAY = "https://relay.test"
PUSH_URL = f"{RELAY}/api/v1/terminal/events"


def _link(terminal: str = "t-1") -> RelayLink:
    return RelayLink(TerminalCredentials(RELAY, "tok", terminal, "shop", "Duka"))


def _sell(ledger: Ledger, n: int, type_: str = "payment.recorded") -> None:
    with ledger.write() as conn:
        for i in range(n):
            outbox.append(conn, ledger.cipher, type=type_, payload={"n": i})


class ScriptedRelay:
    """The relay's push rules (sequence, duplicates, 422 for malformed events), in memory."""

    def __init__(self) -> None:
        self.expected = 1
        self.stored: dict[str, dict[str, Any]] = {}
        self.calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        events = json.loads(request.content)["events"]
        if any(e["type"] == "bad" for e in events):
            return httpx.Response(422, json={"detail": "malformed event"})
        results = []
        staged = dict(self.stored)
        expected = self.expected
        for e in events:
            if e["event_id"] in staged:
                results.append({**_r(e, "duplicate")})
                continue
            if e["till_seq"] > expected:
                return httpx.Response(
                    409, json={"detail": "till_seq_gap", "expected_till_seq": self.expected}
                )
            if e["till_seq"] < expected:
                results.append({**_r(e, "rejected"), "reason": "seq reused"})
                continue
            staged[e["event_id"]] = e
            expected += 1
            results.append(_r(e, "accepted"))
        self.stored, self.expected = staged, expected
        return httpx.Response(200, json={"results": results, "next_till_seq": expected})


def _r(e: dict[str, Any], status: str) -> dict[str, Any]:
    return {"event_id": e["event_id"], "till_seq": e["till_seq"], "status": status}


@respx.mock
def test_drains_oldest_first_in_batches(ledger: Ledger) -> None:
    relay = ScriptedRelay()
    respx.post(PUSH_URL).mock(side_effect=relay)
    _sell(ledger, 25)
    report = Pusher(SyncLedger(ledger), _link(), batch_size=10).drain()
    assert report.pushed == 25 and report.batches == 3
    seqs = sorted(e["till_seq"] for e in relay.stored.values())
    assert seqs == list(range(1, 26))
    assert [
        e["payload"]["n"] for e in sorted(relay.stored.values(), key=lambda e: e["till_seq"])
    ] == list(range(25))
    assert SyncLedger(ledger).queue_counts().unsynced == 0


@respx.mock
def test_network_failure_keeps_everything_queued_without_counting_it(ledger: Ledger) -> None:
    respx.post(PUSH_URL).mock(side_effect=httpx.ConnectError("down"))
    _sell(ledger, 3)
    with pytest.raises(RelayUnavailable):
        Pusher(SyncLedger(ledger), _link()).drain()
    with ledger.read() as conn:
        rows = conn.execute(select(outbox_table)).all()
    assert [(r.pushed_at, r.parked, r.attempts) for r in rows] == [(None, False, 0)] * 3
    assert SyncLedger(ledger).queue_counts().unsynced == 3


@respx.mock
@pytest.mark.parametrize("status", [500, 503, 429])
def test_server_trouble_is_retryable(ledger: Ledger, status: int) -> None:
    respx.post(PUSH_URL).respond(status, json={"detail": "busy"}, headers={"Retry-After": "3"})
    _sell(ledger, 1)
    with pytest.raises(RelayUnavailable) as info:
        Pusher(SyncLedger(ledger), _link()).drain()
    if status == 429:
        assert info.value.retry_after_s == 3
    assert SyncLedger(ledger).queue_counts().unsynced == 1


@respx.mock
def test_one_bad_event_is_parked_and_the_queue_keeps_moving(ledger: Ledger) -> None:
    relay = ScriptedRelay()
    respx.post(PUSH_URL).mock(side_effect=relay)
    _sell(ledger, 5)
    _sell(ledger, 1, type_="bad")
    _sell(ledger, 6)
    report = Pusher(SyncLedger(ledger), _link(), batch_size=8).drain()
    assert report.pushed == 11 and report.parked == 1
    by_seq = {e["till_seq"]: e for e in relay.stored.values()}
    assert sorted(by_seq) == list(range(1, 13))
    assert by_seq[6]["type"] == PARKED_TYPE
    assert (
        SyncLedger(ledger).queue_counts().parked == 1
        and SyncLedger(ledger).queue_counts().unsynced == 0
    )
    with ledger.read() as conn:
        bad = conn.execute(select(outbox_table).where(outbox_table.c.type == "bad")).one()
    assert bad.parked and "422" in bad.last_error
    [listed] = SyncLedger(ledger).parked_events()
    assert listed.type == "bad" and "422" in listed.reason


@respx.mock
def test_a_repaired_till_starts_its_new_terminal_at_one(ledger: Ledger) -> None:
    first, second = ScriptedRelay(), ScriptedRelay()
    route = respx.post(PUSH_URL).mock(side_effect=first)
    _sell(ledger, 4)
    Pusher(SyncLedger(ledger), _link("t-1")).drain()
    route.side_effect = second
    _sell(ledger, 2)
    Pusher(SyncLedger(ledger), _link("t-2")).drain()
    assert sorted(e["till_seq"] for e in second.stored.values()) == [1, 2]


@respx.mock
def test_resending_after_a_lost_reply_is_a_harmless_duplicate(ledger: Ledger) -> None:
    relay = ScriptedRelay()
    answered = {"n": 0}

    def lose_first_reply(request: httpx.Request) -> httpx.Response:
        reply = relay(request)
        answered["n"] += 1
        if answered["n"] == 1:
            raise httpx.ReadTimeout("reply lost")
        return reply

    respx.post(PUSH_URL).mock(side_effect=lose_first_reply)
    _sell(ledger, 3)
    pusher = Pusher(SyncLedger(ledger), _link())
    with pytest.raises(RelayUnavailable):
        pusher.drain()
    assert pusher.drain().pushed == 3
    assert len(relay.stored) == 3 and SyncLedger(ledger).queue_counts().unsynced == 0
    assert datetime.now(UTC) > min(
        datetime.fromisoformat(e["occurred_at"]) for e in relay.stored.values()
    )
    assert all(uuid.UUID(k) for k in relay.stored)


@respx.mock
def test_too_large_batches_shrink_and_stay_small(ledger: Ledger) -> None:
    relay = ScriptedRelay()

    def limited(request: httpx.Request) -> httpx.Response:
        if len(json.loads(request.content)["events"]) > 4:
            return httpx.Response(413, json={"detail": "body too large"})
        return relay(request)

    route = respx.post(PUSH_URL).mock(side_effect=limited)
    _sell(ledger, 10)
    pusher = Pusher(SyncLedger(ledger), _link(), batch_size=8)
    assert pusher.drain().pushed == 10
    calls = route.call_count
    _sell(ledger, 4)
    assert pusher.drain().pushed == 4
    assert route.call_count == calls + 1  # no second 413: the smaller size was kept
    assert SyncLedger(ledger).queue_counts().parked == 0


@respx.mock
def test_a_relay_that_refuses_everyone_parks_nothing(ledger: Ledger) -> None:
    respx.post(PUSH_URL).respond(403, json={"detail": "not from this address"})
    _sell(ledger, 3)
    with pytest.raises(RelayRefused):
        Pusher(SyncLedger(ledger), _link()).drain()
    assert (
        SyncLedger(ledger).queue_counts().unsynced == 3
        and SyncLedger(ledger).queue_counts().parked == 0
    )


@respx.mock
def test_a_relay_restored_from_an_old_backup_gets_the_lost_events_again(ledger: Ledger) -> None:
    relay = ScriptedRelay()
    respx.post(PUSH_URL).mock(side_effect=relay)
    _sell(ledger, 5)
    pusher = Pusher(SyncLedger(ledger), _link())
    pusher.drain()
    # the relay comes back from a backup taken after event 3
    relay.stored = {k: e for k, e in relay.stored.items() if e["till_seq"] <= 3}
    relay.expected = 4
    _sell(ledger, 1)
    assert pusher.drain().pushed == 1
    assert sorted(e["till_seq"] for e in relay.stored.values()) == [1, 2, 3, 4, 5, 6]
    assert all(e["type"] == "payment.recorded" for e in relay.stored.values())


@respx.mock
def test_a_ledger_cut_short_after_acknowledged_sales_stops_pushing_and_selling(
    ledger: Ledger, tmp_path: Path
) -> None:
    """The -wal lost after 300 acknowledged events, 33 of them gone: the till must not give
    its next events the numbers the relay already accepted, nor sell."""
    from pos_app.core.errors import LedgerDamaged
    from pos_app.core.money import Money
    from pos_app.core.orders import OrderLine
    from pos_app.services.bus import EventBus
    from pos_app.services.orders import OrderService
    from pos_app.store.db import open_ledger

    relay = ScriptedRelay()
    respx.post(PUSH_URL).mock(side_effect=relay)
    _sell(ledger, 267)
    snapshot = tmp_path / "before.db"
    with ledger.engine.connect() as conn:  # the file as it was before the lost tail
        raw = conn.connection.dbapi_connection
        assert raw is not None
        with sqlite3.connect(snapshot) as copy:
            raw.backup(copy)  # type: ignore[attr-defined]
    _sell(ledger, 33)
    Pusher(SyncLedger(ledger), _link()).drain()
    assert relay.expected == 301
    settings = ledger.settings
    ledger.close()
    for suffix in ("-wal", "-shm"):
        settings.database.with_name(settings.database.name + suffix).unlink(missing_ok=True)
    settings.database.write_bytes(snapshot.read_bytes())

    cut = open_ledger(settings)
    try:
        with pytest.raises(PushBlocked, match="lost 33 sale record"):
            Pusher(SyncLedger(cut), _link()).drain()
        assert relay.expected == 301  # nothing was sent under a reused number
        with pytest.raises(LedgerDamaged):
            OrderService(cut, EventBus()).create_order([OrderLine("Soda", Money(8000, "KES"))])
    finally:
        cut.close()


def _own_events(relay: ScriptedRelay) -> Any:
    def answer(request: httpx.Request) -> httpx.Response:
        after = int(request.url.params.get("after", "0"))
        limit = int(request.url.params.get("limit", "100"))
        mine = sorted(relay.stored.values(), key=lambda e: e["till_seq"])
        page = [e for e in mine if e["till_seq"] > after][:limit]
        return httpx.Response(200, json={"events": page, "next_till_seq": relay.expected})

    return answer


@respx.mock
def test_after_a_cut_ledger_recovery_restores_every_acknowledged_sale(
    ledger: Ledger, tmp_path: Path
) -> None:
    """The tail of the ledger lost after the relay acknowledged it: the relay's copy brings
    back every cash sale and the open order, and the next push is accepted."""
    from pos_app.core.money import Money
    from pos_app.core.orders import OrderLine
    from pos_app.services import build_services
    from pos_app.services.counter import PAYBILL_KEY, Counter
    from pos_app.services.recovery import catch_up_from
    from pos_app.store import state
    from pos_app.store.db import open_ledger
    from pos_app.store.schema import payments
    from sync.engine.recovery import RelayEventSource

    relay = ScriptedRelay()
    respx.post(PUSH_URL).mock(side_effect=relay)
    respx.get(f"{RELAY}/api/v1/terminal/own-events").mock(side_effect=_own_events(relay))

    def sell(target: Ledger, n: int) -> None:
        services = build_services(target)
        for i in range(n):
            draft = services.orders.draft([OrderLine(f"Unga {i}", Money(21000 + i, "KES"), 2)])
            services.payments.record_cash_sale(draft, Money(50000, "KES"))

    def cash_sales(target: Ledger) -> set[tuple[str, int]]:
        with target.read() as conn:
            return {(r.id, r.amount_minor) for r in conn.execute(select(payments))}

    sell(ledger, 10)
    Pusher(SyncLedger(ledger), _link()).drain()
    snapshot = tmp_path / "before.db"
    with ledger.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        with sqlite3.connect(snapshot) as copy:
            raw.backup(copy)  # type: ignore[attr-defined]
    sell(ledger, 5)
    order = build_services(ledger).orders.create_order([OrderLine("Sukari", Money(18000, "KES"))])
    with ledger.write() as conn:
        state.put(conn, PAYBILL_KEY, "600984")
    Counter(build_services(ledger)).paybill_details(order.id)  # nothing to rebuild on the till
    Pusher(SyncLedger(ledger), _link()).drain()
    acknowledged = cash_sales(ledger)
    assert len(acknowledged) == 15 and relay.expected > 16
    settings = ledger.settings
    ledger.close()
    for suffix in ("-wal", "-shm"):
        settings.database.with_name(settings.database.name + suffix).unlink(missing_ok=True)
    settings.database.write_bytes(snapshot.read_bytes())

    cut = open_ledger(settings)
    try:
        assert len(cash_sales(cut)) == 10
        source = RelayEventSource(_link(), "t-1")
        report = catch_up_from(cut, build_services(cut).bus, source)
        assert cash_sales(cut) == acknowledged
        assert [note.type for note in report.recovered] == ["sale.cash"] * 5 + [
            "order.created",
            "paybill.reference_shown",
        ]
        assert report.not_recovered == []
        before = relay.expected
        sell(cut, 1)
        outcome = Pusher(SyncLedger(cut), _link()).drain()
        assert outcome.pushed == 1 and outcome.parked == 0 and relay.expected == before + 1
        assert build_services(cut).audit.verify_chain() is None  # the chain still holds
    finally:
        cut.close()


@respx.mock
def test_a_cut_ledger_that_sold_past_the_relays_count_is_still_caught(
    ledger: Ledger, tmp_path: Path
) -> None:
    """Offline after the loss, the till sold more than it lost: the counts no longer tell, but
    the relay refusing numbers it holds under other events does."""
    from pos_app.core.errors import LedgerDamaged
    from pos_app.core.money import Money
    from pos_app.core.orders import OrderLine
    from pos_app.services.bus import EventBus
    from pos_app.services.orders import OrderService
    from pos_app.store.db import open_ledger

    relay = ScriptedRelay()
    respx.post(PUSH_URL).mock(side_effect=relay)
    _sell(ledger, 267)
    snapshot = tmp_path / "before.db"
    with ledger.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        with sqlite3.connect(snapshot) as copy:
            raw.backup(copy)  # type: ignore[attr-defined]
    _sell(ledger, 33)
    Pusher(SyncLedger(ledger), _link()).drain()
    settings = ledger.settings
    ledger.close()
    for suffix in ("-wal", "-shm"):
        settings.database.with_name(settings.database.name + suffix).unlink(missing_ok=True)
    settings.database.write_bytes(snapshot.read_bytes())

    cut = open_ledger(settings)
    try:
        _sell(cut, 40)  # offline: numbers 268-307, of which 268-300 the relay holds already
        with pytest.raises(PushBlocked, match="sale record"):
            Pusher(SyncLedger(cut), _link()).drain()
        with cut.read() as conn:  # the 33 colliding sales are kept, parked, not dropped
            parked = conn.execute(
                select(outbox_table.c.seq).where(outbox_table.c.parked.is_(True))
            ).all()
        assert len(parked) == 33
        with pytest.raises(LedgerDamaged):
            OrderService(cut, EventBus()).create_order([OrderLine("Soda", Money(8000, "KES"))])
    finally:
        cut.close()
