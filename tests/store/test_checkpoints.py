from __future__ import annotations

import time

from sqlalchemy import select

from pos_app.store import outbox
from pos_app.store.db import AUTOCHECKPOINT_BACKSTOP_PAGES, CHECKPOINT_INTERVAL_S, Ledger
from pos_app.store.schema import outbox as outbox_table


def test_background_thread_moves_the_wal_into_the_database(ledger: Ledger) -> None:
    db = ledger.settings.database
    before = db.stat().st_size
    for i in range(200):  # far below the commit-time backstop
        with ledger.write() as conn:
            outbox.append(conn, ledger.cipher, type="t", payload={"i": i, "pad": "x" * 500})
    assert AUTOCHECKPOINT_BACKSTOP_PAGES > 200 * 2
    deadline = time.monotonic() + 10 * CHECKPOINT_INTERVAL_S
    while db.stat().st_size <= before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert db.stat().st_size > before  # pages were copied back by the checkpointer


def test_close_stops_the_checkpointer_and_leaves_no_wal(ledger: Ledger) -> None:
    with ledger.write() as conn:
        outbox.append(conn, ledger.cipher, type="t", payload={})
    assert ledger.checkpointer is not None
    ledger.close()
    wal = ledger.settings.database.with_name("till.db-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    with ledger.read() as conn:  # the engine reconnects on demand after close
        assert conn.execute(select(outbox_table.c.seq)).scalars().all() == [1]
