"""SIGKILL a selling, syncing till at random moments; after every restart nothing acknowledged
is lost, nothing is applied twice and nothing is pushed twice."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pos_app.config import TillSettings
from pos_app.store.db import Ledger, open_ledger
from pos_app.store.keys import EnvKeyStore
from pos_app.store.schema import inbox, orders, outbox, provider_events, sync_state
from sync.demo import DemoStack, start_demo_stack
from sync.engine.client import RelayClient
from sync.engine.pull import cursor_key
from sync.providers.daraja import DarajaClient, DarajaConfig

CURSOR_PREFIX = cursor_key("")
SCRIPT = Path(__file__).with_name("crash_till.py")
# A kill cycle (start a till process, let it sell up to 0.6 s, kill it, check the ledger) took
# 3.5 s on a busy 2-core machine (86 cycles in 300 s) and 4.4 s at load average 8 (20 in
# 88 s); the fixed part is the demo stack's start and the last peaceful run (which may take
# 60 s to catch up).
CYCLE_LIMIT_S = 10
FIXED_LIMIT_S = 120


def time_limit(kills: int) -> pytest.MarkDecorator:
    """pytest's 300 s is sized for one test, not for a loop of process starts."""
    return pytest.mark.timeout(FIXED_LIMIT_S + kills * CYCLE_LIMIT_S)


class CrashRig:
    def __init__(self, tmp: Path, stack: DemoStack) -> None:
        self.stack = stack
        self.data_dir = tmp / "crash-till"
        self.ack_file = tmp / "acked.txt"
        self.ack_file.touch()
        with RelayClient(stack.relay_url, None) as client:
            paired = client.pair(stack.pairing_code(), "crash till")
        self.terminal_id = str(paired.terminal_id)
        self.env = {
            **os.environ,
            "DUKA_DATA_KEY": base64.b64encode(os.urandom(32)).decode(),
            "DUKA_RELAY_URL": stack.relay_url,
            "DUKA_RELAY_TOKEN": paired.token,
            "DUKA_KEYRING": "",
            "PYTHONPATH": str(Path.cwd()),
        }
        config = stack.sandbox.config
        self.daraja = DarajaConfig(
            consumer_key=config.daraja_consumer_key, consumer_secret=config.daraja_consumer_secret,
            shortcode=config.daraja_shortcode, passkey=config.daraja_passkey,
            base_url=stack.sandbox_url, test_mode=True,
        )  # fmt: skip
        self.c2b_sent = 0

    def spawn(self, *extra: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, str(SCRIPT), str(self.data_dir), str(self.ack_file), *extra],
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip

    def customer_pays_from_sim_menu(self) -> None:
        """A SIM-menu payment (the sandbox's C2B): the relay confirms it with the Transaction
        Status API, then the till must pull and keep it once."""
        self.c2b_sent += 1
        reference = f"NOSALE{self.c2b_sent}"
        asyncio.run(DarajaClient(self.daraja).simulate_c2b(100_00, "254712345678", reference))

    def all_c2b_confirmed(self) -> bool:
        return self.stack.relay.store.last_seq(self.stack.shop_id) == self.c2b_sent

    def ledger(self) -> Ledger:
        return open_ledger(
            TillSettings(data_dir=self.data_dir, till_id="crash-till"),
            keys=EnvKeyStore(self.env["DUKA_DATA_KEY"]),
        )

    def settled(self) -> bool:
        """Everything pushed and every relay event pulled (read while the till runs: WAL)."""
        ledger = self.ledger()
        try:
            with ledger.read() as conn:
                unsent = conn.execute(
                    select(func.count()).select_from(outbox).where(outbox.c.pushed_at.is_(None))
                ).scalar_one()
                cursor = conn.execute(
                    select(sync_state.c.value).where(sync_state.c.key.startswith(CURSOR_PREFIX))
                ).scalar()
        finally:
            ledger.close()
        relay_seq = self.stack.relay.store.last_seq(self.stack.shop_id)
        return unsent == 0 and int(cursor or 0) == relay_seq

    def check(self, final: bool = False) -> None:
        acked = set(self.ack_file.read_text().split())
        relay_events = self.stack.relay.store.till_events(self.terminal_id)
        relay_seq = self.stack.relay.store.last_seq(self.stack.shop_id)
        ledger = self.ledger()
        try:
            with ledger.read() as conn:
                local_orders = {r.id for r in conn.execute(select(orders.c.id))}
                local_events = {r.event_id: r for r in conn.execute(select(outbox))}
                applied = {r.event_id: r.relay_seq for r in conn.execute(select(inbox))}
                kept = [r.event_id for r in conn.execute(select(provider_events.c.event_id))]
                # the child knows its shop only through DUKA_RELAY_TOKEN: one cursor, any key
                cursors = conn.execute(
                    select(sync_state.c.value).where(sync_state.c.key.startswith(CURSOR_PREFIX))
                ).all()
                cursor = int(cursors[0].value) if cursors else 0
        finally:
            ledger.close()
        # nothing acknowledged is lost
        assert acked <= local_orders, f"lost sales: {sorted(acked - local_orders)[:3]}"
        # nothing pushed twice: each relay event is one distinct local event, in till_seq order
        relay_ids = [r.event_id for r in relay_events]
        assert len(relay_ids) == len(set(relay_ids))
        assert set(relay_ids) <= set(local_events)
        assert [r.till_seq for r in relay_events] == list(range(1, len(relay_events) + 1))
        # nothing applied twice, nothing skipped: effects, inbox and cursor agree
        assert sorted(kept) == sorted(applied)
        assert sorted(applied.values()) == list(range(1, cursor + 1))
        assert cursor <= relay_seq
        if final:
            assert set(relay_ids) == set(local_events)
            on_relay = {
                r.payload["order"]["order_id"] for r in relay_events if r.type == "sale.cash"
            }
            assert acked <= on_relay
            assert cursor == relay_seq == self.c2b_sent


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[CrashRig]:
    stack = start_demo_stack(tmp_path / "stack")
    yield CrashRig(tmp_path, stack)
    stack.stop()


def crash_loop(rig: CrashRig, kills: int, seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(kills):
        if rnd.random() < 0.5:
            rig.customer_pays_from_sim_menu()
        child = rig.spawn()
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=rnd.uniform(0.0, 0.6))  # sells and syncs meanwhile
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
        rig.check()
    # a last, peaceful run pushes and pulls everything
    rig.customer_pays_from_sim_menu()
    deadline = time.monotonic() + 60
    while not rig.all_c2b_confirmed():
        assert time.monotonic() < deadline, "the relay never confirmed the C2B payments"
        time.sleep(0.2)
    sold_before = len(rig.ack_file.read_text().split())
    child = rig.spawn("--sales", "5")
    try:
        deadline = time.monotonic() + 60
        # its five sales made first: settled between two of them, the stop caught the next
        # one committed but not pushed (seen once in CI)
        while len(rig.ack_file.read_text().split()) < sold_before + 5 or not rig.settled():
            assert time.monotonic() < deadline, "the till never caught up with the relay"
            time.sleep(0.2)
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=30)
    assert child.returncode == 0
    rig.check(final=True)
    assert len(rig.ack_file.read_text().split()) > kills  # it really sold between the kills


@time_limit(20)
def test_sigkill_at_20_random_moments(rig: CrashRig) -> None:
    crash_loop(rig, 20, seed=7)


@pytest.mark.slow
@time_limit(200)
def test_sigkill_at_200_random_moments(rig: CrashRig) -> None:
    crash_loop(rig, 200, seed=2026)
