"""Unmatched provider outcomes kept for a supervisor (pos_app.services.provider_events)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from ledger_helpers import Till
from sqlalchemy import select

from pos_app.core.money import Money
from pos_app.services import provider_events as pe
from pos_app.store.db import Ledger
from pos_app.store.schema import provider_events


@pytest.fixture
def ledger(till: Till) -> Ledger:
    return till.ledger


def _record(
    receipt: str = "SGK12AB34C", amount: int = 150_00, ref: str = "INV42"
) -> pe.ProviderEventRecord:
    now = datetime.now(UTC)
    return pe.ProviderEventRecord(
        event_id=str(uuid.uuid4()),
        relay_seq=1,
        provider="mpesa",
        channel="mpesa_c2b",
        status="paid",
        amount_minor=amount,
        currency="KES",
        reference=ref,
        receipt=receipt,
        payer="2547****678",
        test_mode=True,
        occurred_at=now,
        received_at=now,
    )


def test_recorded_once_and_found_by_receipt_and_amount(ledger: Ledger) -> None:
    event = _record()
    with ledger.write() as conn:
        assert pe.record(conn, ledger.cipher, event)
        assert not pe.record(conn, ledger.cipher, event)
    service = pe.ProviderEventService(ledger)
    found = service.matching(" sgk12ab34c ", Money(150_00, "KES"))
    assert [v.event_id for v in found] == [event.event_id]
    assert found[0].reference == "INV42" and found[0].payer == "2547****678"
    assert service.matching("SGK12AB34C", Money(149_00, "KES")) == []
    assert service.matching("OTHER", None) == []
    assert [v.event_id for v in service.unmatched()] == [event.event_id]


def test_personal_data_is_not_stored_in_plaintext(ledger: Ledger) -> None:
    event = _record(receipt="QWERTY1234", ref="0712345678")
    with ledger.write() as conn:
        pe.record(conn, ledger.cipher, event)
    with ledger.read() as conn:
        row = conn.execute(select(provider_events)).one()
    blob = b"".join(bytes(v) for v in row if isinstance(v, bytes | memoryview))
    assert b"QWERTY1234" not in blob and b"0712345678" not in blob


def test_matched_events_leave_the_queue_once(ledger: Ledger) -> None:
    event = _record()
    with ledger.write() as conn:
        pe.record(conn, ledger.cipher, event)
        assert pe.mark_matched(conn, event.event_id, str(uuid.uuid4()), "sync")
        assert not pe.mark_matched(conn, event.event_id, str(uuid.uuid4()), "sync")
    service = pe.ProviderEventService(ledger)
    assert service.unmatched() == []
    view = service.get(event.event_id)
    assert view is not None and view.matched_by == "sync"
