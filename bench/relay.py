"""Relay benchmark, loopback only, bounded in time (about 40 s).

1. floor: a bare endpoint of the same relay process that only answers 200 (5 s);
2. webhooks: the four providers' in turn, each with a new reference, for 20 s: Paystack
   charge.success (HMAC-SHA512), Flutterwave charge.completed (HMAC flutterwave-signature),
   Stripe checkout.session.completed (Stripe-Signature v1) and M-Pesa STK callbacks (the URL
   token); each checked, stored raw + parked durably (unknown reference; SQLite WAL,
   synchronous=FULL) before the 200; p50/p99 latency; then the rows in the database are
   counted against the 200s received;
3. push-to-pull: a till long-polls; an M-Pesa C2B confirmation is posted (a claim, stored and
   acknowledged), then Daraja's Transaction Status result confirming it; the time from sending
   that result to the pull returning its event (p50/p95 over 100 rounds).

The relay runs as `python -m sync.relay serve` (uvloop + httptools, one worker); the load
comes from a separate process speaking raw HTTP/1.1 over keep-alive connections, so that the
client's own cost stays small. Last line:
RESULT webhooks_per_s=... floor_per_s=... ratio=... lost=0 push_to_pull_p95_ms=...
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import multiprocessing
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import stripe  # noqa: E402

from bench.relay_process import free_port, relay_process  # noqa: E402
from sync.providers import flutterwave, paystack  # noqa: E402
from sync.relay.app import open_store  # noqa: E402
from sync.relay.config import RelaySettings  # noqa: E402
from sync.relay.store.store import Store  # noqa: E402
from sync.relay.webhook_paths import callback_paths, transaction_status_paths  # noqa: E402
from sync.sandbox.daraja_api import transaction_status_result  # noqa: E402
from tests.providers.provider_samples import sample  # noqa: E402

PAYSTACK_KEY = "sk_test_bench000000000000000000000000000000"
FLUTTERWAVE = {"secret_key": "FLWSECK_TEST-bench-X", "secret_hash": "bench-secret-hash"}
STRIPE = {"secret_key": "sk_test_bench", "webhook_secret": "whsec_bench"}


def request_bytes(path: str, body: bytes, headers: dict[str, str]) -> bytes:
    head = [
        f"POST {path} HTTP/1.1",
        "Host: 127.0.0.1",
        f"Content-Length: {len(body)}",
        "Content-Type: application/json",
    ]
    head += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await reader.readexactly(length)
    return status


async def blast(
    port: int, requests: list[bytes], seconds: float, connections: int
) -> dict[str, Any]:
    """Send `requests` in order over `connections` keep-alive sockets until time is up."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    next_index = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal next_index
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.perf_counter() < deadline and next_index < len(requests):
            data = requests[next_index]
            next_index += 1
            started = time.perf_counter()
            writer.write(data)
            status = await read_response(reader)
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
        writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "sent": len(latencies),
        "ok": statuses.get(200, 0),
        "statuses": statuses,
        "elapsed": elapsed,
        "p50_ms": latencies[len(latencies) // 2] * 1000 if latencies else 0,
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000 if latencies else 0,
    }


def webhook_requests(shop_id: str, token: str, count: int) -> list[bytes]:
    """`count` signed webhooks, the four providers in turn, each naming a new reference."""
    paths = callback_paths(shop_id, token)
    paystack_body = sample("paystack_charge_success_webhook.json")
    flutterwave_body = sample("flutterwave_charge_completed_webhook_v3_doc.json")
    stripe_body = sample("stripe_checkout_session_completed_event_assembled.json")
    stk_body = sample("stk_callback_success_daraja3_doc.json")
    requests = []
    for i in range(count):
        reference = f"bench-{i:08d}"
        kind = i % 4
        if kind == 0:
            paystack_body["data"]["reference"] = reference
            body = json.dumps(paystack_body).encode()
            signed = {"x-paystack-signature": paystack.sign(body, PAYSTACK_KEY)}
            requests.append(request_bytes(paths["paystack"], body, signed))
        elif kind == 1:
            flutterwave_body["data"].update(id=i + 1, tx_ref=reference)
            body = json.dumps(flutterwave_body).encode()
            signed = {
                flutterwave.SIGNATURE_HEADER: flutterwave.sign(body, FLUTTERWAVE["secret_hash"])
            }
            requests.append(request_bytes(paths["flutterwave"], body, signed))
        elif kind == 2:
            stripe_body["id"] = f"evt_bench{i:08d}"
            stripe_body["data"]["object"]["client_reference_id"] = reference
            text = json.dumps(stripe_body)
            signature = stripe.WebhookSignature.generate_signature_header(
                text, STRIPE["webhook_secret"]
            )
            headers = {"Stripe-Signature": signature}
            requests.append(request_bytes(paths["stripe"], text.encode(), headers))
        else:
            stk_body["Body"]["stkCallback"]["CheckoutRequestID"] = f"ws_CO_{reference}"
            body = json.dumps(stk_body).encode()
            requests.append(request_bytes(paths["mpesa_stk"], body, {}))
    return requests


def load_process(
    port: int,
    shop_id: str,
    token: str,
    seconds: float,
    floor_s: float,
    connections: int,
    results: Any,
) -> None:
    import uvloop

    budget = int(seconds * 6000)  # more than can be sent: the clock ends the run
    webhooks = webhook_requests(shop_id, token, budget)
    floor = [request_bytes("/bench/floor", b"{}", {})] * int(floor_s * 20000)
    floor_result = uvloop.run(blast(port, floor, floor_s, connections))
    webhook_result = uvloop.run(blast(port, webhooks, seconds, connections))
    results.put({"floor": floor_result, "webhooks": webhook_result})


