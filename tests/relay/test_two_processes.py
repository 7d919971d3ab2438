"""Two relay processes on one PostgreSQL database: a pull on A wakes on a webhook posted to B."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sync.relay.app import open_store
from sync.relay.webhook_paths import transaction_status_paths
from sync.sandbox.daraja_api import transaction_status_result
from tests.relay.conftest import MASTER_KEY, free_port, make_settings, sample

pytestmark = pytest.mark.postgres


def start_relay(database_url: str, port: int, data_dir: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DUKA_RELAY_MASTER_KEY": MASTER_KEY,
        "DUKA_RELAY_DATA_DIR": str(data_dir),
        # A long fallback: only a NOTIFY can wake the pull in time.
        "DUKA_RELAY_LONG_POLL_FALLBACK_S": "20",
        "DUKA_RELAY_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sync.relay",
            "--database-url",
            database_url,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
    )


def wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "relay process exited"
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError("relay did not become healthy")


@pytest.fixture
def two_relays(pg_database: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    ports = free_port(), free_port()
    processes = [start_relay(pg_database, port, tmp_path) for port in ports]
    try:
        urls = tuple(f"http://127.0.0.1:{port}" for port in ports)
        for url, process in zip(urls, processes, strict=True):
            wait_healthy(url, process)
        yield urls  # type: ignore[misc]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)


def test_long_poll_on_one_process_wakes_on_webhook_to_the_other(
    two_relays: tuple[str, str], pg_database: str, tmp_path: Path
) -> None:
    url_a, url_b = two_relays
    store = open_store(make_settings(tmp_path, pg_database))
    shop_id, token = store.create_shop("Two processes")
    code = store.create_pairing_code(shop_id, 60)
    claimed = httpx.post(  # a C2B confirmation is a claim until Transaction Status confirms it
        f"{url_b}/api/v1/payments/webhook/mobile/{token}/c2b/confirm",
        content=sample("c2b_confirmation_2017_doc.json"),
        headers={"Content-Type": "application/json"},
    )
    assert claimed.status_code == 200
    [claim] = store.c2b_claims(shop_id)
    store.update_c2b_claim(claim.id, request_id="a" * 48)
    store.close()
    result = transaction_status_result(claim.trans_id, claim.amount_minor, claim.short_code)
    till = httpx.post(
        f"{url_a}/api/v1/terminal/pair", json={"pairing_code": code, "till_name": "T"}
    ).json()
    got: dict[str, Any] = {}

    def pull_on_a() -> None:
        auth = {"Authorization": f"Bearer {till['token']}"}
        reply = httpx.get(
            f"{url_a}/api/v1/terminal/events",
            params={"after": 0, "wait": 15},
            headers=auth,
            timeout=30,
        )
        got["at"] = time.monotonic()
        got["events"] = reply.json()["events"]

    puller = threading.Thread(target=pull_on_a)
    puller.start()
    time.sleep(1.0)
    reply = httpx.post(  # Daraja's Transaction Status result, to the other process
        url_b + transaction_status_paths(token, "a" * 48)[0],
        json=result,
    )
    answered = time.monotonic()
    assert reply.status_code == 200
    puller.join(timeout=20)
    assert [e["receipt"] for e in got["events"]] == ["LGR219G3EY"]
    # The fallback is 20 s, so anything well under it was a NOTIFY (a 1 s bound from before
    # the webhook flaked when the verification itself took most of it on a loaded machine).
    assert got["at"] - answered < 5.0, "woken by the fallback poll, not by NOTIFY"
