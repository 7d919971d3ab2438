"""Sync benchmark: drain 10,000 queued outbox events to a local relay, and webhook-to-till
latency through the whole chain (provider callback -> relay -> long-poll -> applied on the
till -> in-process event).

The drain is set against a floor measured in the same run: a bare HTTP client, paired as a
second till of the same relay, pushes the same batches (same payloads, same batch size, bodies
encoded beforehand) and only waits for each reply. `drain_ratio` = drain rate / floor rate: the
share of what the relay can take that the till's engine reaches (reading and decrypting the
outbox, marking events pushed), comparable between machines where the raw rate is not.

    .venv/bin/python bench/sync.py [--events 10000] [--payments 40]

Last line: RESULT drain_events_per_s=... floor_events_per_s=... drain_ratio=...
webhook_to_till_p95_ms=... (targets: >= 2,000 events/s and < 500 ms).
"""

from __future__ import annotations

import argparse
import itertools
import json
import operator
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock

# Run as a script, this file's directory comes first on sys.path and its name would hide the
# `sync` package: look past it, to the project's top (bench.relay_process lives there too).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402

from bench.relay_process import ROOT, free_port, relay_process  # noqa: E402
from pos_app.config import TillSettings  # noqa: E402
from pos_app.core.events import PaymentProcessed  # noqa: E402
from pos_app.core.money import Money  # noqa: E402
from pos_app.core.orders import OrderLine  # noqa: E402
from pos_app.services.bus import EventBus  # noqa: E402
from pos_app.services.counter import account_reference  # noqa: E402
from pos_app.services.orders import OrderService  # noqa: E402
from pos_app.services.payments import PaymentService  # noqa: E402
from pos_app.store import outbox  # noqa: E402
from pos_app.store.db import open_ledger  # noqa: E402
from sync.demo import start_demo_stack  # noqa: E402
from sync.engine.client import RelayClient  # noqa: E402
from sync.engine.pairing import pair  # noqa: E402
from sync.engine.scheduler import EngineTimings, SyncEngine  # noqa: E402
from sync.protocol import API_PREFIX, OutboxEvent, PushRequest, PushResponse  # noqa: E402
from sync.sandbox.daraja_api import stk_callback_body  # noqa: E402

NO_CALLBACK_PHONE = "0712349004"  # the sandbox leaves the callback to us: we time it
relay_client_push = RelayClient.push


def sale_payload(i: int) -> dict[str, object]:
    """About the size of a real one-line cash sale's outbox payload."""
    order_id = f"00000000-0000-4000-8000-{i:012d}"
    return {
        "order": {
            "order_id": order_id, "currency": "KES", "total_minor": 12_000, "vat_minor": 1_655,
            "lines": [{"name": "Sugar 1kg", "unit_price_minor": 12_000, "quantity": 1}],
        },
        "payment": {
            "payment_id": order_id, "order_id": order_id, "method": "cash",
            "amount_minor": 12_000, "currency": "KES", "tendered_minor": 20_000,
            "change_minor": 8_000, "status": "succeeded",
        },
        "audit_seq": i, "audit_hash": "0" * 64,
    }  # fmt: skip


def relay_cli(env: dict[str, str], *args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "sync.relay", *args], env=env, check=True, capture_output=True,
        text=True, cwd=ROOT,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(out.stdout)
    return result


@dataclass(frozen=True)
class Drain:
    events_per_s: float
    floor_events_per_s: float

    @property
    def ratio(self) -> float:
        return self.events_per_s / self.floor_events_per_s


def push_bodies(sizes: list[int]) -> list[bytes]:
    """Batches of these sizes of the sales the engine pushed, as JSON bodies (new event ids)."""
    occurred_at = datetime.now(UTC)
    wire = [
        OutboxEvent(event_id=uuid.uuid4(), till_seq=i + 1, type="sale.cash",
                    occurred_at=occurred_at, payload=sale_payload(i))
        for i in range(sum(sizes))
    ]  # fmt: skip
    starts = list(itertools.accumulate(sizes, initial=0))
    return [
        PushRequest(events=wire[start : start + size]).model_dump_json().encode()
        for start, size in zip(starts, sizes, strict=False)
    ]


def bare_push(url: str, code: str, sizes: list[int]) -> float:
    """The floor: a bare client paired as another till pushes batches of the sizes the engine
    pushed (it halves its batch when the relay answers 413); events/s."""
    token = httpx.post(
        f"{url}{API_PREFIX}/terminal/pair", json={"pairing_code": code, "till_name": "floor"}
    ).json()["token"]
    events = sum(sizes)
    bodies = push_bodies(sizes)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with httpx.Client(base_url=url + API_PREFIX, headers=headers, timeout=60) as client:
        start = time.perf_counter()
        for body in bodies:
            reply = client.post("/terminal/events", content=body)
            assert reply.status_code == 200, reply.text
        elapsed = time.perf_counter() - start
    rate = events / elapsed
    print(f"floor: {events} events in {elapsed:.2f} s = {rate:,.0f} events/s "
          f"({len(bodies)} batches from a bare client)")  # fmt: skip
    return rate