def push_to_pull(
    url: str, store: Store, shop_id: str, token: str, till_token: str, rounds: int
) -> list[float]:
    template = sample("c2b_confirmation_2017_doc.json")
    hook = f"{url}/api/v1/payments/webhook/mobile/{token}/c2b/confirm"
    auth = {"Authorization": f"Bearer {till_token}"}
    json_type = {"Content-Type": "application/json"}

    def confirmation_of(trans_id: str) -> tuple[str, bytes]:
        """What the relay's Transaction Status query would bring back, and where."""
        claim = next(c for c in store.c2b_claims(shop_id) if c.trans_id == trans_id)
        request_id = secrets.token_hex(24)
        store.update_c2b_claim(claim.id, request_id=request_id)
        result = transaction_status_result(trans_id, claim.amount_minor, claim.short_code)
        return url + transaction_status_paths(token, request_id)[0], json.dumps(result).encode()

    async def run() -> list[float]:
        samples: list[float] = []
        cursor = 0
        async with httpx.AsyncClient(timeout=30) as client:
            for i in range(rounds):
                pull = asyncio.create_task(
                    client.get(
                        f"{url}/api/v1/terminal/events",
                        params={"after": cursor, "wait": 10},
                        headers=auth,
                    )
                )
                await asyncio.sleep(0.02)  # the pull is parked on the relay now
                body = json.dumps({**template, "TransID": f"BN{i:08d}"}).encode()
                await client.post(hook, content=body, headers=json_type)
                result_url, result = confirmation_of(f"BN{i:08d}")
                sent = time.perf_counter()
                await client.post(result_url, content=result, headers=json_type)
                reply = (await pull).json()
                samples.append(time.perf_counter() - sent)
                assert reply["events"], "pull returned empty"
                cursor = int(reply["cursor"])
        return samples

    return asyncio.run(run())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--floor-seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="duka-relay-bench-") as tmp:
        data_dir = Path(tmp)
        database_url = args.database_url or f"sqlite:///{data_dir / 'relay.sqlite3'}"
        env = {
            **os.environ,
            "DUKA_RELAY_DATA_DIR": str(data_dir),
            "DUKA_RELAY_DATABASE_URL": database_url,
            "DUKA_RELAY_MASTER_KEY": base64.b64encode(os.urandom(32)).decode(),
            "DUKA_RELAY_FLOOR_ENDPOINT": "1",
            "DUKA_RELAY_WEBHOOK_RATE_PER_S": "1000000",
            "DUKA_RELAY_WEBHOOK_BURST": "1000000",
            "DUKA_RELAY_LOG_LEVEL": "WARNING",
        }
        os.environ.update(env)
        store = open_store(RelaySettings())
        shop_id, token = store.create_shop("Bench shop")
        store.set_credentials(shop_id, "paystack", "test", {"secret_key": PAYSTACK_KEY}, None)
        store.set_credentials(shop_id, "flutterwave", "test", FLUTTERWAVE, None)
        store.set_credentials(shop_id, "stripe", "test", STRIPE, None)
        store.set_credentials(
            shop_id,
            "mpesa",
            "test",
            {"consumer_key": "k", "consumer_secret": "s", "shortcode": "600134", "passkey": "p"},
            None,
        )
        code = store.create_pairing_code(shop_id, 600)
        port = free_port()
        with relay_process(env, port) as url:
            till = httpx.post(
                f"{url}/api/v1/terminal/pair", json={"pairing_code": code, "till_name": "bench"}
            ).json()

            ctx = multiprocessing.get_context("spawn")
            results = ctx.Queue()
            loader = ctx.Process(
                target=load_process,
                args=(
                    port,
                    shop_id,
                    token,
                    args.seconds,
                    args.floor_seconds,
                    args.connections,
                    results,
                ),
            )
            loader.start()
            measured = results.get(timeout=args.seconds + args.floor_seconds + 120)
            loader.join()
            latencies = push_to_pull(url, store, shop_id, token, till["token"], args.rounds)

        floor, hooks = measured["floor"], measured["webhooks"]
        stored = store.count_raw("parked")
        acked = hooks["ok"]
        store.close()
    floor_per_s = floor["ok"] / floor["elapsed"]
    webhooks_per_s = acked / hooks["elapsed"]
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p95 = latencies[int(len(latencies) * 0.95)] * 1000
    print(
        f"floor: {floor['ok']} x 200 in {floor['elapsed']:.1f} s, "
        f"p50 {floor['p50_ms']:.2f} ms, p99 {floor['p99_ms']:.2f} ms, statuses {floor['statuses']}"
    )
    print(
        f"webhooks: {acked} acknowledged in {hooks['elapsed']:.1f} s with "
        f"{args.connections} connections, p50 {hooks['p50_ms']:.2f} ms, "
        f"p99 {hooks['p99_ms']:.2f} ms, statuses {hooks['statuses']}"
    )
    print(f"stored (raw + parked rows in the database): {stored}; acknowledged: {acked}")
    print(
        f"push-to-pull over {len(latencies)} rounds: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"mean {statistics.mean(latencies) * 1000:.1f} ms"
    )
    print(
        f"RESULT webhooks_per_s={webhooks_per_s:.0f} floor_per_s={floor_per_s:.0f} "
        f"ratio={webhooks_per_s / floor_per_s:.2f} lost={acked - stored} "
        f"push_to_pull_p95_ms={p95:.1f}"
    )
    return 0 if acked == stored else 1


if __name__ == "__main__":
    raise SystemExit(main())
