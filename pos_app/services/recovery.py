"""Bringing a damaged or lost till back: `main.py --restore [BACKUP]` (and the supervisor's
Restore action) puts the last good backup in place of the ledger. The files it replaces are
kept aside, never deleted."""

from __future__ import annotations

import sys
from pathlib import Path

from pos_app.config import TillSettings
from pos_app.core.errors import StoreError
from pos_app.store.backup import Restored, backups_dir, latest, restore
from pos_app.store.crypto import FieldCipher
from pos_app.store.keys import key_store


def restore_latest(settings: TillSettings, backup: Path | None = None) -> Restored:
    """Restore `backup` (default: the newest in the data folder or the copy folder)."""
    keys = key_store(settings.keyring).load()
    if keys is None:
        raise StoreError(
            "The data key is not in the keyring, so no backup can be read. Restore the "
            "keyring entry, or set DUKA_DATA_KEY to the saved key."
        )
    chosen = backup or latest(backups_dir(settings.data_dir), settings.backup_copy_dir)
    if chosen is None:
        raise StoreError(
            f"No backup was found in {backups_dir(settings.data_dir)}"
            + (f" or {settings.backup_copy_dir}" if settings.backup_copy_dir else "")
            + "."
        )
    return restore(FieldCipher(keys), chosen, settings.database)


def restore_command(settings: TillSettings, backup: Path | None) -> int:
    try:
        done = restore_latest(settings, backup)
    except StoreError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    print(f"Restored the ledger from {done.backup}.")
    if done.set_aside is not None:
        print(f"The files it replaced are kept in {done.set_aside}.")
    return 0
