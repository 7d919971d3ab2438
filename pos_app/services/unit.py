"""One ledger change = one SQLite transaction holding the domain rows, the audit entry and
(for anything the relay must know) the outbox event; in-process events go out after commit.

`one_transaction` makes several service calls one such transaction (all or nothing).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from pos_app.core.errors import LedgerDamaged
from pos_app.core.events import DomainEvent
from pos_app.services.bus import EventBus
from pos_app.store import audit, outbox
from pos_app.store.crypto import FieldCipher
from pos_app.store.db import Ledger


@dataclass
class Change:
    conn: Connection
    cipher: FieldCipher
    actor: str | None
    damage: LedgerDamaged | None = None  # the ledger failed a check: no new sales
    events: list[DomainEvent] = field(default_factory=list)
    audited: bool = False

    def record(
        self,
        event_type: str,
        *,
        entity: str,
        entity_id: str | None,
        details: Mapping[str, Any],
        payload: Mapping[str, Any] | None = None,
    ) -> audit.AuditEntry:
        """Append the audit entry and, when `payload` is given, the outbox event.

        `details` go to the audit log in clear text: ids, amounts and statuses only, never
        names, phones or references. `payload` is stored encrypted.
        """
        entry = audit.append(
            self.conn,
            actor=self.actor,
            action=event_type,
            entity=entity,
            entity_id=entity_id,
            details=details,
        )
        if payload is not None:
            outbox.append(
                self.conn,
                self.cipher,
                type=event_type,
                payload={**payload, "audit_seq": entry.seq, "audit_hash": entry.hash},
            )
        self.audited = True
        return entry

    def nothing_changed(self) -> None:
        """Declare that this change wrote nothing (so it needs no audit entry)."""
        self.audited = True

    def publish(self, event: DomainEvent) -> None:
        self.events.append(event)

    def require_selling(self) -> None:
        """Refuse a new sale or payment while the ledger is known to be damaged."""
        if self.damage is not None:
            raise self.damage


@contextmanager
def ledger_change(ledger: Ledger, bus: EventBus, actor: str | None) -> Iterator[Change]:
    with ledger.write() as conn:
        change = Change(conn, ledger.cipher, actor, ledger.damage)
        yield change
        if not change.audited:
            raise RuntimeError("every ledger change must write an audit entry")
    bus.publish_all(change.events)


def audit_refusal(
    ledger: Ledger,
    bus: EventBus,
    actor: str | None,
    action: str,
    entity: str,
    entity_id: str,
    error: BaseException,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Audit a refused attempt in its own transaction (nothing else is written)."""
    with ledger_change(ledger, bus, actor) as change:
        change.record(
            action,
            entity=entity,
            entity_id=entity_id,
            details={"error": type(error).__name__, **(extra or {})},
        )


@dataclass
class _InTransaction(Ledger):
    """The ledger as seen from inside an open write transaction: writes are savepoints."""

    conn: Connection | None = None

    @contextmanager
    def write(self) -> Iterator[Connection]:
        assert self.conn is not None
        with self.conn.begin_nested():
            yield self.conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        assert self.conn is not None
        yield self.conn


class HeldBus(EventBus):
    """Keeps what services publish until the transaction they wrote in has committed."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[DomainEvent] = []

    def publish(self, event: DomainEvent) -> None:
        self.held.append(event)


@contextmanager
def one_transaction(ledger: Ledger, bus: EventBus) -> Iterator[tuple[Ledger, EventBus]]:
    """Several service calls as ONE write transaction: services built over the yielded ledger
    and bus write inside it (each of their changes a savepoint) and their events reach `bus`
    only after the commit; any error rolls every step back."""
    held = HeldBus()
    with ledger.write() as conn:
        yield (
            _InTransaction(
                ledger.engine,
                ledger.cipher,
                ledger.settings,
                ledger.key_store,
                damage=ledger.damage,
                conn=conn,
            ),
            held,
        )
    bus.publish_all(held.held)
