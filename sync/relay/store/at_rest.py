"""Personal data at rest on the relay: the tills' pushed event payloads (phone numbers, M-Pesa
receipts, proof references, cashier notes) and raw webhook bodies (full MSISDNs) are sealed
with AES-GCM under the master key, each bound to its row as associated data; and the SQLite
files are the relay user's alone (0600 in a 0700 folder)."""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Row, Text, cast, func, select, update

from sync.relay.crypto import SecretBox
from sync.relay.store import schema as t

SEALED_BODY = b"\x00duka-aead-1\x00"  # a webhook body never starts with a NUL byte
SEALED_KEY = "sealed"  # a sealed payload is {"sealed": "<base64>"}


def payload_context(till_id: str, event_id: str) -> str:
    return f"till-event:{till_id}:{event_id}"


def raw_context(shop_id: str | None, provider: str, kind: str, received_at: datetime) -> str:
    stamp = received_at.astimezone(UTC).isoformat(timespec="microseconds")
    return f"raw-webhook:{shop_id or '-'}:{provider}:{kind}:{stamp}"


def seal_payload(
    box: SecretBox, till_id: str, event_id: str, payload: dict[str, Any]
) -> dict[str, str]:
    plain = json.dumps(payload, separators=(",", ":")).encode()
    sealed = box.seal_bytes(plain, payload_context(till_id, event_id))
    return {SEALED_KEY: base64.b64encode(sealed).decode()}


def open_payload(box: SecretBox, row: Row[Any]) -> dict[str, Any]:
    stored = row.payload
    if not _is_sealed_payload(stored):
        return dict(stored)  # written before sealing, and not yet sealed by seal_existing
    sealed = base64.b64decode(stored[SEALED_KEY])
    opened: dict[str, Any] = json.loads(
        box.open_bytes(sealed, payload_context(row.till_id, row.event_id))
    )
    return opened


@dataclass(frozen=True)
class OpenedTillEvent:
    """A till's pushed event with its payload opened."""

    id: int
    till_id: str
    shop_id: str
    event_id: str
    till_seq: int
    type: str
    occurred_at: datetime
    payload: dict[str, Any]
    received_at: datetime


def open_till_event(box: SecretBox, row: Row[Any]) -> OpenedTillEvent:
    return OpenedTillEvent(
        row.id, row.till_id, row.shop_id, row.event_id, row.till_seq, row.type, row.occurred_at,
        open_payload(box, row), row.received_at,
    )  # fmt: skip


def _is_sealed_payload(stored: Any) -> bool:
    return isinstance(stored, dict) and set(stored) == {SEALED_KEY}


def seal_body(
    box: SecretBox,
    shop_id: str | None,
    provider: str,
    kind: str,
    received_at: datetime,
    body: bytes,
) -> bytes:
    context = raw_context(shop_id, provider, kind, received_at)
    return SEALED_BODY + box.seal_bytes(body, context)


@dataclass(frozen=True)
class OpenedRaw:
    """A raw webhook row with its body opened."""

    id: int
    shop_id: str | None
    provider: str
    kind: str
    received_at: datetime
    source_ip: str | None
    headers: dict[str, str]
    body: bytes
    verdict: str
    detail: str | None


def open_raw(box: SecretBox, row: Row[Any]) -> OpenedRaw:
    body = bytes(row.body)
    if body.startswith(SEALED_BODY):
        context = raw_context(row.shop_id, row.provider, row.kind, row.received_at)
        body = box.open_bytes(body[len(SEALED_BODY) :], context)
    return OpenedRaw(
        row.id, row.shop_id, row.provider, row.kind, row.received_at, row.source_ip,
        dict(row.headers), body, row.verdict, row.detail,
    )  # fmt: skip


def seal_existing(store: Any) -> dict[str, int]:
    """Seal what an older relay wrote in clear (idempotent: sealed rows are skipped); run at
    start-up after the schema migrations, which cannot see the master key."""
    counts = {"till_events": 0, "raw_webhooks": 0}
    box: SecretBox = store.box
    with store.write() as conn:
        clear_events = select(t.till_events).where(
            cast(t.till_events.c.payload, Text).not_like(f'{{"{SEALED_KEY}": %')
        )
        for row in conn.execute(clear_events).all():
            if not _is_sealed_payload(row.payload):
                conn.execute(
                    update(t.till_events)
                    .where(t.till_events.c.id == row.id)
                    .values(payload=seal_payload(box, row.till_id, row.event_id, row.payload))
                )
                counts["till_events"] += 1
        clear_bodies = select(t.raw_webhooks).where(
            func.substr(t.raw_webhooks.c.body, 1, len(SEALED_BODY)) != SEALED_BODY
        )
        for row in conn.execute(clear_bodies).all():
            if not bytes(row.body).startswith(SEALED_BODY):
                sealed = seal_body(
                    box, row.shop_id, row.provider, row.kind, row.received_at, bytes(row.body)
                )
                conn.execute(
                    update(t.raw_webhooks).where(t.raw_webhooks.c.id == row.id).values(body=sealed)
                )
                counts["raw_webhooks"] += 1
    return counts


def private_sqlite_files(database: Path, own_folder: bool) -> None:
    """The database and its -wal/-shm 0600 (SQLite gives the journal files the main file's
    mode, so creating it 0600 first is what keeps them private); its folder 0700 when it is the
    relay's own data folder (never a shared one such as /tmp)."""
    folder = database.parent
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if own_folder:
        os.chmod(folder, 0o700)
    if not database.exists():
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT, 0o600))
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        if path.exists():
            os.chmod(path, 0o600)
