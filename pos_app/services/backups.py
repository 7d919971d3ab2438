"""When the till backs itself up: at every shift close, and every hour while a shift is open
(a timer thread of its own: the GUI thread never waits for a backup)."""

from __future__ import annotations

import logging
import threading
from typing import Final

from sqlalchemy import select

from pos_app.core.errors import StoreError
from pos_app.store.backup import BackupMade, make_backup
from pos_app.store.db import Ledger
from pos_app.store.schema import shifts

log = logging.getLogger(__name__)
HOURLY_S: Final = 3600.0


def back_up(ledger: Ledger) -> BackupMade:
    settings = ledger.settings
    return make_backup(
        settings.database,
        ledger.cipher,
        settings.data_dir,
        copy_dir=settings.backup_copy_dir,
        keep_days=settings.backup_keep_days,
    )


def back_up_quietly(ledger: Ledger, why: str) -> BackupMade | None:
    """A backup that cannot be made (USB stick pulled, disk full) is logged, never raised:
    it must not undo a shift close or stop a sale."""
    try:
        made = back_up(ledger)
    except (StoreError, OSError) as exc:
        log.warning("backup (%s) failed: %s", why, exc)
        return None
    log.info("backup (%s): %s, %d bytes", why, made.path.name, made.size)
    return made


def shift_open(ledger: Ledger) -> bool:
    with ledger.read() as conn:
        return (
            conn.execute(select(shifts.c.id).where(shifts.c.closed_at.is_(None))).first()
            is not None
        )


class HourlyBackups:
    """Backs up every `interval_s` while a shift is open, on its own thread."""

    def __init__(self, ledger: Ledger, interval_s: float = HOURLY_S) -> None:
        self._ledger = ledger
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ledger-backups", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            if self._ledger.damage is None and shift_open(self._ledger):
                back_up_quietly(self._ledger, "hourly")

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
