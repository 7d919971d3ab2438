"""Personal data at rest on the relay: the tills' pushed event payloads (phone numbers, M-Pesa
receipts, proof references, cashier notes), raw webhook bodies (full MSISDNs), the references,
receipts and payers of canonical events and payments, and parked items' summaries are sealed
with AES-GCM under the master key, each bound to its row as associated data. What the relay
looks rows up by (a payment's reference or CheckoutRequestID, an event's receipt, the
de-duplication keys, which spell receipts) is stored as a blind index: a keyed HMAC, equal for
equal values, that says nothing without the master key. And the SQLite files are the relay
user's alone (0600 in a 0700 folder)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, Text, cast, func, select, update

from sync.relay.crypto import SecretBox
from sync.relay.store import schema as t

SEALED_BODY = b"\x00duka-aead-1\x00"  # a webhook body never starts with a NUL byte
SEALED_KEY = "sealed"  # a sealed payload is {"sealed": "<base64>"}
SEALED_TEXT = "s1:"  # base64 has no colon; seal_existing seals every clear row before use
BLIND = "b1:"  # a blind index; the relay's de-duplication keys start with a provider name
PAYMENT_SEALED = ("reference", "checkout_request_id", "receipt", "provider_reference")
EVENT_SEALED = ("reference", "receipt", "payer", "message")


def seal_text(box: SecretBox, value: str | None, context: str) -> str | None:
    """Always seals (a customer may type a reference that starts like a sealed one)."""
    if value is None:
        return None
    return SEALED_TEXT + box.seal(value, context)


def open_text(box: SecretBox, value: str | None, context: str) -> str | None:
    if value is None or not value.startswith(SEALED_TEXT):
        return value  # written before sealing, and not yet sealed by seal_existing
    return box.open(value[len(SEALED_TEXT) :], context)


def blind_index(box: SecretBox, purpose: str, value: str) -> str:
    """Deterministic, so that equal values find each other; keyed, so that nobody without the
    master key can test guesses (an M-Pesa receipt has few enough characters to try)."""
    key = box.subkey("blind-index")
    digest = hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()
    return BLIND + digest


def dedup_index(box: SecretBox, dedup_key: str | None) -> str | None:
    if dedup_key is None or dedup_key.startswith(BLIND):
        return dedup_key
    return blind_index(box, "dedup", dedup_key)


def with_values(row: Row[Any], **values: Any) -> Row[Any]:
    """The same row with some columns replaced (opened), so that callers keep reading rows.
    Row has no public constructor; this one reuses the row's own column map."""
    data = tuple(values.get(name, value) for name, value in zip(row._fields, row, strict=True))
    return Row(row._parent, None, row._key_to_index, data)


def payment_context(payment_id: str, column: str) -> str:
    return f"payment:{payment_id}:{column}"


def seal_payment_values(box: SecretBox, payment_id: str, values: dict[str, Any]) -> dict[str, Any]:
    """Seal the personal columns among `values` (an insert or an update of one payment) and
    add the blind indexes its lookups use."""
    sealed = dict(values)
    for column in PAYMENT_SEALED:
        if isinstance(values.get(column), str):
            sealed[column] = seal_text(box, values[column], payment_context(payment_id, column))
    if isinstance(values.get("reference"), str):
        sealed["reference_index"] = blind_index(box, "payment-reference", values["reference"])
    if isinstance(values.get("checkout_request_id"), str):
        sealed["checkout_index"] = blind_index(box, "checkout", values["checkout_request_id"])
    return sealed


def open_payment(box: SecretBox, row: Row[Any]) -> Row[Any]:
    return with_values(
        row,
        **{c: open_text(box, getattr(row, c), payment_context(row.payment_id, c))
           for c in PAYMENT_SEALED},
    )  # fmt: skip


def event_context(event_id: str, column: str) -> str:
    return f"event:{event_id}:{column}"


def seal_event_values(box: SecretBox, values: dict[str, Any]) -> dict[str, Any]:
    sealed = dict(values)
    for column in EVENT_SEALED:
        sealed[column] = seal_text(
            box, values.get(column), event_context(values["event_id"], column)
        )
    receipt = values.get("receipt")
    sealed["receipt_index"] = None if receipt is None else receipt_index(box, receipt)
    sealed["dedup_key"] = dedup_index(box, values["dedup_key"])
    return sealed


def receipt_index(box: SecretBox, receipt: str) -> str:
    return blind_index(box, "receipt", receipt.upper())


def reference_index(box: SecretBox, reference: str) -> str:
    """A paybill account reference (already normalised), as the C2B owner lookup keeps it."""
    return blind_index(box, "c2b-reference", reference)


CLAIM_SEALED = ("trans_id", "bill_ref", "payer")


def claim_context(shop_id: str, trans_index: str, column: str) -> str:
    return f"c2b-claim:{shop_id}:{trans_index}:{column}"


