"""A damaged ledger file is refused at start, in words a supervisor understands, never sold
into: bytes flipped in a payments page, a zeroed page header, a zeroed file header."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.config import TillSettings
from pos_app.core.errors import DamageKind, LedgerDamaged
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.services import build_services, guard
from pos_app.store import integrity
from pos_app.store.db import open_ledger


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[TillSettings]:
    """A till with 20 cash sales, closed (its WAL checkpointed into the file)."""
    settings = TillSettings(data_dir=tmp_path, keyring="memory")
    ledger = open_ledger(settings)
    services = build_services(ledger)
    for i in range(20):
        draft = services.orders.draft([OrderLine(f"Item {i}", Money(1000 + i, "KES"))])
        services.payments.record_cash_sale(draft, draft.total)
    ledger.close()
    yield settings


def _page_of(db: Path, table: str) -> tuple[int, int]:
    """(offset, size) of `table`'s root page in the file."""
    with sqlite3.connect(db) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()[0]
    return (root - 1) * size, size


def _refused(settings: TillSettings) -> LedgerDamaged:
    with pytest.raises(LedgerDamaged) as refused:
        open_ledger(settings)
    message = refused.value.message
    assert "damaged" in message and "will not sell" in message and "restore" in message
    return refused.value


def test_a_sound_ledger_opens_and_sells(settings: TillSettings) -> None:
    ledger = open_ledger(settings)
    try:
        assert guard.check_now(ledger).selling
    finally:
        ledger.close()


def test_sixteen_bytes_flipped_in_a_payments_page_are_refused(settings: TillSettings) -> None:
    db = settings.database
    data = bytearray(db.read_bytes())
    start, size = _page_of(db, "payments")
    at = data.index(b"cash", start, start + size)
    for i in range(at, at + 16):
        data[i] ^= 0xFF
    db.write_bytes(bytes(data))
    assert _refused(settings).findings


def test_a_zeroed_page_header_is_refused(settings: TillSettings) -> None:
    db = settings.database
    data = bytearray(db.read_bytes())
    start, _ = _page_of(db, "payments")
    data[start : start + 12] = bytes(12)
    db.write_bytes(bytes(data))
    _refused(settings)


def test_a_zeroed_file_header_is_refused_not_taken_for_a_new_till(
    settings: TillSettings,
) -> None:
    db = settings.database
    data = bytearray(db.read_bytes())
    data[:100] = bytes(100)
    db.write_bytes(bytes(data))
    _refused(settings)
    assert db.read_bytes()[:100] == bytes(100)  # left as found, for the restore


def test_damage_found_while_running_stops_new_sales(settings: TillSettings) -> None:
    ledger = open_ledger(settings)
    services = build_services(ledger)
    try:
        guard.lost_events(ledger, 3)
        status = guard.status(ledger)
        assert not status.selling and status.message and "3 sale record" in status.message
        assert status.damage is not None and status.damage.kind is DamageKind.LOST_EVENTS
        assert status.damage.missing == 3
        with pytest.raises(LedgerDamaged):
            services.orders.create_order([OrderLine("Soda", Money(8000, "KES"))])
        with pytest.raises(LedgerDamaged):
            draft = services.orders.draft([OrderLine("Soda", Money(8000, "KES"))])
            services.payments.record_cash_sale(draft, draft.total)
    finally:
        ledger.close()


def test_the_full_check_at_shift_close_finds_a_value_the_till_never_wrote(
    settings: TillSettings,
) -> None:
    ledger = open_ledger(settings)
    services = build_services(ledger)
    try:
        with sqlite3.connect(settings.database) as raw:  # what a flipped byte leaves behind
            raw.execute("UPDATE payments SET method = '9ash' WHERE rowid = 3")
        status = guard.check_now(ledger)
        assert not status.selling and status.message and "damaged" in status.message
        assert status.damage is not None and status.damage.kind is DamageKind.FILE
        assert any("payments" in f for f in status.damage.findings)
        with pytest.raises(LedgerDamaged):
            services.orders.create_order([OrderLine("Soda", Money(8000, "KES"))])
    finally:
        ledger.close()


def test_a_ledger_too_large_to_check_at_start_is_checked_in_the_background(
    settings: TillSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past QUICK_MAX_BYTES the start-up check is left unfinished (start-up never waits for
    it); the whole check then runs after start and stops selling on what it finds."""
    with sqlite3.connect(settings.database) as raw:
        raw.execute("UPDATE payments SET method = '9ash' WHERE rowid = 3")
    monkeypatch.setattr(integrity, "QUICK_MAX_BYTES", 1024)  # any real ledger is larger
    ledger = open_ledger(settings)  # opened: too large to check before the window shows
    services = build_services(ledger)
    try:
        assert not ledger.start_check_finished and guard.status(ledger).selling
        status = guard.finish_start_check(ledger)
        assert ledger.start_check_finished
        assert status.damage is not None and status.damage.kind is DamageKind.FILE
        assert any("payments" in f for f in status.damage.findings)
        with pytest.raises(LedgerDamaged):
            services.orders.create_order([OrderLine("Soda", Money(8000, "KES"))])
    finally:
        ledger.close()


def test_a_sound_large_ledger_keeps_selling_after_its_background_check(
    settings: TillSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(integrity, "QUICK_MAX_BYTES", 1024)
    ledger = open_ledger(settings)
    try:
        assert not ledger.start_check_finished
        assert guard.finish_start_check(ledger).selling and ledger.start_check_finished
        build_services(ledger).orders.create_order([OrderLine("Soda", Money(8000, "KES"))])
    finally:
        ledger.close()
