"""Issue 11, as the attacker and the fault injector: money is never forged, lost or doubled.

Every test talks to the real relay over HTTP on 127.0.0.1 and asserts what happens to money.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from sync.relay.store.engine import IMMEDIATE
from tests.relay.conftest import Relay, sample

JSON = {"Content-Type": "application/json"}


def c2b_bodies(count: int, prefix: str = "QF") -> list[bytes]:
    template = json.loads(sample("daraja/c2b_confirmation_2017_doc.json"))
    return [json.dumps({**template, "TransID": f"{prefix}{i:08d}"}).encode() for i in range(count)]


async def post_all(relay: Relay, path: str, bodies: list[bytes]) -> list[int]:
    """All at once, as a burst from Daraja."""
    async with httpx.AsyncClient(base_url=relay.url, timeout=30) as client:
        replies = await asyncio.gather(
            *(client.post(path, content=body, headers=JSON) for body in bodies)
        )
    return [reply.status_code for reply in replies]


def stored_confirmations(relay: Relay) -> int:
    with relay.store.read() as conn:
        rows = conn.exec_driver_sql(
            "SELECT count(*) FROM raw_webhooks WHERE kind = 'c2b_confirmation'"
        )
        return int(rows.scalar_one())


def is_write(conn: Any) -> bool:
    """Reads commit too; a full disk fails only the commits that write."""
    return bool(conn.get_execution_options().get(IMMEDIATE, False))


def test_failed_commits_under_load_are_never_acknowledged(relay: Relay) -> None:
    """Disk full / database gone mid-burst: every webhook acknowledged is stored, and the ones
    that were not stored are answered 5xx so that Daraja delivers them again."""
    _shop_id, token = relay.shop()
    path = f"/api/v1/payments/webhook/mobile/{token}/c2b/confirm"
    failing = {"on": True}

    def disk_full(conn: Any) -> None:
        if failing["on"] and is_write(conn):
            raise OperationalError("COMMIT", {}, Exception("database or disk is full"))

    event.listen(relay.store.engine, "commit", disk_full)
    bodies = c2b_bodies(40)
    statuses = asyncio.run(post_all(relay, path, bodies))
    acknowledged = statuses.count(200)
    failing["on"] = False
    assert stored_confirmations(relay) == acknowledged == 0
    assert set(statuses) == {503}
    # Daraja redelivers: now every one is stored exactly once.
    assert set(asyncio.run(post_all(relay, path, bodies))) == {200}
    assert stored_confirmations(relay) == 40


def test_commits_failing_for_part_of_a_burst(relay: Relay) -> None:
    """Commits fail for a while during a burst: acknowledged == stored at every count."""
    _shop_id, token = relay.shop()
    path = f"/api/v1/payments/webhook/mobile/{token}/c2b/confirm"
    commits = {"n": 0}

    def every_third_fails(conn: Any) -> None:
        if not is_write(conn):
            return
        commits["n"] += 1
        if commits["n"] % 3 == 0:
            raise OperationalError("COMMIT", {}, Exception("could not write to file"))

    event.listen(relay.store.engine, "commit", every_third_fails)
    statuses = asyncio.run(post_all(relay, path, c2b_bodies(120, "QP")))
    event.remove(relay.store.engine, "commit", every_third_fails)
    assert set(statuses) <= {200, 503}
    assert stored_confirmations(relay) == statuses.count(200)