def seal_claim_values(box: SecretBox, values: dict[str, Any]) -> dict[str, Any]:
    """A C2B claim is found by its receipt's blind index, which also binds its sealed fields
    (one claim per receipt and shop)."""
    trans_index = receipt_index(box, values["trans_id"])
    sealed = dict(values) | {"trans_index": trans_index}
    for column in CLAIM_SEALED:
        sealed[column] = seal_text(
            box, values.get(column), claim_context(values["shop_id"], trans_index, column)
        )
    return sealed


def open_claim(box: SecretBox, row: Row[Any]) -> Row[Any]:
    return with_values(
        row,
        **{c: open_text(box, getattr(row, c), claim_context(row.shop_id, row.trans_index, c))
           for c in CLAIM_SEALED},
    )  # fmt: skip


def open_event(box: SecretBox, row: Row[Any]) -> Row[Any]:
    return with_values(
        row,
        **{c: open_text(box, getattr(row, c), event_context(row.event_id, c))
           for c in EVENT_SEALED},
    )  # fmt: skip


def idempotency_context(shop_id: str, key: str) -> str:
    return f"idempotency:{shop_id}:{key}"


def seal_json(box: SecretBox, value: Any, context: str) -> dict[str, str]:
    """A JSON column's value sealed whole, as {"sealed": "<base64>"}."""
    plain = json.dumps(value, separators=(",", ":"), default=str).encode()
    return {SEALED_KEY: base64.b64encode(box.seal_bytes(plain, context)).decode()}


def open_json(box: SecretBox, stored: Any, context: str) -> Any:
    if not _is_sealed_payload(stored):
        return stored  # written before sealing
    return json.loads(box.open_bytes(base64.b64decode(stored[SEALED_KEY]), context))


def parked_context(shop_id: str | None, provider: str, reason: str, created_at: datetime) -> str:
    stamp = created_at.astimezone(UTC).isoformat(timespec="microseconds")
    return f"parked:{shop_id or '-'}:{provider}:{reason}:{stamp}"


def seal_parked_values(box: SecretBox, values: dict[str, Any]) -> dict[str, Any]:
    """A parked item's summary names references, receipts and checkout ids: sealed whole."""
    context = parked_context(
        values["shop_id"], values["provider"], values["reason"], values["created_at"]
    )
    return values | {
        "summary": seal_json(box, values["summary"], context),
        "dedup_key": dedup_index(box, values["dedup_key"]),
    }


def open_parked(box: SecretBox, row: Row[Any]) -> Row[Any]:
    context = parked_context(row.shop_id, row.provider, row.reason, row.created_at)
    return with_values(row, summary=open_json(box, row.summary, context))


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
    counts = {
        "till_events": 0, "raw_webhooks": 0, "canonical_events": 0, "payments": 0, "parked": 0
    }  # fmt: skip
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
        counts |= _seal_books(conn, box)
    return counts


def _seal_books(conn: Connection, box: SecretBox) -> dict[str, int]:
    """Canonical events, payments and parked items: a clear row is one whose blind index is
    not written yet (a parked item's: its summary is not sealed)."""
    counts = {"canonical_events": 0, "payments": 0, "parked": 0, "c2b_claims": 0}
    events = t.canonical_events
    for row in conn.execute(select(events).where(events.c.dedup_key.not_like(f"{BLIND}%"))):
        values = seal_event_values(box, dict(row._mapping))
        conn.execute(update(events).where(events.c.id == row.id).values(values))
        counts["canonical_events"] += 1
    payments = t.payments
    for row in conn.execute(select(payments).where(payments.c.reference_index.is_(None))):
        given = {c: getattr(row, c) for c in PAYMENT_SEALED if getattr(row, c) is not None}
        values = seal_payment_values(box, row.payment_id, given)
        conn.execute(update(payments).where(payments.c.payment_id == row.payment_id).values(values))
        counts["payments"] += 1
    parked = t.parked
    clear = cast(parked.c.summary, Text).not_like(f'{{"{SEALED_KEY}": %')
    for row in conn.execute(select(parked).where(clear)):
        if not _is_sealed_payload(row.summary):
            values = seal_parked_values(box, dict(row._mapping))
            conn.execute(update(parked).where(parked.c.id == row.id).values(values))
            counts["parked"] += 1
    claims = t.c2b_claims
    for row in conn.execute(select(claims).where(claims.c.trans_index.is_(None))):
        values = seal_claim_values(box, dict(row._mapping))
        conn.execute(update(claims).where(claims.c.id == row.id).values(values))
        counts["c2b_claims"] += 1
    refs = t.c2b_references
    for row in conn.execute(select(refs).where(refs.c.reference.not_like(f"{BLIND}%"))):
        conn.execute(
            update(refs)
            .where((refs.c.shop_id == row.shop_id) & (refs.c.reference == row.reference))
            .values(reference=reference_index(box, row.reference))
        )
    grants = t.c2b_grants
    for row in conn.execute(select(grants).where(grants.c.receipt.not_like(f"{BLIND}%"))):
        conn.execute(
            update(grants)
            .where((grants.c.shop_id == row.shop_id) & (grants.c.receipt == row.receipt))
            .values(receipt=receipt_index(box, row.receipt))
        )
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
