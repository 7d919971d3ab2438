"""Encrypted backups: made with SQLite's online backup API, sealed under a key derived from
the data key, checked after writing, pruned after their days, copied to a second folder; and
`main.py --restore` brings a damaged till back to its last backup."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pos_app.app import main
from pos_app.config import TillSettings
from pos_app.core.errors import LedgerDamaged
from pos_app.core.money import Money
from pos_app.core.orders import OrderLine
from pos_app.services import build_services
from pos_app.services.backups import HourlyBackups, back_up
from pos_app.store import backup
from pos_app.store.db import Ledger, open_ledger
from pos_app.store.schema import payments

SHOP = "Duka la Mama Zawadi"


def _sell(ledger: Ledger, n: int) -> None:
    services = build_services(ledger)
    for i in range(n):
        draft = services.orders.draft([OrderLine(f"{SHOP} item {i}", Money(1000 + i, "KES"))])
        services.payments.record_cash_sale(draft, draft.total)


def _sales(ledger: Ledger) -> int:
    with ledger.read() as conn:
        return int(conn.execute(select(func.count()).select_from(payments)).scalar_one())


@pytest.fixture
def settings(tmp_path: Path) -> TillSettings:
    return TillSettings(data_dir=tmp_path / "till", backup_copy_dir=tmp_path / "usb")


@pytest.fixture
def ledger(settings: TillSettings) -> Iterator[Ledger]:
    opened = open_ledger(settings)
    _sell(opened, 30)
    yield opened
    opened.close()


def test_a_backup_is_sealed_checked_and_copied(ledger: Ledger, settings: TillSettings) -> None:
    made = back_up(ledger)
    assert made.path.parent == settings.data_dir / "backups"
    assert made.copies == (settings.backup_copy_dir / made.path.name,)  # type: ignore[operator]
    for path in (made.path, *made.copies):
        data = path.read_bytes()
        assert data.startswith(backup.MAGIC)
        assert SHOP.encode() not in data and b"SQLite format 3" not in data
        backup.verify(ledger.cipher, path)
    # no plain snapshot is left behind
    assert not [p for p in settings.data_dir.rglob("*.tmp")]


def test_an_altered_or_cut_backup_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    made = back_up(ledger)
    data = bytearray(made.path.read_bytes())
    flipped = tmp_path / "flipped.dukabak"
    data[len(data) // 2] ^= 0x01
    flipped.write_bytes(bytes(data))
    with pytest.raises(backup.BackupUnreadable, match="altered"):
        backup.verify(ledger.cipher, flipped)
    cut = tmp_path / "cut.dukabak"
    cut.write_bytes(made.path.read_bytes()[:-100])
    with pytest.raises(backup.BackupUnreadable, match="cut short"):
        backup.verify(ledger.cipher, cut)


def test_a_big_ledger_is_sealed_in_several_chunks_that_cannot_be_dropped(
    ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup, "CHUNK", 4096)
    made = back_up(ledger)
    sealed = made.path.read_bytes()
    # drop the last chunk: what is left ends on a chunk not marked last
    head = backup._HEAD.size
    offset, chunks = head, []
    while offset < len(sealed):
        size = int.from_bytes(sealed[offset : offset + 4], "big")
        chunks.append((offset, 4 + size))
        offset += 4 + size
    assert len(chunks) > 2
    dropped = tmp_path / "dropped.dukabak"
    dropped.write_bytes(sealed[: chunks[-1][0]])
    with pytest.raises(backup.BackupUnreadable):
        backup.verify(ledger.cipher, dropped)


def test_old_backups_are_pruned_in_both_places(ledger: Ledger, settings: TillSettings) -> None:
    first = back_up(ledger)
    old = time.time() - timedelta(days=settings.backup_keep_days + 1).total_seconds()
    for path in (first.path, *first.copies):
        os.utime(path, (old, old))
    second = back_up(ledger)
    assert not first.path.exists() and not any(p.exists() for p in first.copies)
    assert second.path.exists() and all(p.exists() for p in second.copies)


def test_hourly_backups_run_only_while_a_shift_is_open(
    ledger: Ledger, settings: TillSettings
) -> None:
    folder = backup.backups_dir(settings.data_dir)
    timer = HourlyBackups(ledger, interval_s=0.05)
    timer.start()
    time.sleep(0.3)
    assert not list(folder.glob("*.dukabak"))
    services = build_services(ledger)
    boss = services.users.create_user("Amina", "supervisor", "2468")
    services.shifts.open_shift(boss.id, Money(0, "KES"))
    deadline = time.monotonic() + 10
    while not list(folder.glob("*.dukabak")) and time.monotonic() < deadline:
        time.sleep(0.05)
    timer.stop()
    assert list(folder.glob("*.dukabak"))


def test_restore_brings_a_damaged_till_back_to_its_last_backup(settings: TillSettings) -> None:
    ledger = open_ledger(settings)
    _sell(ledger, 10)
    back_up(ledger)
    _sell(ledger, 5)  # after the backup: not in it
    ledger.close()
    db = settings.database
    data = bytearray(db.read_bytes())
    data[:100] = bytes(100)
    db.write_bytes(bytes(data))
    with pytest.raises(LedgerDamaged):
        open_ledger(settings)

    assert main(["--data-dir", str(settings.data_dir), "--restore"]) == 0

    restored = open_ledger(settings)
    try:
        assert _sales(restored) == 10
    finally:
        restored.close()
    aside = [p for p in settings.data_dir.iterdir() if p.name.startswith("damaged-")]
    assert len(aside) == 1 and (aside[0] / db.name).read_bytes()[:100] == bytes(100)


def test_restore_names_a_missing_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["--data-dir", str(tmp_path), "--restore"]) == 1
    assert "No backup was found" in capsys.readouterr().err


def test_backups_are_named_in_time_order(ledger: Ledger, settings: TillSettings) -> None:
    now = datetime.now(UTC)
    older = backup.make_backup(
        settings.database, ledger.cipher, settings.data_dir, now=now - timedelta(hours=1)
    )
    newer = backup.make_backup(settings.database, ledger.cipher, settings.data_dir, now=now)
    assert backup.latest(backup.backups_dir(settings.data_dir)) == newer.path != older.path
