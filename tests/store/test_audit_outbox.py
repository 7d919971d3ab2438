from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from pos_app.core.errors import AuditChainBroken
from pos_app.store import audit, outbox
from pos_app.store.db import Ledger
from pos_app.store.schema import audit_log
from pos_app.store.schema import outbox as outbox_table


def append_n(ledger: Ledger, n: int) -> None:
    for i in range(n):
        with ledger.write() as conn:
            audit.append(
                conn,
                actor="u1",
                action="test",
                entity="thing",
                entity_id=str(i),
                details={"i": i, "amount_minor": 100 * i},
            )


def raw(ledger: Ledger) -> sqlite3.Connection:
    db = sqlite3.connect(ledger.settings.database)
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("DROP TRIGGER audit_log_no_delete")
    return db


def test_intact_chain_verifies(ledger: Ledger) -> None:
    append_n(ledger, 5)
    with ledger.read() as conn:
        assert audit.verify_chain(conn) is None
        entries = audit.entries(conn)
    assert [e.seq for e in entries] == [5, 4, 3, 2, 1]


def test_update_and_delete_are_refused_by_triggers(ledger: Ledger) -> None:
    append_n(ledger, 2)
    for sql in ("UPDATE audit_log SET actor='x'", "DELETE FROM audit_log"):
        with pytest.raises(IntegrityError, match="append-only"), ledger.write() as conn:
            conn.exec_driver_sql(sql)
    with ledger.read() as conn:
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar_one() == 2


@pytest.mark.parametrize(
    ("sql", "broken"),
    [
        ('UPDATE audit_log SET details=\'{"i":2,"amount_minor":1}\' WHERE seq=3', 3),
        ("UPDATE audit_log SET actor='mallory' WHERE seq=2", 2),
        ("DELETE FROM audit_log WHERE seq=2", 2),
        ("UPDATE audit_log SET at='2020-01-01T00:00:00.000000+00:00' WHERE seq=4", 4),
    ],
)
def test_tampering_names_the_first_broken_entry(ledger: Ledger, sql: str, broken: int) -> None:
    append_n(ledger, 5)
    db = raw(ledger)
    db.execute(sql)
    db.commit()
    db.close()
    with ledger.read() as conn:
        assert audit.verify_chain(conn) == broken


def test_a_broken_tail_refuses_new_entries_and_writes_nothing(ledger: Ledger) -> None:
    append_n(ledger, 3)
    db = raw(ledger)
    db.execute("UPDATE audit_log SET details='{}' WHERE seq=3")
    db.commit()
    db.close()
    with pytest.raises(AuditChainBroken, match="entry 3") as info, ledger.write() as conn:
        outbox.append(conn, ledger.cipher, type="x", payload={})
        audit.append(conn, actor=None, action="x", entity="x", entity_id=None, details={})
    assert info.value.seq == 3
    with ledger.read() as conn:
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar_one() == 3
        assert conn.execute(select(func.count()).select_from(outbox_table)).scalar_one() == 0


def test_outbox_sequence_payload_encryption_and_push_state(ledger: Ledger) -> None:
    with ledger.write() as conn:
        events = [
            outbox.append(conn, ledger.cipher, type="t", payload={"phone": "+254712345678", "n": i})
            for i in range(3)
        ]
    assert [e.seq for e in events] == [1, 2, 3]
    assert len({e.event_id for e in events}) == 3
    with ledger.read() as conn:
        blob = conn.execute(select(outbox_table.c.payload_ct)).scalars().first()
        assert blob is not None and b"254712345678" not in blob
        pending = outbox.pending(conn, ledger.cipher)
    assert [p.payload["n"] for p in pending] == [0, 1, 2]
    with ledger.write() as conn:
        outbox.mark_pushed(conn, [1], datetime.now(UTC))
        for _ in range(outbox.PARK_AFTER_ATTEMPTS):
            outbox.mark_failed(conn, 2, "relay said no")
    with ledger.read() as conn:
        assert [p.seq for p in outbox.pending(conn, ledger.cipher)] == [3]
    # sequence numbers are never reused, even if rows are pruned
    db = sqlite3.connect(ledger.settings.database)
    db.execute("DELETE FROM outbox WHERE seq = 3")
    db.commit()
    db.close()
    with ledger.write() as conn:
        assert outbox.append(conn, ledger.cipher, type="t", payload={}).seq == 4


def test_durable_pragmas(ledger: Ledger) -> None:
    with ledger.read() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert (pragma("busy_timeout") or 0) >= 5000
