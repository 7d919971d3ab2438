"""The append-only, hash-chained audit log.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's own canonical
JSON; changing, inserting or deleting any entry breaks every later link. Triggers (revision
0002) refuse UPDATE and DELETE; verify_chain() finds tampering done around them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import Connection, Row, select

from pos_app.core.errors import AuditChainBroken
from pos_app.store.schema import audit_log

GENESIS: Final = "0" * 64
_INSERT = audit_log.insert()
_LAST = select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str | None
    action: str
    entity: str
    entity_id: str | None
    details: dict[str, Any]
    hash: str


def canonical(details: Mapping[str, Any]) -> str:
    return json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(
    prev_hash: str,
    seq: int,
    at: datetime,
    actor: str | None,
    action: str,
    entity: str,
    entity_id: str | None,
    details_text: str,
) -> str:
    body = json.dumps(
        [
            seq,
            at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor,
            action,
            entity,
            entity_id,
            details_text,
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _row_digest(row: Row[Any]) -> str:
    return digest(
        row.prev_hash,
        row.seq,
        row.at,
        row.actor,
        row.action,
        row.entity,
        row.entity_id,
        row.details,
    )


def append(
    conn: Connection,
    *,
    actor: str | None,
    action: str,
    entity: str,
    entity_id: str | None,
    details: Mapping[str, Any],
    at: datetime | None = None,
) -> AuditEntry:
    """Add an entry inside the caller's write transaction; refuses to extend a broken tail."""
    last = conn.execute(_LAST).first()
    if last is not None and _row_digest(last) != last.hash:
        raise AuditChainBroken(last.seq)
    seq = 1 if last is None else last.seq + 1
    prev = GENESIS if last is None else last.hash
    at = at or datetime.now(UTC)
    text = canonical(details)
    entry_hash = digest(prev, seq, at, actor, action, entity, entity_id, text)
    conn.execute(
        _INSERT,
        {
            "seq": seq,
            "at": at,
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "details": text,
            "prev_hash": prev,
            "hash": entry_hash,
        },
    )
    return AuditEntry(seq, at, actor, action, entity, entity_id, dict(details), entry_hash)


def verify_chain(conn: Connection) -> int | None:
    """The seq of the first entry that does not fit the chain, or None if all is intact."""
    expected_prev = GENESIS
    expected_seq = 1
    for row in conn.execute(select(audit_log).order_by(audit_log.c.seq)):
        if row.seq != expected_seq or row.prev_hash != expected_prev:
            return int(row.seq) if row.seq == expected_seq else expected_seq
        if _row_digest(row) != row.hash:
            return int(row.seq)
        expected_prev = row.hash
        expected_seq += 1
    return None


def entries(
    conn: Connection, *, limit: int = 100, entity_id: str | None = None
) -> list[AuditEntry]:
    """Newest first."""
    query = select(audit_log).order_by(audit_log.c.seq.desc()).limit(limit)
    if entity_id is not None:
        query = query.where(audit_log.c.entity_id == entity_id)
    return [
        AuditEntry(
            r.seq, r.at, r.actor, r.action, r.entity, r.entity_id, json.loads(r.details), r.hash
        )
        for r in conn.execute(query)
    ]