def bench_drain(root: Path, events: int) -> Drain:
    """The relay runs as its own process (`duka-relay serve`), as in production: in-process it
    would share the GIL with the till and measure that instead."""
    settings = TillSettings(data_dir=root / "drain-till", keyring="memory", till_id="bench")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DUKA_RELAY_DATA_DIR": str(root / "drain-relay"),
           "DUKA_RELAY_PUBLIC_BASE_URL": url, "DUKA_RELAY_LOG_LEVEL": "WARNING"}  # fmt: skip
    shop_id = relay_cli(env, "create-shop", "Bench shop")["shop_id"]
    code = relay_cli(env, "pair-till", "--shop", shop_id)["pairing_code"]
    floor_code = relay_cli(env, "pair-till", "--shop", shop_id)["pairing_code"]
    ledger = open_ledger(settings)
    try:
        with relay_process(env, port, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            pair(settings, ledger, url, code)
            with ledger.write() as conn:
                for i in range(events):
                    outbox.append(conn, ledger.cipher, type="sale.cash", payload=sale_payload(i))
            engine = SyncEngine(ledger, EventBus(), settings)
            sizes: list[int] = []  # of the batches the relay took

            def push(client: RelayClient, batch: list[OutboxEvent]) -> PushResponse:
                response = relay_client_push(client, batch)
                sizes.append(len(batch))
                return response

            with mock.patch.object(RelayClient, "push", push):
                start = time.perf_counter()
                report = engine.pusher.drain()
                elapsed = time.perf_counter() - start
            assert report.pushed == events == sum(sizes), report
            assert engine.sync_ledger.queue_counts().unsynced == 0
            engine.link.close()
            floor = bare_push(url, floor_code, sizes)
    finally:
        ledger.close()
    rate = events / elapsed
    print(f"drain: {events} events in {elapsed:.2f} s = {rate:,.0f} events/s "
          f"({report.batches} batches)")  # fmt: skip
    return Drain(rate, floor)


def bench_webhook_to_till(root: Path, payments: int) -> list[float]:
    settings = TillSettings(data_dir=root / "latency-till", keyring="memory", till_id="bench2")
    ledger = open_ledger(settings)
    stack = start_demo_stack(root / "latency-stack", till=(settings, ledger))
    bus = EventBus()
    orders, service = OrderService(ledger, bus), PaymentService(ledger, bus)
    paid_at: dict[str, float] = {}
    arrived = threading.Condition()

    def on_payment(event: PaymentProcessed) -> None:
        if event.status == "succeeded":
            with arrived:
                paid_at[event.payment_id] = time.perf_counter()
                arrived.notify_all()

    bus.subscribe(on_payment, PaymentProcessed)
    engine = SyncEngine(ledger, bus, settings, timings=EngineTimings(pull_wait_s=20.0))
    engine.start()
    latencies: list[float] = []
    try:
        deadline = time.monotonic() + 10
        while not engine.gateway.is_online() and time.monotonic() < deadline:
            time.sleep(0.05)
        with httpx.Client(timeout=10) as provider:
            for _ in range(payments):
                order = orders.create_order([OrderLine("Unga", Money(200_00, "KES"))])
                pay = service.create_payment(
                    order.id, Money(200_00, "KES"), None, None, "mpesa_stk"
                )
                service.process_payment(pay.id, {"phone_number": NO_CALLBACK_PHONE})
                started = engine.gateway.start_stk_push(
                    pay.id, NO_CALLBACK_PHONE, Money(200_00, "KES"), account_reference(order.id)
                )
                service.outcomes.mark_awaiting_customer(pay.id, started.checkout_request_id)
                stk = stack.sandbox.state.stk[started.checkout_request_id]
                stk.completed_at = datetime.now(UTC)
                body = json.dumps(stk_callback_body(stk)).encode()
                time.sleep(0.05)  # the till is back in its long poll, as in a shop
                sent = time.perf_counter()
                reply = provider.post(
                    stk.callback_url, content=body, headers={"Content-Type": "application/json"}
                )
                assert reply.status_code == 200, reply.text
                with arrived:
                    if not arrived.wait_for(partial(operator.contains, paid_at, pay.id), 10):
                        raise RuntimeError("the paid callback never reached the till")
                latencies.append((paid_at[pay.id] - sent) * 1000)
    finally:
        engine.stop()
        ledger.close()
        stack.stop()
    p95 = statistics.quantiles(latencies, n=20)[-1]
    print(f"webhook->till: {len(latencies)} payments, median {statistics.median(latencies):.1f} "
          f"ms, p95 {p95:.1f} ms, max {max(latencies):.1f} ms")  # fmt: skip
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--payments", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="duka-bench-sync-") as tmp:
        drain = bench_drain(Path(tmp), args.events)
        latencies = bench_webhook_to_till(Path(tmp), args.payments)
    p95 = statistics.quantiles(latencies, n=20)[-1]
    print(f"RESULT drain_events_per_s={drain.events_per_s:.0f} "
          f"floor_events_per_s={drain.floor_events_per_s:.0f} drain_ratio={drain.ratio:.2f} "
          f"webhook_to_till_p95_ms={p95:.1f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
